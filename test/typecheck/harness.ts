/**
 * The fix type-check harness: a small project written to a fresh temporary folder next to a
 * fixture's installed libraries (its node_modules linked in), analysed the way `failpath check`
 * does (a Scanner with the folder's Session), every fix of every finding applied on its own, and
 * the TypeScript checker run over the fixed project with the libraries' real typings.
 *
 * Fixtures: examples/shop-api (pino, axios, express, stripe, ioredis, pg, @openfeature) and
 * test/typecheck/libs (winston, @nestjs/common + core + throttler, express-rate-limit), each
 * installed with `npm ci` by `npm run test:typecheck`.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import ts = require('typescript');
import { structuredPatch } from 'diff';
import { analyze } from '../../server/src/engine/analyze';
import { applyEdits } from '../../server/src/fixes/edits';
import { scannerWithSessions } from '../../server/src/cli/runScan';

const REPO = path.join(__dirname, '..', '..');
export const FIXTURES = {
  shop: path.join(REPO, 'examples', 'shop-api'),
  libs: path.join(__dirname, 'libs'),
} as const;
export type Fixture = keyof typeof FIXTURES;

/** The checker's options: strict, exactOptionalPropertyTypes (issue 14), decorators for Nest. */
const OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  exactOptionalPropertyTypes: true,
  noImplicitOverride: true,
  skipLibCheck: true,
  noEmit: true,
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
  types: ['node'],
};

export interface Project {
  fixture: Fixture;
  /** Relative path → text. `package.json` is the fixture's unless given. */
  files: Record<string, string>;
}

export interface CheckedFix {
  /** The file the finding is in (relative). */
  file: string;
  rule: string;
  title: string;
  preferred: boolean;
  safe: boolean;
  /** The file's text with this fix alone applied. */
  fixed: string;
  /** The checker's errors over the fixed project (`file(line,col): TSnnnn text`), none expected. */
  errors: string[];
}

export interface CheckedFile {
  /** The checker's errors over the project as written (must be none: the fixture is valid). */
  before: string[];
  fixes: CheckedFix[];
}

/** Parsed library files, shared by every program of a run (they never change). */
const libCache = new Map<string, ts.SourceFile>();

function makeHost(dir: string, overrides: Map<string, string>): ts.CompilerHost {
  const host = ts.createCompilerHost(OPTIONS, true);
  const getSourceFile = host.getSourceFile.bind(host);
  const inProject = (f: string) => path.resolve(f).startsWith(dir + path.sep) && !f.includes(`${path.sep}node_modules${path.sep}`);
  host.getSourceFile = (fileName, lang, onError, create) => {
    const abs = path.resolve(fileName);
    const text = overrides.get(abs);
    if (text !== undefined) return ts.createSourceFile(fileName, text, lang, true);
    if (inProject(abs)) return getSourceFile(fileName, lang, onError, create);
    const key = `${abs}\0${typeof lang === 'object' ? lang.languageVersion : lang}`;
    let sf = libCache.get(key);
    if (!sf) {
      sf = getSourceFile(fileName, lang, onError, create);
      if (sf) libCache.set(key, sf);
    }
    return sf;
  };
  const readFile = host.readFile.bind(host);
  host.readFile = (f) => overrides.get(path.resolve(f)) ?? readFile(f);
  return host;
}

function diagnostics(dir: string, roots: string[], overrides: Map<string, string> = new Map()): string[] {
  const program = ts.createProgram(roots, OPTIONS, makeHost(dir, overrides));
  const out: string[] = [];
  for (const sf of program.getSourceFiles()) {
    if (!path.resolve(sf.fileName).startsWith(dir + path.sep) || sf.fileName.includes('/node_modules/')) continue;
    for (const d of [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]) {
      const { line, character } = d.start !== undefined ? sf.getLineAndCharacterOfPosition(d.start) : { line: 0, character: 0 };
      out.push(`${path.relative(dir, sf.fileName)}(${line + 1},${character + 1}): TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    }
  }
  for (const d of program.getOptionsDiagnostics()) out.push(`options: TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
  return out;
}

/** Writes the project, analyses each of `check`, applies each fix alone and type-checks the result. */
export function checkFixes(project: Project, check: readonly string[]): CheckedFile {
  const fixtureDir = FIXTURES[project.fixture];
  if (!fs.existsSync(path.join(fixtureDir, 'node_modules'))) {
    throw new Error(`${path.relative(REPO, fixtureDir)} has no node_modules: run \`npm ci --prefix ${path.relative(REPO, fixtureDir)}\` (npm run test:typecheck does)`);
  }
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'failpath-fixcheck-')));
  try {
    const files: Record<string, string> = { 'package.json': fs.readFileSync(path.join(fixtureDir, 'package.json'), 'utf8'), ...project.files };
    for (const [rel, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), text);
    }
    fs.symlinkSync(path.join(fixtureDir, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    const sources = Object.keys(project.files).filter((f) => /\.[cm]?tsx?$/.test(f)).map((f) => path.join(dir, f));
    const { scanner } = scannerWithSessions(sources, { roots: [dir] });
    const before = diagnostics(dir, sources);
    const fixes: CheckedFix[] = [];
    for (const file of check) {
      const target = path.join(dir, file);
      const text = files[file];
      const result = analyze({ text, fileName: target, project: scanner.projects.forFile(target), config: scanner.configFor(target), ...scanner.viewInput(target, text) });
      for (const f of result.findings) {
        for (const fix of f.fixes) {
          if (fix.edits.length === 0) continue;
          const fixed = applyEdits(text, fix.edits);
          fixes.push({
            file, rule: f.ruleId, title: fix.title, preferred: !!fix.isPreferred, safe: !!fix.safe, fixed,
            errors: diagnostics(dir, sources, new Map([[target, fixed]])),
          });
        }
      }
    }
    return { before, fixes };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The fix as its changed lines: per hunk `@<line>`, the removed lines (`-`) and the added lines (`+`), no context. */
export function hunk(before: string, after: string): string {
  const patch = structuredPatch('a', 'b', before, after, '', '', { context: 0 });
  return patch.hunks.map((h) => [`@${h.oldStart}`, ...h.lines.filter((l) => l[0] !== '\\')].join('\n')).join('\n');
}
