/**
 * Health routes the project registers, as path strings, with constants and prefixes resolved:
 * `app.get(HEALTH_PATH, …)` with HEALTH_PATH imported from a config module, `router.get('/health')`
 * in a router mounted with `app.use('/api', router)` (→ `/api/health`), Fastify
 * `register(routes, { prefix })` and `route({ url })`, Nest `@Controller(CONST)` + `@Get('health')`,
 * and file routes (Remix `app/routes/healthcheck.tsx`, Next `app/api/health/route.ts`,
 * `pages/api/health.ts`).
 *
 * Bounded: only files whose text names a health segment (or a constant that could hold one) are
 * parsed; prefixes are looked up in at most MAX_IMPORTERS_READ importers, MAX_PREFIX_DEPTH levels up.
 */
import ts = require('typescript');
import { HEALTH_SEGMENTS } from '../../knowledge';
import { MAX_IMPORTERS_READ, ProjectReader, constantString, importedNames, nameText, unwrap, walk } from './reader';

const SEGMENT = new RegExp(`(?:^|/)(?:${HEALTH_SEGMENTS.join('|')})(?:$|[/\\-_.?])`, 'i');
/** A health word that is not a member access (`res.status(…)` names no route). */
const MENTION = new RegExp(`(?<![.\\w$])(?:${HEALTH_SEGMENTS.join('|')})|[\\w$](?:${HEALTH_SEGMENTS.join('|')})`, 'i');
const ROUTE_METHODS = new Set(['get', 'head', 'all', 'route', 'any', 'on']);
const MOUNT_METHODS = new Set(['use', 'route', 'register', 'basePath', 'mount']);
const MAX_PREFIX_DEPTH = 3;
const MAX_ROUTES = 100;

function normal(path: string): string {
  let p = path.trim();
  if (!p.startsWith('/')) p = `/${p}`;
  p = p.replace(/\/{2,}/g, '/');
  if (p.length > 1 && p.endsWith('/')) p = p.slice(0, -1);
  return p;
}

function join(prefix: string, path: string): string {
  return normal(`${prefix}/${path}`);
}

