/**
 * Log calls in the project's own dialect, from what the Session learned (ctx.view.logger and
 * ctx.view.requestLoggers): the project's logger module, imported the way most of its importers
 * import it, called in the shape its call sites use.
 *
 *   message-first, error in a field   logger.error('load failed', { error: err })   (Remix `~/services/logger.server`)
 *   message-first, error positional   log.error('load failed', err)
 *   object-first                      logger.error({ err }, 'load failed')           (pino)
 *   Nest                              this.logger.error('load failed', err instanceof Error ? err.stack : String(err))
 *   a factory per module              const log = createLogger('orders'); log.error(...)
 *   request-scoped                    req.log.error({ err }, 'load failed')          (inside a handler with `req`)
 *
 * A file that already imports the project's logger (through any specifier: an alias, a relative
 * path, a workspace package) reuses that binding; no second logger is ever created in it. With no
 * learned logger, fixes/logger.ts keeps choosing as before (a logger in the file, settings,
 * package.json).
 */
import * as path from 'node:path';
import ts = require('typescript');
import type { RuleContext, TextEdit } from '../engine/types';
import type { EditContext } from './edits';
import type { LoggerConvention } from '../engine/view';
import { addImport, insertAfterImports, usesJsExtensions } from './edits';
import { quoteString, semi } from '../engine/style';
import { isFunctionLike } from '../engine/ast';
import { relativeSpecifier, specifierResolvesTo } from '../engine/localModules';
import { KNOWLEDGE, LOGGER_STYLE, type LoggerStyle } from '../knowledge';
import type { ErrorArgument, CallShape } from '../engine/view';

/** How to write calls on a learned logger (absent: the library's documented shape). */
export interface Dialect {
  shape: CallShape;
  error: ErrorArgument;
  errorKey: string;
  warnMethod: string;
  infoMethod?: string;
}

/** The parts of fixes/logger.ts's LoggerChoice this module fills (kept structural to avoid a cycle). */
export interface LearnedLogger {
  expr: string;
  style: LoggerStyle;
  setup: TextEdit[];
  describe: string;
  structured: true;
  dialect?: Dialect;
}

/** What a log fix needs of a rule's context (both rule APIs' contexts have it). */
export type LogContext = EditContext & Pick<RuleContext, 'view' | 'config'>;

const EXT = /\.[cm]?[jt]sx?$/;

function absoluteFile(ctx: LogContext): string {
  return path.isAbsolute(ctx.fileName) ? ctx.fileName : path.join(ctx.project.root ?? '/', ctx.fileName);
}

/** The library style a learned logger's reserved keys and Nest handling come from. */
function styleOf(l: LoggerConvention): LoggerStyle {
  const lib = l.library as LoggerStyle | undefined;
  if (lib && Object.values(LOGGER_STYLE).includes(lib)) return lib;
  return l.shape === 'object-first' ? LOGGER_STYLE.pino : LOGGER_STYLE.winston;
}

function dialectOf(l: LoggerConvention): Dialect {
  return { shape: l.shape, error: l.error, errorKey: l.errorKey, warnMethod: l.warnMethod, ...(l.infoMethod ? { infoMethod: l.infoMethod } : {}) };
}

/** Does `specifier`, written in this file, name the learned logger's module? */
export function namesLoggerModule(ctx: LogContext, l: LoggerConvention, specifier: string): boolean {
  if (l.specifiers.some((s) => s.specifier === specifier && !s.specifier.startsWith('.'))) return true;
  if (l.module.kind === 'package') return specifier === l.module.name;
  return specifier.startsWith('.') && specifierResolvesTo(absoluteFile(ctx), specifier, l.module.file);
}

/** This file is the logger module itself (its console calls are the logger's output). */
export function isLoggerModule(ctx: LogContext): boolean {
  const l = ctx.view.logger;
  return !!l && l.module.kind === 'file' && absoluteFile(ctx).replace(EXT, '') === l.module.file.replace(EXT, '');
}

