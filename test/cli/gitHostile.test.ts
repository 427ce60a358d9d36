/**
 * `failpath report` and `readiness` on a hostile repository: its .git/config (and a config it
 * includes, and .git/info/attributes) names a program for every hook git has — core.fsmonitor,
 * clean/smudge/process filters on every file, textconv and external diff drivers, core.hooksPath
 * with every hook, a pager, an editor, askpass, a credential helper, gpg, ssh, an ext:: remote… —
 * each writes a marker file when run. A control shows that plain `git diff` and `git status` run
 * them on this git. Failpath runs none, and the report is still right: the committed and the
 * unstaged change, the exact new findings. Also: inherited GIT_* variables pointing at another
 * repository, a `git` planted in the folder and on a relative PATH entry, refs that look like
 * options (exit 2, nothing written), and a repository owned by another user (git's
 * safe.directory refusal, worded). The CLI runs as uid 65534 when the suite runs as root.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const REPO = path.join(__dirname, '..', '..');
const cli = path.join(REPO, 'dist', 'cli.js');
const ROOT_USER = process.getuid?.() === 0;
const NOBODY = ROOT_USER ? { uid: 65534, gid: 65534 } : {};
const GIT_ENV = { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' };

let dir: string;
let repo: string;
let markers: string;
let evil: string;
let home: string;

/** Plain git (setup as the suite's user; `asUser`: as the CLI's user, for the controls on the chowned repository). */
function git(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}, asUser = false) {
  return spawnSync('git', args, {
    cwd, encoding: 'utf8', env: { ...process.env, ...GIT_ENV, ...(asUser ? { HOME: home } : {}), ...env }, stdio: ['ignore', 'pipe', 'pipe'], ...(asUser ? NOBODY : {}),
  });
}
function sh(cwd: string, ...args: string[]) {
  const r = git(cwd, args);
  assert.equal(r.status, 0, `git ${args.join(' ')}: ${r.stderr}`);
}
/** The CLI as a user would run it (unprivileged when the suite runs as root), stdin closed. */
function run(args: string[], env: NodeJS.ProcessEnv = {}, cwd = repo) {
  const r = spawnSync(process.execPath, [cli, ...args], {
    cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...NOBODY,
    env: { ...process.env, NO_COLOR: '1', HOME: home, ...env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
/** A one-commit repository holding a.ts. */
function smallRepo(name: string): string {
  const at = path.join(dir, name);
  fs.mkdirSync(at);
  fs.writeFileSync(path.join(at, 'a.ts'), 'export const a = 1;\n');
  sh(at, 'init', '-q', '-b', 'main');
  sh(at, 'add', '.');
  sh(at, 'commit', '-q', '-m', name);
  return at;
}
const ran = () => fs.readdirSync(markers).sort();
const clearMarkers = () => { for (const m of fs.readdirSync(markers)) fs.rmSync(path.join(markers, m)); };

const HOOKS = ['applypatch-msg', 'pre-applypatch', 'post-applypatch', 'pre-commit', 'pre-merge-commit', 'prepare-commit-msg', 'commit-msg', 'post-commit',
  'pre-rebase', 'post-checkout', 'post-merge', 'pre-push', 'pre-receive', 'update', 'proc-receive', 'post-receive', 'post-update', 'reference-transaction',
  'push-to-checkout', 'pre-auto-gc', 'post-rewrite', 'sendemail-validate', 'fsmonitor-watchman', 'post-index-change'];

const NEW_ROUTE = `
orders.get('/orders/:id/tracking', async (req, res) => {
  const r = await fetch(\`https://tracking.example.com/v1/\${req.params.id}\`);
  res.json(await r.json());
});
`;

before(() => {
  if (!fs.existsSync(cli)) {
    const b = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: REPO, encoding: 'utf8' });
    assert.equal(b.status, 0, b.stderr);
  }
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'failpath-git-hostile-')));
  repo = path.join(dir, 'repo');
  markers = path.join(dir, 'markers');
  home = path.join(dir, 'home');
  fs.mkdirSync(markers);
  fs.mkdirSync(home);
  // the attacker's program: leaves a marker named after what ran it, and behaves enough for git to go on
  evil = path.join(dir, 'evil.sh');
  fs.writeFileSync(evil, `#!/bin/sh\nkind=$1; shift\n: > "${markers}/$kind"\ncase $kind in\n  clean*|smudge*|pager*) exec cat ;;\n  textconv*) exec cat "$1" ;;\n  process*) exit 1 ;;\nesac\nexit 0\n`, { mode: 0o755 });
  const hooks = path.join(dir, 'hooks');
  fs.mkdirSync(hooks);
  for (const h of HOOKS) fs.writeFileSync(path.join(hooks, h), `#!/bin/sh\n: > "${markers}/hook-${h}"\n`, { mode: 0o755 });

  // the branch: one committed change (warehouse.ts), one unstaged (the new route in orders.ts)
  // without node_modules: a symlinked one would let the planted git below land in the real folder
  fs.cpSync(path.join(REPO, 'examples/shop-api'), repo, { recursive: true, filter: (p) => path.basename(p) !== 'node_modules' });
  fs.writeFileSync(path.join(repo, '.gitattributes'), '* filter=evil diff=evil\n');
  sh(repo, 'init', '-q', '-b', 'main');
  sh(repo, 'add', '.');
  sh(repo, 'commit', '-q', '-m', 'base');
  sh(repo, 'checkout', '-q', '-b', 'tracking');
  const wh = path.join(repo, 'src/clients/warehouse.ts');
  fs.writeFileSync(wh, fs.readFileSync(wh, 'utf8').replace('  const res = await fetch(', '  await fetch(`${WAREHOUSE_URL}/ping`);\n  const res = await fetch (  '));
  sh(repo, 'commit', '-q', '-am', 'ping the warehouse');
  fs.appendFileSync(path.join(repo, 'src/routes/orders.ts'), NEW_ROUTE);

  // now the hostile configuration: .git/config, a config it includes (whose values come later and win), info/attributes
  const set = (file: string, key: string, value: string) => sh(repo, 'config', '-f', file, key, value);
  const config = path.join(repo, '.git/config');
  const run = (kind: string) => `${evil} ${kind}`;
  for (const [key, value] of [
    ['core.fsmonitor', run('fsmonitor')], ['filter.evil.clean', run('clean')], ['filter.evil.smudge', run('smudge')],
    ['diff.evil.textconv', run('textconv')], ['diff.evil.command', run('diffcommand')], ['diff.external', run('external')],
    ['core.hooksPath', hooks], ['core.pager', run('pager')], ['pager.diff', run('pager-diff')], ['core.editor', run('editor')],
    ['sequence.editor', run('sequence-editor')], ['core.askPass', run('askpass')], ['credential.helper', `!${run('credential')}`],
    ['gpg.program', run('gpg')], ['log.showSignature', 'true'], ['core.sshCommand', run('ssh')], ['core.gitProxy', run('proxy')],
    ['core.alternateRefsCommand', run('alternate-refs')], ['uploadpack.packObjectsHook', run('pack-objects')],
    ['protocol.allow', 'always'], ['protocol.ext.allow', 'always'], ['remote.origin.url', `ext::${run('ext')}`],
    ['remote.origin.uploadpack', run('uploadpack')], ['remote.origin.fetch', '+refs/heads/*:refs/remotes/origin/*'],
    ['include.path', path.join(dir, 'included.gitconfig')], ['includeIf.gitdir:**.path', path.join(dir, 'included-if.gitconfig')],
  ]) set(config, key, value);
  const included = path.join(dir, 'included.gitconfig');
  for (const [key, value] of [['core.fsmonitor', run('fsmonitor-included')], ['filter.evil2.process', run('process-included')], ['filter.evil2.clean', run('clean-included')], ['diff.evil2.textconv', run('textconv-included')]]) set(included, key, value);
  set(path.join(dir, 'included-if.gitconfig'), 'core.untrackedCache', 'true');
  fs.writeFileSync(path.join(repo, '.git/info/attributes'), '*.ts filter=evil2 diff=evil2\n');
  if (ROOT_USER) spawnSync('chown', ['-R', '65534:65534', dir]);
  fs.chmodSync(dir, 0o755);
  fs.chmodSync(markers, 0o777);
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** What the report must say on this branch, hostile or not. */
function assertReport(out: string) {
  const report = JSON.parse(out);
  assert.equal(report.base.ref, 'main');
  assert.equal(report.head.name, 'tracking');
  assert.deepEqual(report.changedFiles.map((c: { file: string; status: string }) => `${c.status} ${c.file}`), ['modified src/clients/warehouse.ts', 'modified src/routes/orders.ts']);
  assert.deepEqual(report.newFindings.map((f: { ruleId: string; file: string; line: number; feature: string }) => `${f.ruleId} ${f.file}:${f.line} ${f.feature}`),
    // most severe first: no-fallback is a warning, missing-timeout ships at info (docs/precision.md)
    ['no-fallback src/routes/orders.ts:30 orders', 'missing-timeout src/clients/warehouse.ts:5 orders', 'missing-timeout src/routes/orders.ts:30 orders']);
  assert.deepEqual(report.newRoutes.map((n: { method: string; path: string }) => `${n.method} ${n.path}`), ['GET /orders/:id/tracking']);
  return report;
}

describe('a hostile repository: no repository code runs through git', () => {
  it('report (json and markdown) and readiness run none of its programs, and the report is right', () => {
    clearMarkers();
    const json = run(['report', '--format', 'json']);
    assert.equal(json.err, '');
    assert.equal(json.code, 0);
    assertReport(json.out);
    const md = run(['report']);
    assert.equal(md.code, 0, md.err);
    assert.match(md.out, /^## Failpath readiness: `tracking` vs `main`/);
    assert.match(md.out, /- `GET \/orders\/:id\/tracking` at `src\/routes\/orders.ts:29`/);
    const readiness = run(['readiness', '--format', 'json']);
    assert.equal(readiness.code, 0, readiness.err);
    assert.deepEqual(JSON.parse(readiness.out).features.map((f: { name: string }) => f.name), ['catalog', 'orders', 'shared']);
    assert.deepEqual(ran(), []);
  });

  it('inherited GIT_* variables pointing at another repository, index and config do not redirect it', () => {
    const decoy = smallRepo('decoy');
    fs.writeFileSync(path.join(dir, 'global.gitconfig'), `[core]\n\tfsmonitor = ${evil} fsmonitor-global\n`);
    if (ROOT_USER) spawnSync('chown', ['-R', '65534:65534', decoy, path.join(dir, 'global.gitconfig')]);
    const env = {
      GIT_DIR: path.join(decoy, '.git'), GIT_WORK_TREE: decoy, GIT_INDEX_FILE: path.join(decoy, '.git/index'),
      GIT_OBJECT_DIRECTORY: path.join(decoy, '.git/objects'), GIT_CEILING_DIRECTORIES: dir,
      GIT_CONFIG_PARAMETERS: `'core.fsmonitor'='${evil} fsmonitor-parameters'`,
      GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'core.fsmonitor', GIT_CONFIG_VALUE_0: `${evil} fsmonitor-count`,
      GIT_CONFIG_GLOBAL: path.join(dir, 'global.gitconfig'), GIT_EXTERNAL_DIFF: `${evil} external-env`, GIT_PAGER: `${evil} pager-env`,
    };
    // control: plain git with these variables works on the decoy
    const redirected = git(repo, ['rev-parse', '--show-toplevel'], env, true);
    assert.equal(redirected.stdout.trim(), decoy);
    clearMarkers();
    const r = run(['report', '--format', 'json'], env);
    assert.equal(r.code, 0, r.err);
    assertReport(r.out);
    assert.deepEqual(ran(), []);
  });

  it('never runs a git planted in the folder, found through a relative PATH entry or node_modules/.bin', () => {
    const planted = [path.join(repo, 'git'), path.join(repo, 'node_modules/.bin/git')];
    fs.mkdirSync(path.join(repo, 'node_modules/.bin'), { recursive: true });
    for (const p of planted) fs.writeFileSync(p, `#!/bin/sh\n: > "${markers}/planted-git"\nexit 1\n`, { mode: 0o755 });
    if (ROOT_USER) spawnSync('chown', ['-R', '65534:65534', path.join(repo, 'node_modules'), planted[0]]);
    try {
      clearMarkers();
      const r = run(['report', '--format', 'json'], { PATH: ['.', '', path.join(repo, 'node_modules/.bin'), process.env.PATH].join(path.delimiter) });
      assert.equal(r.code, 0, r.err);
      const report = JSON.parse(r.out);
      assert.equal(report.head.name, 'tracking');
      assert.deepEqual(report.changedFiles.map((c: { file: string; status: string }) => `${c.status} ${c.file}`), ['added git', 'added node_modules/.bin/git', 'modified src/clients/warehouse.ts', 'modified src/routes/orders.ts']);
      assert.deepEqual(ran(), []);
    } finally {
      fs.rmSync(planted[0]);
      fs.rmSync(path.join(repo, 'node_modules'), { recursive: true });
    }
  });

  it('control: plain git diff and git status run the repository\'s programs on this git', () => {
    clearMarkers();
    git(repo, ['diff', 'main'], {}, true); // dies on the included process filter (it fails), after running it
    const noProcess = ['-c', 'filter.evil2.process='];
    git(repo, [...noProcess, 'diff', 'main'], {}, true);
    git(repo, [...noProcess, 'diff', '--no-ext-diff', 'main'], {}, true);
    git(repo, [...noProcess, 'status'], {}, true);
    // the included config's fsmonitor and filters win over .git/config's; the external diff and the hooks.
    // Which textconv/smudge/diff-command drivers also run depends on the index's stat state, so only these are required
    const seen = ran();
    for (const kind of ['clean', 'external', 'fsmonitor-included', 'hook-post-index-change', 'process-included']) assert.ok(seen.includes(kind), `${kind} ran: ${seen.join(', ')}`);
  });
});

describe('refs that look like options', () => {
  for (const since of ['--output=OUT', '-c core.pager=EVIL', '--exec=EVIL', '-']) {
    it(`--since=${since} exits 2 with a message, runs nothing and writes nothing`, () => {
      clearMarkers();
      const value = since.replace('OUT', path.join(dir, 'injected')).replace('EVIL', `${evil} injected`);
      const r = run(['report', `--since=${value}`, '--format', 'json']);
      assert.deepEqual(r, { code: 2, out: '', err: `failpath report: invalid base ref "${value}": a ref cannot start with "-"\n` });
      assert.equal(fs.existsSync(path.join(dir, 'injected')), false);
      assert.deepEqual(ran(), []);
    });
  }

  it('--since followed by an option is a usage error', () => {
    const r = run(['report', '--since', '--output=x']);
    assert.equal(r.code, 2);
    assert.match(r.err, /^failpath report: Option '--since' argument is ambiguous\./);
    assert.equal(r.out, '');
  });
});

describe('a repository owned by another user', () => {
  it('git refuses it (safe.directory): exit 2 with a worded message, nothing overridden', { skip: !ROOT_USER && 'needs root to make a repository owned by another user' }, () => {
    const theirs = smallRepo('theirs');
    spawnSync('chown', ['-R', '0:0', theirs]); // root's; the CLI runs as 65534
    const r = run(['report', '--format', 'json'], {}, theirs);
    assert.deepEqual(r, {
      code: 2, out: '',
      err: `failpath report: git refuses the repository at ${theirs}: it is owned by another user (git's safe.directory check). ` +
        `Failpath does not override that check; if you trust this repository, run: git config --global --add safe.directory ${theirs}\n`,
    });
  });
});
