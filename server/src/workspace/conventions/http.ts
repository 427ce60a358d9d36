/**
 * HTTP wrappers: functions, client instances, classes and objects exported by project modules
 * (workspace packages included) that make HTTP calls through a client the knowledge table knows
 * (fetch, axios, got, ky, undici, superagent…), and whether every call through them gets a
 * deadline — from the call's options (`signal: AbortSignal.timeout(ms)`, `timeout: ms`), the
 * instance's defaults (`axios.create({ timeout })`, `api.defaults.timeout = ms`) or the library's
 * own default (ky). Calls through a wrapper that sets one are fine; the wrapper without one is the
 * finding.
 *
 * Bounded: only files another file imports and that use an HTTP client (by the graph) or call
 * `fetch(` (by the text) are parsed.
 */
import ts = require('typescript');
import type { HttpWrapper } from '../../engine/view';
import { HTTP_STYLES, IO, KNOWLEDGE, type HttpStyle } from '../../knowledge';
import { FileAnalysis, isFunctionNode, setsOption, type FunctionFacts } from '../summaries';
import { ProjectReader, exportsOf, throughBarrels, unwrap, type ExportTarget } from './reader';

const CLIENT_CLASS = /client|api|http|fetch|request|rest|gateway|transport|sdk/i;

interface Found { deadline: boolean; library?: string }

function instanceStyle(module: string): HttpStyle | undefined {
  const call = KNOWLEDGE.httpCallsOf(module).find((c) => c.on !== 'module');
  if (!call) return undefined;
  return KNOWLEDGE.httpCallOf(module, call.path, true)?.style ?? (call.style === 'custom' ? undefined : HTTP_STYLES[call.style]);
}

function fromFacts(f: FunctionFacts): Found | undefined {
  if (!f.httpCalls) return undefined;
  return { deadline: f.httpWithDeadline === f.httpCalls, ...(f.httpLibraries[0] ? { library: f.httpLibraries[0] } : {}) };
}

function merged(parts: FunctionFacts[]): FunctionFacts {
  const out: FunctionFacts = { io: [], calls: 0, withDeadline: 0, httpCalls: 0, httpWithDeadline: 0, httpLibraries: [] };
  for (const f of parts) {
    out.httpCalls += f.httpCalls;
    out.httpWithDeadline += f.httpWithDeadline;
    for (const l of f.httpLibraries) if (!out.httpLibraries.includes(l)) out.httpLibraries.push(l);
  }
  return out;
}

function wrapperOf(name: string, target: ExportTarget, a: FileAnalysis): Found | undefined {
  if (isFunctionNode(target)) return fromFacts(a.functionFacts(target));
  // a class is a wrapper when it is a client (ApiClient, HttpService), not any service that calls one
  if (ts.isClassDeclaration(target)) {
    if (!CLIENT_CLASS.test(name)) return undefined;
    return fromFacts(merged(target.members.filter((m): m is ts.MethodDeclaration => ts.isMethodDeclaration(m) && !!m.body).map((m) => a.functionFacts(m))));
  }
  if (ts.isObjectLiteralExpression(target)) {
    const fns: ts.Node[] = [];
    for (const p of target.properties) {
      if (ts.isMethodDeclaration(p)) fns.push(p);
      else if (ts.isPropertyAssignment(p) && isFunctionNode(unwrap(p.initializer))) fns.push(unwrap(p.initializer));
    }
    return fromFacts(merged(fns.map((f) => a.functionFacts(f))));
  }
  // an exported client instance: export const http = axios.create({ timeout: 5_000 })
  const inst = a.facts.instances.get(name);
  if (!inst || KNOWLEDGE.ioOf(inst.module)?.kind !== IO.http) return undefined;
  const style = instanceStyle(inst.module);
  if (!style) return undefined;
  const defaults = style.defaultsTimeout && new RegExp(`\\b${name.replace(/\$/g, '\\$')}\\.defaults\\.timeout\\s*=`).test(a.sf.text);
  const deadline = setsOption(inst.options, style.deadlineOptions) || !!defaults || style.defaultMs !== undefined;
  const library = KNOWLEDGE.libraryOf(inst.module)?.id;
  return { deadline, ...(library ? { library } : {}) };
}

export function learnHttpWrappers(reader: ProjectReader): HttpWrapper[] {
  const httpPackage = new Map<string, boolean>();
  const isHttp = (pkg: string): boolean => {
    let hit = httpPackage.get(pkg);
    if (hit === undefined) httpPackage.set(pkg, (hit = KNOWLEDGE.ioOf(pkg)?.kind === IO.http));
    return hit;
  };
  const out: HttpWrapper[] = [];
  for (const file of reader.files) {
    if (!reader.importersOf(file, 1).length) continue;
    if (!reader.packagesOf(file).some(isHttp) && !/\bfetch\s*\(/.test(reader.text(file) ?? '')) continue;
    const sf = reader.parse(file);
    if (!sf) continue;
    const exports = exportsOf(sf);
    if (!exports.size) continue;
    const analysis = new FileAnalysis(sf, file);
    for (const [exportName, target] of exports) {
      const w = wrapperOf(exportName, target, analysis);
      if (w) out.push({ file, exportName, setsDeadline: w.deadline, ...(w.library ? { library: w.library } : {}) });
    }
  }
  for (const e of throughBarrels(reader, out.map((w) => ({ file: w.file, name: w.exportName })))) {
    const w = out.find((x) => x.file === e.from.file && x.exportName === e.from.name)!;
    out.push({ ...w, file: e.file, exportName: e.name });
  }
  return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.exportName < b.exportName ? -1 : a.exportName > b.exportName ? 1 : 0));
}
