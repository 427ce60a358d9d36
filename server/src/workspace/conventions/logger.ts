/**
 * The project's logger, learned from its own code: which module most files import a logger from
 * (through tsconfig aliases and workspace packages alike: the module graph resolves them), under
 * which export and local name, and how the project calls it — the call shape taken from real call
 * sites, not from the library's name:
 *
 *   logger.error({ err }, 'payment failed')        object-first (pino, bunyan)
 *   log.error('payment failed', { error: err })    message-first, error in a field
 *   log.error('payment failed', err)               message-first, error positional
 *   this.logger.error(msg, err.stack)              Nest: message-first, the stack positional
 *   const log = createLogger('orders')             a factory the project calls per module
 *   private readonly logger = new Logger(X.name)   a class the project instantiates per class
 *
 * Plus the request-scoped loggers handlers use (`req.log`, `request.log`, `c.var.logger`).
 *
 * Bounded: the graph's edges find the candidates without reading a file; only importers of the
 * best few candidates are parsed (at most MAX_IMPORTERS_READ each). Pure: the result is plain
 * data and depends only on the project's files.
 */
import ts = require('typescript');
import { FRAMEWORK, KNOWLEDGE, LOGGER_SHAPES, LOGGER_STYLE, REQUEST_LOGGER as REQUEST_LOGGER_OF, fill, type LoggerStyle } from '../../knowledge';
import type { CallShape, ErrorArgument, LoggerConvention } from '../../engine/view';
import { MAX_IMPORTERS_READ, ProjectReader, bump, importedNames, nameText, top, unwrap, walk } from './reader';

export type { CallShape, ErrorArgument, LoggerConvention } from '../../engine/view';

const LEVELS = new Set(['error', 'warn', 'warning', 'info', 'debug', 'fatal', 'trace', 'verbose', 'log', 'silly', 'notice', 'critical']);
const LOGGER_NAME = /^(?:logger|log|logging|appLogger|baseLogger|rootLogger|serverLogger|LOGGER|Logger|LOG|Log|l)$|Logger$/;
const LOGGERISH_FILE = /(?:^|[/\\])(?:[\w-]*[-_.])?(?:log|logs|logger|loggers|logging)(?:\.[\w-]+)?(?:[/\\]index)?\.[cm]?[jt]sx?$|(?:^|[/\\])[\w-]*(?:Logger|Logging)(?:\.[\w-]+)?\.[cm]?[jt]sx?$/i;
const LOGGERISH_PACKAGE = /(?:^|[/@-])(?:log|logs|logger|loggers|logging)(?:$|[/-])/i;
const FACTORY_NAME = /^(?:create|make|get|build|new|child)[A-Z]?\w*Logger$|^(?:createLog|getLog|makeLogger|logFor|loggerFor)$/;
const ERROR_KEY = /^(?:err|error|e|ex|exception|cause)$/;
const ERROR_VAR = /^(?:err|error|e|ex|exc|exception|cause|reason)$/i;
/** Candidates tried, best first, before giving up. */
const MAX_CANDIDATES = 6;

interface LibraryHint {
  style: LoggerStyle;
  /** The export that is a logger class (Nest `Logger`), when the module itself is not a factory. */
  classExport?: string;
}

interface Candidate {
  module: LoggerConvention['module'];
  key: string;
  specifiers: Map<string, number>;
  importers: Set<string>;
  library?: LibraryHint;
}

interface Tally {
  objectFirst: number;
  messageFirst: number;
  positional: number;
  stack: number;
  fields: Map<string, number>;
  objectKeys: Map<string, number>;
  warn: number;
  warning: number;
  info: number;
  log: number;
}

function libraryHint(pkg: string): LibraryHint | undefined {
  const facet = KNOWLEDGE.loggerOf(pkg);
  return facet ? { style: facet.style, ...(facet.export ? { classExport: facet.export } : {}) } : undefined;
}

/**
 * The project's logger convention, or undefined when the project has none a fix should use: no
 * logger-like module whose importers call it, and no logging library used directly.
 */
