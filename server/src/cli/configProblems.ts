/**
 * The CLI's report of `.failpath.json` problems: every config file that applies to a discovered
 * file is loaded once (per folder) and each of its problems printed as `file:line:column: message`,
 * as the editor shows them on the file. The defaults are used for the bad values meanwhile.
 */
import * as path from 'node:path';
import { CONFIG_FILE, type ConfigFileLoader, type LoadedConfigFile } from '../engine/configFile';
import { lineColumn } from '../engine/lines';
import { MAX_MANIFEST_BYTES, readWorkspaceText, rootsOf } from '../engine/readSource';

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** Problems of the config files that apply to `files`, one line each, sorted by file. */
export function configProblemLines(files: readonly string[], loader: ConfigFileLoader, cwd: string): string[] {
  const configs = new Map<string, LoadedConfigFile>();
  for (const dir of new Set(files.map((f) => path.dirname(f)))) {
    for (const c of loader.chainFor(path.join(dir, CONFIG_FILE))) configs.set(c.file, c);
  }
  const lines: string[] = [];
  for (const c of [...configs.values()].sort((a, b) => (a.file < b.file ? -1 : 1))) {
    if (c.problems.length === 0) continue;
    // unreadable: its problem says so
    const text = readWorkspaceText(c.file, { maxBytes: MAX_MANIFEST_BYTES, roots: rootsOf(loader.roots) });
    const starts = text === undefined ? [0] : lineStarts(text);
    const name = path.relative(cwd, c.file).split(path.sep).join('/') || c.file;
    for (const p of c.problems) {
      const { line, column } = lineColumn(starts, p.start);
      lines.push(`${name}:${line}:${column}: ${p.severity}: ${p.message}`);
    }
  }
  return lines;
}