/** The path a file route serves, when the file is one (Remix flat routes, Next app/pages routers). */
function fileRoute(file: string): string | undefined {
  const f = `/${file}`;
  const next = /\/app\/((?:[^/]+\/)*?)route\.[cm]?[jt]sx?$/.exec(f);
  if (next && !/\/app\/routes\//.test(f)) return normal(next[1].split('/').filter((s) => s && !/^\(.*\)$/.test(s) && !s.startsWith('@')).join('/'));
  const pages = /\/pages\/(api\/.+?)(?:\/index)?\.[cm]?[jt]sx?$/.exec(f);
  if (pages) return normal(pages[1]);
  const remix = /\/app\/routes\/(.+?)(?:\/route)?\.[cm]?[jt]sx?$/.exec(f);
  if (remix) {
    const segs = remix[1].split(/[./]/).filter((s) => s && s !== '_index' && s !== 'index' && !/^_/.test(s)).map((s) => s.replace(/^\$/, ':').replace(/^\[(.*)\]$/, '$1').replace(/_$/, ''));
    return normal(segs.join('/'));
  }
  return undefined;
}

/** Nest: `@Controller('x')`, `@Controller({ path: 'x' })`, `@Get('y')` — the path argument. */
function decoratorPath(d: ts.Decorator, names: ReadonlySet<string>, file: string, sf: ts.SourceFile, reader: ProjectReader): string | undefined {
  const e = d.expression;
  if (!ts.isCallExpression(e) || !ts.isIdentifier(e.expression) || !names.has(e.expression.text)) return undefined;
  const arg = e.arguments[0];
  if (!arg) return '';
  const a = unwrap(arg);
  if (ts.isObjectLiteralExpression(a)) {
    for (const p of a.properties) if (ts.isPropertyAssignment(p) && nameText(p.name) === 'path') return constantString(p.initializer, file, sf, reader);
    return '';
  }
  if (ts.isArrayLiteralExpression(a)) return a.elements[0] ? constantString(a.elements[0], file, sf, reader) : '';
  return constantString(arg, file, sf, reader);
}

/** Paths registered in one file (before prefixes from other files). */
function routesIn(file: string, sf: ts.SourceFile, reader: ProjectReader): string[] {
  const out: string[] = [];
  let prefix = '';
  walk(sf, (node) => {
    if (out.length >= MAX_ROUTES) return false;
    visitRoute(node);
    return true;
  });
  function visitRoute(node: ts.Node): void {
    if (ts.isClassDeclaration(node)) {
      const decorators = ts.getDecorators(node) ?? [];
      const base = decorators.map((d) => decoratorPath(d, new Set(['Controller']), file, sf, reader)).find((p) => p !== undefined);
      if (base === undefined) return;
      for (const m of node.members) {
        if (!ts.isMethodDeclaration(m)) continue;
        for (const d of ts.getDecorators(m) ?? []) {
          const p = decoratorPath(d, new Set(['Get', 'Head', 'All']), file, sf, reader);
          if (p !== undefined) out.push(join(base, p));
        }
      }
      return;
    }
    if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return;
    const method = node.expression.name.text;
    // a file-level prefix: Hono's basePath('/api'), Nest's setGlobalPrefix('api')
    if ((method === 'basePath' || method === 'setGlobalPrefix') && node.arguments[0]) {
      const p = constantString(node.arguments[0], file, sf, reader);
      if (p !== undefined) prefix = p;
      return;
    }
    if (!ROUTE_METHODS.has(method)) return;
    const first = node.arguments[0];
    if (!first) return;
    const f = unwrap(first);
    if (ts.isObjectLiteralExpression(f)) {
      // fastify.route({ method: 'GET', url: '/health', handler })
      for (const p of f.properties) {
        if (ts.isPropertyAssignment(p) && (nameText(p.name) === 'url' || nameText(p.name) === 'path')) {
          const v = constantString(p.initializer, file, sf, reader);
          if (v !== undefined) out.push(normal(v));
        }
      }
      return;
    }
    const path = constantString(first, file, sf, reader);
    if (path !== undefined && path.length <= 500) out.push(normal(path));
  }
  return out.map((p) => (prefix ? join(prefix, p) : p));
}

/** Prefixes under which `file`'s routes are mounted by files importing it: `app.use('/api', routes)`, `register(routes, { prefix })`. */
function prefixesOf(file: string, reader: ProjectReader, depth: number, seen: Set<string>): string[] {
  if (depth >= MAX_PREFIX_DEPTH || seen.has(file)) return [''];
  seen.add(file);
  const out = new Set<string>();
  for (const importer of reader.importersOf(file, MAX_IMPORTERS_READ)) {
    const text = reader.text(importer);
    if (!text || !/\.(?:use|route|register|mount)\s*\(/.test(text)) continue;
    const sf = reader.parse(importer);
    if (!sf) continue;
    const locals = new Set<string>();
    for (const [local, { specifier }] of importedNames(sf)) if (reader.fileOf(importer, specifier) === file) locals.add(local);
    if (!locals.size) continue;
    walk(sf, (node) => {
      if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression) || !MOUNT_METHODS.has(node.expression.name.text)) return;
      const args = node.arguments.map(unwrap);
      const mounted = args.findIndex((a) => (ts.isIdentifier(a) && locals.has(a.text)) ||
        (ts.isPropertyAccessExpression(a) && ts.isIdentifier(a.expression) && locals.has(a.expression.text)) ||
        (ts.isCallExpression(a) && ts.isIdentifier(a.expression) && locals.has(a.expression.text)));
      if (mounted < 0) return;
      let prefix: string | undefined;
      if (mounted > 0) prefix = constantString(args[0], importer, sf, reader);
      const opts = args[mounted + 1];
      if (prefix === undefined && opts && ts.isObjectLiteralExpression(opts)) {
        for (const p of opts.properties) if (ts.isPropertyAssignment(p) && nameText(p.name) === 'prefix') prefix = constantString(p.initializer, importer, sf, reader);
      }
      for (const outer of prefixesOf(importer, reader, depth + 1, seen)) out.add(join(outer, prefix ?? ''));
    });
  }
  seen.delete(file);
  return out.size ? [...out] : [''];
}

export function learnHealthRoutes(reader: ProjectReader): string[] {
  const out = new Set<string>();
  for (const file of reader.files) {
    const route = fileRoute(reader.relative(file));
    if (route !== undefined && SEGMENT.test(route)) {
      out.add(route);
      continue;
    }
    const text = reader.text(file);
    // a health segment, or an upper-case constant passed to a route method
    if (!text || !(MENTION.test(text) || /\.(?:get|head|all|route)\s*\(\s*[A-Z][A-Z0-9_]*\b|@(?:Controller|Get)\(\s*[A-Z]/.test(text))) continue;
    const sf = reader.parse(file);
    if (!sf) continue;
    const health = routesIn(file, sf, reader).filter((p) => SEGMENT.test(p));
    if (!health.length) continue;
    const prefixes = prefixesOf(file, reader, 0, new Set());
    for (const p of health) for (const prefix of prefixes) out.add(join(prefix, p));
  }
  return [...out].sort();
}
