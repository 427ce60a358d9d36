/**
 * readSource.ts, the one way files of the workspace are read by path: size-checked before a byte
 * is read (a 3 GB sparse file is refused unread), regular files only (a FIFO is never opened), and
 * contained: with roots, nothing is read through a symbolic link that leads out of them, while a
 * path with no link on the way (a monorepo's package.json above the folder) is still read. Then
 * the readers that use it: package.json, the lockfile, local modules, .failpath.json and the
 * failure-test layout never follow a planted link out of the folder.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MAX_SOURCE_BYTES, formatBytes, isInside, readWorkspaceFile, containmentRoots } from '../../server/src/engine/readSource';
import { ProjectLoader, dependencyVersion } from '../../server/src/engine/project';
import { ConfigFileLoader } from '../../server/src/engine/configFile';
import { readTestLayout } from '../../server/src/engine/failureTest/layout';
import { Scanner } from '../../server/src/engine/scan';

let tmp: string;
let root: string;
let outside: string;
const put = (p: string, text: string) => {
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
};

/** Counts the bytes fs.readSync reads while `fn` runs (readSource reads with readSync only). */
function bytesRead<T>(fn: () => T): { value: T; bytes: number } {
  // the module object itself (the namespace import above is read-only); readSource sees the change
  const nodeFs = require('node:fs') as { readSync: (...args: unknown[]) => number };
  const original = nodeFs.readSync;
  let bytes = 0;
  nodeFs.readSync = (...args: unknown[]) => {
    const n = original(...args);
    bytes += n;
    return n;
  };
  try {
    return { value: fn(), bytes };
  } finally {
    nodeFs.readSync = original;
  }
}

before(() => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'failpath-readsource-')));
  root = path.join(tmp, 'repo', 'app');
  outside = path.join(tmp, 'elsewhere');
  put(path.join(outside, 'secret.ts'), "export const secret = fetch('https://secret');\n");
  put(path.join(root, 'src', 'app.ts'), "export const a = fetch('https://a');\n");
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('readWorkspaceFile: size before read', () => {
  it('a 3 GB sparse file is refused without reading a byte; a file at the cap is read whole', () => {
    const huge = path.join(root, 'src', 'huge.ts');
    fs.writeFileSync(huge, '');
    fs.truncateSync(huge, 3 * 1024 ** 3); // sparse: no disk used
    const r = bytesRead(() => readWorkspaceFile(huge, { maxBytes: MAX_SOURCE_BYTES }));
    assert.deepEqual(r, { value: { skipped: 'file is larger than 8 MB' }, bytes: 0 });
    const atCap = path.join(root, 'src', 'cap.ts');
    fs.writeFileSync(atCap, 'x'.repeat(1000));
    assert.deepEqual(readWorkspaceFile(atCap, { maxBytes: 1000 }), { text: 'x'.repeat(1000) });
    assert.deepEqual(readWorkspaceFile(atCap, { maxBytes: 999 }), { skipped: 'file is larger than 999 bytes' });
    fs.rmSync(huge);
    fs.rmSync(atCap);
  });

  it('the Scanner skips it with the reason, unread', () => {
    const huge = path.join(root, 'src', 'huge.ts');
    fs.writeFileSync(huge, '');
    fs.truncateSync(huge, 3 * 1024 ** 3);
    const r = bytesRead(() => new Scanner({ roots: [root], stopAt: root }).scanFile(huge)!);
    fs.rmSync(huge);
    assert.equal(r.bytes, 0);
    assert.deepEqual([r.value.skipped, r.value.error, r.value.findings], ['file is larger than 8 MB', undefined, []]);
  });

  it('a FIFO is not opened (it would block): not a regular file', () => {
    const fifo = path.join(root, 'src', 'pipe.ts');
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
    assert.deepEqual(readWorkspaceFile(fifo, { maxBytes: MAX_SOURCE_BYTES }), { skipped: 'not a regular file' });
    fs.rmSync(fifo);
  });

  it('a missing file is an error in words; caps are named in MB or KB', () => {
    assert.deepEqual(readWorkspaceFile(path.join(root, 'nope.ts'), { maxBytes: 10 }), { error: 'no longer exists (deleted or renamed during the scan)' });
    assert.deepEqual([formatBytes(8 * 1024 * 1024), formatBytes(200 * 1024), formatBytes(1000)], ['8 MB', '200 KB', '1000 bytes']);
  });
});

