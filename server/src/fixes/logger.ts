/**
 * Structured logging in the project's own dialect. Finds the logger to use (in this file, from
 * settings, or from the project's dependencies) and builds calls in the library's argument
 * order: pino/bunyan `logger.error({ err }, 'msg')`, winston `logger.error('msg', { error: err })`,
 * log4js `logger.error('msg', err)`, NestJS `this.logger.error('msg', err.stack)`.
 */
import * as path from 'node:path';
import ts = require('typescript');
import type { TextEdit } from '../engine/types';
import { addImport, insertAfterImports, usesJsExtensions } from './edits';
import { quoteString, semi } from '../engine/style';
import { hasDependency } from '../engine/project';
import { lineIndentAt } from '../engine/ast';
import { relativeSpecifier, specifierResolvesTo } from '../engine/localModules';
import { KNOWLEDGE, LOGGER_SHAPES, LOGGER_STYLE, fill, type LoggerStyle } from '../knowledge';
import { dialectCall, learnedLogger, type Dialect, type Level, type LogContext } from './logCall';
export type { Level } from './logCall';

export type LogStyle = LoggerStyle | 'console';

export interface LoggerChoice {
  /** Expression to call methods on: `logger`, `this.logger`, `console`. */
  expr: string;
  style: LogStyle;
  /** Edits that make `expr` available (import, module-level creation); may be empty. */
  setup: TextEdit[];
  /** Human description for fix titles, e.g. "pino logger", "winston (creates a logger)". */
  describe: string;
  /** False when falling back to console (no structured logger known). */
  structured: boolean;
  /**
   * True when the argument order is a guess: a project logger imported from the project's own
   * module, with no logger library in package.json and no `failpath.logger` naming it. Callers
   * should not mark such fixes safe, and should say so in the title.
   */
  assumed?: boolean;
  /** The call shape learned from the project's own call sites (ctx.view.logger), when it was used. */
  dialect?: Dialect;
}

function basenameNoExt(fileName: string): string {
  const base = fileName.replace(/\\/g, '/').split('/').pop() ?? 'app';
  return base.replace(/\.[^.]+$/, '');
}

/**
 * The logger a fix should use at `node`. Order: a logger already in this file; the
 * `failpath.logger` setting; a logger library in package.json (creating a module logger);
 * otherwise undefined (callers decide whether console is acceptable).
 */
export function chooseLogger(ctx: LogContext, node: ts.Node): LoggerChoice | undefined {
  // what the Session learned: the request's logger in a handler, the project's logger module (fixes/logCall.ts)
  const learned = learnedLogger(ctx, node);
  if (learned.logger) return learned.logger;
  if (learned.blocked) return undefined;
  const facts = ctx.facts;
  const setting = ctx.config.logger;
  if (facts.logger) {
    const { name } = facts.logger;
    if (!name.startsWith('this.') || insideClass(node)) {
      const style = fileLoggerStyle(ctx, name, facts.logger.style);
      const lib = ctx.project.loggerLibrary;
      const assumed = facts.bindings.has(name) && !(setting && setting.name === name) && (lib === undefined || lib === LOGGER_STYLE.nestjs) &&
        !importsLocalLogger(ctx, name);
      return assumed
        ? { expr: name, style, setup: [], describe: `${name} (assuming ${style}-style arguments; set failpath.logger to confirm)`, structured: true, assumed }
        : { expr: name, style, setup: [], describe: `${name} (${style})`, structured: style !== 'console' };
    }
  }
  if (setting) {
    const setup: TextEdit[] = [];
    if (setting.import && !facts.bindings.has(setting.name)) {
      const e = addImport(ctx, { module: setting.import, named: setting.name });
      if (e) setup.push(e);
    }
    const style: LogStyle = setting.style === 'console' ? 'console' : setting.style;
    return { expr: setting.name, style, setup, describe: `${setting.name} (${setting.style}, from settings)`, structured: style !== 'console' };
  }
  const own = localLogger(ctx);
  if (own) return own;
  const lib = ctx.project.loggerLibrary;
  const name = facts.moduleNames.has('logger') ? undefined : 'logger';
  if (lib && name) {
    const label = JSON.stringify(basenameNoExt(ctx.fileName));
    const q = (s: string) => quoteString(ctx.style, s);
    const s = semi(ctx.style);
    const record = KNOWLEDGE.loggerLibraryOf(lib);
    const create = record?.logger?.create;
    if (!record || !create) return undefined;
    const module = record.modules[0];
    const binding = create.import.binding;
    const importIt = () => addImport(ctx, create.import.kind === 'default' ? { module, default: binding } : { module, named: binding });
    const declaration = insertAfterImports(ctx, `${fill(create.declaration, { name, label: q(JSON.parse(label)) })}${s}`);
    if (!record.logger!.export) {
      // a logger library: import it and create a module logger
      const imp = importIt();
      return { expr: name, style: lib, setup: [...(imp ? [imp] : []), declaration], describe: `${record.label} (creates a module logger)`, structured: true };
    }
    // NestJS: its Logger class, as a class member where `this` is the instance, else a module logger
    if (!hasDependency(ctx.project, module)) return undefined;
    const bound = facts.bindings.get(binding);
    if ((bound && bound.module !== module) || (!bound && facts.moduleNames.has(binding))) return undefined;
    const imp = importIt();
    const member = create.classMember ? nestLoggerMember(ctx, node, create.classMember) : undefined;
    if (member) return { expr: 'this.logger', style: lib, setup: [...(imp ? [imp] : []), member], describe: 'NestJS Logger (adds a class logger)', structured: true };
    return { expr: name, style: lib, setup: [...(imp ? [imp] : []), declaration], describe: 'NestJS Logger (creates a module logger)', structured: true };
  }
  return undefined;
}

