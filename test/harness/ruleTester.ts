/**
 * RuleTester in the style of typescript-eslint's: valid cases must produce no finding of the
 * rule; invalid cases list exact 1-based positions, and `output` is the exact text after the
 * chosen fix. For every fix of every finding the harness also checks that it applies without
 * overlapping edits and that the output parses with no new syntax errors; for the fix under
 * test, that re-analysis reports fewer findings of the rule.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, parse, syntaxErrorCount } from '../../server/src/engine/analyze';
import { parseConfigFile, resolveConfig } from '../../server/src/engine/configFile';
import { projectFactsFromPackageJson, type ProjectFacts } from '../../server/src/engine/project';
import { applyEdits } from '../../server/src/fixes/edits';
import type { AnyRule, Finding, Fix } from '../../server/src/engine/types';
import { EMPTY_VIEW, type ProjectView } from '../../server/src/engine/view';
import { RULE_IDS } from '../../server/src/rules';

export interface CaseBase {
  code: string;
  /** Defaults to src/service.ts (server code). */
  filename?: string;
  /** Project dependencies (names, or name → version range). */
  deps?: string[] | Record<string, string>;
  /** Raw `failpath` settings, as the client would send them. */
  settings?: Record<string, unknown>;
  /** Text of a .failpath.json that applies to the file (JSONC). */
  configFile?: string;
  /** package.json fields beyond dependencies (e.g. { bin: 'cli.js' }). */
  packageJson?: Record<string, unknown>;
  /** Project-wide signals from a project index (see ProjectFacts.signals). */
  withSignals?: ProjectFacts['signals'];
  /** Resolved versions from a lockfile (see ProjectFacts.versions). */
  versions?: Record<string, string>;
  /** The project's own logger/flags modules (see ProjectFacts.local). */
  local?: ProjectFacts['local'];
  /** The package root (directory of the nearest package.json); defaults to /project. */
  projectRoot?: string;
  /**
   * What the Session knows about the project (ctx.view): the given fields over EMPTY_VIEW, e.g.
   * `view: { limiters: [{ file: '/project/src/limits.ts', name: 'apiLimiter' }] }`; its role
   * (default 'server') is the file's role. Omit to judge the file alone, as without a Session:
   * the role then comes from the file's path, text and imports (workspace/roles.ts localRole).
   */
  view?: Partial<ProjectView>;
  name?: string;
}

export interface ExpectedError {
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  /** Substring or pattern the message must contain. */
  message?: string | RegExp;
}

export interface InvalidCase extends CaseBase {
  errors: ExpectedError[];
  /**
   * Exact text after applying a fix of the first finding (the preferred one unless `fixTitle`
   * picks another). `null` asserts that the finding offers no fix. Omit to not check fixes.
   */
  output?: string | null;
  fixTitle?: string | RegExp;
  /** Which finding's fix to apply (default 0). */
  fixFor?: number;
}

export interface Cases {
  valid: (string | CaseBase)[];
  invalid: InvalidCase[];
}

export function projectFrom(deps: CaseBase['deps'], extra: Record<string, unknown> = {}): ProjectFacts {
  const record = Array.isArray(deps) ? Object.fromEntries(deps.map((d) => [d, '*'])) : deps ?? {};
  return projectFactsFromPackageJson({ ...extra, dependencies: record }, '/project');
}

/** The view a case gives the rule: its fields merged over EMPTY_VIEW. */
export function viewOf(view: Partial<ProjectView> | undefined): ProjectView {
  return view === undefined ? EMPTY_VIEW : { ...EMPTY_VIEW, ...view };
}

export function runRule(rule: AnyRule, c: CaseBase): Finding[] {
  const file = c.configFile === undefined ? [] : [{ file: '/project/.failpath.json', ...parseConfigFile(c.configFile, RULE_IDS) }];
  for (const f of file) assert.deepEqual(f.problems, [], 'test .failpath.json must be valid');
  const { config, problems } = resolveConfig(file, c.settings ?? {}, RULE_IDS);
  assert.deepEqual(problems, [], 'test settings must be valid');
  const result = analyze({ text: c.code, fileName: c.filename ?? 'src/service.ts', project: { ...projectFrom(c.deps, c.packageJson), ...(c.projectRoot ? { root: c.projectRoot } : {}), signals: c.withSignals, local: c.local, versions: c.versions && new Map(Object.entries(c.versions)) }, config, rules: [rule], ...(c.view ? { view: viewOf(c.view) } : {}) });
  assert.deepEqual(result.ruleErrors, [], `rule ${rule.id} threw`);
  return result.findings.filter((f) => f.ruleId === rule.id);
}

