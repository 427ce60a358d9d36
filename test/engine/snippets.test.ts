/** Every snippet body, with its placeholders filled in, must parse as TypeScript and as JavaScript. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse, syntaxErrorCount } from '../../server/src/engine/analyze';

const repo = path.join(__dirname, '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));

/** ${1:default} → default, ${1|a,b|} → a, $1/$0 → nothing, \\$ → $. */
export function fill(body: string): string {
  let out = body;
  for (let i = 0; i < 5; i++) out = out.replace(/\$\{\d+:((?:[^{}]|\{[^{}]*\})*)\}/g, '$1');
  return out.replace(/\$\{\d+\|([^,|]*)[^}]*\|\}/g, '$1').replace(/\$\d+/g, '').replace(/\\\$/g, '$');
}

describe('snippets', () => {
  const files: string[] = manifest.contributes.snippets.map((s: { path: string }) => s.path);
  assert.ok(files.length >= 2);
  for (const file of [...new Set(files)]) {
    const snippets = JSON.parse(fs.readFileSync(path.join(repo, file), 'utf8')) as Record<string, { prefix: string[]; body: string[]; description: string }>;
    it(`${file} covers the documented patterns`, () => {
      const prefixes = Object.values(snippets).flatMap((s) => s.prefix);
      for (const p of ['fp-fetch-timeout', 'fp-axios-timeout', 'fp-fallback', 'fp-log-pino', 'fp-log-winston', 'fp-log-bunyan', 'fp-log-log4js', 'fp-log-nestjs', 'fp-flag-openfeature', 'fp-flag-launchdarkly', 'fp-flag-unleash', 'fp-flag-growthbook', 'fp-flag-flagsmith', 'fp-flag-configcat', 'fp-retry', 'fp-breaker-opossum', 'fp-breaker-cockatiel', 'fp-idempotency', 'fp-rate-limit', 'fp-shutdown', 'fp-health']) {
        assert.ok(prefixes.includes(p), `missing ${p}`);
      }
    });
    for (const [name, s] of Object.entries(snippets)) {
      it(`${path.basename(file)}: "${name}" parses`, () => {
        assert.ok(s.description.length > 10);
        // wrapped in an async function so that top-level await and `return` in bodies are valid
        const code = `async function snippet() {\n${fill(s.body.join('\n'))}\n}\n`;
        assert.doesNotMatch(code, /\$\{\d|\$\d/, 'placeholders left');
        for (const name of ['snippet.ts', 'snippet.js']) assert.equal(syntaxErrorCount(parse(code, name)), 0, `${name}:\n${code}`);
      });
    }
  }
});
