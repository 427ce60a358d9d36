/**
 * analyze(): text in, findings out. Parses once, computes the file's facts once, then walks the
 * tree once, dispatching each node to the rules that subscribe to its kind. Never throws: a
 * file that cannot be analysed returns a `skipped` reason, and a rule that throws is dropped for
 * that file and reported in `ruleErrors`.
 */
import * as path from 'node:path';
import ts = require('typescript');
import { FileFacts } from './facts';
import { EMPTY_PROJECT, type ProjectFacts } from './project';
import { EMPTY_VIEW, type ProjectView } from './view';
import { DEFAULT_CONFIG, type EngineConfig } from './config';
import { detectStyle, type Style } from './style';
import { parseSuppressions, type Suppressions } from './suppress';
import { formatMessage, isRuleV2, type AnyRule, type Finding, type Fix, type RuleContext, type ReportDescriptor, type Severity } from './types';
import { ALL_RULES } from '../rules';
import { createSummaryCollector, emptySummary, type FileSummary } from './summary';
import { parseHazard } from './parseGuard';
import { TOO_DEEP, isStackOverflow, parseWithinLimits } from './nesting';
import { browserSpans, kindOfRole, localRole } from '../workspace/roles';

export interface AnalyzeInput {
  text: string;
  fileName: string;
  project?: ProjectFacts;
  /** What the Session knows about the project for this file (EMPTY_VIEW without one). */
  view?: ProjectView;
  config?: EngineConfig;
  /** Restrict to these rules (defaults to the registry). */
  rules?: readonly AnyRule[];
  /** Only run these rule ids (CLI `--rule`). */
  only?: ReadonlySet<string>;
  /** Also collect the file's summary for the project index (same walk). */
  summary?: boolean;
  /** The parse of `text` when the caller already has it (the Session parsed it for the view's browser spans): not parsed again. */
  sourceFile?: ts.SourceFile;
}

export interface AnalyzeResult {
  findings: Finding[];
  /** Number of syntax errors TypeScript reported while parsing. */
  syntaxErrors: number;
  /** Why the file was not analysed (binary, too large, too deeply nested), if it was not. */
  skipped?: string;
  /** Rules that threw on this file, with their error; they are skipped for the file. */
  ruleErrors: { ruleId: string; error: string }[];
  /** Suppression comments that silenced no finding (for --report-unused-disables). */
  unusedSuppressions: { start: number; end: number; ruleIds: string[] }[];
  /** The file's summary for the project index, when asked for. */
  summary?: FileSummary;
}

export { SUPPORTED_EXTENSIONS, scriptKindFor } from './ast';
import { scriptKindFor } from './ast';

/** Files above this size are skipped: they are bundles or generated data, not hand-written code. */
export const MAX_FILE_CHARS = 8 * 1024 * 1024;

export function parse(text: string, fileName: string): ts.SourceFile {
  const kind = scriptKindFor(fileName) ?? ts.ScriptKind.TS;
  return ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, kind);
}

/** JSX files are scanned with JSX rules (the guard's tokens match the parser's). */
function languageVariantFor(fileName: string): ts.LanguageVariant {
  const kind = scriptKindFor(fileName) ?? ts.ScriptKind.TS;
  return kind === ts.ScriptKind.TSX || kind === ts.ScriptKind.JSX || kind === ts.ScriptKind.JS ? ts.LanguageVariant.JSX : ts.LanguageVariant.Standard;
}

/**
 * Parses `text` the way analyze() does, within the same guards (parse work, nesting limits): the
 * source file, or why it is not parsed. The Session parses through here too (a Remix route
 * module's browser spans), so the parse it hands to analyze() met the same limits.
 */
export function parseGuarded(text: string, fileName: string): { sf: ts.SourceFile } | { skipped: string } {
  const hazard = parseHazard(text, languageVariantFor(fileName));
  if (hazard) return { skipped: `not parsed: ${hazard}` };
  // the same limits on every thread, before anything recursive runs (nesting.ts)
  return parseWithinLimits(text, fileName, scriptKindFor(fileName) ?? ts.ScriptKind.TS);
}

/**
 * The path a file is classified by: inside its project, with the package folder's own name in
 * front (a project living under e.g. ~/tests/ is not "test code", and a package called `testing`
 * holds test helpers).
 */
export function classifyPath(fileName: string, projectRoot: string | undefined): string {
  const inProject = projectRoot ? path.relative(projectRoot, path.resolve(fileName)) : fileName;
  return inProject.startsWith('..') || !projectRoot ? fileName : `${path.basename(projectRoot)}/${inProject}`;
}

