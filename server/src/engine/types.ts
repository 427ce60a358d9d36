/**
 * The engine's public vocabulary. Pure data: nothing here knows about LSP, VS Code or the CLI.
 * Positions are UTF-16 offsets into the analysed text (what TypeScript's scanner produces);
 * the server and the CLI turn them into line/character positions.
 */
import type * as ts from 'typescript';
import type { FileFacts } from './facts';
import type { ProjectFacts } from './project';
import type { EngineConfig } from './config';
import type { Style } from './style';

/** The five readiness questions. Every rule answers exactly one. */
export type ChecklistItem = 'monitor' | 'disable' | 'recover' | 'scale' | 'understand';
export const CHECKLIST_ITEMS: readonly ChecklistItem[] = ['monitor', 'disable', 'recover', 'scale', 'understand'];

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export type SeveritySetting = Severity | 'off';
export const SEVERITY_SETTINGS: readonly SeveritySetting[] = ['off', 'hint', 'info', 'warning', 'error'];

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
  severity: Severity;
  checklist: ChecklistItem;
  fixes: Fix[];
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
  message: string;
  fixes?: Fix[];
  /** Overrides the configured severity for this finding (e.g. sensitive routes rank higher). */
  severity?: Severity;
}

export interface RuleContext {
  readonly sourceFile: ts.SourceFile;
  readonly text: string;
  readonly fileName: string;
  readonly facts: FileFacts;
  readonly project: ProjectFacts;
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

export const DOCS_BASE = 'https://github.com/failpath/failpath/blob/main/docs/rules/';
export function docUrl(ruleId: string): string {
  return `${DOCS_BASE}${ruleId}.md`;
}