/** The class around `node` whose instance `this` is there (a non-static method or field), if any. */
function thisClass(node: ts.Node): ts.ClassLikeDeclaration | undefined {
  for (let p: ts.Node | undefined = node.parent; p; p = p.parent) {
    if (ts.isClassLike(p)) return p;
    if (ts.isFunctionDeclaration(p) || ts.isFunctionExpression(p)) return undefined;
    if ((ts.isMethodDeclaration(p) || ts.isPropertyDeclaration(p)) && ts.getModifiers(p)?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword)) return undefined;
    if (ts.isClassStaticBlockDeclaration(p)) return undefined;
  }
  return undefined;
}

/** `this.<name>` is a member of the class (a field, or a constructor parameter property). */
function classHasMember(cls: ts.ClassLikeDeclaration, name: string): boolean {
  for (const m of cls.members) {
    if (m.name && (ts.isIdentifier(m.name) || ts.isPrivateIdentifier(m.name)) && m.name.text === name) return true;
    if (ts.isConstructorDeclaration(m) && m.parameters.some((prm) => ts.isIdentifier(prm.name) && prm.name.text === name && ts.getModifiers(prm)?.length)) return true;
  }
  return false;
}

/** A request-scoped logger whose request object is a parameter of a function around `node`. */
function requestLogger(ctx: LogContext, node: ts.Node): LearnedLogger | undefined {
  const list = ctx.view.requestLoggers;
  if (!list.length) return undefined;
  const params = new Set<string>();
  for (let p: ts.Node | undefined = node.parent; p; p = p.parent) {
    if (isFunctionLike(p)) for (const prm of p.parameters) if (ts.isIdentifier(prm.name)) params.add(prm.name.text);
  }
  for (const expr of list) {
    const root = /^[A-Za-z_$][\w$]*/.exec(expr)?.[0];
    if (!root || !params.has(root)) continue;
    // `req.log` is the pino child logger of Fastify and pino-http (knowledge: REQUEST_LOGGER): object-first;
    // another request logger (`c.var.logger`) is the project's own logger, called as the project does
    const pinoChild = /^[A-Za-z_$][\w$]*\.log$/.test(expr);
    const l = ctx.view.logger;
    const dialect: Dialect = pinoChild || !l
      ? { shape: 'object-first', error: { kind: 'field', key: 'err' }, errorKey: KNOWLEDGE.loggerShape(LOGGER_STYLE.pino).errorKey ?? 'err', warnMethod: 'warn' }
      : dialectOf(l);
    return { expr, style: pinoChild || !l ? LOGGER_STYLE.pino : styleOf(l), setup: [], describe: `the request logger ${expr}`, structured: true, dialect };
  }
  return undefined;
}

/** The local name bound to `exportName` of the logger module in this file, if the file imports it. */
function importedBinding(ctx: LogContext, l: LoggerConvention, exportName: string): string | undefined {
  for (const b of ctx.facts.bindings.values()) {
    if (!namesLoggerModule(ctx, l, b.module)) continue;
    if (b.imported === exportName || (exportName === 'default' && b.imported === '*' && b.kind === 'require')) return b.local;
  }
  return undefined;
}

/** A module-level `const log = createLogger(...)` made from the factory binding `factory`. */
function madeByFactory(ctx: LogContext, factory: string): string | undefined {
  for (const st of ctx.sourceFile.statements) {
    if (!ts.isVariableStatement(st)) continue;
    for (const d of st.declarationList.declarations) {
      let init = d.initializer;
      while (init && (ts.isAwaitExpression(init) || ts.isParenthesizedExpression(init))) init = init.expression;
      if (init && ts.isCallExpression(init) && ts.isIdentifier(init.expression) && init.expression.text === factory && ts.isIdentifier(d.name)) return d.name.text;
    }
  }
  return undefined;
}

