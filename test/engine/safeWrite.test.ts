/**
 * engine/safeWrite.ts, called directly so that what happens "while fix runs" is deterministic:
 * `beforeCompare` stands for a user's save (or delete, or replace) landing between the analysis and
 * the rename, and `tempName` says which temporary names will be tried, so links can be planted at
 * exactly those names. Also: containment after realpath, FIFOs, the size cap read no further than
 * the cap, encodings, and the refusals (the CLI-level cases are in test/cli/fixSafety.test.ts).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fixRefusal, fixRoots, readSourceForFix, replaceSource, type SourceForFix } from '../../server/src/engine/safeWrite';
import { isInside } from '../../server/src/engine/readSource';
import { MAX_FILE_CHARS } from '../../server/src/engine/analyze';

let root: string;
const ORIGINAL = "export const a = fetch('https://a');\n";
const NEW = "export const a = fetch('https://a', { signal: AbortSignal.timeout(10000) });\n";

function write(rel: string, content: string | Buffer = ORIGINAL): string {
  const p = path.join(root, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, content);
  return p;
}

function read(file: string, roots = [root]): SourceForFix {
  const r = readSourceForFix(file, roots);
  assert.ok(!('error' in r), 'error' in r ? r.error : '');
  return r;
}

const listing = (dir: string) => fs.readdirSync(dir).sort();

before(() => { root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'failpath-safewrite-'))); });
after(() => fs.rmSync(root, { recursive: true, force: true }));

describe('replaceSource: the file changes while fix runs', () => {
  it('a save appended before the rename is kept; the fix is not written; no temporary file is left', () => {
    const file = write('save/a.ts');
    const source = read(file);
    const reason = replaceSource(source, NEW, { beforeCompare: () => fs.appendFileSync(file, '// saved\n') });
    assert.equal(reason, 'changed while failpath was fixing it; not written');
    assert.equal(fs.readFileSync(file, 'utf8'), `${ORIGINAL}// saved\n`);
    assert.deepEqual(listing(path.dirname(file)), ['a.ts']);
  });

  it('a save of the same length (only the bytes differ) is kept', () => {
    const file = write('same-size/a.ts');
    fs.utimesSync(file, 1_700_000_000, 1_700_000_000); // whole seconds, so the same mtime can be set again exactly
    const source = read(file);
    const edited = ORIGINAL.replace('https://a', 'https://b');
    // the same inode, size and mtime: only the bytes tell
    const reason = replaceSource(source, NEW, { beforeCompare: () => { fs.writeFileSync(file, edited); fs.utimesSync(file, 1_700_000_000, 1_700_000_000); } });
    assert.equal(reason, 'changed while failpath was fixing it; not written');
    assert.equal(fs.readFileSync(file, 'utf8'), edited);
    assert.deepEqual(listing(path.dirname(file)), ['a.ts']);
  });

  it('a file replaced by an editor with the same bytes (another inode) is not written over', () => {
    const file = write('replaced/a.ts');
    fs.utimesSync(file, 1_700_000_000, 1_700_000_000);
    const source = read(file);
    // the same bytes, size, mode and mtime: only the inode tells
    const reason = replaceSource(source, NEW, { beforeCompare: () => {
      fs.writeFileSync(`${file}.new`, ORIGINAL, { mode: fs.statSync(file).mode });
      fs.utimesSync(`${file}.new`, 1_700_000_000, 1_700_000_000);
      fs.renameSync(`${file}.new`, file);
    } });
    assert.equal(reason, 'changed while failpath was fixing it; not written');
    assert.equal(fs.readFileSync(file, 'utf8'), ORIGINAL);
    assert.deepEqual(listing(path.dirname(file)), ['a.ts']);
  });

  it('a file deleted meanwhile is not recreated', () => {
    const file = write('deleted/a.ts');
    const source = read(file);
    const reason = replaceSource(source, NEW, { beforeCompare: () => fs.rmSync(file) });
    assert.equal(reason, 'no longer exists (deleted or renamed during the scan); not written');
    assert.deepEqual(listing(path.dirname(file)), []);
  });

  it('a file swapped for a symlink meanwhile is not written through, and the link stays', () => {
    const file = write('swapped/a.ts');
    const victim = write('swapped-victim.txt', 'victim\n');
    const source = read(file);
    const reason = replaceSource(source, NEW, { beforeCompare: () => { fs.rmSync(file); fs.symlinkSync(victim, file); } });
    assert.equal(reason, 'became a symbolic link while failpath was reading it; not written');
    assert.equal(fs.readlinkSync(file), victim);
    assert.equal(fs.readFileSync(victim, 'utf8'), 'victim\n');
  });

  it('unchanged: written, with the mode kept, and nothing else left in the folder', () => {
    const file = write('ok/a.ts');
    fs.chmodSync(file, 0o640);
    assert.equal(replaceSource(read(file), NEW), undefined);
    assert.equal(fs.readFileSync(file, 'utf8'), NEW);
    assert.equal(fs.statSync(file).mode & 0o7777, 0o640);
    assert.deepEqual(listing(path.dirname(file)), ['a.ts']);
  });
});

describe('replaceSource: temporary names', () => {
  it('links planted at the names it tries are never followed; the next free name is used', () => {
    const file = write('planted/a.ts');
    const victim = write('planted-victim.txt', 'victim\n');
    const names = ['.a.ts.t0', '.a.ts.t1', '.a.ts.t2', '.a.ts.t3'];
    for (const n of names.slice(0, 3)) fs.symlinkSync(victim, path.join(root, 'planted', n));
    let i = 0;
    assert.equal(replaceSource(read(file), NEW, { tempName: () => names[i++] }), undefined);
    assert.equal(i, 4);
    assert.equal(fs.readFileSync(victim, 'utf8'), 'victim\n');
    assert.ok(fs.lstatSync(file).isFile());
    assert.equal(fs.readFileSync(file, 'utf8'), NEW);
    assert.deepEqual(listing(path.dirname(file)), ['.a.ts.t0', '.a.ts.t1', '.a.ts.t2', 'a.ts']);
    for (const n of names.slice(0, 3)) assert.equal(fs.readlinkSync(path.join(root, 'planted', n)), victim);
  });

  it('when every name tried is taken it gives up with a reason, touching nothing', () => {
    const file = write('taken/a.ts');
    const victim = write('taken-victim.txt', 'victim\n');
    fs.symlinkSync(victim, path.join(root, 'taken', '.a.ts.tmp'));
    const reason = replaceSource(read(file), NEW, { tempName: () => '.a.ts.tmp' });
    assert.equal(reason, 'could not create a temporary file next to it (8 names tried were all taken); left untouched');
    assert.equal(fs.readFileSync(victim, 'utf8'), 'victim\n');
    assert.equal(fs.readFileSync(file, 'utf8'), ORIGINAL);
  });

  it('the default names are random, in the same folder, and differ from run to run', () => {
    const file = write('random/a.ts');
    const seen: string[] = [];
    // while the temporary file exists (before the compare and the rename), list the folder
    const look = () => seen.push(...listing(path.dirname(file)).filter((n) => n !== 'a.ts'));
    assert.equal(replaceSource(read(file), NEW, { beforeCompare: look }), undefined);
    assert.equal(replaceSource(read(file), ORIGINAL, { beforeCompare: look }), undefined);
    assert.equal(seen.length, 2);
    for (const n of seen) assert.match(n, /^\.a\.ts\.failpath-[0-9a-f]{16}\.tmp$/);
    assert.notEqual(seen[0], seen[1]);
    assert.deepEqual([listing(path.dirname(file)), fs.readFileSync(file, 'utf8')], [['a.ts'], ORIGINAL]);
  });
});

describe('readSourceForFix: containment, file kinds, size, encoding', () => {
  it('a symlinked source inside the roots is read through to its real file; outside, refused', () => {
    const real = write('contain/lib/real.ts');
    fs.mkdirSync(path.join(root, 'contain/src'), { recursive: true });
    fs.symlinkSync('../lib/real.ts', path.join(root, 'contain/src/link.ts'));
    const outside = write('elsewhere/v.ts');
    fs.symlinkSync(outside, path.join(root, 'contain/src/out.ts'));
    fs.symlinkSync(path.join(root, 'elsewhere'), path.join(root, 'contain/src/vendor'));
    const roots = [path.join(root, 'contain')];
    const link = read(path.join(root, 'contain/src/link.ts'), roots);
    assert.deepEqual([link.file, link.target, link.text], [path.join(root, 'contain/src/link.ts'), real, ORIGINAL]);
    assert.deepEqual(readSourceForFix(path.join(root, 'contain/src/out.ts'), roots),
      { error: `is a symbolic link to ${outside}, outside the folders being fixed; fix leaves it untouched` });
    assert.deepEqual(readSourceForFix(path.join(root, 'contain/src/vendor/v.ts'), roots),
      { error: `resolves to ${outside}, outside the folders being fixed; fix leaves it untouched` });
    // only src is being fixed: lib is outside it
    assert.deepEqual(readSourceForFix(path.join(root, 'contain/src/link.ts'), [path.join(root, 'contain/src')]),
      { error: `is a symbolic link to ${real}, outside the folders being fixed; fix leaves it untouched` });
  });

  it('fixRoots: folders as given, the folder of a file, realpath resolved; isInside does not match a sibling prefix', () => {
    fs.mkdirSync(path.join(root, 'roots/src'), { recursive: true });
    write('roots/src/a.ts');
    fs.symlinkSync(path.join(root, 'roots/src'), path.join(root, 'roots/alias'));
    assert.deepEqual(fixRoots(['src', 'src/a.ts', 'alias', 'missing'], path.join(root, 'roots')),
      [path.join(root, 'roots/src'), path.join(root, 'roots/src'), path.join(root, 'roots/src')]);
    assert.deepEqual([isInside('/a/b', '/a/b'), isInside('/a/b/c.ts', '/a/b'), isInside('/a/bc/d.ts', '/a/b'), isInside('/a', '/a/b'), isInside('/x', '/')],
      [true, true, false, false, true]);
  });

  it('a FIFO is refused at once, not waited on', () => {
    const fifo = path.join(root, 'fifo.ts');
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
    assert.deepEqual(readSourceForFix(fifo, [root]), { error: 'is not a regular file' });
  });

  it('a file above the cap is refused from its size, without reading it', () => {
    const big = path.join(root, 'big.ts');
    fs.writeFileSync(big, '');
    fs.truncateSync(big, MAX_FILE_CHARS + 1); // sparse: nothing to read, and nothing is
    assert.deepEqual(readSourceForFix(big, [root]), { error: 'file is larger than 8 MB' });
  });

  it('not UTF-8: analysable (decoded leniently) but refused for writing; a BOM round-trips byte for byte', () => {
    const latin1 = read(write('enc/latin1.ts', Buffer.from([...Buffer.from("export const s = 'D"), 0xe9, ...Buffer.from("';\n")])));
    assert.deepEqual([latin1.utf8, latin1.text], [false, "export const s = 'D\uFFFD';\n"]);
    assert.equal(fixRefusal(latin1), 'not valid UTF-8; fix leaves it untouched');
    assert.equal(replaceSource(latin1, latin1.text), 'not valid UTF-8; fix leaves it untouched');
    const bytes = Buffer.from([0xef, 0xbb, 0xbf, ...Buffer.from("export const s = 'Déjà vu 😀';\r\n")]);
    const file = write('enc/bom.ts', bytes);
    const bom = read(file);
    assert.deepEqual([bom.utf8, bom.text.charCodeAt(0)], [true, 0xfeff]);
    assert.equal(replaceSource(bom, bom.text), undefined);
    assert.deepEqual(fs.readFileSync(file), bytes);
  });

  it('refusals: several hard links, read-only; a file that may be written gets none', () => {
    const linked = write('refuse/linked.ts');
    fs.linkSync(linked, path.join(root, 'refuse/other.ts'));
    assert.equal(fixRefusal(read(linked)), 'has 2 hard links; fix leaves it untouched (replacing it would split them)');
    const ro = write('refuse/ro.ts');
    fs.chmodSync(ro, 0o444);
    assert.equal(fixRefusal(read(ro)), 'is read-only; fix leaves it untouched');
    assert.equal(replaceSource(read(ro), NEW), 'is read-only; fix leaves it untouched');
    assert.equal(fs.readFileSync(ro, 'utf8'), ORIGINAL);
    assert.equal(fixRefusal(read(write('refuse/ok.ts'))), undefined);
  });
});
