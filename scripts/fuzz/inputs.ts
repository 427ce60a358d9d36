/**
 * The fuzz campaign's inputs. Input `i` of seed `s` depends on nothing but (s, i): its own PRNG is
 * seeded from both, so any input can be rebuilt alone (`--only i`) and the campaign reads the same
 * on every machine. Families:
 *   mutate      byte-level mutations of a seed (test/fuzz/generators.ts, shared with the fuzz tests)
 *   splice      statement-level edits of a seed: insert, replace, wrap, duplicate, delete statements
 *               (mostly parseable code, so fixes run on code that parses)
 *   snippets    several rule-test programs concatenated
 *   soup        random tokens
 *   nesting     one construct (or a mix) nested to a depth, balanced or cut off, bare or in a handler
 *   long        long lines, huge literals, many lines, just over the 8 MB cap
 *   unicode     seeds with astral and combining characters, separators, lone surrogates, BOM, CR/CRLF, NUL
 *   glob        `**`-heavy strings in code and in a .failpath.json `ignore`
 *   context     odd package.json, lockfiles (long lines, deep nesting) and .failpath.json next to the file
 *   decorators  Nest-style classes with decorators everywhere
 *   jsx         JSX in .ts, .tsx, .js and .jsx
 *   fixed       the fixed pathological inputs of the fuzz tests
 */
import * as ts from 'typescript';
import { PATHOLOGICAL, TOKENS, mutate, MUTATION_KINDS, type MutationOp, type Seed } from '../../test/fuzz/generators';

export interface FuzzInput {
  index: number;
  family: string;
  /** What was generated, in a few words (construct and depth, mutation ops, sizes). */
  detail: string;
  /** Path of the file inside its project folder. */
  fileName: string;
  text: string;
  /** Files written next to package.json in the project folder (the context family), by name. */
  context?: Record<string, string>;
}

export interface GenerateOptions {
  /** Deepest nesting generated (log-uniform from 1). */
  maxNestingDepth: number;
  /** Longest long line / literal (log-uniform from 1,000 characters). */
  maxLongChars: number;
  /** Most `**` segments in one glob. */
  maxGlobSegments: number;
  /** Longest lockfile line. */
  maxLockLine: number;
}

export const DEFAULT_GENERATE: GenerateOptions = { maxNestingDepth: 6000, maxLongChars: 1_000_000, maxGlobSegments: 16, maxLockLine: 300_000 };

/** mulberry32 */
export class Rand {
  private a: number;
  constructor(seed: number) { this.a = seed >>> 0; }
  next(): number {
    this.a = (this.a + 0x6d2b79f5) >>> 0;
    let t = this.a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(lo: number, hi: number): number { return lo + Math.floor(this.next() * (hi - lo + 1)); }
  pick<T>(xs: readonly T[]): T { return xs[Math.floor(this.next() * xs.length)]; }
  chance(p: number): boolean { return this.next() < p; }
  /** Log-uniform integer in [lo, hi]: as many small values as large ones per decade. */
  logInt(lo: number, hi: number): number { return Math.min(hi, Math.floor(Math.exp(Math.log(lo) + this.next() * (Math.log(hi + 1) - Math.log(lo))))); }
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    const total = entries.reduce((s, [, w]) => s + w, 0);
    let x = this.next() * total;
    for (const [v, w] of entries) if ((x -= w) < 0) return v;
    return entries[entries.length - 1][0];
  }
}