/** The specifier a new import of the logger module uses: the alias most importers write, else a relative path. */
function importSpecifier(ctx: LogContext, l: LoggerConvention): string {
  if (l.module.kind === 'package') return l.specifiers.find((s) => !s.specifier.startsWith('.'))?.specifier ?? l.module.name;
  const alias = l.specifiers.find((s) => !s.specifier.startsWith('.'));
  if (alias) return alias.specifier;
  // `.js` on relative imports when this file writes them, or when the logger's importers do (Node ESM)
  const withJs = usesJsExtensions(ctx) || l.specifiers.some((s) => s.specifier.startsWith('.') && /\.[cm]?js$/.test(s.specifier));
  return relativeSpecifier(absoluteFile(ctx), l.module.file, withJs);
}

function importEdit(ctx: LogContext, specifier: string, exportName: string, local: string): TextEdit[] | undefined {
  const taken = ctx.facts.moduleNames.has(local) || ctx.facts.bindings.has(local);
  if (taken) return undefined;
  const e = exportName === 'default' ? addImport(ctx, { module: specifier, default: local })
    : exportName === local ? addImport(ctx, { module: specifier, named: local }) : undefined;
  return e ? [e] : exportName === local || exportName === 'default' ? [] : undefined;
}

function label(ctx: LogContext): string {
  return path.basename(ctx.fileName).replace(/\.[^.]+$/, '').replace(/\.(server|service|controller|module)$/, '');
}

/**
 * The project's learned logger at `node`, or undefined when there is none (no view.logger and no
 * request logger in scope) or it cannot be reached from here without inventing one (a logger class
 * injected by constructor outside such a class). `blocked` tells the caller a logger exists but
 * cannot be used at this spot, so it must not fall back to creating another.
 */
export function learnedLogger(ctx: LogContext, node: ts.Node): { logger?: LearnedLogger; blocked: boolean } {
  const req = requestLogger(ctx, node);
  if (req) return { logger: req, blocked: false };
  const l = ctx.view.logger;
  if (!l) return { blocked: false };
  if (isLoggerModule(ctx)) return { blocked: true };
  const nest = styleOf(l) === LOGGER_STYLE.nestjs || l.error.stack === true;
  const style = nest ? LOGGER_STYLE.nestjs : styleOf(l);
  const dialect = dialectOf(l);
  const specifier = importSpecifier(ctx, l);
  const make = (expr: string, setup: TextEdit[], how: string): { logger: LearnedLogger; blocked: false } => ({
    logger: { expr, style, setup, describe: `${how} (the project's logger, ${nest ? 'Nest' : l.shape} calls)`, structured: true, ...(nest ? {} : { dialect }) },
    blocked: false,
  });
  const cls = thisClass(node);
  const member = l.factory?.binding.startsWith('this.') ? l.factory.binding.slice(5) : undefined;

  // 1. what the file already holds: the class's logger member, the module's import (any alias), a factory's result
  if (member && cls && classHasMember(cls, member)) return make(`this.${member}`, [], `this.${member}`);
  const bound = importedBinding(ctx, l, l.exportName);
  if (bound && !l.factory) return make(bound, [], bound);
  const made = bound && l.factory && !member ? madeByFactory(ctx, bound) : undefined;
  if (made) return make(made, [], made);
  // a logger of its own in the file (created here, or a class member): the file's choice stands
  const own = ctx.facts.logger;
  if (own && (!own.name.startsWith('this.') || cls)) return { blocked: false };

  // 2. bring the project's logger in, the way its other modules do
  if (member) {
    // Nest's own Logger class can be created as a class member (or a module logger outside a class);
    // a logger class injected by constructor cannot be made here
    const facet = l.module.kind === 'package' ? KNOWLEDGE.loggerOf(l.module.name) : undefined;
    const template = facet?.export === l.exportName ? facet.create?.classMember : undefined;
    if (!template) return { blocked: true };
    const imp = bound ? [] : importEdit(ctx, specifier, l.exportName, l.exportName);
    if (!imp) return { blocked: true };
    const local = bound ?? l.exportName;
    if (cls?.name && !classHasMember(cls, 'logger')) {
      return make('this.logger', [...imp, classMember(ctx, cls, template.replace(/\bLogger\b/, local))], `a class logger (new ${local}(${cls.name.text}.name))`);
    }
    if (cls || ctx.facts.moduleNames.has('logger') || ctx.facts.bindings.has('logger')) return { blocked: true };
    const decl = insertAfterImports(ctx, `const logger = new ${local}(${quoteString(ctx.style, label(ctx))})${semi(ctx.style)}`);
    return make('logger', [...imp, decl], `a module logger (new ${local}(…))`);
  }
  if (l.factory) {
    const binding = l.factory.binding;
    if (ctx.facts.moduleNames.has(binding) || ctx.facts.bindings.has(binding)) return { blocked: true };
    const imp = bound ? [] : importEdit(ctx, specifier, l.exportName, l.exportName);
    if (!imp) return { blocked: true };
    const arg = l.factory.argument === 'module-name' ? quoteString(ctx.style, label(ctx)) : '';
    const decl = insertAfterImports(ctx, `const ${binding} = ${bound ?? l.exportName}(${arg})${semi(ctx.style)}`);
    return make(binding, [...imp, decl], `${binding} = ${bound ?? l.exportName}(…) from ${specifier}`);
  }
  const local = l.exportName === 'default' ? l.localName : l.exportName;
  const imp = importEdit(ctx, specifier, l.exportName, local);
  if (!imp) return { blocked: true };
  return make(local, imp, `${local} from ${specifier}`);
}

