/**
 * The project index: per-file summaries and findings (compact, no syntax trees), the project's
 * own import graph, and a syntactic call graph of the project's functions. It answers "which
 * routes reach this finding?" and feeds the readiness model. Updating one file replaces only
 * that file's entry; derived maps are rebuilt lazily on the next query.
 */
import * as path from 'node:path';
import { lineColumn } from '../lines';
import type { FileSummary, FunctionSummary, RouteSummary } from '../summary';
import { isProjectModule } from '../summary';
import type { ChecklistItem, Severity } from '../types';

export interface IndexedFinding {
  ruleId: string;
  start: number;
  end: number;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Severity;
  checklist: ChecklistItem;
  message: string;
  fixable: boolean;
}

export interface IndexedFile {
  file: string;
  summary: FileSummary;
  findings: IndexedFinding[];
  /** Line starts for evidence positions (compact: one number per line). */
  lineStarts: number[];
  /** Suppression comments that silenced nothing (for `failpath check --report-unused-disables`). */
  unusedSuppressions?: { line: number; column: number; ruleIds: string[] }[];
}

/** One function on a call chain from a route handler down to a function. */
export interface ChainStep {
  name: string;
  file: string;
  line: number;
}

export interface RouteRef {
  file: string;
  method: string;
  path: string;
  line: number;
}

const RESOLVE_EXT = ['', '.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs', '/index.ts', '/index.tsx', '/index.js'];

export { lineColumn };

export class ProjectIndex {
  private readonly files = new Map<string, IndexedFile>();
  private derived?: { importers: Map<string, Set<string>>; callers: Map<string, Set<string>>; routeNodes: Map<string, RouteRef[]> };

  constructor(readonly root: string) {}

  /** Stores the file's entry; answers whether its shape (what other files' routes depend on) changed. */
  set(entry: IndexedFile): boolean {
    const before = this.files.get(entry.file);
    this.files.set(entry.file, entry);
    // an edit that keeps the file's imports, functions, calls and routes (most keystrokes) keeps
    // the derived graphs: only their route lines of this file may lag until the next shape change
    const reshaped = !before || shapeOf(before) !== shapeOf(entry);
    if (reshaped) this.derived = undefined;
    return reshaped;
  }

  delete(file: string): void {
    if (this.files.delete(file)) this.derived = undefined;
  }

  get(file: string): IndexedFile | undefined {
    return this.files.get(file);
  }

  all(): IterableIterator<IndexedFile> {
    return this.files.values();
  }

  get size(): number {
    return this.files.size;
  }

  /** Resolves a relative import from `fromFile` to an indexed file (TS's `.js` → `.ts` mapping included). */
  resolveImport(fromFile: string, specifier: string): string | undefined {
    if (!isProjectModule(specifier)) return undefined;
    let base: string;
    if (specifier.startsWith('.')) base = path.resolve(path.dirname(fromFile), specifier);
    else if (specifier.startsWith('@/') || specifier.startsWith('~/')) base = path.join(this.root, 'src', specifier.slice(2));
    else base = path.join(this.root, specifier);
    const candidates = [base];
    const ext = path.extname(base);
    if (ext === '.js' || ext === '.mjs' || ext === '.cjs' || ext === '.jsx') {
      const stem = base.slice(0, -ext.length);
      candidates.push(stem + '.ts', stem + '.tsx', stem + '.mts', stem + '.cts');
    }
    for (const c of candidates) {
      for (const e of RESOLVE_EXT) {
        if (this.files.has(c + e)) return c + e;
      }
    }
    return undefined;
  }

  private derive() {
    if (this.derived) return this.derived;
    const importers = new Map<string, Set<string>>();
    const callers = new Map<string, Set<string>>();
    const routeNodes = new Map<string, RouteRef[]>();
    const add = (m: Map<string, Set<string>>, k: string, v: string) => {
      let s = m.get(k);
      if (!s) m.set(k, (s = new Set()));
      s.add(v);
    };
    for (const f of this.files.values()) {
      for (const imp of f.summary.imports) {
        const target = this.resolveImport(f.file, imp.specifier);
        if (target) add(importers, target, f.file);
      }
      f.summary.functions.forEach((fn, i) => {
        const caller = nodeId(f.file, i);
        for (const c of fn.calls) {
          const callee = this.resolveCallee(f, c);
          if (callee) add(callers, callee, caller);
        }
      });
      for (const r of f.summary.routes) {
        const ref: RouteRef = { file: f.file, method: r.method, path: r.path, line: lineColumn(f.lineStarts, r.start).line };
        const handler = r.handlerFn >= 0 ? nodeId(f.file, r.handlerFn) : r.handlerRef ? this.resolveCallee(f, r.handlerRef) : undefined;
        if (handler) {
          const list = routeNodes.get(handler) ?? [];
          list.push(ref);
          routeNodes.set(handler, list);
        }
      }
    }
    this.derived = { importers, callers, routeNodes };
    return this.derived;
  }

