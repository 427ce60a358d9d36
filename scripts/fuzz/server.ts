/**
 * Channel "server": the language server (dist/server.js over stdio) in a workspace folder it
 * indexes. A session opens one input as a document in pieces and completes it by incremental
 * edits in random order (some sent together in one notification, some slices deleted and put
 * back), asks for code actions at random ranges (some cancelled at once, some after the next
 * edit), and may apply fix-all through an edit. Every request must be answered; the server must
 * not exit nor log an error; its final diagnostics must equal a fresh analyze() of the final text.
 * The server is restarted every `restartEvery` sessions (and after a crash, which is recorded).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CancellationTokenSource, CodeActionRequest, type CodeAction, type Command, type TextDocumentContentChangeEvent, type WorkspaceEdit } from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { startServer, type TestClient } from '../../test/lsp/helpers';
import { analyze } from '../../server/src/engine/analyze';
import { fixAll } from '../../server/src/engine/fixAll';
import { ProjectLoader } from '../../server/src/engine/project';
import { FIX_ALL_KIND } from '../../shared/protocol';
import { Rand, type FuzzInput } from './inputs';
import type { Problem } from './mainThread';
import { budgetMs, mainThreadCpuMs, TimeList } from './timing';

const LANGUAGE: Record<string, string> = {
  '.ts': 'typescript', '.mts': 'typescript', '.cts': 'typescript', '.tsx': 'typescriptreact',
  '.js': 'javascript', '.mjs': 'javascript', '.cjs': 'javascript', '.jsx': 'javascriptreact',
};

const ONLY: readonly (string[] | undefined)[] = [undefined, undefined, ['quickfix'], ['refactor'], ['refactor.rewrite'], [FIX_ALL_KIND], ['source']];

export interface ServerStats {
  sessions: number;
  notifications: number;
  changes: number;
  codeActions: number;
  cancelled: number;
  fixAll: number;
  fixAllApplied: number;
  restarts: number;
  crashes: number;
  /** From each request to its answer: wall time (client side) and the server main thread's CPU time meanwhile. */
  request: TimeList;
  /** From the last edit of a session to its diagnostics, minus the server's debounce for that document. */
  diagnostics: TimeList;
}

export function emptyServerStats(): ServerStats {
  return { sessions: 0, notifications: 0, changes: 0, codeActions: 0, cancelled: 0, fixAll: 0, fixAllApplied: 0, restarts: 0, crashes: 0, request: new TimeList(), diagnostics: new TimeList() };
}

/** What the server waits after a keystroke before analysing (server.ts delayFor, with debounceMs). */
function debounceFor(length: number, debounceMs: number): number {
  return debounceMs + Math.min(1000, Math.floor(length / 4000));
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout;
  return Promise.race([p.finally(() => clearTimeout(timer)), new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), ms); })]);
}

export class ServerChannel {
  private client?: TestClient;
  private exited?: string;
  private sinceStart = 0;
  private readonly projects = new ProjectLoader();
  private readonly debounceMs = 30;
  readonly stats = emptyServerStats();

  constructor(private readonly root: string, private readonly opts: { hangMs: number; stuckMs: number; restartEvery: number }) {}

  private async ensure(): Promise<TestClient> {
    if (this.client && this.exited === undefined && this.sinceStart < this.opts.restartEvery) return this.client;
    if (this.client) {
      if (this.exited === undefined) await this.client.shutdown().catch(() => undefined);
      this.stats.restarts++;
    }
    this.exited = undefined;
    this.sinceStart = 0;
    const uri = pathToFileURL(this.root).href;
    const client = await startServer({ settings: {}, rootUri: uri, workspaceFolders: [{ uri, name: 'fuzz' }], initializationOptions: { debounceMs: this.debounceMs } });
    client.child.once('exit', (code, signal) => {
      if (this.client === client) this.exited = `server exited with code ${code} signal ${signal}; stderr: ${client.stderr.slice(-2000)}`;
    });
    this.client = client;
    return client;
  }

  async close(): Promise<void> {
    const c = this.client;
    this.client = undefined;
    if (c && c.child.exitCode === null) await c.shutdown().catch(() => c.child.kill());
  }