/** `private readonly logger = new Logger(Orders.name);` as the first member of the class. */
function classMember(ctx: LogContext, cls: ts.ClassLikeDeclaration, template: string): TextEdit {
  const sf = ctx.sourceFile;
  const first = cls.members[0];
  const lineStart = (at: number) => { let s = at; while (s > 0 && ctx.text[s - 1] !== '\n') s--; return s; };
  const indentOf = (at: number) => /^[ \t]*/.exec(ctx.text.slice(lineStart(at)))![0];
  const indent = first ? indentOf(first.getStart(sf)) : indentOf(cls.getStart(sf)) + ctx.style.indent;
  const mod = /\.[cm]?tsx?$/.test(ctx.fileName) ? 'private readonly ' : '';
  const name = cls.name ? cls.name.text : 'this.constructor';
  return { start: cls.members.pos, end: cls.members.pos, newText: `${ctx.style.eol}${indent}${mod}${template.replace('{class}', name)}${semi(ctx.style)}` };
}

export type Level = 'error' | 'warn' | 'info' | 'debug';

/** A call in a learned dialect; `msg` is source code (a quoted string or a template literal). */
export function dialectCall(expr: string, d: Dialect, level: Level, msg: string, errExpr?: string, fields: string[] = []): string {
  const method = level === 'warn' ? d.warnMethod : level === 'info' ? d.infoMethod ?? 'info' : level;
  const keyed = (key: string) => (errExpr ? [errExpr === key ? key : `${key}: ${errExpr}`] : []);
  if (d.shape === 'object-first') {
    const parts = [...keyed(d.errorKey), ...fields];
    return parts.length ? `${expr}.${method}({ ${parts.join(', ')} }, ${msg})` : `${expr}.${method}(${msg})`;
  }
  if (d.error.kind === 'field') {
    const parts = [...keyed(d.error.key ?? 'error'), ...fields];
    return parts.length ? `${expr}.${method}(${msg}, { ${parts.join(', ')} })` : `${expr}.${method}(${msg})`;
  }
  const args = [msg, ...(errExpr ? [errExpr] : []), ...(fields.length ? [`{ ${fields.join(', ')} }`] : [])];
  return `${expr}.${method}(${args.join(', ')})`;
}