export function learnLogger(reader: ProjectReader): LoggerConvention | undefined {
  // 1. candidates from the graph alone: project modules that look like a logger (by name, or
  //    because they build on a logging library) and logging packages, with who imports them
  const moduleHint = new Map<string, { lib?: LibraryHint } | null>();
  const fileHint = (file: string, viaPackage?: string): { lib?: LibraryHint } | null => {
    const hit = moduleHint.get(file);
    if (hit !== undefined) return hit;
    let hint: { lib?: LibraryHint } | null = null;
    const loggerish = LOGGERISH_FILE.test(file) || (!!viaPackage && LOGGERISH_PACKAGE.test(viaPackage));
    for (const pkg of reader.packagesOf(file)) {
      const lib = libraryHint(pkg);
      // a module built on a logger factory (pino, winston…) is a candidate whatever its name; one
      // importing a framework that also has a logger class (Nest) only when it is named like one
      if (lib && (!lib.classExport || loggerish)) { hint = { lib }; break; }
    }
    if (!hint && loggerish) hint = {};
    moduleHint.set(file, hint);
    return hint;
  };

  const candidates = new Map<string, Candidate>();
  const note = (key: string, module: LoggerConvention['module'], library: LibraryHint | undefined, file: string, specifier: string) => {
    let c = candidates.get(key);
    if (!c) candidates.set(key, (c = { module, key, specifiers: new Map(), importers: new Set(), ...(library ? { library } : {}) }));
    c.importers.add(file);
    bump(c.specifiers, specifier);
  };
  for (const file of reader.files) {
    for (const m of reader.importsOf(file)) {
      const to = m.to;
      if (to?.kind === 'file' && to.file !== file) {
        const hint = fileHint(to.file, to.package);
        if (hint) note(`f:${to.file}`, { kind: 'file', file: to.file }, hint.lib, file, m.specifier);
      } else if (to?.kind === 'package') {
        const lib = libraryHint(to.name);
        if (lib) note(`p:${to.name}`, { kind: 'package', name: to.name }, lib, file, m.specifier);
      }
    }
  }
  if (candidates.size === 0) return undefined;

  // 2. rank: project modules first (a fix should import the project's logger, not the library),
  //    then by importers
  const ranked = [...candidates.values()].sort((a, b) =>
    (a.module.kind === 'file' ? 0 : 1) - (b.module.kind === 'file' ? 0 : 1) || b.importers.size - a.importers.size || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const c of ranked.slice(0, MAX_CANDIDATES)) {
    const learned = learnFrom(c, reader);
    if (learned) return learned;
  }
  return undefined;
}