export function syntaxErrorCount(sf: ts.SourceFile): number {
  return (sf as unknown as { parseDiagnostics?: unknown[] }).parseDiagnostics?.length ?? 0;
}

function looksBinary(text: string): boolean {
  const n = Math.min(text.length, 8000);
  for (let i = 0; i < n; i++) if (text.charCodeAt(i) === 0) return true;
  return false;
}

export function resolveSeverity(rule: AnyRule, config: EngineConfig): Severity | 'off' {
  const setting = config.rules[rule.id];
  return setting?.severity ?? rule.severity;
}

type Entry = { rule: AnyRule; ctx: RuleContext; fn: (node: ts.Node, ctx: RuleContext) => void };

export function analyze(input: AnalyzeInput): AnalyzeResult {
  const result: AnalyzeResult = { findings: [], syntaxErrors: 0, ruleErrors: [], unusedSuppressions: [] };
  const config = input.config ?? DEFAULT_CONFIG;
  const { text, fileName } = input;
  if (!config.enable) return result;
  if (text.length > MAX_FILE_CHARS) return { ...result, skipped: `file is larger than ${MAX_FILE_CHARS / 1024 / 1024} MB` };
  if (looksBinary(text)) return { ...result, skipped: 'file looks binary (NUL bytes)' };
  const project = input.project ?? EMPTY_PROJECT;
  let view = input.view ?? EMPTY_VIEW;
  // the Session's parse when it made one for the view (parseGuarded: the same limits), else one here
  const given = input.sourceFile && input.sourceFile.text === text && input.sourceFile.fileName === fileName ? input.sourceFile : undefined;
  const parsed = given ? { sf: given } : parseGuarded(text, fileName);
  if ('skipped' in parsed) return { ...result, skipped: parsed.skipped };
  const sf = parsed.sf;
  let facts: FileFacts;
  try {
    facts = new FileFacts(sf, fileName, config.externalModules);
    // the Session's role (module graph included), else the file's own (path, text, imports): one
    // classifier (workspace/roles.ts), and ctx.view says the same as facts.kind
    if (!input.view) {
      const local = localRole({ path: classifyPath(fileName, project.root), text, imports: [...facts.bindings.values()].map((b) => b.module), runtime: project.runtime });
      // a route module alone: its components and hooks are browser code all the same
      const spans = local.routeModule ? browserSpans(sf) : [];
      if (local.role !== view.role || spans.length) view = { ...view, role: local.role, browserSpans: spans };
    }
    facts.kind = kindOfRole(view.role);
  } catch (err) {
    return { ...result, skipped: isStackOverflow(err) ? TOO_DEEP : `could not parse: ${(err as Error).message}` };
  }
  result.syntaxErrors = syntaxErrorCount(sf);
  try {
    return analyzeParsed(input, result, sf, facts, view);
  } catch (err) {
    // a stack overflow in a rule or in the walk: the file is skipped whole, with the same reason
    // on every thread (a rule dropped on one thread only would change the findings)
    const skipped = err instanceof TooDeep || isStackOverflow(err) ? TOO_DEEP : `could not walk the file: ${(err as Error).message}`;
    return { findings: [], syntaxErrors: result.syntaxErrors, ruleErrors: [], unusedSuppressions: [], skipped };
  }
}

class TooDeep extends Error {}

