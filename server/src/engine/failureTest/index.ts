/**
 * "Generate failure test for <callee> (timeout / 5xx / connection refused)": a refactor on an
 * external call or a route registration that writes a new test file making the dependency fail
 * three ways and asserting the degraded behaviour the code promises. Returns a Fix whose `files`
 * holds the new test; when the project lacks a package the test needs, a command-only Fix that
 * copies the install command (Failpath never adds dependencies itself). See docs/failure-tests.md.
 */
import * as path from 'node:path';
import type * as ts from 'typescript';
import { parse } from '../analyze';
import { FileFacts } from '../facts';
import { kindOfRole, localRole } from '../../workspace/roles';
import type { ProjectFacts } from '../project';
import type { EngineConfig } from '../config';
import type { Finding, Fix } from '../types';
import { detectStyle } from '../style';
import { detectRunner, installCommand, testFileNamer, type TestLayout } from './layout';
import { allowedRootOf, placeTestFile } from './placement';
import { chooseStrategy } from './strategy';
import { findTarget, type FailureTarget } from './target';
import { generateFailureTest } from './generate';

export { readTestLayout, detectRunner, testFileFor, testFileNamer, type TestLayout, type Runner } from './layout';
export { placeTestFile, resolveThroughLinks } from './placement';
export { findTarget, type FailureTarget } from './target';
export { chooseStrategy, type Strategy } from './strategy';
export { generateFailureTest } from './generate';

export interface FailureTestInput {
  text: string;
  /** Absolute path of the source file. */
  fileName: string;
  project: ProjectFacts;
  config: EngineConfig;
  start: number;
  end: number;
  sourceFile?: ts.SourceFile;
  /** The file's findings, so that the generated test can point at the missing deadline or fallback. */
  findings?: readonly Finding[];
  /** The project's test layout; read only when there is a target (it touches the disk). */
  layout: () => TestLayout | undefined;
  /**
   * The client command that copies an install command (`{ command, reason }` as its argument),
   * named by the host: features know no protocol. None: no install-command variant is offered.
   */
  copyInstallCommand?: string;
  /**
   * The folders the test may be created in (the workspace folders). The project folder and the
   * test's folder must resolve, through symbolic links, inside one of them. None: never offered.
   */
  allowedRoots: readonly string[];
}

/**
 * The refactor, or the same title with the reason it cannot be done (`disabled`: no edit, no
 * file), e.g. when the test would land outside the workspace folder.
 */
export type FailureTestFix = Fix & { disabled?: string };

export function failureTestTitle(callee: string): string {
  return `Generate failure test for ${callee} (timeout / 5xx / connection refused)`;
}

/** The failure-test refactor at the cursor, or undefined when the cursor is on no external call or route. */
export function failureTestFix(input: FailureTestInput): FailureTestFix | undefined {
  const sf = input.sourceFile ?? parse(input.text, input.fileName);
  const root = input.project.root;
  if (!root) return undefined;
  const sourceRel = path.relative(root, input.fileName).split(path.sep).join('/');
  if (sourceRel.startsWith('..') || path.isAbsolute(sourceRel)) return undefined;
  const facts = new FileFacts(sf, input.fileName, input.config.externalModules);
  const role = localRole({ path: sourceRel, text: sf.text, imports: [...facts.bindings.values()].map((b) => b.module) }).role;
  if (role === 'test' || role === 'browser') return undefined;
  facts.kind = kindOfRole(role);
  const located = { sourceFile: sf, facts, project: input.project, start: input.start, end: input.end, findings: input.findings, extraModules: input.config.externalModules };
  const found = findTarget(located);
  if (!found) return undefined;
  const disabled = (reason: string): FailureTestFix => ({ title: failureTestTitle(found.callee), kind: 'refactor', edits: [], disabled: reason });
  // the layout walk and the new file stay inside the workspace folder
  if (!allowedRootOf(root, input.allowedRoots)) {
    return disabled(input.allowedRoots.length === 0
      ? 'No workspace folder is open: Failpath creates tests only inside a workspace folder.'
      : `The project folder ${root} (where its package.json is) is outside the workspace folder; Failpath creates tests only inside it.`);
  }
  const layout = input.layout();
  if (!layout) return undefined;
  const target = findTarget({ ...located, esmPackage: layout.moduleType === 'module' })!;
  const runner = detectRunner(input.project, layout);
  const typescript = /\.[cm]?tsx?$/.test(input.fileName);
  const factory = target.dependency.kind === 'client' ? clientFactory(target, facts) : undefined;
  const plan = chooseStrategy(target, input.project, runner, typescript, factory);
  if (!plan.ok) {
    if (plan.missing.length === 0) return undefined;
    const command = installCommand(layout, plan.missing);
    const title = `Generate failure test for ${target.callee}: needs ${plan.missing.join(', ')} (copy \`${command}\`)`;
    if (!input.copyInstallCommand) return undefined;
    const args = { command, reason: `Failpath's failure test for ${target.callee} needs ${plan.missing.join(', ')}` };
    return { title, kind: 'refactor', edits: [], command: { title, command: input.copyInstallCommand, arguments: [args] } };
  }
  const name = testFileNamer(layout, sourceRel, slugOf(target));
  const abs = (rel: string) => path.join(root, ...rel.split('/'));
  const listed = new Set(layout.testFiles.map(abs));
  const display = (p: string) => {
    const rel = path.relative(root, p);
    return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : p;
  };
  const placed = placeTestFile((n) => abs(name(n)), input.allowedRoots, display, (p) => listed.has(p));
  if (!placed.ok) return disabled(`No safe place for the test: ${placed.reason}`);
  const testRel = path.relative(root, placed.path).split(path.sep).join('/');
  const text = generateFailureTest({
    target, runner, strategy: plan.strategy, sourceRel, testRel,
    defaultTimeoutMs: input.config.timeoutMs, quote: detectStyle(sf).quote,
  });
  return {
    title: failureTestTitle(target.callee),
    kind: 'refactor',
    edits: [],
    files: [{ path: placed.path, text }],
  };
}

/** A file-name-safe name for the test: the function's name, or the route (`get-orders-id`). */
export function slugOf(target: FailureTarget): string {
  const inv = target.invoke;
  const raw = inv.kind === 'function' ? inv.name : `${inv.method}-${inv.path}`;
  const slug = raw.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '');
  return inv.kind === 'function' ? slug : slug.toLowerCase();
}

function clientFactory(target: FailureTarget, facts: FileFacts): readonly string[] | undefined {
  for (const inst of facts.instances.values()) {
    if (inst.module === target.dependency.module) return inst.factory;
  }
  return undefined;
}