/**
 * `private readonly logger = new Logger(Orders.name);` as the first member of the class around
 * `node` — Nest's own idiom — when `this` there is the instance and the class has no `logger`.
 */
function nestLoggerMember(ctx: LogContext, node: ts.Node, template: string): TextEdit | undefined {
  let cls: ts.ClassDeclaration | undefined;
  for (let p: ts.Node | undefined = node.parent; p && !cls; p = p.parent) {
    if (ts.isClassDeclaration(p)) cls = p;
    else if (ts.isFunctionDeclaration(p) || ts.isFunctionExpression(p) || ts.isClassExpression(p)) return undefined;
    else if ((ts.isMethodDeclaration(p) || ts.isPropertyDeclaration(p) || ts.isClassStaticBlockDeclaration(p)) &&
      (ts.isClassStaticBlockDeclaration(p) || ts.getModifiers(p)?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword))) return undefined;
  }
  if (!cls?.name) return undefined;
  for (const m of cls.members) {
    if (m.name && (ts.isIdentifier(m.name) || ts.isPrivateIdentifier(m.name)) && m.name.text.replace('#', '') === 'logger') return undefined;
    if (ts.isConstructorDeclaration(m) && m.parameters.some((prm) => ts.isIdentifier(prm.name) && prm.name.text === 'logger')) return undefined;
  }
  const sf = ctx.sourceFile;
  const first = cls.members[0];
  const indent = first ? lineIndentAt(ctx.text, first.getStart(sf)) : lineIndentAt(ctx.text, cls.getStart(sf)) + ctx.style.indent;
  const ts_ = /\.[cm]?tsx?$/.test(ctx.fileName) ? 'private readonly ' : '';
  const at = cls.members.pos; // just after the class's `{`
  return { start: at, end: at, newText: `${ctx.style.eol}${indent}${ts_}${fill(template, { class: cls.name.text })}${semi(ctx.style)}` };
}

export function consoleLogger(ctx?: LogContext): LoggerChoice {
  const l = ctx?.view.logger;
  // the project has a logger this spot cannot reach (its logger module itself, an injected class outside its class)
  if (l) return { expr: 'console', style: 'console', setup: [], describe: `console.error (the project's logger ${l.localName} is not reachable here)`, structured: false };
  return { expr: 'console', style: 'console', setup: [], describe: 'console.error (no logger found; set failpath.logger to use yours)', structured: false };
}

/**
 * The argument order of the file's logger. A project logger imported from a relative module
 * (`import { logger } from './lib/logger'`) is assumed to be pino-like unless the settings name
 * it with a style, or the project's only logger library says otherwise (winston, bunyan, log4js).
 */
function fileLoggerStyle(ctx: LogContext, name: string, detected: LogStyle): LogStyle {
  const setting = ctx.config.logger;
  if (setting && setting.name === name) return setting.style;
  const local = ctx.project.local?.logger;
  if (local && importsLocalLogger(ctx, name)) return local.library;
  const imported = ctx.facts.bindings.get(name);
  const lib = ctx.project.loggerLibrary;
  if (imported && detected === LOGGER_STYLE.pino && lib && lib !== LOGGER_STYLE.pino && lib !== LOGGER_STYLE.nestjs) return lib;
  return detected;
}

function absoluteFile(ctx: LogContext): string {
  return path.isAbsolute(ctx.fileName) ? ctx.fileName : path.join(ctx.project.root ?? '/', ctx.fileName);
}

/** The file imports `name` from the project's own logger module (engine/localModules.ts). */
function importsLocalLogger(ctx: LogContext, name: string): boolean {
  const local = ctx.project.local?.logger;
  const b = ctx.facts.bindings.get(name);
  return !!local && !!b && specifierResolvesTo(absoluteFile(ctx), b.module, local.file) && (b.imported ?? 'default') === local.name;
}