/** `view`: the Session's, or the file's own role and browser spans over EMPTY_VIEW. */
function analyzeParsed(input: AnalyzeInput, result: AnalyzeResult, sf: ts.SourceFile, facts: FileFacts, view: ProjectView): AnalyzeResult {
  const config = input.config ?? DEFAULT_CONFIG;
  const { text, fileName } = input;
  const project = input.project ?? EMPTY_PROJECT;
  const spans = view.browserSpans;

  let style: Style | undefined;
  let rules = input.rules ?? ALL_RULES;
  if (input.summary) {
    result.summary = emptySummary();
    rules = [...rules, createSummaryCollector(result.summary)];
  }
  const enter: (Entry[] | undefined)[] = [];
  const exit: (Entry[] | undefined)[] = [];
  const active: { rule: AnyRule; ctx: RuleContext }[] = [];
  const failed = new Set<AnyRule>();
  const fail = (rule: AnyRule, err: unknown) => {
    if (isStackOverflow(err)) throw new TooDeep();
    if (failed.has(rule)) return;
    failed.add(rule);
    result.ruleErrors.push({ ruleId: rule.id, error: err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err) });
  };

  for (const rule of rules) {
    const internal = rule.id === '__summary';
    if (input.only && !internal && !input.only.has(rule.id)) continue;
    const severity = internal ? rule.severity : resolveSeverity(rule, config);
    if (severity === 'off') continue;
    const kinds = rule.fileKinds ?? ['server', 'browser', 'script'];
    if (!kinds.includes(facts.kind)) continue;
    const options = { ...(rule.defaultOptions ?? {}), ...(config.rules[rule.id]?.options ?? {}) };
    const messages: Record<string, string> | undefined = isRuleV2(rule) ? rule.meta.messages : undefined;
    const ctx: RuleContext = {
      sourceFile: sf,
      text,
      fileName,
      facts,
      project,
      view,
      config,
      options,
      get style() { return (style ??= detectStyle(sf)); },
      report(d: ReportDescriptor) {
        const start = d.start ?? (d.node ? d.node.getStart(sf) : 0);
        const end = d.end ?? (d.node ? d.node.getEnd() : start);
        const message = d.message ?? (d.messageId !== undefined && messages?.[d.messageId] !== undefined
          ? formatMessage(messages[d.messageId], d.data)
          : `[${rule.id}] unknown message id "${d.messageId}"`);
        let finding: Finding;
        if (d.fix) {
          // built on first read (code actions, fix-all, `failpath fix`), never for diagnostics; an
          // accessor in the literal keeps every finding one shape (defineProperty made each a dictionary)
          const build = d.fix;
          let built: Fix[] | undefined;
          finding = {
            ruleId: rule.id, start, end, message, ...(d.messageId !== undefined ? { messageId: d.messageId } : {}),
            severity: d.severity ?? severity, checklist: rule.checklist,
            get fixes(): Fix[] { return (built ??= withoutFixesNearSyntaxErrors(finding, build(), sf)); },
            set fixes(v: Fix[]) { built = v; },
            fixable: true,
          };
        } else {
          const fixes = d.fixes ?? [];
          finding = {
            ruleId: rule.id, start, end, message, ...(d.messageId !== undefined ? { messageId: d.messageId } : {}),
            severity: d.severity ?? severity, checklist: rule.checklist, fixes, fixable: fixes.some((x) => x.edits.length > 0),
          };
        }
        result.findings.push(finding);
      },
    };
    try {
      if (!isRuleV2(rule) && rule.applies && !rule.applies(ctx)) continue;
    } catch (err) {
      fail(rule, err);
      continue;
    }
    let visitors: Record<string, ((node: ts.Node, ctx: RuleContext) => void) | undefined>;
    if (isRuleV2(rule)) {
      let made: Record<string, ((node: ts.Node) => void) | undefined>;
      try {
        made = rule.create(ctx as never, options as never) as typeof made;
      } catch (err) {
        fail(rule, err);
        continue;
      }
      visitors = Object.fromEntries(Object.entries(made).map(([k, fn]) => [k, fn && ((node: ts.Node) => fn(node))]));
    } else visitors = rule.visit as typeof visitors;
    active.push({ rule, ctx });
    for (const [key, fn] of Object.entries(visitors)) {
      if (!fn) continue;
      const isExit = key.endsWith(':exit');
      const kindName = isExit ? key.slice(0, -5) : key;
      const kind = (ts.SyntaxKind as unknown as Record<string, number>)[kindName];
      if (kind === undefined) continue;
      const table = isExit ? exit : enter;
      (table[kind] ??= []).push({ rule, ctx, fn: fn as Entry['fn'] });
    }
  }

  if (active.length > 0) {
    const dispatch = (list: Entry[], node: ts.Node) => {
      for (const e of list) {
        if (failed.has(e.rule)) continue;
        try {
          e.fn(node, e.ctx);
        } catch (err) {
          fail(e.rule, err);
        }
      }
    };
    const visit = (node: ts.Node): void => {
      const kind = node.kind;
      if (kind === ts.SyntaxKind.VariableDeclaration && node.parent?.parent?.parent !== sf) {
        facts.noteVariable(node as ts.VariableDeclaration);
      }
      const en = enter[kind];
      if (en) dispatch(en, node);
      ts.forEachChild(node, visit);
      const ex = exit[kind];
      if (ex) dispatch(ex, node);
    };
    visit(sf);
    for (const { rule, ctx } of active) {
      if (isRuleV2(rule) || !rule.finish || failed.has(rule)) continue;
      try {
        rule.finish(ctx);
      } catch (err) {
        fail(rule, err);
      }
    }
  }

  // drop findings of rules that failed part-way (their view of the file is incomplete)
  let findings = failed.size ? result.findings.filter((f) => !result.ruleErrors.some((e) => e.ruleId === f.ruleId)) : result.findings;
  // browser code inside a server module (a component or hook in a Remix route module): rules that
  // do not run on browser files do not report there either
  if (spans.length > 0) {
    const browserRules = new Set(rules.filter((r) => (r.fileKinds ?? ['server', 'browser', 'script']).includes('browser')).map((r) => r.id));
    findings = findings.filter((f) => browserRules.has(f.ruleId) || !spans.some((s) => s.pos <= f.start && f.start < s.end));
  }
  const suppressions: Suppressions | undefined = text.includes('failpath-disable') ? parseSuppressions(sf) : undefined;
  if (suppressions) {
    findings = findings.filter((f) => !suppressions.suppresses(f.ruleId, f.start));
    result.unusedSuppressions = suppressions.unused();
  }
  if (result.syntaxErrors > 0) dropFixesNearSyntaxErrors(findings, sf);
  findings.sort((a, b) => a.start - b.start || a.end - b.end || a.ruleId.localeCompare(b.ruleId));
  result.findings = findings;
  return result;
}

