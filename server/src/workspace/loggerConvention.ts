/**
 * The project's logger, learned from its own code: which module most files import a logger from
 * (through tsconfig aliases and workspace packages alike: the module graph resolves them), under
 * which export and local name, and how the project calls it — the call shape taken from real call
 * sites, not from the library's name:
 *
 *   logger.error({ err }, 'payment failed')        object-first (pino, bunyan)
 *   log.error('payment failed', { error: err })    message-first, error in a field
 *   log.error('payment failed', err)               message-first, error positional
 *   const log = createLogger('orders')             a factory the project calls per module
 *
 * Pure: the inputs are the module graph, a parser and a few knowledge look-ups; the result is
 * plain data (it crosses to worker threads) and depends only on the project's files, never on
 * which host asked or in which order files were analysed.
 */
import * as ts from 'typescript';

import type { CallShape, ErrorArgument, LoggerConvention } from '../engine/view';
export type { CallShape, ErrorArgument, LoggerConvention } from '../engine/view';

export interface LoggerLearningInput {
  /** Project files, sorted (the sample of importers is deterministic). */
  files: readonly string[];
  /** Resolved imports of a file: specifier as written, resolved project file or package name. */
  importsOf(file: string): readonly { specifier: string; file?: string; package?: string }[];
  /** Parses a project file (cached by the caller); undefined when unreadable. */
  parse(file: string): ts.SourceFile | undefined;
  /** The logging library a package specifier is, with its documented call shape (knowledge). */
  loggerLibrary(specifier: string): { id: string; shape: CallShape | 'nest' } | undefined;
  /** Packages that are loggers the project's files may import directly (not through a module). */
  maxImportersRead?: number;
}

const LEVELS = new Set(['error', 'warn', 'warning', 'info', 'debug', 'fatal', 'trace', 'verbose']);
const LOGGER_NAME = /^(?:logger|log|logging|appLogger|baseLogger|rootLogger|serverLogger|LOGGER|Logger)$/;
const LOGGERISH_FILE = /(?:^|[/\\])(?:log|logs|logger|loggers|logging)(?:\.[\w-]+)?(?:[/\\]index)?\.[cm]?[jt]sx?$/i;
const FACTORY_NAME = /^(?:create|make|get|build|new)[A-Z]?\w*Logger$|^(?:createLog|getLog|logger|makeLogger)$/;

interface Candidate {
  module: LoggerConvention['module'];
  /** export name → importers */
  exports: Map<string, Set<string>>;
  specifiers: Map<string, number>;
  importers: Set<string>;
  library?: { id: string; shape: CallShape | 'nest' };
}

/**
 * The project's logger convention, or undefined when the project has none a fix should use (no
 * module imported by at least two files as a logger, and no logging library imported directly).
 */
