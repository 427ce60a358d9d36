/**
 * npm run bench [-- <dir> …] [--sizes 100,1000,5000] [--no-eslint] [--no-lsp]
 *
 * A benchmark, not a test: every measurement runs in its own process, on the same files.
 *  - parse-only baseline: createSourceFile + full walk (bench/measure.ts parse)
 *  - engine: analyze() with every rule (bench/measure.ts engine) → ratio engine/parse
 *  - CLI: `node dist/cli.js check <dir> --format json` wall time (worker threads included)
 *  - ESLint 9+/typescript-eslint with no-empty, no-console and a fetch/axios no-restricted-syntax
 *  - LSP: didChange → publishDiagnostics latency over 200 edits on a 2,000-line file, and first
 *    diagnostics of a file opened in a 5,000-file workspace (bench/lsp.ts)
 * Prints a table and writes bench/results/<date>.json (<date>-<folders>.json for folders given).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateCorpus } from './corpus';

const repo = path.join(__dirname, '..');
const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const sizesArg = args.indexOf('--sizes');
const sizes = sizesArg >= 0 ? args[sizesArg + 1].split(',').map(Number) : [100, 1000, 5000];
const dirs = args.filter((a, i) => !a.startsWith('--') && (sizesArg < 0 || i !== sizesArg + 1));

interface Row {
  input: string;
  files: number;
  mb: number;
  parseMs: number;
  engineMs: number;
  ratio: number;
  cliMs?: number;
  eslintMs?: number;
  eslintOverCli?: number;
  filesPerSec: number;
  mbPerSec: number;
  peakRssMb: number;
  cliPeakRssMb?: number;
  findings: number;
}

function node(argv: string[], opts: { cwd?: string } = {}): { ms: number; stdout: string; stderr: string; status: number | null; maxRssMb: number } {
  const timeBin = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
  const cmd = timeBin ? timeBin : process.execPath;
  const full = timeBin ? ['-f', '__MAXRSS_KB=%M', process.execPath, ...argv] : argv;
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, full, { cwd: opts.cwd ?? repo, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const m = /__MAXRSS_KB=(\d+)/.exec(r.stderr ?? '');
  return { ms, stdout: r.stdout, stderr: r.stderr, status: r.status, maxRssMb: m ? Number(m[1]) / 1024 : NaN };
}

const tsx = [path.join(repo, 'node_modules/tsx/dist/cli.mjs')];

function measure(mode: 'parse' | 'engine', dir: string) {
  const r = node([...tsx, 'bench/measure.ts', mode, dir]);
  if (r.status !== 0) throw new Error(`measure ${mode} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

function bench(label: string, dir: string): Row {
  const parse = measure('parse', dir);
  const engine = measure('engine', dir);
  const row: Row = {
    input: label,
    files: parse.files,
    mb: parse.bytes / 1e6,
    parseMs: parse.ms,
    engineMs: engine.ms,
    ratio: engine.ms / parse.ms,
    filesPerSec: parse.files / (engine.ms / 1000),
    mbPerSec: parse.bytes / 1e6 / (engine.ms / 1000),
    peakRssMb: engine.peakRssMb,
    findings: engine.findings,
  };
  const cliPath = path.join(repo, 'dist/cli.js');
  if (fs.existsSync(cliPath)) {
    const cli = node([cliPath, 'check', dir, '--format', 'json']);
    if (cli.status === 0 || cli.status === 1) {
      row.cliMs = cli.ms;
      row.cliPeakRssMb = cli.maxRssMb;
    } else console.error(`failpath check failed on ${label}: ${cli.stderr.slice(0, 500)}`);
  }
  const eslintBin = path.join(repo, 'node_modules/eslint/bin/eslint.js');
  if (!flag('--no-eslint') && fs.existsSync(eslintBin)) {
    // run from the input folder: a flat config's `files` globs are relative to the working directory
    // when it is given with -c, so a folder outside the repository would otherwise be all ignored
    const es = node([eslintBin, '--no-config-lookup', '-c', path.join(repo, 'bench/eslint.config.mjs'), '--no-warn-ignored', '-f', 'json', '-o', '/dev/null', '.'], { cwd: dir });
    if (es.status === 0 || es.status === 1) {
      row.eslintMs = es.ms;
      if (row.cliMs) row.eslintOverCli = es.ms / row.cliMs;
    } else console.error(`eslint failed on ${label}: ${es.stderr.slice(0, 500)}`);
  }
  return row;
}

function table(rows: Row[]): string {
  const f = (n: number | undefined, d = 0) => (n === undefined || Number.isNaN(n) ? '–' : n.toFixed(d));
  const head = ['input', 'files', 'MB', 'parse ms', 'engine ms', 'engine/parse', 'files/s', 'MB/s', 'engine RSS MB', 'CLI ms', 'CLI RSS MB', 'ESLint ms', 'ESLint/CLI', 'findings'];
  const lines = rows.map((r) => [r.input, String(r.files), f(r.mb, 2), f(r.parseMs), f(r.engineMs), f(r.ratio, 2), f(r.filesPerSec), f(r.mbPerSec, 1), f(r.peakRssMb), f(r.cliMs), f(r.cliPeakRssMb), f(r.eslintMs), f(r.eslintOverCli, 1), String(r.findings)]);
  const all = [head, ...lines];
  const widths = head.map((_, i) => Math.max(...all.map((l) => l[i].length)));
  return all.map((l) => l.map((c, i) => c.padStart(widths[i])).join('  ')).join('\n');
}

function main() {
  const rows: Row[] = [];
  const inputs: [string, string][] = dirs.length
    ? dirs.map((d) => [path.basename(path.resolve(d)), path.resolve(d)])
    : sizes.map((n) => {
        const out = path.join(repo, 'bench/out', `corpus-${n}`);
        generateCorpus(out, n, 42);
        return [`corpus-${n}`, out];
      });
  for (const [label, dir] of inputs) {
    process.stderr.write(`benchmarking ${label} …\n`);
    rows.push(bench(label, dir));
  }
  console.log(table(rows));
  let lsp: unknown;
  if (!flag('--no-lsp') && fs.existsSync(path.join(repo, 'dist/server.js')) && fs.existsSync(path.join(repo, 'bench/lsp.ts'))) {
    const r = node([...tsx, 'bench/lsp.ts']);
    if (r.status === 0) {
      lsp = JSON.parse(r.stdout.trim().split('\n').pop()!);
      console.log('\nLSP', JSON.stringify(lsp, null, 2));
    } else console.error(`LSP bench failed: ${r.stderr.slice(0, 1000)}`);
  }
  const outDir = path.join(repo, 'bench/results');
  fs.mkdirSync(outDir, { recursive: true });
  // one file per day and input set: the corpora, or the folders given (a run on novu does not overwrite the corpora's)
  const suffix = dirs.length ? `-${inputs.map(([label]) => label.replace(/[^\w.-]+/g, '_')).join('+')}` : '';
  const file = path.join(outDir, `${new Date().toISOString().slice(0, 10)}${suffix}.json`);
  fs.writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), node: process.version, cpus: require('node:os').cpus().length, rows, lsp }, null, 2) + '\n');
  console.log(`\nwrote ${path.relative(repo, file)}`);
}

main();