/**
 * The project's own logger module — `export const logger = pino(…)` in src/lib/logger.ts —
 * imported in the file's style (ESM/CJS, quotes, semicolons, a relative path, `.js` when the
 * file writes extensions), so a fix does not create a second logger. Undefined in that module
 * itself, or when the name it would bind is taken.
 */
function localLogger(ctx: LogContext): LoggerChoice | undefined {
  const local = ctx.project.local?.logger;
  if (!local) return undefined;
  const file = absoluteFile(ctx);
  if (file.replace(/\.[cm]?[jt]sx?$/, '') === local.file.replace(/\.[cm]?[jt]sx?$/, '')) return undefined;
  const name = local.name === 'default' ? 'logger' : local.name;
  if (ctx.facts.moduleNames.has(name) || ctx.facts.bindings.has(name)) return undefined;
  const specifier = relativeSpecifier(file, local.file, usesJsExtensions(ctx));
  const edit = addImport(ctx, local.name === 'default' ? { module: specifier, default: name } : { module: specifier, named: name });
  return { expr: name, style: local.library, setup: edit ? [edit] : [], describe: `${name} from ${specifier} (${local.library})`, structured: true };
}

function insideClass(node: ts.Node): boolean {
  let p: ts.Node | undefined = node.parent;
  while (p) {
    if (ts.isClassLike(p)) return true;
    if (ts.isFunctionDeclaration(p) || (ts.isFunctionExpression(p) && !ts.isMethodDeclaration(p.parent))) return false;
    p = p.parent;
  }
  return false;
}

/**
 * A log call expression (no trailing semicolon). `fields` are extra structured fields as
 * `key: expr` source snippets; `errExpr` is the error variable, if any.
 */
export function logCall(ctx: LogContext, logger: LoggerChoice, level: Level, message: string, errExpr?: string, fields: string[] = []): string {
  return logCallExpr(logger, level, quoteString(ctx.style, message), errExpr, fields);
}

/** Like logCall, with the message given as source code (a string or template literal, kept as written). */
export function logCallExpr(logger: LoggerChoice, level: Level, msg: string, errExpr?: string, fields: string[] = []): string {
  if (logger.dialect) return dialectCall(logger.expr, logger.dialect, level, msg, errExpr, fields);
  const shape = logger.style === 'console' ? undefined : LOGGER_SHAPES[logger.style];
  const lv = shape?.methods?.[level] ?? level;
  switch (shape?.order ?? 'message-args') {
    case 'object-first': {
      // pino, bunyan: logger.error({ err, ...fields }, 'msg')
      const key = shape!.errorKey!;
      const parts = [...(errExpr ? [errExpr === key ? key : `${key}: ${errExpr}`] : []), ...fields];
      return parts.length ? `${logger.expr}.${lv}({ ${parts.join(', ')} }, ${msg})` : `${logger.expr}.${lv}(${msg})`;
    }
    case 'message-first': {
      // winston: logger.error('msg', { error, ...fields })
      const key = shape!.errorKey!;
      const parts = [...(errExpr ? [errExpr === key ? key : `${key}: ${errExpr}`] : []), ...fields];
      return parts.length ? `${logger.expr}.${lv}(${msg}, { ${parts.join(', ')} })` : `${logger.expr}.${lv}(${msg})`;
    }
    case 'message-args': {
      // log4js, console: logger.error('msg', err, { ...fields })
      const args = [msg, ...(errExpr ? [errExpr] : []), ...(fields.length ? [`{ ${fields.join(', ')} }`] : [])];
      return `${logger.expr}.${lv}(${args.join(', ')})`;
    }
    case 'message-stack': {
      // Nest's Logger takes (message, ...optionalParams): a stack string after the message for
      // error(); structured fields go in an object message (`{ message, ...fields }`), which
      // ConsoleLogger prints as JSON and nestjs-pino / nest-winston turn into fields.
      const body = (extra: string[]) => (extra.length ? `{ message: ${msg}, ${extra.join(', ')} }` : msg);
      if (level === 'error') {
        const stack = errExpr ? `${errExpr} instanceof Error ? ${errExpr}.stack : String(${errExpr})` : undefined;
        return `${logger.expr}.error(${[body(fields), ...(stack ? [stack] : [])].join(', ')})`;
      }
      // below error level there is no stack parameter: keep the error's message as a field
      const err = errExpr ? [`error: ${errExpr} instanceof Error ? ${errExpr}.message : String(${errExpr})`] : [];
      return `${logger.expr}.${lv}(${body([...err, ...fields])})`;
    }
  }
}