export function learnLoggerConvention(input: LoggerLearningInput): LoggerConvention | undefined {
  const candidates = new Map<string, Candidate>();
  const keyOf = (m: LoggerConvention['module']) => (m.kind === 'file' ? `f:${m.file}` : `p:${m.name}`);

  // 1. which files import what: candidate logger modules are project files that look like a
  //    logger (by name, or because they import a logging library) and logging packages
  const fileIsLoggerModule = new Map<string, { id: string; shape: CallShape | 'nest' } | null>();
  const loggerModuleInfo = (file: string): { id: string; shape: CallShape | 'nest' } | null => {
    let hit = fileIsLoggerModule.get(file);
    if (hit !== undefined) return hit;
    hit = null;
    for (const imp of input.importsOf(file)) {
      const lib = imp.package ? input.loggerLibrary(imp.package) : undefined;
      if (lib) { hit = lib; break; }
    }
    if (!hit && LOGGERISH_FILE.test(file)) hit = { id: '', shape: 'message-first' };
    fileIsLoggerModule.set(file, hit);
    return hit;
  };
  const importedNames = new Map<string, Map<string, Map<string, string>>>(); // importer → specifier → imported → local
  const namesOf = (file: string): Map<string, Map<string, string>> => {
    let m = importedNames.get(file);
    if (!m) {
      m = new Map();
      const sf = input.parse(file);
      if (sf) for (const [spec, names] of importBindings(sf)) m.set(spec, names);
      importedNames.set(file, m);
    }
    return m;
  };

  // only files that import a candidate are parsed (bounded per candidate)
  const max = input.maxImportersRead ?? 40;
  const byTarget = new Map<string, { file: string; specifier: string }[]>();
  for (const file of input.files) {
    for (const imp of input.importsOf(file)) {
      let key: string | undefined;
      if (imp.file && imp.file !== file && loggerModuleInfo(imp.file)) key = `f:${imp.file}`;
      else if (imp.package && input.loggerLibrary(imp.package)) key = `p:${imp.package}`;
      if (!key) continue;
      const list = byTarget.get(key) ?? [];
      list.push({ file, specifier: imp.specifier });
      byTarget.set(key, list);
    }
  }
  for (const [key, importers] of byTarget) {
    const module: LoggerConvention['module'] = key.startsWith('f:') ? { kind: 'file', file: key.slice(2) } : { kind: 'package', name: key.slice(2) };
    const lib = module.kind === 'file' ? loggerModuleInfo(module.file) ?? undefined : input.loggerLibrary(module.name);
    const c: Candidate = { module, exports: new Map(), specifiers: new Map(), importers: new Set(), library: lib && lib.id ? lib : undefined };
    for (const { file, specifier } of importers) {
      c.importers.add(file);
      c.specifiers.set(specifier, (c.specifiers.get(specifier) ?? 0) + 1);
    }
    candidates.set(keyOf(module), c);
  }
  if (candidates.size === 0) return undefined;

  // 2. rank: project modules first (a fix should import the project's logger, not the library),
  //    then by importers; a package logger counts only when no project module is a logger
  const ranked = [...candidates.values()].sort((a, b) =>
    (a.module.kind === 'file' ? 0 : 1) - (b.module.kind === 'file' ? 0 : 1) || b.importers.size - a.importers.size ||
    keyOf(a.module).localeCompare(keyOf(b.module)));

  for (const c of ranked) {
    const learned = learnFrom(c, input, namesOf, max);
    if (learned) return learned;
  }
  return undefined;
}