/**
 * While the user types, the code around a finding may not parse yet (`fetch({`). A fix computed
 * from a recovered tree there can make things worse, so fixes whose span (finding + edits) touches
 * a syntax error are withheld until the code parses; the finding itself stays.
 */
function dropFixesNearSyntaxErrors(findings: Finding[], sf: ts.SourceFile): void {
  for (const f of findings) {
    // lazily built fixes are filtered when they are built
    const d = Object.getOwnPropertyDescriptor(f, 'fixes');
    if (d?.get || f.fixes.length === 0) continue;
    f.fixes = withoutFixesNearSyntaxErrors(f, f.fixes, sf);
    f.fixable = f.fixes.some((x) => x.edits.length > 0);
  }
}

function withoutFixesNearSyntaxErrors(f: Finding, fixes: Fix[], sf: ts.SourceFile): Fix[] {
  const diags = (sf as unknown as { parseDiagnostics?: { start: number; length: number }[] }).parseDiagnostics ?? [];
  if (diags.length === 0 || fixes.length === 0) return fixes;
  return fixes.filter((fix) => {
    let lo = f.start;
    let hi = f.end;
    for (const e of fix.edits) { lo = Math.min(lo, e.start); hi = Math.max(hi, e.end); }
    // widen to the statement around the finding: an unclosed bracket is reported where it ends
    const stmt = statementSpan(sf, f.start);
    lo = Math.min(lo, stmt.start);
    hi = Math.max(hi, stmt.end);
    // an unclosed call is reported at the next token, possibly after blank lines or comments
    const near = (d: { start: number; length: number }) => d.start + d.length >= lo && (d.start <= hi + 1 || onlyTrivia(sf.text, hi, d.start));
    return !diags.some(near);
  });
}

/** Whether text[from, to) is only whitespace and comments; stops at the first other character. */
function onlyTrivia(text: string, from: number, to: number): boolean {
  let i = from;
  while (i < to) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12 || c === 0xfeff || c === 0xa0) { i++; continue; }
    if (c === 47 /* / */ && text.charCodeAt(i + 1) === 47) {
      const nl = text.indexOf('\n', i + 2);
      i = nl === -1 ? to : nl + 1;
      continue;
    }
    if (c === 47 && text.charCodeAt(i + 1) === 42 /* * */) {
      const close = text.indexOf('*/', i + 2);
      i = close === -1 ? to : close + 2;
      continue;
    }
    return false;
  }
  return true;
}

function statementSpan(sf: ts.SourceFile, offset: number): { start: number; end: number } {
  // the innermost statement or class member containing the offset
  let node: ts.Node = sf;
  let span = { start: offset, end: offset };
  for (let depth = 0; depth < 500; depth++) {
    const child = ts.forEachChild(node, (c) => (c.pos <= offset && offset < c.end ? c : undefined));
    if (!child) break;
    node = child;
    if (ts.isStatement(child) || ts.isClassElement(child)) span = { start: child.pos, end: child.end };
  }
  return span;
}