describe('readWorkspaceFile: containment', () => {
  before(() => {
    fs.symlinkSync(path.join(outside, 'secret.ts'), path.join(root, 'src', 'out.ts'));
    fs.symlinkSync('app.ts', path.join(root, 'src', 'in.ts'));
    put(path.join(tmp, 'repo', 'above.json'), '{}');
    fs.symlinkSync(path.join(outside, 'secret.ts'), path.join(tmp, 'repo', 'above-link.json'));
  });

  it('a link out is refused unread; a link inside is followed; no roots: followed as before', () => {
    const roots = containmentRoots([root]);
    const r = bytesRead(() => readWorkspaceFile(path.join(root, 'src', 'out.ts'), { maxBytes: MAX_SOURCE_BYTES, roots }));
    assert.deepEqual(r, { value: { skipped: `symbolic link to ${outside}/secret.ts points outside ${root}` }, bytes: 0 });
    // (and the byte counter counts: the link inside is read whole)
    const inside = bytesRead(() => readWorkspaceFile(path.join(root, 'src', 'in.ts'), { maxBytes: MAX_SOURCE_BYTES, roots }));
    assert.deepEqual(inside, { value: { text: "export const a = fetch('https://a');\n" }, bytes: 37 });
    assert.deepEqual(readWorkspaceFile(path.join(root, 'src', 'out.ts'), { maxBytes: MAX_SOURCE_BYTES }), { text: "export const secret = fetch('https://secret');\n" });
  });

  it('above the root: a plain file is read (a monorepo\'s package.json), a link is not', () => {
    const roots = containmentRoots([root]);
    assert.deepEqual(readWorkspaceFile(path.join(tmp, 'repo', 'above.json'), { maxBytes: 100, roots }), { text: '{}' });
    assert.deepEqual(readWorkspaceFile(path.join(tmp, 'repo', 'above-link.json'), { maxBytes: 100, roots }),
      { skipped: `symbolic link to ${outside}/secret.ts points outside ${root}` });
  });

  it('a link of the user\'s own above the folder (macOS /tmp → /private/tmp) keeps the monorepo package.json; a planted link up to it does not', () => {
    // <tmp>/alias → <tmp>/repo: the folder is opened as <tmp>/alias/app, its parent's files are read
    fs.symlinkSync(path.join(tmp, 'repo'), path.join(tmp, 'alias'));
    const opened = path.join(tmp, 'alias', 'app');
    const roots = containmentRoots([opened]);
    assert.deepEqual(roots, [opened, root]);
    assert.deepEqual(readWorkspaceFile(path.join(tmp, 'alias', 'above.json'), { maxBytes: 100, roots }), { text: '{}' });
    // src/lib → ../.. inside the folder leads up to the same parent: refused (it is not above the folder by its path)
    fs.symlinkSync('../..', path.join(root, 'src', 'lib'));
    assert.deepEqual(readWorkspaceFile(path.join(opened, 'src', 'lib', 'above.json'), { maxBytes: 100, roots }),
      { skipped: `symbolic link to ${tmp}/repo/above.json points outside ${opened}, ${root}` });
    fs.rmSync(path.join(root, 'src', 'lib'));
  });

  it('isInside: the root itself and below, not a sibling with the same prefix; "/" holds everything', () => {
    assert.deepEqual([isInside('/a/b', '/a/b'), isInside('/a/b/c', '/a/b'), isInside('/a/bc', '/a/b'), isInside('/x', '/')], [true, true, false, true]);
  });
});

