/**
 * Security of the CLI: in a hostile workspace (test/harness/sandbox.ts) `check` (every format, in
 * process and on worker threads), `fix --dry-run`, `fix`, `rules`, `readiness` and `report` execute nothing
 * from the workspace, load no module from it, start no process but git (report, readiness) and make no network
 * attempt (recorded by sandbox-preload.cjs). Config globs and paths cannot leave the folder of
 * their .failpath.json; report output escapes file content (markdown) and encodes file names
 * (SARIF URIs).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HARDENED_GIT, hostileWorkspace, type Sandbox } from '../harness/sandbox';

const repo = path.join(__dirname, '..', '..');
const cli = path.join(repo, 'dist', 'cli.js');
const GIT_ENV = { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' };

function run(cwd: string, args: string[], env: Record<string, string> = {}, execArgv: string[] = []) {
  const r = spawnSync(process.execPath, [...execArgv, cli, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
function git(cwd: string, ...args: string[]) {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...GIT_ENV } });
  assert.equal(r.status, 0, `git ${args.join(' ')}: ${r.stderr}`);
}

before(() => {
  if (!fs.existsSync(cli)) {
    const b = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: repo, encoding: 'utf8' });
    assert.equal(b.status, 0, b.stderr);
  }
});

describe('failpath in a hostile workspace: nothing runs, nothing leaves the machine', () => {
  let sb: Sandbox;
  before(() => {
    sb = hostileWorkspace();
    git(sb.root, 'init', '-q', '-b', 'main');
    git(sb.root, 'add', '.');
    git(sb.root, 'commit', '-q', '-m', 'base');
    git(sb.root, 'checkout', '-q', '-b', 'feature');
    fs.appendFileSync(path.join(sb.root, 'src/app.ts'), "app.get('/x', async (_req, res) => res.json(await (await fetch('https://y.example.com')).json()));\n");
    git(sb.root, 'commit', '-q', '-am', 'a route');
  });
  after(() => sb.dispose());

  it('check, fix, rules, readiness and report', () => {
    const go = (args: string[], env: Record<string, string> = {}) => run(sb.root, args, { ...sb.env, ...env }, sb.execArgv);
    for (const format of ['text', 'json', 'sarif']) {
      const r = go(['check', '--format', format]);
      assert.equal(r.code, 1, `check --format ${format}: ${r.err}`); // missing-timeout is an error in the hostile .failpath.json
    }
    const workers = go(['check', '--format', 'json'], { FAILPATH_WORKER_THRESHOLD: '1' });
    assert.equal(workers.code, 1, workers.err);
    assert.equal(go(['fix', '--dry-run']).code, 0);
    assert.equal(go(['rules']).code, 0);
    const readiness = go(['readiness'], { FAILPATH_SANDBOX_ALLOW_SPAWN: 'git' });
    assert.ok(readiness.code === 0 || readiness.code === 1, `readiness: ${readiness.err}`);
    const report = go(['report', '--format', 'json'], { FAILPATH_SANDBOX_ALLOW_SPAWN: 'git' });
    assert.ok(report.code === 0 || report.code === 1, `report: ${report.err}`);
    const fix = go(['fix']);
    assert.equal(fix.code, 0, fix.err);
    assert.match(fix.err, /^fixed \d+ findings? in [1-9]\d* files?\n$/m);

    assert.deepEqual(sb.markers(), []);
    assert.deepEqual(sb.attempts().filter((a) => !HARDENED_GIT.test(a)), []);
    assert.ok(sb.attempts().some((a) => HARDENED_GIT.test(a)), 'report ran git (and only git)');
    // the recorder ran in every process and in the scan workers
    const preloads = sb.records().filter((r) => r.kind === 'preload');
    assert.equal(preloads.filter((r) => r.detail === 'main').length, 9);
    assert.ok(preloads.some((r) => r.detail === 'worker'), 'the worker threads were recorded too');
  });
});

describe('config globs and paths stay inside the folder of their .failpath.json', () => {
  let dir: string;
  before(() => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'failpath-escape-')));
    fs.mkdirSync(path.join(dir, 'proj/src'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'other'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'proj/.failpath.json'), `{
  "ignore": ["../other/**", "/tmp/**", "~/x/**", "src/../../other/**", "..\\\\other\\\\**"],
  "features": { "all": { "paths": ["../**"] } }
}
`);
    fs.writeFileSync(path.join(dir, 'proj/src/a.ts'), 'await fetch(u);\n');
    fs.writeFileSync(path.join(dir, 'other/b.ts'), 'await fetch(u);\n');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('escaping globs are rejected at their spot and ignore nothing outside (or inside)', () => {
    const r = run(dir, ['check', '--format', 'json']);
    assert.deepEqual(JSON.parse(r.out).findings.map((f: { file: string }) => f.file), ['other/b.ts', 'proj/src/a.ts']);
    assert.equal(r.err, [
      'failpath: proj/.failpath.json:3:36: error: "../**" must stay inside this folder (no absolute paths, no "..")',
      'failpath: proj/.failpath.json:2:14: error: "../other/**" must stay inside this folder (no absolute paths, no "..")',
      'failpath: proj/.failpath.json:2:29: error: "/tmp/**" must stay inside this folder (no absolute paths, no "..")',
      'failpath: proj/.failpath.json:2:40: error: "~/x/**" must stay inside this folder (no absolute paths, no "..")',
      'failpath: proj/.failpath.json:2:50: error: "src/../../other/**" must stay inside this folder (no absolute paths, no "..")',
      'failpath: proj/.failpath.json:2:72: error: "..\\other\\**" must stay inside this folder (no absolute paths, no "..")',
      '',
    ].join('\n'));
  });
});

describe('report output escapes file content', () => {
  let dir: string;
  const FILE = 'src/we ird #1 %41?.ts';
  const ROUTE = '/x|y](javascript:alert(1))<img src=x onerror=alert(1)>`';
  before(() => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'failpath-escape-report-')));
    fs.mkdirSync(path.join(dir, 'src'));
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ dependencies: { express: '^4.19.0' } }));
    fs.writeFileSync(path.join(dir, 'src/app.ts'), "import express from 'express';\nexport const app = express();\n");
    git(dir, 'init', '-q', '-b', 'main');
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', 'base');
    git(dir, 'checkout', '-q', '-b', 'feature');
    fs.writeFileSync(path.join(dir, FILE), `import express from 'express';
const app = express();
app.get(${JSON.stringify(ROUTE)}, async (_req, res) => {
  const r = await fetch('https://x.example.com/</script><script>alert(1)</script>');
  res.json(await r.json());
});
`);
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', 'route');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('markdown: no raw HTML, no link, no table break from the route or the file name', () => {
    const r = run(dir, ['report']);
    assert.ok(r.code === 0 || r.code === 1, r.err);
    // the route is listed, in a code span (literal text in markdown: no HTML, no link inside)
    assert.ok(r.out.includes("- `` GET /x\\|y](javascript:alert(1))<img src=x onerror=alert(1)>` `` at `src/we ird #1 %41?.ts:3`"), r.out);
    // outside code spans: no raw HTML, no unescaped link, no unescaped table bar in a table row
    const prose = r.out.replace(/(`+)(.+?)\1/g, '');
    assert.ok(prose.includes('x\\|y\\](javascript:alert(1))&lt;img src=x onerror=alert(1)&gt;\\`'), 'the feature named after the route, escaped');
    assert.doesNotMatch(prose, /<img|<script/i, 'no raw HTML');
    assert.doesNotMatch(prose, /(?<!\\)\]\(javascript:/, 'no link target from file content');
    for (const row of prose.split('\n').filter((l) => l.startsWith('|'))) assert.equal(row.replace(/\\\|/g, '').split('|').length, 6, row);
  });

  it('SARIF: the file name is a percent-encoded URI reference; content stays in JSON strings', () => {
    const r = run(dir, ['check', '--format', 'sarif']);
    const log = JSON.parse(r.out);
    const uris = log.runs[0].results.map((x: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => x.locations[0].physicalLocation.artifactLocation.uri);
    assert.ok(uris.length > 0);
    for (const u of uris) assert.equal(u, 'src/we%20ird%20%231%20%2541%3F.ts');
    // resolving it against the base gives back the file
    const base = log.runs[0].originalUriBaseIds['%SRCROOT%'].uri;
    assert.equal(decodeURIComponent(new URL(uris[0], base).pathname), path.join(dir, FILE));
  });
});
