/**
 * Developer tool: run rules over a directory and print each finding with its source line, to
 * read what a rule reports on real code. Not shipped.
 *   npx tsx scripts/scan.ts <dir> [rule-id …]
 * Rules not yet in the registry can be loaded by path: --rule-file server/src/rules/x.ts:exportName
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../server/src/engine/analyze';
import { ProjectLoader } from '../server/src/engine/project';
import { ALL_RULES } from '../server/src/rules';
import type { AnyRule } from '../server/src/engine/types';

const SKIP = new Set(['node_modules', 'dist', 'build', 'out', 'coverage', '.git', '.next']);
function* walk(dir: string): Generator<string> {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(e.name)) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else if (/\.[cm]?[jt]sx?$/.test(e.name) && !/\.d\.[cm]?ts$/.test(e.name) && !e.name.endsWith('.min.js')) yield p;
  }
}

async function main() {
  const args = process.argv.slice(2);
  const dir = args.shift();
  if (!dir) throw new Error('usage: scan.ts <dir> [rule-id …] [--rule-file path:export]');
  const ids = new Set<string>();
  const extra: AnyRule[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--rule-file') {
      const [file, name] = args[++i].split(':');
      const mod = await import(path.resolve(file));
      extra.push(mod[name]);
      ids.add(mod[name].id);
    } else ids.add(args[i]);
  }
  const rules = [...ALL_RULES.filter((r) => !extra.some((e) => e.id === r.id)), ...extra].filter((r) => ids.size === 0 || ids.has(r.id));
  const loader = new ProjectLoader();
  const counts = new Map<string, number>();
  let files = 0;
  for (const file of walk(dir)) {
    files++;
    const text = fs.readFileSync(file, 'utf8');
    const res = analyze({ text, fileName: file, project: loader.forFile(file), rules });
    for (const e of res.ruleErrors) console.log(`RULE ERROR ${e.ruleId} ${file}: ${e.error.split('\n')[0]}`);
    for (const f of res.findings) {
      counts.set(f.ruleId, (counts.get(f.ruleId) ?? 0) + 1);
      const line = text.slice(0, f.start).split('\n').length;
      const src = text.split('\n')[line - 1]?.trim().slice(0, 140);
      console.log(`${path.relative(dir, file)}:${line} [${f.ruleId}] ${f.message.slice(0, 100)}\n    ${src}`);
    }
  }
  console.log(`\n${files} files; ${[...counts].map(([k, v]) => `${k}=${v}`).join(' ') || 'no findings'}`);
}
main().catch((e) => { console.error(e); process.exit(2); });