  /** `local:name` / `import:spec#name[.member]` → node id `file#index` of the function. */
  private resolveCallee(from: IndexedFile, ref: string): string | undefined {
    let file: string | undefined;
    let name: string;
    if (ref.startsWith('local:')) {
      file = from.file;
      name = ref.slice(6);
    } else {
      const hash = ref.indexOf('#');
      file = this.resolveImport(from.file, ref.slice(7, hash));
      name = ref.slice(hash + 1);
    }
    if (!file) return undefined;
    const target = this.files.get(file);
    if (!target) return undefined;
    const fns = target.summary.functions;
    let i = fns.findIndex((f) => f.name === name);
    // `pool.query` → nothing; `service.method` → the method of an exported instance's class is unknown; `Cls.method` works
    if (i < 0 && name.includes('.')) i = fns.findIndex((f) => f.name.endsWith('.' + name.split('.').pop()!) && f.name.startsWith(name.split('.')[0]));
    return i >= 0 ? nodeId(file, i) : undefined;
  }

  /** The innermost function of `file` containing `offset`. */
  functionAt(file: string, offset: number): { index: number; fn: FunctionSummary } | undefined {
    const f = this.files.get(file);
    if (!f) return undefined;
    let best: { index: number; fn: FunctionSummary } | undefined;
    f.summary.functions.forEach((fn, index) => {
      if (fn.start <= offset && offset < fn.end && (!best || fn.start >= best.fn.start)) best = { index, fn };
    });
    return best;
  }

  /** Routes whose handlers reach the code at `offset` in `file` through the project's call graph. */
  routesReaching(file: string, offset: number, limit = 20): RouteRef[] {
    const out: RouteRef[] = [];
    // a finding on a route registration itself (`app.post('/orders', …)`) is that route's
    const entry = this.files.get(file);
    for (const r of entry?.summary.routes ?? []) {
      if (r.start <= offset && offset < r.end && (r.handlerFn < 0 || offset < entry!.summary.functions[r.handlerFn].start)) {
        out.push({ file, method: r.method, path: r.path, line: lineColumn(entry!.lineStarts, r.start).line });
      }
    }
    const at = this.functionAt(file, offset);
    if (!at) return out;
    const { callers, routeNodes } = this.derive();
    const seen = new Set<string>();
    const queue = [nodeId(file, at.index)];
    while (queue.length && out.length < limit) {
      const id = queue.shift()!;
      if (seen.has(id)) continue;
      seen.add(id);
      for (const r of routeNodes.get(id) ?? []) if (!out.some((o) => o.method === r.method && o.path === r.path)) out.push(r);
      for (const c of callers.get(id) ?? []) if (!seen.has(c)) queue.push(c);
    }
    return out;
  }

  /**
   * The routes that reach the function at `offset` in `file`, each with one shortest call chain
   * from the route's handler down to that function (node ids resolved to names and positions).
   */
  callChainsTo(file: string, offset: number, limit = 50): { route: RouteRef; chain: ChainStep[] }[] {
    const at = this.functionAt(file, offset);
    if (!at) return [];
    const { callers, routeNodes } = this.derive();
    const start = nodeId(file, at.index);
    const next = new Map<string, string>(); // caller → the callee towards `start`
    const seen = new Set<string>([start]);
    const queue = [start];
    const out: { route: RouteRef; chain: ChainStep[] }[] = [];
    const keys = new Set<string>();
    while (queue.length && out.length < limit) {
      const id = queue.shift()!;
      for (const r of routeNodes.get(id) ?? []) {
        const k = `${r.method} ${r.path}`;
        if (keys.has(k)) continue;
        keys.add(k);
        const chain: ChainStep[] = [];
        for (let cur: string | undefined = id; cur; cur = next.get(cur)) {
          const step = this.step(cur);
          if (step) chain.push(step);
        }
        out.push({ route: r, chain });
      }
      for (const c of callers.get(id) ?? []) {
        if (seen.has(c)) continue;
        seen.add(c);
        next.set(c, id);
        queue.push(c);
      }
    }
    return out;
  }