/** What importers take from the candidate and how they call it; undefined when nothing logger-like is used. */
function learnFrom(c: Candidate, input: LoggerLearningInput, namesOf: (file: string) => Map<string, Map<string, string>>, max: number): LoggerConvention | undefined {
  const importers = [...c.importers].sort().slice(0, max);
  const exportUse = new Map<string, { locals: Map<string, number>; files: Set<string> }>();
  const shapes = { objectFirst: 0, messageFirst: 0, positional: 0, fields: new Map<string, number>(), objectKeys: new Map<string, number>(), warn: 0, warning: 0 };
  let calls = 0;
  const factoryBindings = new Map<string, number>();
  let factoryWithName = 0;
  let factoryNoArgs = 0;
  const specifiersOfCandidate = new Set(c.specifiers.keys());

  for (const file of importers) {
    const sf = input.parse(file);
    if (!sf) continue;
    const bindings = namesOf(file);
    for (const spec of specifiersOfCandidate) {
      const names = bindings.get(spec);
      if (!names) continue;
      for (const [imported, local] of names) {
        const isFactory = FACTORY_NAME.test(imported) || FACTORY_NAME.test(local);
        const looksLogger = LOGGER_NAME.test(local) || LOGGER_NAME.test(imported) || imported === 'default' || c.module.kind === 'package';
        if (!isFactory && !looksLogger) continue;
        // the receivers to watch: the binding itself, or what a factory call made of it
        const receivers = new Set<string>();
        if (isFactory) {
          for (const made of factoryResults(sf, local)) {
            receivers.add(made.binding);
            factoryBindings.set(made.binding, (factoryBindings.get(made.binding) ?? 0) + 1);
            if (made.args === 0) factoryNoArgs++; else factoryWithName++;
          }
        } else receivers.add(local);
        const seen = countCalls(sf, receivers, shapes);
        if (seen === 0 && !isFactory) continue;
        calls += seen;
        const use = exportUse.get(imported) ?? { locals: new Map(), files: new Set() };
        use.locals.set(local, (use.locals.get(local) ?? 0) + 1);
        use.files.add(file);
        exportUse.set(imported, use);
      }
    }
  }
  if (exportUse.size === 0) return undefined;
  const [exportName, use] = [...exportUse].sort((a, b) => b[1].files.size - a[1].files.size || a[0].localeCompare(b[0]))[0];
  const localName = [...use.locals].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0][0];
  // a project module needs two importers to be "the project's logger"; a package one importer
  if (c.module.kind === 'file' && use.files.size < 2 && calls === 0) return undefined;

  const prior = c.library?.shape === 'object-first' ? 'object-first' : c.library?.shape === 'message-first' ? 'message-first' : undefined;
  const shape: CallShape = shapes.objectFirst > shapes.messageFirst ? 'object-first'
    : shapes.messageFirst > shapes.objectFirst ? 'message-first'
      : prior ?? 'message-first';
  const topField = [...shapes.fields].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
  const error: ErrorArgument = shape === 'message-first' && topField && topField[1] > shapes.positional
    ? { kind: 'field', key: topField[0] }
    : shape === 'message-first' && shapes.positional > 0 ? { kind: 'positional' }
      : { kind: 'field', key: c.library?.id === 'winston' ? 'error' : 'err' };
  const topKey = [...shapes.objectKeys].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
  const factoryBinding = [...factoryBindings].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
  return {
    module: c.module,
    exportName,
    localName,
    ...(factoryBinding ? { factory: { binding: factoryBinding[0], argument: factoryWithName >= factoryNoArgs ? 'module-name' : 'none' } } : {}),
    specifiers: [...c.specifiers].map(([specifier, count]) => ({ specifier, count })).sort((a, b) => b.count - a.count || a.specifier.localeCompare(b.specifier)),
    importers: c.importers.size,
    shape,
    error,
    errorKey: topKey ? topKey[0] : 'err',
    warnMethod: shapes.warning > shapes.warn ? 'warning' : 'warn',
    evidence: { calls, agreeing: shape === 'object-first' ? shapes.objectFirst : shapes.messageFirst, files: use.files.size },
    ...(c.library ? { library: c.library.id } : {}),
  };
}

/** import/require bindings of a file: specifier → imported name → local name. */
export function importBindings(sf: ts.SourceFile): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  const add = (spec: string, imported: string, local: string) => {
    const m = out.get(spec) ?? new Map<string, string>();
    if (!m.has(imported)) m.set(imported, local);
    out.set(spec, m);
  };
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier) && st.importClause && !st.importClause.isTypeOnly) {
      const spec = st.moduleSpecifier.text;
      const clause = st.importClause;
      if (clause.name) add(spec, 'default', clause.name.text);
      const nb = clause.namedBindings;
      if (nb && ts.isNamespaceImport(nb)) add(spec, '*', nb.name.text);
      if (nb && ts.isNamedImports(nb)) for (const el of nb.elements) if (!el.isTypeOnly) add(spec, (el.propertyName ?? el.name).text, el.name.text);
    } else if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) {
        const req = d.initializer && requireCall(d.initializer);
        if (!req) continue;
        if (ts.isIdentifier(d.name)) add(req.spec, req.member ?? 'default', d.name.text);
        else if (ts.isObjectBindingPattern(d.name)) {
          for (const el of d.name.elements) {
            if (!ts.isIdentifier(el.name)) continue;
            const imported = el.propertyName && ts.isIdentifier(el.propertyName) ? el.propertyName.text : el.name.text;
            add(req.spec, imported, el.name.text);
          }
        }
      }
    }
  }
  return out;
}