/** What importers take from the candidate and how they call it; undefined when nothing logger-like is used. */
function learnFrom(c: Candidate, reader: ProjectReader): LoggerConvention | undefined {
  let importers = [...c.importers].sort();
  // a framework whose logger is one export among many (Nest): read the files that mention it
  const classExport = c.module.kind === 'package' ? c.library?.classExport : undefined;
  if (classExport) importers = importers.filter((f) => reader.text(f)?.includes(classExport));
  importers = importers.slice(0, MAX_IMPORTERS_READ);

  const exportUse = new Map<string, { locals: Map<string, number>; files: Set<string> }>();
  const tally: Tally = { objectFirst: 0, messageFirst: 0, positional: 0, stack: 0, fields: new Map(), objectKeys: new Map(), warn: 0, warning: 0, info: 0, log: 0 };
  let calls = 0;
  const factoryBindings = new Map<string, number>();
  let factoryWithName = 0;
  let factoryNoArgs = 0;

  for (const file of importers) {
    const sf = reader.parse(file);
    if (!sf) continue;
    for (const [local, { specifier, imported }] of importedNames(sf)) {
      if (!c.specifiers.has(specifier)) continue;
      // the module itself is a logger factory (pino(), winston.createLogger())
      const libraryFactory = c.module.kind === 'package' && !classExport && (imported === 'default' || imported === '*');
      const loggerClass = !!classExport && imported === classExport;
      // a class of the project (AppLogger) is instantiated or injected, like a factory
      const projectClass = c.module.kind === 'file' && /^[A-Z]\w*Logger$/.test(imported);
      const isFactory = libraryFactory || loggerClass || projectClass || FACTORY_NAME.test(imported) || FACTORY_NAME.test(local);
      const looksLogger = LOGGER_NAME.test(local) || LOGGER_NAME.test(imported) || imported === 'default';
      if (!isFactory && !looksLogger) continue;
      const receivers = new Set<string>();
      if (isFactory) {
        for (const made of madeBy(sf, local)) {
          receivers.add(made.binding);
          bump(factoryBindings, made.binding);
          if (made.args === 0) factoryNoArgs++;
          else factoryWithName++;
        }
      } else receivers.add(local);
      for (const child of childrenOf(sf, receivers)) receivers.add(child);
      const seen = countCalls(sf, receivers, tally);
      if (seen === 0 && !(isFactory && receivers.size)) continue;
      calls += seen;
      const use = exportUse.get(imported) ?? { locals: new Map(), files: new Set() };
      bump(use.locals, local);
      use.files.add(file);
      exportUse.set(imported, use);
    }
  }
  if (exportUse.size === 0) return undefined;
  const [exportName, use] = [...exportUse].sort((a, b) => b[1].files.size - a[1].files.size || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))[0];
  const localName = top(use.locals)!;
  // `const log = require('./logger')` takes module.exports: the CommonJS default
  // a project module is the project's logger when two files use it, or one calls it
  if (c.module.kind === 'file' && use.files.size < 2 && calls === 0) return undefined;

  const style = c.library?.style;
  const prior: CallShape | undefined = style ? (LOGGER_SHAPES[style].order === 'object-first' ? 'object-first' : 'message-first') : undefined;
  const shape: CallShape = tally.objectFirst > tally.messageFirst ? 'object-first'
    : tally.messageFirst > tally.objectFirst ? 'message-first'
      : prior ?? 'message-first';
  const topField = top(tally.fields);
  const fieldCount = topField ? tally.fields.get(topField)! : 0;
  const defaultKey = (style && LOGGER_SHAPES[style].errorKey) || 'err';
  let error: ErrorArgument;
  if (shape === 'object-first') error = { kind: 'field', key: top(tally.objectKeys) ?? defaultKey };
  else if (topField && fieldCount > tally.positional) error = { kind: 'field', key: topField };
  else if (tally.positional > 0) error = tally.stack * 2 >= tally.positional ? { kind: 'positional', stack: true } : { kind: 'positional' };
  else if (style === LOGGER_STYLE.nestjs) error = { kind: 'positional', stack: true };
  else if (style === LOGGER_STYLE.log4js) error = { kind: 'positional' };
  else error = { kind: 'field', key: defaultKey };
  const factoryBinding = top(factoryBindings);
  const nestInfo = style === LOGGER_STYLE.nestjs ? LOGGER_SHAPES.nestjs.methods?.info : undefined;
  const infoMethod = tally.log > tally.info ? 'log' : tally.info > 0 ? undefined : nestInfo;
  return {
    module: c.module,
    exportName: exportName === '*' ? 'default' : exportName,
    localName,
    ...(factoryBinding ? { factory: { binding: factoryBinding, argument: factoryWithName >= factoryNoArgs ? 'module-name' as const : 'none' as const } } : {}),
    specifiers: [...c.specifiers].map(([specifier, count]) => ({ specifier, count })).sort((a, b) => b.count - a.count || (a.specifier < b.specifier ? -1 : a.specifier > b.specifier ? 1 : 0)),
    importers: c.importers.size,
    shape,
    error,
    errorKey: shape === 'object-first' && error.kind === 'field' && error.key ? error.key : top(tally.objectKeys) ?? defaultKey,
    warnMethod: tally.warning > tally.warn ? 'warning' : 'warn',
    ...(infoMethod && infoMethod !== 'info' ? { infoMethod } : {}),
    evidence: { calls, agreeing: shape === 'object-first' ? tally.objectFirst : tally.messageFirst, files: use.files.size },
    ...(style ? { library: style } : {}),
  };
}

/** The receiver text of `x` or `this.x`. */
function receiverText(e: ts.Expression): string | undefined {
  const x = unwrap(e);
  if (ts.isIdentifier(x)) return x.text;
  if (ts.isPropertyAccessExpression(x) && x.expression.kind === ts.SyntaxKind.ThisKeyword) return `this.${x.name.text}`;
  return undefined;
}