export function position(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (text.charCodeAt(i) === 10) { line++; lineStart = i + 1; }
  }
  return { line, column: offset - lineStart + 1 };
}

function label(c: CaseBase, i: number, kind: string): string {
  const first = c.code.trim().split('\n').find((l) => l.trim()) ?? '';
  return c.name ?? `${kind} #${i + 1}: ${first.trim().slice(0, 70)}`;
}

/** Applies a fix and returns the new text, asserting it still parses as well as before. */
export function applyFixChecked(code: string, filename: string, fix: Fix): string {
  const out = applyEdits(code, fix.edits);
  const before = syntaxErrorCount(parse(code, filename));
  const after = syntaxErrorCount(parse(out, filename));
  assert.ok(after <= before, `fix "${fix.title}" introduced syntax errors:\n${out}`);
  return out;
}

export function runRuleTests(rule: AnyRule, cases: Cases): void {
  describe(rule.id, () => {
    describe('valid', () => {
      cases.valid.forEach((v, i) => {
        const c = typeof v === 'string' ? { code: v } : v;
        it(label(c, i, 'valid'), () => {
          const findings = runRule(rule, c);
          assert.deepEqual(findings.map((f) => `${position(c.code, f.start).line}:${position(c.code, f.start).column} ${f.message}`), []);
        });
      });
    });
    describe('invalid', () => {
      cases.invalid.forEach((c, i) => {
        it(label(c, i, 'invalid'), () => {
          const filename = c.filename ?? 'src/service.ts';
          const findings = runRule(rule, c);
          const actual = findings.map((f) => {
            const s = position(c.code, f.start);
            const e = position(c.code, f.end);
            return { line: s.line, column: s.column, endLine: e.line, endColumn: e.column, message: f.message };
          });
          assert.equal(actual.length, c.errors.length, `expected ${c.errors.length} finding(s), got:\n${JSON.stringify(actual, null, 2)}`);
          c.errors.forEach((exp, k) => {
            const got = actual[k];
            assert.equal(`${got.line}:${got.column}`, `${exp.line}:${exp.column}`, `finding ${k} start`);
            if (exp.endLine !== undefined) assert.equal(got.endLine, exp.endLine, `finding ${k} end line`);
            if (exp.endColumn !== undefined) assert.equal(got.endColumn, exp.endColumn, `finding ${k} end column`);
            if (exp.message instanceof RegExp) assert.match(got.message, exp.message);
            else if (exp.message) assert.ok(got.message.includes(exp.message), `message "${got.message}" lacks "${exp.message}"`);
          });
          // every fix of every finding applies and parses
          for (const f of findings) for (const fix of f.fixes) if (fix.edits.length) applyFixChecked(c.code, filename, fix);

          if (c.output === undefined) return;
          const target = findings[c.fixFor ?? 0];
          const fixes = target.fixes.filter((f) => f.edits.length > 0);
          if (c.output === null) {
            assert.deepEqual(fixes.map((f) => f.title), [], 'expected no fix');
            return;
          }
          const fix = c.fixTitle === undefined
            ? fixes.find((f) => f.isPreferred) ?? fixes[0]
            : fixes.find((f) => (c.fixTitle instanceof RegExp ? c.fixTitle.test(f.title) : f.title === c.fixTitle));
          assert.ok(fix, `no fix matching ${String(c.fixTitle)}; have: ${fixes.map((f) => f.title).join(' | ')}`);
          const out = applyFixChecked(c.code, filename, fix);
          assert.equal(out, c.output);
          const again = runRule(rule, { ...c, code: out });
          assert.ok(again.length < findings.length, `after "${fix.title}" the rule still reports ${again.length} finding(s)`);
        });
      });
    });
  });
}
