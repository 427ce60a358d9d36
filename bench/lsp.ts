/**
 * LSP latency, measured against the bundled server (dist/server.js) over stdio:
 *  - keystroke → publishDiagnostics for that version, 200 edits on a 2,000-line file, with the
 *    server's debounce set to 0 (the per-size debounce it adds is reported and subtracted);
 *  - code lenses of that file: list, then resolve every lens (the client resolves visible ones);
 *  - open → first diagnostics of a file in a 5,000-file workspace (the corpus) while the server's
 *    background scan of that workspace runs (checked: the scan is still running when they
 *    arrive), then the scan's duration and the server process's peak RSS (VmHWM: main thread and
 *    scan worker) once the whole workspace is indexed.
 * Prints one JSON line.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CodeLensRequest, CodeLensResolveRequest, type CodeLens } from 'vscode-languageserver-protocol/node';
import { startServer, PUSH_CLIENT, type TestClient } from '../test/lsp/helpers';
import { Requests, type ReadinessResult } from '../shared/protocol';
import { generateCorpus } from './corpus';

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

/** Keystrokes on a real file (FAILPATH_BENCH_FILE=<file>, e.g. a 2,000-line service of a fetched repository). */
async function keystrokesOn(file: string): Promise<Record<string, number | string>> {
  const text = fs.readFileSync(file, 'utf8');
  const client = await startServer({ rootUri: pathToFileURL(path.dirname(file)).href, initializationOptions: { debounceMs: 0 } });
  const uri = pathToFileURL(file).href;
  client.open(uri, text, 'typescript', 1);
  await client.diagnosticsAt(uri, 1, 30_000);
  const lines = text.split('\n').length;
  const latencies: number[] = [];
  for (let i = 0, version = 1; i < 200; i++) {
    version++;
    const line = 20 + ((i * 37) % Math.max(1, lines - 40));
    const t0 = performance.now();
    client.change(uri, version, [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: i % 2 === 0 ? '// x\n' : '' }]);
    await client.diagnosticsAt(uri, version, 30_000);
    latencies.push(performance.now() - t0);
  }
  await client.shutdown();
  const debounce = Math.min(1000, Math.floor(text.length / 4000));
  const adj = latencies.map((l) => Math.max(0, l - debounce));
  return { file, fileLines: lines, sizeDebounceMs: debounce, p50Ms: percentile(adj, 50), p95Ms: percentile(adj, 95), maxMs: Math.max(...adj) };
}

async function keystrokes(): Promise<Record<string, number>> {
  const dir = path.join(__dirname, 'out', 'lsp-big');
  generateCorpus(dir, 60, 3);
  const routes = fs.readdirSync(path.join(dir, 'src/routes')).map((f) => fs.readFileSync(path.join(dir, 'src/routes', f), 'utf8'));
  let lines: string[] = [];
  let k = 0;
  while (lines.length < 2000) {
    // rename top-level names per copy so the file stays valid TypeScript
    lines = lines.concat(routes[k % routes.length].replace(/\brouter\b/g, `router${k}`).replace(/^import .*$/gm, (m) => (k === 0 ? m : '')).split('\n'));
    k++;
  }
  lines = lines.slice(0, 2000);
  const text = lines.join('\n');
  const file = path.join(dir, 'src', 'big.ts');
  fs.writeFileSync(file, text);
  const client = await startServer({ rootUri: pathToFileURL(dir).href, initializationOptions: { debounceMs: 0 } });
  const uri = pathToFileURL(file).href;
  client.open(uri, text, 'typescript', 1);
  await client.diagnosticsAt(uri, 1, 30_000);
  const latencies: number[] = [];
  let version = 1;
  for (let i = 0; i < 200; i++) {
    version++;
    const line = 20 + ((i * 37) % 1900);
    const t0 = performance.now();
    // type a character into a comment at the end of a line, then the next edit removes it
    client.change(uri, version, [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: i % 2 === 0 ? '// x\n' : '' }]);
    await client.diagnosticsAt(uri, version, 30_000);
    latencies.push(performance.now() - t0);
  }
  const debounce = Math.min(1000, Math.floor(text.length / 4000));
  // code lenses: list (after the last edit's analysis), then resolve them all
  const l0 = performance.now();
  const lenses: CodeLens[] = (await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) ?? [];
  const listMs = performance.now() - l0;
  const r0 = performance.now();
  for (const lens of lenses) await client.connection.sendRequest(CodeLensResolveRequest.type, lens);
  const resolveAllMs = performance.now() - r0;
  await client.shutdown();
  const adj = latencies.map((l) => Math.max(0, l - debounce));
  return {
    fileLines: 2000,
    fileChars: text.length,
    sizeDebounceMs: debounce,
    p50Ms: percentile(adj, 50),
    p95Ms: percentile(adj, 95),
    maxMs: Math.max(...adj),
    rawP95Ms: percentile(latencies, 95),
    codeLenses: lenses.length,
    codeLensListMs: listMs,
    codeLensResolveAllMs: resolveAllMs,
  };
}

function peakRssMb(pid: number | undefined): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

async function readiness(client: TestClient): Promise<ReadinessResult> {
  return client.connection.sendRequest(Requests.readiness, {});
}

async function firstDiagnostics(): Promise<Record<string, number | boolean | string>> {
  const dir = path.join(__dirname, 'out', 'corpus-5000');
  if (!fs.existsSync(path.join(dir, 'package.json'))) generateCorpus(dir, 5000, 42);
  const t0 = performance.now();
  const client = await startServer({
    rootUri: pathToFileURL(dir).href,
    workspaceFolders: [{ uri: pathToFileURL(dir).href, name: 'corpus' }],
    initializationOptions: { debounceMs: 0 },
    capabilities: { ...PUSH_CLIENT, window: { ...PUSH_CLIENT.window, workDoneProgress: true } },
  });
  const file = path.join(dir, 'src', 'routes', fs.readdirSync(path.join(dir, 'src/routes'))[0]);
  const uri = pathToFileURL(file).href;
  const tOpen = performance.now();
  client.open(uri, fs.readFileSync(file, 'utf8'), 'typescript', 1);
  await client.diagnosticsAt(uri, 1, 30_000);
  const ms = performance.now() - tOpen;
  const startup = tOpen - t0;
  const during = await readiness(client);
  // the end of the scan's $/progress (no polling: a client with the Readiness view hidden asks rarely)
  await client.progress.wait((p) => p.kind === 'end', 'the end of the workspace scan', 300_000);
  const scanMs = performance.now() - t0;
  const r = await readiness(client);
  const features = r.features.length;
  const rss = peakRssMb(client.child.pid);
  await client.shutdown();
  return {
    workspaceFiles: 5000,
    openToFirstDiagnosticsMs: ms,
    serverStartupMs: startup,
    scanRunningAtFirstDiagnostics: during.state === 'scanning',
    scannedAtFirstDiagnostics: `${during.scanned}/${during.total}`,
    startToScanDoneMs: scanMs,
    features,
    serverPeakRssMb: rss,
  };
}

async function main() {
  if (process.env.FAILPATH_BENCH_FILE) {
    console.log(JSON.stringify({ keystrokeOnFile: await keystrokesOn(process.env.FAILPATH_BENCH_FILE) }));
    return;
  }
  const ks = await keystrokes();
  const first = await firstDiagnostics();
  console.log(JSON.stringify({ keystroke: ks, open: first }));
}
main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
