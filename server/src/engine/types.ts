/**
 * The engine's public vocabulary. Pure data: nothing here knows about LSP, VS Code or the CLI.
 * Positions are UTF-16 offsets into the analysed text (what TypeScript's scanner produces);
 * the server and the CLI turn them into line/character positions.
 */
import type * as ts from 'typescript';
import type { FileFacts } from './facts';
import type { ProjectFacts } from './project';
import type { ProjectView } from './view';
import type { EngineConfig } from './config';
import type { Style } from './style';

/** The five readiness questions. Every rule answers exactly one. */
export type ChecklistItem = 'monitor' | 'disable' | 'recover' | 'scale' | 'understand';
export const CHECKLIST_ITEMS: readonly ChecklistItem[] = ['monitor', 'disable', 'recover', 'scale', 'understand'];

export { SEVERITY_SETTINGS, type Severity, type SeveritySetting } from './severity';
import type { Severity } from './severity';

/** A replacement of text[start, end) by newText. Edits of one fix never overlap. */
export interface TextEdit {
  start: number;
  end: number;
  newText: string;
}

export interface Fix {
  /** Shown in the light bulb menu; says what the fix does and which library it uses. */
  title: string;
  edits: TextEdit[];
  /** The main fix of a finding; applied by "fix all" and `failpath fix` when also `safe`. */
  isPreferred?: boolean;
  /**
   * Safe fixes keep the program's meaning except for the failure path they close and may be
   * applied in bulk. Refactors that change behaviour (e.g. Promise.all) are never safe.
   */
  safe?: boolean;
  /** 'quickfix' (default) or a refactor kind such as 'refactor.rewrite'. */
  kind?: 'quickfix' | 'refactor' | 'refactor.rewrite';
  /** A client command to run instead of (or after) the edits, e.g. open a setting. */
  command?: { title: string; command: string; arguments?: unknown[] };
  /**
   * New files the fix creates (absolute paths), e.g. a generated test. The server turns each into
   * a CreateFile (failing when the file exists) plus an insert of its text.
   */
  files?: { path: string; text: string }[];
}

export interface Finding {
  ruleId: string;
  start: number;
  end: number;
  message: string;
  /** The rule's message id (rules written with createRule). */
  messageId?: string;
  severity: Severity;
  checklist: ChecklistItem;
  /**
   * The fixes. For rules that report a `fix` thunk this is a getter: the fixes are built the first
   * time someone reads it (a code action, fix-all, `failpath fix`), never on the diagnostics path.
   */
  fixes: Fix[];
  /** True when the finding offers a fix that edits code (known without building it). */
  fixable?: boolean;
}

/** Rule metadata: what the registry, the docs, the CLI and the readiness model need to know. */
export interface RuleMeta {
  id: string;
  checklist: ChecklistItem;
  severity: Severity;
  /** One sentence: what goes wrong in production. */
  summary: string;
  /** True when at least one fix is offered for some findings. */
  fixable: boolean;
  /** File kinds the rule runs on. Defaults to every kind but 'test'. */
  fileKinds?: readonly FileKind[];
}

/** Where a file runs; some rules only make sense on the server. */
export type FileKind = 'server' | 'browser' | 'test' | 'script';

export interface ReportDescriptor {
  node?: ts.Node;
  start?: number;
  end?: number;
  /** The message as text (rules of the first API), or… */
  message?: string;
  /** …the id of one of the rule's `meta.messages`, filled with `data` (`{{name}}` placeholders). */
  messageId?: string;
  data?: Record<string, string | number>;
  /** Fixes built now (first API). */
  fixes?: Fix[];
  /** Fixes built only when asked for. Report it only when a fix that edits code can be offered. */
  fix?: () => Fix[];
  /** Overrides the configured severity for this finding (e.g. sensitive routes rank higher). */
  severity?: Severity;
}

export interface RuleContext {
  readonly sourceFile: ts.SourceFile;
  readonly text: string;
  readonly fileName: string;
  readonly facts: FileFacts;
  readonly project: ProjectFacts;
  /** The Session's view of the project for this file: role, learned conventions, summaries. */
  readonly view: ProjectView;
  readonly config: EngineConfig;
  /** The rule's options from configuration (already merged with its defaults). */
  readonly options: Record<string, unknown>;
  /** Formatting conventions of this file (quotes, semicolons, indentation), computed lazily. */
  readonly style: Style;
  report(descriptor: ReportDescriptor): void;
}

/** Map of node-kind names to node types, for typed visitors. */
export interface NodeTypes {
  CallExpression: ts.CallExpression;
  NewExpression: ts.NewExpression;
  CatchClause: ts.CatchClause;
  TryStatement: ts.TryStatement;
  AwaitExpression: ts.AwaitExpression;
  ExpressionStatement: ts.ExpressionStatement;
  PropertyAccessExpression: ts.PropertyAccessExpression;
  FunctionDeclaration: ts.FunctionDeclaration;
  FunctionExpression: ts.FunctionExpression;
  ArrowFunction: ts.ArrowFunction;
  MethodDeclaration: ts.MethodDeclaration;
  ClassDeclaration: ts.ClassDeclaration;
  VariableDeclaration: ts.VariableDeclaration;
  VariableStatement: ts.VariableStatement;
  WhileStatement: ts.WhileStatement;
  ForStatement: ts.ForStatement;
  ForOfStatement: ts.ForOfStatement;
  ForInStatement: ts.ForInStatement;
  DoStatement: ts.DoStatement;
  Block: ts.Block;
  ReturnStatement: ts.ReturnStatement;
  ThrowStatement: ts.ThrowStatement;
  Decorator: ts.Decorator;
  ObjectLiteralExpression: ts.ObjectLiteralExpression;
  BinaryExpression: ts.BinaryExpression;
  Identifier: ts.Identifier;
  SourceFile: ts.SourceFile;
}