  async session(input: FuzzInput, r: Rand, sessionNo: number): Promise<Problem[]> {
    const problems: Problem[] = [];
    const client = await this.ensure();
    this.sinceStart++;
    this.stats.sessions++;
    const logsFrom = client.logs.items.length;
    const file = path.join(this.root, `s${sessionNo}`, input.fileName);
    const uri = pathToFileURL(file).href;
    const languageId = LANGUAGE[path.extname(file)] ?? 'typescript';
    const text = input.text;

    // pieces, opened with one and completed in random order
    const cuts = Array.from({ length: r.int(0, 8) }, () => r.int(0, text.length)).sort((a, b) => a - b);
    const bounds = [0, ...cuts, text.length];
    const pieces = bounds.slice(1).map((end, i) => text.slice(bounds[i], end));
    const order = pieces.map((_, i) => i);
    for (let i = order.length - 1; i > 0; i--) { const j = r.int(0, i); [order[i], order[j]] = [order[j], order[i]]; }
    const present = new Set<number>([order[0]]);
    let version = 1;
    client.open(uri, pieces[order[0]], languageId, version);
    this.stats.notifications++;
    const mirror = () => client.doc(uri);

    type Timing = { wallMs: number; cpuMs?: number };
    const requests: { what: string; answer: Promise<Timing | 'error'> }[] = [];
    const pid = client.child.pid ?? 0;
    const span = () => {
      const started = performance.now();
      const cpu = mainThreadCpuMs(pid);
      return (): Timing => {
        const now = mainThreadCpuMs(pid);
        return { wallMs: performance.now() - started, cpuMs: cpu === undefined || now === undefined ? undefined : now - cpu };
      };
    };
    /** Resolves with the time the answer took (or 'error' for an error answer, e.g. cancelled). */
    const timedAnswer = (p: Promise<unknown>): Promise<Timing | 'error'> => {
      const done = span();
      return p.then(() => done(), () => 'error' as const);
    };
    const budget = budgetMs(this.opts.hangMs, text.length);
    /** A hang: the server's main thread busy past the budget while the client waited (wall time alone where /proc is missing). */
    const slow = (t: Timing) => (t.cpuMs ?? t.wallMs) > budget;
    let cancelAfterEdit: CancellationTokenSource[] = [];
    const send = (changes: TextDocumentContentChangeEvent[]) => {
      version++;
      client.change(uri, version, changes);
      this.stats.notifications++;
      this.stats.changes += changes.length;
      for (const t of cancelAfterEdit) t.cancel();
      cancelAfterEdit = [];
    };
    const insertAt = (offset: number, piece: string): TextDocumentContentChangeEvent => {
      const p = mirror().positionAt(offset);
      return { range: { start: p, end: p }, text: piece };
    };
    const askActions = () => {
      const doc = mirror();
      const len = doc.getText().length;
      const a = r.int(0, len);
      const b = r.chance(0.5) ? a : r.int(a, len);
      const only = r.pick(ONLY);
      const token = new CancellationTokenSource();
      const answer = timedAnswer(client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: { start: doc.positionAt(a), end: doc.positionAt(b) }, context: { diagnostics: [], ...(only ? { only } : {}) } }, token.token));
      requests.push({ what: `codeAction ${a}-${b}${only ? ` only ${only.join(',')}` : ''}`, answer });
      this.stats.codeActions++;
      const cancel = r.weighted([['no', 6], ['now', 2], ['after next edit', 2]] as const);
      if (cancel === 'now') token.cancel();
      else if (cancel === 'after next edit') cancelAfterEdit.push(token);
      if (cancel !== 'no') this.stats.cancelled++;
    };

    for (const next of order.slice(1)) {
      // a change for this piece, maybe with the next ones in the same notification
      const offset = pieces.slice(0, next).reduce((s, p, i) => s + (present.has(i) ? p.length : 0), 0);
      const change = insertAt(offset, pieces[next]);
      present.add(next);
      const cur = mirror().getText();
      if (r.chance(0.15) && cur.length > 0) {
        // delete a slice and put it back in the same notification (each change applies to the text the previous one made)
        const a = r.int(0, cur.length);
        const b = Math.min(cur.length, a + r.int(0, 200));
        const del = { range: { start: mirror().positionAt(a), end: mirror().positionAt(b) }, text: '' };
        const back = insertAt(a, cur.slice(a, b));
        send([del, back, change]);
      } else {
        send([change]);
      }
      if (r.chance(0.3)) askActions();
    }
    if (r.chance(0.3)) askActions();

    // fix-all, applied as the editor applies a workspace edit
    if (r.chance(0.4)) {
      this.stats.fixAll++;
      const doc = mirror();
      // fix-all analyses the file once per pass and once more to find nothing left: the budget is
      // per analysis, as on the main thread (mainThread.ts); the passes are counted in this process
      const analyses = fixAll({ text: doc.getText(), fileName: file, project: this.projects.forFile(file) }).passes + 1;
      const done = span();
      const answer = client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: { start: doc.positionAt(0), end: doc.positionAt(doc.getText().length) }, context: { diagnostics: [], only: [FIX_ALL_KIND] } });
      const got = await withTimeout(answer, this.opts.stuckMs);
      if (got === 'timeout') problems.push({ kind: 'unanswered', message: `fix-all not answered within ${this.opts.stuckMs} ms` });
      else {
        const t = done();
        this.stats.request.add(t);
        if ((t.cpuMs ?? t.wallMs) > budget * analyses) problems.push({ kind: 'hang', message: `fix-all (${analyses} analyses) answered after ${t.wallMs.toFixed(0)} ms (server ${t.cpuMs ?? '?'} ms CPU)`, ms: { wall: t.wallMs, cpu: t.cpuMs ?? -1 } });
        const action = (got ?? []).find((a: CodeAction | Command) => 'kind' in a && a.kind === FIX_ALL_KIND) as CodeAction | undefined;
        if (action?.edit) {
          const edits = editsOf(action.edit, uri);
          // one notification, last edit first, so each range still means what it meant (of two inserts at one place, the later one first)
          const changes = edits.map((e, i) => ({ e, i, at: mirror().offsetAt(e.range.start) })).sort((a, b) => b.at - a.at || b.i - a.i).map(({ e }) => ({ range: e.range, text: e.newText }));
          send(changes);
          this.stats.fixAllApplied++;
        }
      }
    }

    // every request is answered (a cancelled one with a result or a cancellation error)
    for (const q of requests) {
      const got = await withTimeout(q.answer, this.opts.stuckMs);
      if (got === 'timeout') problems.push({ kind: 'unanswered', message: `${q.what} not answered within ${this.opts.stuckMs} ms` });
      else if (got !== 'error') {
        this.stats.request.add(got);
        if (slow(got)) problems.push({ kind: 'hang', message: `${q.what} answered after ${got.wallMs.toFixed(0)} ms (server ${got.cpuMs ?? '?'} ms CPU)`, ms: { wall: got.wallMs, cpu: got.cpuMs ?? -1 } });
      }
    }

    // a last real edit guarantees a publication for a known version; only publications from now on count
    const from = client.diagnostics.items.length;
    const end = mirror().positionAt(mirror().getText().length);
    const edited = span();
    send([{ range: { start: end, end }, text: '\n' }]);
    const finalText = mirror().getText();
    const published = await withTimeout(client.waitForDiagnostics(uri, (p) => p.version === version, this.opts.stuckMs, from).catch(() => undefined), this.opts.stuckMs + 1000);
    if (this.exited !== undefined) {
      problems.push({ kind: 'server-exit', message: this.exited });
      this.stats.crashes++;
      return problems;
    }
    if (!published || published === 'timeout') {
      problems.push({ kind: 'unanswered', message: `no diagnostics for version ${version} within ${this.opts.stuckMs} ms` });
    } else {
      const t = edited();
      const waited = { wallMs: Math.max(0, t.wallMs - debounceFor(finalText.length, this.debounceMs)), cpuMs: t.cpuMs };
      this.stats.diagnostics.add(waited);
      if (slow(waited)) problems.push({ kind: 'hang', message: `diagnostics came ${waited.wallMs.toFixed(0)} ms after the debounce (server ${t.cpuMs ?? '?'} ms CPU)`, ms: { wall: waited.wallMs, cpu: t.cpuMs ?? -1 } });
      const expectedDoc = TextDocument.create(uri, languageId, version, finalText);
      const fresh = analyze({ text: finalText, fileName: file, project: this.projects.forFile(file) }).findings;
      const expected = fresh.map((f) => `${f.ruleId}@${pos(expectedDoc, f.start)}-${pos(expectedDoc, f.end)}`).sort();
      const actual = published.diagnostics.map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`).sort();
      if (expected.join('\n') !== actual.join('\n')) {
        const missing = expected.filter((e) => !actual.includes(e));
        const extra = actual.filter((a) => !expected.includes(a));
        problems.push({ kind: 'diagnostics-mismatch', message: `final diagnostics differ from a fresh analysis: missing ${missing.slice(0, 5).join(', ') || '-'}; extra ${extra.slice(0, 5).join(', ') || '-'}` });
      }
    }
    for (const l of client.logs.items.slice(logsFrom)) {
      if (l.type === 1) problems.push({ kind: 'server-error', message: `server logged an error: ${l.message.split('\n')[0]}` });
    }
    client.close(uri);
    this.stats.notifications++;
    return problems;
  }
}

function pos(doc: TextDocument, offset: number): string {
  const p = doc.positionAt(offset);
  return `${p.line}:${p.character}`;
}

function editsOf(edit: WorkspaceEdit, uri: string): { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[] {
  if (edit.documentChanges) return edit.documentChanges.flatMap((c) => ('textDocument' in c && c.textDocument.uri === uri ? c.edits : [])) as ReturnType<typeof editsOf>;
  return edit.changes?.[uri] ?? [];
}

export function writeWorkspace(root: string, packageJson: string): void {
  fs.mkdirSync(root, { recursive: true });
  fs.writeFileSync(path.join(root, 'package.json'), packageJson);
}
