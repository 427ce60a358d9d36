/**
 * examples/shop-api is the example input of `npm run demo`. Every line ending in
 * `// planted: <rule>` is a failure path Failpath must report at that line, and nothing else may
 * be reported anywhere in the example (the fixed twins must stay silent).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../../server/src/engine/analyze';
import { ProjectLoader } from '../../server/src/engine/project';
import { position } from '../harness/ruleTester';
import { RULE_IDS } from '../../server/src/rules';

const root = path.join(__dirname, '..', '..', 'examples', 'shop-api', 'src');

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(path.join(dir, e.name)) : /\.[cm]?[jt]sx?$/.test(e.name) ? [path.join(dir, e.name)] : []);
}

test('shop-api: every planted failure path is found, and nothing else', () => {
  const loader = new ProjectLoader();
  const expected: string[] = [];
  const actual: string[] = [];
  for (const file of files(root)) {
    const text = fs.readFileSync(file, 'utf8');
    const rel = path.relative(root, file);
    text.split('\n').forEach((line, i) => {
      const m = /\/\/ planted: ([\w-]+(?:, [\w-]+)*)/.exec(line);
      // a rule may be planted twice on a line (two findings, e.g. two missing pieces)
      if (m) for (const id of m[1].split(', ')) if (RULE_IDS.has(id)) expected.push(`${rel}:${i + 1} ${id}`);
    });
    const result = analyze({ text, fileName: file, project: loader.forFile(file) });
    assert.deepEqual(result.ruleErrors, []);
    for (const f of result.findings) actual.push(`${rel}:${position(text, f.start).line} ${f.ruleId}`);
  }
  assert.ok(expected.length >= 2, 'the example plants failure paths');
  assert.deepEqual(actual.sort(), expected.sort());
});