export type VisitorKey = keyof NodeTypes | `${keyof NodeTypes}:exit`;
type Handler<N> = (node: N, ctx: RuleContext) => void;
export type Visitors = {
  [K in keyof NodeTypes]?: Handler<NodeTypes[K]>;
} & {
  [K in keyof NodeTypes as `${K}:exit`]?: Handler<NodeTypes[K]>;
};

export interface Rule extends RuleMeta {
  /** Option defaults; configuration may override them per rule. */
  defaultOptions?: Record<string, unknown>;
  /** Called once per file before the walk; returning false skips the rule for this file. */
  applies?(ctx: RuleContext): boolean;
  visit: Visitors;
  /** Called after the walk, for rules that collect first and decide at the end. */
  finish?(ctx: RuleContext): void;
}

export function defineRule<R extends Rule>(rule: R): R {
  return rule;
}

// ---- rule API v2 -----------------------------------------------------------------------------

/** A JSON-schema subset for typed rule options (validated in .failpath.json and editor settings). */
export interface OptionSchema {
  type: 'object';
  properties: Record<string, { type: 'number' | 'integer' | 'string' | 'boolean' | 'array'; minimum?: number; maximum?: number; items?: { type: 'string' }; enum?: readonly string[]; description: string }>;
  additionalProperties?: false;
}

export interface RuleMetaV2<MessageIds extends string> extends RuleMeta {
  /** Message templates; `{{name}}` placeholders are filled from a report's `data`. */
  messages: Record<MessageIds, string>;
  /** The options object's schema (its defaults are `defaultOptions`). */
  options?: OptionSchema;
}

/** Visitors of a v2 rule: called with the node only; state lives in the `create` closure. */
export type VisitorsV2 = {
  [K in keyof NodeTypes]?: (node: NodeTypes[K]) => void;
} & {
  [K in keyof NodeTypes as `${K}:exit`]?: (node: NodeTypes[K]) => void;
};

export interface ReportV2<MessageIds extends string> extends Omit<ReportDescriptor, 'message' | 'messageId' | 'fixes'> {
  messageId: MessageIds;
}

export interface RuleContextV2<MessageIds extends string> extends Omit<RuleContext, 'report' | 'options'> {
  report(descriptor: ReportV2<MessageIds>): void;
}

/**
 * A rule of the second API (typescript-eslint's createRule): `create(ctx, options)` runs once per
 * file and returns its visitors. The metadata is also spread on the rule object, so the registry,
 * the docs and the CLI read `rule.id` the same for both APIs.
 */
export interface RuleV2<Options extends Record<string, unknown> = Record<string, unknown>, MessageIds extends string = string> extends RuleMeta {
  meta: RuleMetaV2<MessageIds>;
  defaultOptions: Options;
  create(ctx: RuleContextV2<MessageIds>, options: Options): VisitorsV2;
}

export function createRule<Options extends Record<string, unknown>, MessageIds extends string>(rule: {
  meta: RuleMetaV2<MessageIds>;
  defaultOptions: Options;
  create(ctx: RuleContextV2<MessageIds>, options: Options): VisitorsV2;
}): RuleV2<Options, MessageIds> {
  const { messages: _m, options: _o, ...meta } = rule.meta;
  return { ...meta, ...rule };
}

export function isRuleV2(rule: AnyRule): rule is RuleV2 {
  return 'create' in rule;
}

export type AnyRule = Rule | RuleV2;

/**
 * Fills `{{name}}` placeholders; an unknown name is left visible as `{{name}}` (the catalog test
 * catches it). Each template is split at its holes once: a file of 50,000 findings formats 50,000 messages.
 */
const compiled = new Map<string, readonly string[]>();
export function formatMessage(template: string, data: Record<string, string | number> | undefined): string {
  if (!data) return template;
  let parts = compiled.get(template);
  if (!parts) {
    // even indexes: literal text; odd indexes: the name in a hole
    parts = template.split(/\{\{\s*(\w+)\s*\}\}/);
    if (compiled.size < 1000) compiled.set(template, parts);
  }
  let out = parts[0];
  for (let i = 1; i < parts.length; i += 2) {
    const name = parts[i];
    out += (Object.hasOwn(data, name) ? String(data[name]) : `{{${name}}}`) + parts[i + 1];
  }
  return out;
}

export const DOCS_BASE = 'https://github.com/failpath/failpath/blob/main/docs/rules/';
export function docUrl(ruleId: string): string {
  return `${DOCS_BASE}${ruleId}.md`;
}