/** Is `callee` the factory binding, or a member of it (`winston.createLogger`, `log4js.getLogger`)? */
function isFactoryCallee(callee: ts.Expression, factory: string): boolean {
  let x = unwrap(callee);
  for (let i = 0; i < 4 && ts.isPropertyAccessExpression(x); i++) x = unwrap(x.expression);
  return ts.isIdentifier(x) && x.text === factory;
}

/**
 * What calling (or instantiating) `factory` made, in module-level variables and class fields:
 * `const log = createLogger('orders')`, `logger = new Logger(X.name)`, and constructor
 * parameters typed with it (`constructor(private readonly logger: AppLogger)`).
 */
function madeBy(sf: ts.SourceFile, factory: string): { binding: string; args: number }[] {
  const out: { binding: string; args: number }[] = [];
  const made = (init: ts.Expression | undefined): number | undefined => {
    if (!init) return undefined;
    let x = unwrap(init);
    if (ts.isAwaitExpression(x)) x = unwrap(x.expression);
    // `pino().child({ module })`: the child of what the factory made
    if (ts.isCallExpression(x) && ts.isPropertyAccessExpression(x.expression) && x.expression.name.text === 'child') {
      const inner = unwrap(x.expression.expression);
      if (ts.isCallExpression(inner) || ts.isNewExpression(inner)) x = inner;
    }
    if ((ts.isCallExpression(x) || ts.isNewExpression(x)) && isFactoryCallee(x.expression, factory)) return x.arguments?.length ?? 0;
    return undefined;
  };
  for (const st of sf.statements) {
    if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) {
        const n = made(d.initializer);
        if (n !== undefined && ts.isIdentifier(d.name)) out.push({ binding: d.name.text, args: n });
      }
    }
    const cls = ts.isClassDeclaration(st) ? st : undefined;
    for (const m of cls?.members ?? []) {
      if (ts.isPropertyDeclaration(m)) {
        const n = made(m.initializer);
        const name = nameText(m.name);
        if (n !== undefined && name) out.push({ binding: `this.${name}`, args: n });
      } else if (ts.isConstructorDeclaration(m)) {
        for (const p of m.parameters) {
          if (ts.isIdentifier(p.name) && p.type && ts.isTypeReferenceNode(p.type) && ts.isIdentifier(p.type.typeName) && p.type.typeName.text === factory &&
            ts.getModifiers(p)?.some((k) => k.kind === ts.SyntaxKind.PrivateKeyword || k.kind === ts.SyntaxKind.ProtectedKeyword || k.kind === ts.SyntaxKind.PublicKeyword || k.kind === ts.SyntaxKind.ReadonlyKeyword)) {
            out.push({ binding: `this.${p.name.text}`, args: 1 });
          }
        }
      }
    }
  }
  return out;
}

/** Module-level `const log = logger.child({ … })` of a receiver: more receivers. */
function childrenOf(sf: ts.SourceFile, receivers: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const st of sf.statements) {
    if (!ts.isVariableStatement(st)) continue;
    for (const d of st.declarationList.declarations) {
      const init = d.initializer && unwrap(d.initializer);
      if (!init || !ts.isIdentifier(d.name) || !ts.isCallExpression(init) || !ts.isPropertyAccessExpression(init.expression)) continue;
      const r = receiverText(init.expression.expression);
      if (r && receivers.has(r) && init.expression.name.text === 'child') out.push(d.name.text);
    }
  }
  return out;
}

function keysOf(obj: ts.ObjectLiteralExpression, into: Map<string, number>): void {
  for (const p of obj.properties) {
    const key = ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p) ? nameText(p.name) : undefined;
    if (key && ERROR_KEY.test(key)) bump(into, key);
  }
}

function errorLike(e: ts.Expression): { stack: boolean } | undefined {
  const x = unwrap(e);
  if (ts.isIdentifier(x)) return ERROR_VAR.test(x.text) ? { stack: false } : undefined;
  if (ts.isPropertyAccessExpression(x)) {
    if (x.name.text === 'stack') return { stack: true };
    return ERROR_VAR.test(x.name.text) ? { stack: false } : undefined;
  }
  return undefined;
}