/** The PRNG seed of input `index` of campaign `seed` (murmur3's finaliser over both). */
export function inputSeed(seed: number, index: number): number {
  let h = (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const FILE_NAMES: readonly (readonly [string, number])[] = [
  ['src/routes/orders.ts', 10], ['src/services/payments.ts', 8], ['src/app.ts', 6], ['src/server.mts', 2], ['src/jobs/cleanup.cts', 2],
  ['lib/client.js', 3], ['lib/db.cjs', 2], ['src/index.mjs', 2], ['src/controllers/users.controller.ts', 3], ['src/worker.ts', 2],
  ['app/page.tsx', 1], ['src/components/Button.jsx', 1], ['src/index.tsx', 1], ['pages/api/hello.ts', 1], ['bin/sync.ts', 1],
  ['scripts/migrate.mjs', 1], ['src/users.test.ts', 1],
];

const SOUP_TOKENS = TOKENS.filter((t) => t !== '\u0000');
const EXTRA_TOKENS = ['x', 'y', ' ', '1', 'if (', 'return ', 'app.get(', "'/p', ", 'async (req, res) => {', 'res.json(', 'await pool.query(', 'for (const a of b) {', 'while (true) {', 'new Promise((r) => ', 'setInterval(', 'process.on("SIGTERM", ', 'export ', 'function f() {', 'class K {', '@Injectable()', '<T>', ': any', '=', '==', '?', ':', '.then(', '.catch(() => {})', 'throw new Error("x")', 'redis.set(k, v)', 'logger.info(', 'import { Router } from "express";\n'];

/** Statements that trigger (or nearly trigger) the rules, for splices. */
const SNIPPET_STATEMENTS = [
  'await fetch(url);', 'const res = await fetch(`${base}/x`, { method: "POST", body });', 'await axios.get(url);', 'console.log("x", a);',
  'try { await charge(o); } catch (e) {}', 'try { await charge(o); } catch { /* ignore */ }', 'promise.catch(() => {});',
  'for (const id of ids) { await db.query("select 1", [id]); }', 'const a = await getA(); const b = await getB();',
  'await redis.set(key, JSON.stringify(v));', 'cache.set(k, v);', 'doWork();', 'void send();',
  'res.status(500).json({ error: err.message, stack: err.stack });', 'app.post("/orders", async (req, res) => { await db.insert(req.body); res.json({}); });',
  'while (true) { try { return await call(); } catch { await sleep(100); } }', 'setInterval(async () => { await sync(); }, 1000);',
  'cron.schedule("* * * * *", async () => { await job(); });', 'if (await client.getBooleanValue("old-flag", false)) { legacy(); }',
  'process.on("uncaughtException", (e) => console.error(e));', 'app.listen(3000);', 'const pool = new Pool({ connectionString });',
  'const client = axios.create({ baseURL: "https://api" });', 'queue.process(async (job) => { await handle(job.data); });',
  'stripe.charges.create({ amount, currency });', 'logger.info("user " + id + " logged in");', 'throw new Error(`bad ${x}`);',
  'export default async function handler(req, res) { res.json(await fetch(u)); }', 'return;', 'break;', 'label: for (;;) { continue label; }',
];

const WRAPPERS: readonly ((s: string) => string)[] = [
  (s) => `try {\n${s}\n} catch (e) {\n}`,
  (s) => `try {\n${s}\n} catch (err) {\n  console.log(err);\n}`,
  (s) => `if (x) {\n${s}\n} else {\n${s}\n}`,
  (s) => `for (const item of items) {\n${s}\n}`,
  (s) => `while (running) {\n${s}\n}`,
  (s) => `app.get('/wrapped/:id', async (req, res) => {\n${s}\n  res.json({ ok: true });\n});`,
  (s) => `(async () => {\n${s}\n})();`,
  (s) => `export async function wrapped(req: any, res: any) {\n${s}\n}`,
  (s) => `@Injectable()\nexport class Wrapped {\n  @Get(':id')\n  async m(@Param('id') id: string) {\n${s}\n  }\n}`,
  (s) => `setInterval(async () => {\n${s}\n}, 1000);`,
  (s) => `queue.process(async (job) => {\n${s}\n});`,
  (s) => `new Promise((resolve, reject) => {\n${s}\n});`,
  (s) => `switch (kind) {\n  case 'a': {\n${s}\n    break;\n  }\n  default:\n${s}\n}`,
  (s) => `label: {\n${s}\n}`,
  (s) => `const handler = async function* () {\n${s}\n};`,
];

/** One level of a nested construct: what opens it, what sits in the middle, what closes it. */
interface Construct {
  name: string;
  open: string;
  close: string;
  leaf: string;
  ext?: string;
}

const CONSTRUCTS: readonly Construct[] = [
  { name: 'arrow', open: '() => ', close: '', leaf: 'fetch(u)' },
  { name: 'async arrow', open: 'async () => ', close: '', leaf: 'await fetch(u)' },
  { name: 'async arrow block', open: 'async () => { await fetch(u); return ', close: '; }', leaf: '1' },
  { name: 'call', open: 'fetch(', close: ')', leaf: 'u' },
  { name: 'call with callback', open: 'run(async () => { await ', close: ' })', leaf: 'fetch(u)' },
  { name: 'parens', open: '(', close: ')', leaf: 'await fetch(u)' },
  { name: 'array', open: '[', close: ']', leaf: 'fetch(u)' },
  { name: 'object', open: '{ a: ', close: ' }', leaf: 'fetch(u)' },
  { name: 'if', open: 'if (x) { ', close: ' }', leaf: 'await fetch(u);' },
  { name: 'try', open: 'try { ', close: ' } catch (e) { console.log(e); }', leaf: 'await fetch(u);' },
  { name: 'try/finally', open: 'try { ', close: ' } catch {} finally { done(); }', leaf: 'await fetch(u);' },
  { name: 'switch', open: 'switch (x) { case 1: ', close: ' }', leaf: 'await fetch(u);' },
  { name: 'class', open: '(class { async m() { return ', close: '; } })', leaf: 'await fetch(u)' },
  { name: 'template', open: '`a${', close: '}b`', leaf: 'await fetch(u)' },
  { name: 'function', open: 'async function f() { await fetch(u); ', close: ' }', leaf: 'return 1;' },
  { name: 'block', open: '{ ', close: ' }', leaf: 'await fetch(u);' },
  { name: 'for', open: 'for (const a of b) { ', close: ' }', leaf: 'await fetch(u);' },
  { name: 'ternary', open: 'x ? fetch(u) : ', close: '', leaf: 'fetch(v)' },
  { name: 'binary', open: 'fetch(u) + (', close: ')', leaf: '1' },
  { name: 'await', open: 'await ', close: '', leaf: 'fetch(u)' },
  { name: 'new', open: 'new X(', close: ')', leaf: 'fetch(u)' },
  { name: 'then chain', open: '', close: '.then((r) => r.json())', leaf: 'fetch(u)' },
  { name: 'promise', open: 'new Promise(async (resolve) => resolve(', close: '))', leaf: 'await fetch(u)' },
  { name: 'generic type', open: 'Array<', close: '>', leaf: 'string' },
  { name: 'jsx', open: '<div onClick={() => fetch(u)}>', close: '</div>', leaf: '{x}', ext: '.tsx' },
  { name: 'jsx in .ts', open: '<div>', close: '</div>', leaf: 'x', ext: '.ts' },
  { name: 'decorator', open: '@D(', close: ') class X {}', leaf: '1' },
  { name: 'label', open: 'l: ', close: '', leaf: 'await fetch(u);' },
];

const UNICODE = ['ñ', 'ℌ', '\u{1D4B3}', '\u200D', '\u200C', '\u2028', '\u2029', '\u202E', '\u0301', '\uD800', '\uDFFF', '\uFFFE', '\uFFFF', '\uFEFF', '\u00A0', '\u000B', '\u000C', '\t', '\\u0061wait', '\\u{1F600}', '\u{1F600}', 'ᐅ', '\u3000', 'ﬃ', 'İ', 'ς', '\r', '\u0085'];

const DECORATORS = ['@Injectable()', '@Controller("users")', '@Get(":id")', '@Post()', '@UseGuards(AuthGuard)', '@A', '@A.b.c()', '@(foo())', '@A()()', '@Cron("* * * * *")', '@Processor("q")', '@Process()', '@Inject(TOKEN)', '@Body()', '@Param("id")', '@Query()', '@HttpCode(204)'];

export class InputGenerator {
  /** Every statement of every seed (up to 1,500 characters), for splices. */
  private readonly statements: string[];
  private readonly snippets: Seed[];
  private readonly parsed = new Map<Seed, { start: number; end: number }[]>();

  constructor(private readonly seeds: readonly Seed[], private readonly opts: GenerateOptions = DEFAULT_GENERATE) {
    this.snippets = seeds.filter((s) => s.name.includes('#'));
    const statements: string[] = [...SNIPPET_STATEMENTS];
    for (const s of seeds) {
      const sf = ts.createSourceFile('x.ts', s.text, ts.ScriptTarget.Latest, true);
      const visit = (node: ts.Node): void => {
        if (ts.isStatement(node) && node.end - node.pos <= 1500) statements.push(node.getText(sf));
        ts.forEachChild(node, visit);
      };
      visit(sf);
    }
    this.statements = statements;
  }

  generate(seed: number, index: number): FuzzInput {
    const r = new Rand(inputSeed(seed, index));
    const family = r.weighted([
      ['mutate', 22], ['splice', 24], ['snippets', 10], ['soup', 8], ['nesting', 8], ['long', 3], ['unicode', 7],
      ['glob', 2], ['context', 6], ['decorators', 5], ['jsx', 3], ['fixed', 0.5],
    ] as const);
    const fileName = r.weighted(FILE_NAMES);
    const base = { index, family, fileName };
    switch (family) {
      case 'mutate': return { ...base, ...this.mutated(r) };
      case 'splice': return { ...base, ...this.spliced(r) };
      case 'snippets': return { ...base, ...this.snippetMix(r) };
      case 'soup': return { ...base, ...this.soup(r) };
      case 'nesting': return this.nesting(r, base);
      case 'long': return { ...base, ...this.long(r) };
      case 'unicode': return { ...base, ...this.unicode(r) };
      case 'glob': return { ...base, ...this.glob(r) };
      case 'context': return { ...base, ...this.context(r) };
      case 'decorators': return { ...base, ...this.decorators(r) };
      case 'jsx': return this.jsx(r, base);
      default: {
        const [name, text] = PATHOLOGICAL[index % PATHOLOGICAL.length];
        return { ...base, fileName: 'src/edge.ts', detail: name, text };
      }
    }
  }

  private seed(r: Rand): Seed {
    return r.pick(this.seeds);
  }

  private mutated(r: Rand): { detail: string; text: string } {
    const s = this.seed(r);
    const other = this.seed(r);
    const ops: MutationOp[] = Array.from({ length: r.int(1, 6) }, () => ({ kind: r.pick(MUTATION_KINDS), at: r.next(), len: r.int(0, 200), token: r.pick(TOKENS) }));
    return { detail: `${s.name} ${ops.map((o) => o.kind).join(',')}`, text: mutate(s.text, other.text, ops) };
  }

  /** Statement ranges of a seed, parsed once. */
  private statementsOf(seed: Seed): { start: number; end: number }[] {
    let hit = this.parsed.get(seed);
    if (!hit) {
      const sf = ts.createSourceFile('x.ts', seed.text, ts.ScriptTarget.Latest, true);
      hit = [];
      const list = hit;
      const visit = (node: ts.Node): void => {
        if (ts.isStatement(node)) list.push({ start: node.getStart(sf), end: node.end });
        ts.forEachChild(node, visit);
      };
      visit(sf);
      this.parsed.set(seed, hit);
    }
    return hit;
  }

  /** Statement-level edits at up to 4 statements of a seed that do not contain each other, applied last first. */
  private spliced(r: Rand): { detail: string; text: string } {
    const s = this.seed(r);
    let text = s.text;
    const stmts = this.statementsOf(s);
    if (stmts.length === 0) return { detail: `${s.name} append`, text: text + '\n' + r.pick(this.statements) };
    const chosen = Array.from({ length: r.int(1, 4) }, () => r.pick(stmts)).sort((a, b) => a.start - b.start);
    const targets = chosen.filter((t, i) => i === 0 || t.start >= chosen[i - 1].end);
    const done: string[] = [];
    for (let i = targets.length - 1; i >= 0; i--) {
      const { start, end } = targets[i];
      const own = text.slice(start, end);
      const op = r.pick(['insert', 'replace', 'wrap', 'duplicate', 'delete', 'swap-block'] as const);
      done.push(op);
      if (op === 'insert') text = text.slice(0, start) + r.pick(this.statements) + '\n' + text.slice(start);
      else if (op === 'replace') text = text.slice(0, start) + r.pick(this.statements) + text.slice(end);
      else if (op === 'wrap') text = text.slice(0, start) + r.pick(WRAPPERS)(own) + text.slice(end);
      else if (op === 'duplicate') text = text.slice(0, end) + '\n' + own + text.slice(end);
      else if (op === 'delete') text = text.slice(0, start) + text.slice(end);
      else text = text.slice(0, start) + r.pick(WRAPPERS)(r.pick(this.statements)) + text.slice(end);
    }
    return { detail: `${s.name} ${done.join(',')}`, text };
  }

  private snippetMix(r: Rand): { detail: string; text: string } {
    const pool = this.snippets.length > 0 ? this.snippets : this.seeds;
    const parts = Array.from({ length: r.int(1, 5) }, () => r.pick(pool));
    return { detail: parts.map((p) => p.name).join(' + '), text: parts.map((p) => p.text).join('\n') };
  }

  private soup(r: Rand): { detail: string; text: string } {
    const n = r.int(0, 400);
    // no NUL: a NUL in the first 8,000 characters makes the file "binary" and skipped (the unicode family covers it)
    const tokens = Array.from({ length: n }, () => (r.chance(0.6) ? r.pick(SOUP_TOKENS) : r.pick(EXTRA_TOKENS)));
    return { detail: `${n} tokens`, text: tokens.join('') };
  }

  private nesting(r: Rand, base: { index: number; family: string; fileName: string }): FuzzInput {
    const depth = r.logInt(1, this.opts.maxNestingDepth);
    const mixed = r.chance(0.2);
    const levels = Array.from({ length: depth }, () => (mixed ? r.pick(CONSTRUCTS.filter((c) => !c.ext)) : undefined));
    const one = r.pick(CONSTRUCTS);
    const construct = (i: number) => levels[i] ?? one;
    let opens = '';
    for (let i = 0; i < depth; i++) opens += construct(i).open;
    let closes = '';
    for (let i = depth - 1; i >= 0; i--) closes += construct(i).close;
    const leaf = mixed ? 'await fetch(u)' : one.leaf;
    const shape = r.weighted([['balanced', 6], ['unclosed', 2], ['only opens', 1]] as const);
    let body = opens + leaf + (shape === 'balanced' ? closes : shape === 'unclosed' ? closes.slice(0, r.int(0, closes.length)) : '');
    const statement = !mixed && (one.leaf.endsWith(';') || one.name === 'label' || one.name === 'decorator');
    if (!statement) body = `const x = ${body};`;
    const where = r.weighted([['top', 3], ['handler', 3], ['route', 2], ['class', 1]] as const);
    const text = where === 'top' ? body
      : where === 'handler' ? `export async function handler(req: any, res: any) {\n  ${body}\n}\n`
        : where === 'route' ? `import express from 'express';\nconst app = express();\napp.get('/deep', async (req, res) => {\n  ${body}\n  res.json({});\n});\n`
          : `@Injectable()\nexport class Deep {\n  async run() {\n    ${body}\n  }\n}\n`;
    const ext = !mixed && one.ext ? one.ext : undefined;
    const fileName = ext ? base.fileName.replace(/\.[cm]?[jt]sx?$/, ext) : base.fileName;
    return { ...base, fileName, detail: `${mixed ? 'mixed' : one.name} × ${depth}, ${shape}, ${where}`, text };
  }

  private long(r: Rand): { detail: string; text: string } {
    const kind = r.weighted([['string', 3], ['template', 1], ['numbers', 2], ['object', 2], ['comment', 1], ['regex', 1], ['identifier', 1],
      ['statements on one line', 2], ['many lines', 2], ['broken statements', 1], ['over the cap', 0.3]] as const);
    const size = r.logInt(1000, this.opts.maxLongChars);
    const fill = (unit: string, n = size) => unit.repeat(Math.max(1, Math.ceil(n / unit.length)));
    let text: string;
    switch (kind) {
      case 'string': text = `export const s = '${fill('a\\x')}';\nawait fetch(u);\n`; break;
      case 'template': text = 'export const s = `' + fill('ab${x}') + '`;\nconsole.log(s);\n'; break;
      case 'numbers': text = `export const data = [${fill('1234567,')}];\n`; break;
      case 'object': text = `export const o = {${fill('"k": [1, {"a": "b"}], ')}};\n`; break;
      case 'comment': text = `// ${fill('x')}\nawait fetch(u);\n`; break;
      case 'regex': text = `const re = /${fill('(a|b)*')}/;\nre.test(s);\n`; break;
      case 'identifier': text = `const ${fill('a')} = await fetch(u);\n`; break;
      case 'statements on one line': text = fill('await fetch(u); console.log(x); '); break;
      case 'many lines': text = fill('await fetch(u);\nconsole.log(x);\n'); break;
      case 'broken statements': text = fill('await fetch(u; console.log(x)\ntry { await axios.get(v) } catch {\n'); break;
      default: text = `// ${'x'.repeat(8 * 1024 * 1024 + r.int(0, 100))}\nawait fetch(u);\n`;
    }
    return { detail: `${kind}, ${text.length} chars`, text };
  }

  private unicode(r: Rand): { detail: string; text: string } {
    const s = this.seed(r);
    let text = s.text;
    const n = r.int(1, 20);
    for (let i = 0; i < n; i++) {
      const at = Math.floor(r.next() * (text.length + 1));
      text = text.slice(0, at) + r.pick(UNICODE) + text.slice(at);
    }
    const transform = r.weighted([['none', 3], ['BOM', 1], ['CRLF', 1], ['CR only', 1], ['mixed line ends', 1], ['NUL early', 0.5], ['NUL late', 0.5], ['BOM inside', 0.5]] as const);
    if (transform === 'BOM') text = '\uFEFF' + text;
    else if (transform === 'CRLF') text = text.replace(/\r?\n/g, '\r\n');
    else if (transform === 'CR only') text = text.replace(/\r?\n/g, '\r');
    else if (transform === 'mixed line ends') text = text.replace(/\n/g, () => r.pick(['\n', '\r\n', '\r', '\u2028']));
    else if (transform === 'NUL early') { const at = r.int(0, Math.min(text.length, 7999)); text = text.slice(0, at) + '\u0000' + text.slice(at); }
    else if (transform === 'NUL late') text = text + '\n// ' + ' '.repeat(8000) + '\u0000\n';
    else if (transform === 'BOM inside') { const at = r.int(0, text.length); text = text.slice(0, at) + '\uFEFF' + text.slice(at); }
    return { detail: `${s.name} +${n} chars, ${transform}`, text };
  }

  private globString(r: Rand): string {
    const segments = r.int(1, this.opts.maxGlobSegments);
    return Array.from({ length: segments }, () => r.pick(['**', '**', '*', '*.ts', '{a,b}', '[ab]', '?', 'x*y', '@(a|b)', '!(x)'])).join('/') + r.pick(['', '/x', '/*.ts', 'a']);
  }

  private glob(r: Rand): { detail: string; text: string; context?: Record<string, string> } {
    const globs = Array.from({ length: r.int(1, 6) }, () => this.globString(r));
    const code = `import fg from 'fast-glob';\n${globs.map((g, i) => `export const p${i} = await fg(${JSON.stringify(g)});`).join('\n')}\nawait fetch(u);\n`;
    const inConfig = r.chance(0.5);
    return {
      detail: `${globs.length} globs, up to ${Math.max(...globs.map((g) => g.split('**').length - 1))} **${inConfig ? ', in .failpath.json ignore' : ''}`,
      text: code,
      context: inConfig ? { '.failpath.json': JSON.stringify({ ignore: globs }) } : undefined,
    };
  }

  private context(r: Rand): { detail: string; text: string; context: Record<string, string> } {
    const source = r.chance(0.5) ? this.spliced(r) : this.mutated(r);
    const context: Record<string, string> = {};
    const kinds: string[] = [];
    const deps: Record<string, string> = { express: r.pick(['^4.21.0', '5.0.0', '*', 'latest', 'workspace:*', 'file:../x', '', '>=1 <2 || 3']), axios: '^1.7.0', pino: '^9.0.0' };
    const pkg = r.weighted([['normal', 4], ['proto keys', 1], ['invalid JSON', 1], ['wrong types', 1], ['many deps', 1], ['module type', 1]] as const);
    kinds.push(`package.json ${pkg}`);
    if (pkg === 'normal') context['package.json'] = JSON.stringify({ name: 'ctx', dependencies: deps });
    else if (pkg === 'proto keys') context['package.json'] = `{"name":"ctx","__proto__":{"dependencies":{"x":"1"}},"dependencies":${JSON.stringify(deps)},"constructor":{"prototype":{"polluted":1}}}`;
    else if (pkg === 'invalid JSON') context['package.json'] = `{"name": "ctx", "dependencies": ${JSON.stringify(deps).slice(0, r.int(0, 30))}`;
    else if (pkg === 'wrong types') context['package.json'] = JSON.stringify({ name: 1, dependencies: ['express'], devDependencies: 'x', type: 7, main: {} });
    else if (pkg === 'many deps') context['package.json'] = JSON.stringify({ name: 'ctx', dependencies: Object.fromEntries(Array.from({ length: r.logInt(10, 20000) }, (_, i) => [`dep-${i}`, `^${i}.0.0`]).concat(Object.entries(deps))) });
    else context['package.json'] = JSON.stringify({ name: 'ctx', type: r.pick(['module', 'commonjs', 'other']), dependencies: deps });
    const lock = r.weighted([['none', 3], ['pnpm long line', 2], ['pnpm normal', 1], ['npm deep', 1], ['yarn', 1]] as const);
    kinds.push(`lockfile ${lock}`);
    if (lock === 'pnpm long line') {
      const n = r.logInt(100, this.opts.maxLockLine);
      const line = r.pick([' '.repeat(n) + 'x', 'a'.repeat(n), 'express' + ' '.repeat(n) + 'y', "'" + 'e'.repeat(n), ' '.repeat(n) + ':' + ' '.repeat(n)]);
      context['pnpm-lock.yaml'] = `lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      express:\n        specifier: ^4.21.0\n        version: 4.21.2\n${line}\n`;
      kinds[kinds.length - 1] += ` (${line.length} chars)`;
    } else if (lock === 'pnpm normal') {
      context['pnpm-lock.yaml'] = `lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      express:\n        specifier: ^4.21.0\n        version: 4.21.2\n      axios:\n        specifier: ^1.7.0\n        version: 1.7.9\n`;
    } else if (lock === 'npm deep') {
      const depth = r.logInt(1, 3000);
      context['package-lock.json'] = '{"lockfileVersion":3,"packages":{"node_modules/express":{"version":"4.21.2"},"x":' + '{"a":'.repeat(depth) + '1' + '}'.repeat(depth) + '}}';
      kinds[kinds.length - 1] += ` (${depth} deep)`;
    } else if (lock === 'yarn') {
      context['yarn.lock'] = `express@^4.21.0:\n  version "4.21.2"\n${'"' + 'x'.repeat(r.logInt(10, 100000)) + '"\n'}`;
    }
    const cfg = r.weighted([['none', 3], ['rules', 1], ['proto', 1], ['invalid', 1], ['features', 1]] as const);
    kinds.push(`.failpath.json ${cfg}`);
    if (cfg === 'rules') context['.failpath.json'] = JSON.stringify({ rules: { 'missing-timeout': 'error', 'unstructured-log': 'off', 'sequential-awaits': { severity: 'warning', options: { x: 1 } } }, timeoutMs: r.pick([1, 5000, 3600000, -1, 1e20]) });
    else if (cfg === 'proto') context['.failpath.json'] = '{"__proto__":{"ignore":["**"]},"rules":{"constructor":"off","prototype":"error"}}';
    else if (cfg === 'invalid') context['.failpath.json'] = r.pick(['{', '[]', 'null', '{"rules": 1}', '{"ignore": "**"}', '// comment only\n', '{"ignore":["../**","/etc/**"]}']);
    else if (cfg === 'features') context['.failpath.json'] = JSON.stringify({ features: { orders: { paths: [this.globString(r)], flags: ['f'], owner: 'team' } } });
    return { detail: `${kinds.join('; ')}; source: ${source.detail}`, text: source.text, context };
  }

  private decorators(r: Rand): { detail: string; text: string } {
    const members: string[] = [];
    const n = r.int(1, 8);
    const decs = (k: number) => Array.from({ length: k }, () => r.pick(DECORATORS)).join(' ');
    for (let i = 0; i < n; i++) {
      const kind = r.pick(['method', 'property', 'accessor', 'static block', 'constructor'] as const);
      if (kind === 'method') members.push(`  ${decs(r.int(0, 3))} async m${i}(${decs(r.int(0, 2))} a: string, ${decs(r.int(0, 1))} b) {\n    ${r.pick(this.statements)}\n  }`);
      else if (kind === 'property') members.push(`  ${decs(r.int(0, 3))} p${i} = ${r.pick(['1', 'fetch(u)', 'new Pool()', 'axios.create({})'])};`);
      else if (kind === 'accessor') members.push(`  ${decs(r.int(0, 2))} accessor a${i} = 1;`);
      else if (kind === 'static block') members.push(`  static {\n    ${r.pick(this.statements)}\n  }`);
      else members.push(`  constructor(${decs(r.int(0, 2))} private readonly http: HttpService, @InjectRepository(User) private repo: Repository<User>) {}`);
    }
    const text = `import { Controller, Get, Injectable } from '@nestjs/common';\n${decs(r.int(0, 4))}\nexport class Generated${r.int(0, 99)} {\n${members.join('\n')}\n}\n`;
    return { detail: `${n} members`, text };
  }

  private jsx(r: Rand, base: { index: number; family: string; fileName: string }): FuzzInput {
    const ext = r.pick(['.ts', '.tsx', '.js', '.jsx']);
    const inner = Array.from({ length: r.int(1, 6) }, () => r.pick([
      '<div onClick={async () => { await fetch(u); }}>x</div>', '{await fetch(v)}', '<Comp {...props} key="a" />', '<>{list.map((i) => <li key={i}>{i}</li>)}</>',
      '<a href={`/x/${id}`}>{console.log(x)}</a>', '<div>{/* comment */}</div>', '<T,>(x: T) => x', '<input value={v as any} />', '{try {} catch {}}',
    ])).join('\n');
    const text = `${r.chance(0.3) ? "'use client';\n" : ''}import React from 'react';\nexport default async function Page() {\n  const data = await fetch(u);\n  return (\n    <main>\n${inner}\n    </main>\n  );\n}\n`;
    return { ...base, fileName: base.fileName.replace(/\.[cm]?[jt]sx?$/, ext), detail: `JSX in ${ext}`, text };
  }
}
