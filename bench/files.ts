/** The benchmark's file list: the same extensions and skipped folders as `failpath check`. */
import * as fs from 'node:fs';
import * as path from 'node:path';

const SKIP = new Set(['node_modules', 'dist', 'build', 'out', 'coverage', '.git', '.next']);

export function listSourceFiles(dir: string): string[] {
  const out: string[] = [];
  const visit = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (SKIP.has(e.name)) continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) visit(p);
      else if (/\.[cm]?[jt]sx?$/.test(e.name) && !/\.d\.[cm]?ts$/.test(e.name) && !e.name.endsWith('.min.js')) out.push(p);
    }
  };
  visit(dir);
  return out.sort();
}
