/**
 * Structured logging in the project's own dialect. Finds the logger to use (in this file, from
 * settings, or from the project's dependencies) and builds calls in the library's argument
 * order: pino/bunyan `logger.error({ err }, 'msg')`, winston `logger.error('msg', { error: err })`,
 * log4js `logger.error('msg', err)`, NestJS `this.logger.error('msg', err.stack)`.
 */
import * as ts from 'typescript';
import type { RuleContext, TextEdit } from '../engine/types';
import { addImport, insertAfterImports } from './edits';
import { quoteString, semi } from '../engine/style';
import { hasDependency } from '../engine/project';

export type LogStyle = 'pino' | 'bunyan' | 'winston' | 'log4js' | 'nestjs' | 'console';

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
export function chooseLogger(ctx: RuleContext, node: ts.Node): LoggerChoice | undefined {
  const facts = ctx.facts;
  if (facts.logger) {
    const { name, style } = facts.logger;
    if (!name.startsWith('this.') || insideClass(node)) {
      return { expr: name, style, setup: [], describe: `${name} (${style})`, structured: true };
    }
  }
  const setting = ctx.config.logger;
  if (setting) {
    const setup: TextEdit[] = [];
    if (setting.import && !facts.bindings.has(setting.name)) {
      const e = addImport(ctx, { module: setting.import, named: setting.name });
      if (e) setup.push(e);
    }
    const style: LogStyle = setting.style === 'console' ? 'console' : setting.style;
    return { expr: setting.name, style, setup, describe: `${setting.name} (${setting.style}, from settings)`, structured: style !== 'console' };
  }
  const lib = ctx.project.loggerLibrary;
  const name = facts.moduleNames.has('logger') ? undefined : 'logger';
  if (lib && name) {
    const label = JSON.stringify(basenameNoExt(ctx.fileName));
    const q = (s: string) => quoteString(ctx.style, s);
    const s = semi(ctx.style);
    switch (lib) {
      case 'pino': {
        const imp = facts.bindings.get('pino')?.module === 'pino' ? undefined : addImport(ctx, facts.isModuleSyntax ? { module: 'pino', default: 'pino' } : { module: 'pino', default: 'pino' });
        const decl = insertAfterImports(ctx, `const ${name} = pino({ name: ${q(JSON.parse(label))} })${s}`);
        return { expr: name, style: 'pino', setup: [...(imp ? [imp] : []), decl], describe: 'pino (creates a module logger)', structured: true };
      }
      case 'bunyan': {
        const imp = addImport(ctx, { module: 'bunyan', default: 'bunyan' });
        const decl = insertAfterImports(ctx, `const ${name} = bunyan.createLogger({ name: ${q(JSON.parse(label))} })${s}`);
        return { expr: name, style: 'bunyan', setup: [...(imp ? [imp] : []), decl], describe: 'bunyan (creates a module logger)', structured: true };
      }
      case 'winston': {
        const imp = addImport(ctx, { module: 'winston', default: 'winston' });
        const decl = insertAfterImports(ctx,
          `const ${name} = winston.createLogger({ format: winston.format.json(), defaultMeta: { module: ${q(JSON.parse(label))} }, transports: [new winston.transports.Console()] })${s}`);
        return { expr: name, style: 'winston', setup: [...(imp ? [imp] : []), decl], describe: 'winston (creates a module logger)', structured: true };
      }
      case 'log4js': {
        const imp = addImport(ctx, { module: 'log4js', default: 'log4js' });
        const decl = insertAfterImports(ctx, `const ${name} = log4js.getLogger(${q(JSON.parse(label))})${s}`);
        return { expr: name, style: 'log4js', setup: [...(imp ? [imp] : []), decl], describe: 'log4js (creates a module logger)', structured: true };
      }
      case 'nestjs': {
        if (hasDependency(ctx.project, '@nestjs/common')) {
          const imp = addImport(ctx, { module: '@nestjs/common', named: 'Logger' });
          const decl = insertAfterImports(ctx, `const ${name} = new Logger(${q(JSON.parse(label))})${s}`);
          return { expr: name, style: 'nestjs', setup: [...(imp ? [imp] : []), decl], describe: 'NestJS Logger (creates a module logger)', structured: true };
        }
      }
    }
  }
  return undefined;
}

export function consoleLogger(): LoggerChoice {
  return { expr: 'console', style: 'console', setup: [], describe: 'console.error (no structured logger configured)', structured: false };
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

export type Level = 'error' | 'warn' | 'info' | 'debug';

/**
 * A log call expression (no trailing semicolon). `fields` are extra structured fields as
 * `key: expr` source snippets; `errExpr` is the error variable, if any.
 */
export function logCall(ctx: RuleContext, logger: LoggerChoice, level: Level, message: string, errExpr?: string, fields: string[] = []): string {
  return logCallExpr(logger, level, quoteString(ctx.style, message), errExpr, fields);
}

/** Like logCall, with the message given as source code (a string or template literal, kept as written). */
export function logCallExpr(logger: LoggerChoice, level: Level, msg: string, errExpr?: string, fields: string[] = []): string {
  const lv = logger.style === 'nestjs' && level === 'info' ? 'log' : level;
  switch (logger.style) {
    case 'pino':
    case 'bunyan': {
      const parts = [...(errExpr ? [errExpr === 'err' ? 'err' : `err: ${errExpr}`] : []), ...fields];
      return parts.length ? `${logger.expr}.${lv}({ ${parts.join(', ')} }, ${msg})` : `${logger.expr}.${lv}(${msg})`;
    }
    case 'winston': {
      const parts = [...(errExpr ? [errExpr === 'error' ? 'error' : `error: ${errExpr}`] : []), ...fields];
      return parts.length ? `${logger.expr}.${lv}(${msg}, { ${parts.join(', ')} })` : `${logger.expr}.${lv}(${msg})`;
    }
    case 'log4js':
    case 'console': {
      const args = [msg, ...(errExpr ? [errExpr] : []), ...(fields.length ? [`{ ${fields.join(', ')} }`] : [])];
      return `${logger.expr}.${lv}(${args.join(', ')})`;
    }
    case 'nestjs': {
      if (level === 'error') {
        const stack = errExpr ? `${errExpr} instanceof Error ? ${errExpr}.stack : String(${errExpr})` : undefined;
        return `${logger.expr}.error(${[msg, ...(stack ? [stack] : [])].join(', ')})`;
      }
      return `${logger.expr}.${lv}(${msg})`;
    }
  }
}