  /**
   * Findings in the code a function reaches through the project's call graph (itself included):
   * what a route's handler is exposed to.
   */
  findingsReachedFrom(file: string, fnIndex: number, limit = 500): { file: string; finding: IndexedFinding }[] {
    const seen = new Set<string>();
    const queue: [string, number][] = [[file, fnIndex]];
    const reached = new Map<string, Set<number>>();
    while (queue.length && seen.size < limit) {
      const [f, i] = queue.shift()!;
      const id = nodeId(f, i);
      if (seen.has(id)) continue;
      seen.add(id);
      const entry = this.files.get(f);
      const fn = entry?.summary.functions[i];
      if (!entry || !fn) continue;
      let set = reached.get(f);
      if (!set) reached.set(f, (set = new Set()));
      set.add(i);
      for (const c of fn.calls) {
        const callee = this.resolveCallee(entry, c);
        if (!callee) continue;
        const hash = callee.lastIndexOf('#');
        queue.push([callee.slice(0, hash), Number(callee.slice(hash + 1))]);
      }
    }
    const out: { file: string; finding: IndexedFinding }[] = [];
    for (const [f, fns] of reached) {
      const entry = this.files.get(f)!;
      for (const finding of entry.findings) {
        const at = this.functionAt(f, finding.start);
        // nested functions (callbacks inside the handler) belong to the reached function's body
        if (at && (fns.has(at.index) || [...fns].some((i) => { const fn = entry.summary.functions[i]; return fn.start <= finding.start && finding.start < fn.end; }))) out.push({ file: f, finding });
      }
    }
    return out;
  }

  private step(id: string): ChainStep | undefined {
    const hash = id.lastIndexOf('#');
    const file = id.slice(0, hash);
    const entry = this.files.get(file);
    const fn = entry?.summary.functions[Number(id.slice(hash + 1))];
    if (!entry || !fn) return undefined;
    return { name: fn.name, file, line: lineColumn(entry.lineStarts, fn.start).line };
  }

  /** The function a route registered in `file` runs: its inline handler, or the named one it refers to. */
  handlerNode(file: string, route: RouteSummary): { file: string; fn: number } | undefined {
    if (route.handlerFn >= 0) return { file, fn: route.handlerFn };
    const entry = this.files.get(file);
    const id = entry && route.handlerRef ? this.resolveCallee(entry, route.handlerRef) : undefined;
    if (!id) return undefined;
    const hash = id.lastIndexOf('#');
    return { file: id.slice(0, hash), fn: Number(id.slice(hash + 1)) };
  }

  /** Files that import `file` (the project's own import graph). */
  importersOf(file: string): string[] {
    return [...(this.derive().importers.get(file) ?? [])];
  }

  routes(): (RouteSummary & { file: string; line: number })[] {
    const out: (RouteSummary & { file: string; line: number })[] = [];
    for (const f of this.files.values()) for (const r of f.summary.routes) out.push({ ...r, file: f.file, line: lineColumn(f.lineStarts, r.start).line });
    return out;
  }
}

export function nodeId(file: string, fnIndex: number): string {
  return `${file}#${fnIndex}`;
}

/** "reached from POST /checkout, POST /refunds" or '' */
export function describeRoutes(routes: readonly RouteRef[], max = 3): string {
  if (routes.length === 0) return '';
  const shown = routes.slice(0, max).map((r) => `${r.method} ${r.path}`);
  return `reached from ${shown.join(', ')}${routes.length > max ? ` and ${routes.length - max} more` : ''}`;
}

/** What the derived graphs depend on in a file: imports, functions and their calls, routes (no offsets). */
export function shapeOf(e: IndexedFile): string {
  const s = e.summary;
  return JSON.stringify([s.imports.map((i) => i.specifier), s.functions.map((f) => [f.name, f.calls]), s.routes.map((r) => [r.method, r.path, r.handlerFn, r.handlerRef])]);
}