describe('project readers never follow a planted link out of the folder', () => {
  let pkg: string;
  before(() => {
    pkg = path.join(tmp, 'planted');
    fs.mkdirSync(path.join(pkg, 'src'), { recursive: true });
    // what the links point at: a real project elsewhere, whose facts must not leak in
    put(path.join(outside, 'package.json'), JSON.stringify({ name: 'x', dependencies: { pino: '^9.0.0', got: '^11.0.0' }, scripts: { test: 'vitest' }, type: 'module' }));
    put(path.join(outside, 'package-lock.json'), JSON.stringify({ lockfileVersion: 3, packages: { 'node_modules/got': { version: '11.8.6' } } }));
    put(path.join(outside, 'logger.ts'), "import pino from 'pino';\nexport const logger = pino();\n");
    put(path.join(outside, '.failpath.json'), JSON.stringify({ ignore: ['**'] }));
  });

  it('a linked package.json is not read: the problem is reported and no dependency comes from it', () => {
    fs.symlinkSync(path.join(outside, 'package.json'), path.join(pkg, 'package.json'));
    const problems: string[] = [];
    const facts = new ProjectLoader((m) => problems.push(m), containmentRoots([pkg])).forFile(path.join(pkg, 'src', 'app.ts'));
    assert.deepEqual([facts.root, facts.dependencies.size], [pkg, 0]);
    assert.deepEqual(problems, [`Could not read ${pkg}/package.json: symbolic link to ${outside}/package.json points outside ${pkg}; dependencies from it are ignored.`]);
    // the failure-test layout reads the same package.json: no scripts, no module type from it
    const layout = readTestLayout(pkg);
    assert.deepEqual([{ ...layout.scripts }, layout.moduleType], [{}, 'commonjs']);
    fs.rmSync(path.join(pkg, 'package.json'));
  });

  it('a linked lockfile and a linked logger module are not read', () => {
    put(path.join(pkg, 'package.json'), JSON.stringify({ name: 'planted', dependencies: { pino: '^9.0.0', got: '^11.0.0' } }));
    fs.symlinkSync(path.join(outside, 'package-lock.json'), path.join(pkg, 'package-lock.json'));
    fs.symlinkSync(path.join(outside, 'logger.ts'), path.join(pkg, 'src', 'logger.ts'));
    const contained = new ProjectLoader(undefined, containmentRoots([pkg])).forFile(path.join(pkg, 'src', 'app.ts'));
    assert.deepEqual([dependencyVersion(contained, 'got'), contained.local], ['11.0.0', undefined]); // the range's minimum, no local logger
    // without roots (what it was): both read through the links
    const open = new ProjectLoader().forFile(path.join(pkg, 'src', 'app.ts'));
    assert.deepEqual([dependencyVersion(open, 'got'), open.local?.logger?.name], ['11.8.6', 'logger']);
  });

  it('a linked .failpath.json is not applied (a silent ignore: ["**"] otherwise): its problem says why', () => {
    fs.symlinkSync(path.join(outside, '.failpath.json'), path.join(pkg, '.failpath.json'));
    put(path.join(pkg, 'src', 'app.ts'), "export const a = fetch('https://a');\n");
    const loaded = new ConfigFileLoader(undefined, containmentRoots([pkg])).load(path.join(pkg, '.failpath.json'))!;
    assert.deepEqual(loaded.problems.map((p) => p.message), [`Could not read .failpath.json: symbolic link to ${outside}/.failpath.json points outside ${pkg}`]);
    assert.equal(loaded.ignore, undefined);
    const entry = new Scanner({ roots: [pkg] }).scanFile(path.join(pkg, 'src', 'app.ts'));
    assert.deepEqual(entry?.findings.map((f) => f.ruleId), ['missing-timeout']);
  });
});