/** Counts `receiver.level(...)` calls in `sf` and tallies their argument shapes. */
function countCalls(sf: ts.SourceFile, receivers: ReadonlySet<string>, t: Tally): number {
  if (!receivers.size) return 0;
  let n = 0;
  walk(sf, (node) => {
    if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return;
    const level = node.expression.name.text;
    if (!LEVELS.has(level)) return;
    const r = receiverText(node.expression.expression);
    if (!r || !receivers.has(r)) return;
    n++;
    if (level === 'warn') t.warn++;
    else if (level === 'warning') t.warning++;
    else if (level === 'info') t.info++;
    else if (level === 'log') t.log++;
    const [first, second] = node.arguments;
    if (!first) return;
    const a = unwrap(first);
    if (ts.isObjectLiteralExpression(a) && (!second || isMessage(second))) {
      t.objectFirst++;
      keysOf(a, t.objectKeys);
    } else if (second && isMessage(second) && errorLike(a)) {
      t.objectFirst++; // pino's logger.error(err, 'msg')
    } else if (isMessage(a) && second) {
      // a message alone fits every shape: only a second argument tells
      const b = unwrap(second);
      t.messageFirst++;
      if (ts.isObjectLiteralExpression(b)) keysOf(b, t.fields);
      else {
        const err = errorLike(b);
        if (err) { t.positional++; if (err.stack) t.stack++; }
      }
    }
  });
  return n;
}

function isMessage(e: ts.Expression): boolean {
  const x = unwrap(e);
  return ts.isStringLiteralLike(x) || ts.isTemplateExpression(x) ||
    (ts.isBinaryExpression(x) && x.operatorToken.kind === ts.SyntaxKind.PlusToken && (isMessage(x.left) || isMessage(x.right)));
}

// ---- request-scoped loggers ----------------------------------------------------------------------------

/** Names handlers give the request, the reply, the context or the server instance (Fastify's is often its own name). */
const REQUEST_RECEIVERS = ['req', 'request', 'reply', 'res', 'response', 'server', FRAMEWORK.fastify, 'app', 'instance', 'c', 'ctx', 'context', 'event'];
const REQUEST_LOGGER = new RegExp(`(?<![\\w$.])((?:this\\.)?(?:${REQUEST_RECEIVERS.join('|')})(?:\\.(?:var|locals|raw|state|ctx|context))?\\.(?:log|logger))\\.(?:error|warn|info|debug|fatal|trace|child)\\s*\\(`, 'g');
const CONTEXT_GET_LOGGER = /(?<![\w$.])((?:c|ctx|context)\.get\(\s*(['"])(?:log|logger)\2\s*\))\.(?:error|warn|info|debug|fatal|trace|child)\s*\(/g;

/**
 * Request-scoped logger expressions the project calls log methods on (`req.log`, `request.log`,
 * `server.log`, `c.var.logger`, `c.get('logger')`), most used first. Only files that import a web
 * framework or a request-logger middleware are read.
 */
export function learnRequestLoggers(reader: ProjectReader): string[] {
  const files = new Map<string, number>();
  const relevant = new Map<string, boolean>();
  const isRelevant = (pkg: string): boolean => {
    let hit = relevant.get(pkg);
    if (hit === undefined) relevant.set(pkg, (hit = !!KNOWLEDGE.frameworkOf(pkg) || KNOWLEDGE.hasRole(pkg, 'request-logger')));
    return hit;
  };
  for (const file of reader.files) {
    if (!reader.packagesOf(file).some(isRelevant)) continue;
    // a file imports a request-logger middleware (pino-http): the project's handlers have `req.log`
    if (reader.packagesOf(file).some((p) => KNOWLEDGE.hasRole(p, 'request-logger') && KNOWLEDGE.libraryOf(p)?.middleware)) bump(files, fill(REQUEST_LOGGER_OF, { req: 'req' }));
    const text = reader.text(file);
    if (!text || !/\.(?:log|logger|get)\b/.test(text)) continue;
    const seen = new Set<string>();
    for (const re of [REQUEST_LOGGER, CONTEXT_GET_LOGGER]) {
      re.lastIndex = 0;
      for (let m = re.exec(text); m; m = re.exec(text)) seen.add(m[1].replace(/^this\./, '').replace(/\s+/g, '').replace(/"/g, "'"));
    }
    for (const s of seen) bump(files, s);
  }
  return [...files].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([s]) => s);
}