function requireCall(e: ts.Expression): { spec: string; member?: string } | undefined {
  let x = e;
  let member: string | undefined;
  if (ts.isPropertyAccessExpression(x)) { member = x.name.text; x = x.expression; }
  if (ts.isCallExpression(x) && ts.isIdentifier(x.expression) && x.expression.text === 'require' && x.arguments.length === 1 && ts.isStringLiteralLike(x.arguments[0])) {
    return { spec: x.arguments[0].text, member };
  }
  return undefined;
}

/** `const log = createLogger('orders')` at module level (or as a class field): the bindings made by calling `factory`. */
function factoryResults(sf: ts.SourceFile, factory: string): { binding: string; args: number }[] {
  const out: { binding: string; args: number }[] = [];
  const consider = (name: ts.Node, init: ts.Expression | undefined) => {
    if (!init) return;
    let x = init;
    while (ts.isAwaitExpression(x) || ts.isParenthesizedExpression(x)) x = x.expression;
    if (ts.isCallExpression(x) && ts.isIdentifier(x.expression) && x.expression.text === factory) {
      if (ts.isIdentifier(name)) out.push({ binding: name.text, args: x.arguments.length });
      else if (ts.isPrivateIdentifier(name)) out.push({ binding: `this.${name.text}`, args: x.arguments.length });
    }
  };
  for (const st of sf.statements) {
    if (ts.isVariableStatement(st)) for (const d of st.declarationList.declarations) consider(d.name, d.initializer);
    if (ts.isClassDeclaration(st)) {
      for (const m of st.members) {
        if (ts.isPropertyDeclaration(m) && ts.isIdentifier(m.name)) {
          const before = out.length;
          consider(m.name, m.initializer);
          if (out.length > before) out[out.length - 1].binding = `this.${m.name.text}`;
        }
      }
    }
  }
  return out;
}

/** Counts `receiver.level(...)` calls in `sf` and tallies their argument shapes. */
function countCalls(sf: ts.SourceFile, receivers: ReadonlySet<string>, shapes: {
  objectFirst: number; messageFirst: number; positional: number; fields: Map<string, number>; objectKeys: Map<string, number>; warn: number; warning: number;
}): number {
  let n = 0;
  const receiverText = (e: ts.Expression): string | undefined => {
    if (ts.isIdentifier(e)) return e.text;
    if (ts.isPropertyAccessExpression(e) && e.expression.kind === ts.SyntaxKind.ThisKeyword) return `this.${e.name.text}`;
    return undefined;
  };
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && LEVELS.has(node.expression.name.text)) {
      const r = receiverText(node.expression.expression);
      if (r && receivers.has(r)) {
        n++;
        const level = node.expression.name.text;
        if (level === 'warn') shapes.warn++;
        if (level === 'warning') shapes.warning++;
        const [first, second] = node.arguments;
        if (first && ts.isObjectLiteralExpression(first) && second && isMessage(second)) {
          shapes.objectFirst++;
          for (const p of first.properties) {
            const key = p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text : undefined;
            if (key && /^(err|error|e|exception|cause)$/.test(key)) shapes.objectKeys.set(key, (shapes.objectKeys.get(key) ?? 0) + 1);
          }
        } else if (first && isMessage(first)) {
          shapes.messageFirst++;
          if (second && ts.isObjectLiteralExpression(second)) {
            for (const p of second.properties) {
              const key = p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text : undefined;
              if (key && /^(err|error|e|exception|cause)$/.test(key)) shapes.fields.set(key, (shapes.fields.get(key) ?? 0) + 1);
            }
          } else if (second && (ts.isIdentifier(second) || ts.isPropertyAccessExpression(second)) && /^(err|error|e|ex|exception|cause)$/i.test(lastName(second))) {
            shapes.positional++;
          }
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return n;
}

function lastName(e: ts.Expression): string {
  return ts.isIdentifier(e) ? e.text : ts.isPropertyAccessExpression(e) ? e.name.text : '';
}

function isMessage(e: ts.Expression): boolean {
  return ts.isStringLiteralLike(e) || ts.isTemplateExpression(e) ||
    (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken && (isMessage(e.left) || isMessage(e.right)));
}
