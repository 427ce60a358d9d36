import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as os from 'node:os';
import Ajv from 'ajv';
import { parse as parseJsonc } from 'jsonc-parser';
import { parseConfigFile, mergeConfigFiles, layerSettings, resolveConfig, ConfigFileLoader, isContainedPattern } from '../../server/src/engine/configFile';
import { normalizeConfig } from '../../server/src/engine/config';
import { RULE_IDS } from '../../server/src/rules';

const repo = path.join(__dirname, '..', '..');
const schema = JSON.parse(fs.readFileSync(path.join(repo, 'schemas/failpath.schema.json'), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

function spot(text: string, p: { start: number; end: number }): string {
  return text.slice(p.start, p.end);
}

describe('.failpath.json', () => {
  it('the example config is valid for the parser and the JSON schema', () => {
    const text = fs.readFileSync(path.join(repo, 'examples/shop-api/.failpath.json'), 'utf8');
    const parsed = parseConfigFile(text, RULE_IDS);
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(Object.keys(parsed.features ?? {}), ['orders', 'catalog']);
    assert.equal(parsed.flags?.['orders-v2'].expires, '2027-06-30');
    assert.equal(parsed.settings.timeoutMs, 5000);
    assert.ok(validate(parseJsonc(text)), JSON.stringify(validate.errors));
  });

  it('reports invalid JSON at the bad spot and keeps going with defaults', () => {
    const text = '{\n  "timeoutMs": 5000,\n  "rules": { "missing-timeout": "error" \n}';
    const parsed = parseConfigFile(text, RULE_IDS);
    assert.ok(parsed.problems.length >= 1);
    assert.match(parsed.problems[0].message, /^Invalid JSON/);
    assert.equal(parsed.problems[0].severity, 'error');
  });

  it('points at wrong types and unknown ids', () => {
    const text = '{ "timeoutMs": "soon", "rules": { "no-such-rule": "error", "missing-timeout": "loud" }, "colour": 1 }';
    const parsed = parseConfigFile(text, RULE_IDS);
    const byText = parsed.problems.map((p) => [spot(text, p), p.severity, p.message.slice(0, 40)]);
    assert.deepEqual(byText.map((b) => b[0]).sort(), ['"colour"', '"loud"', '"no-such-rule"', '"soon"'].sort());
    assert.equal(byText.find((b) => b[0] === '"no-such-rule"')![1], 'warning');
    assert.equal(byText.find((b) => b[0] === '"soon"')![1], 'error');
    assert.equal(validate(parseJsonc(text)), false, 'the schema rejects it too');
  });

  it('rejects globs that leave the folder', () => {
    for (const bad of ['/etc/**', '../other/**', 'src/../../x', 'C:\\x', '~/x']) assert.equal(isContainedPattern(bad), false, bad);
    for (const good of ['src/**', 'packages/*/src/**', '**/*.ts']) assert.equal(isContainedPattern(good), true, good);
    const text = '{ "features": { "a": { "paths": ["src/**", "../secrets/**"] } }, "ignore": ["/tmp/**"] }';
    const parsed = parseConfigFile(text);
    assert.deepEqual(parsed.problems.map((p) => spot(text, p)), ['"../secrets/**"', '"/tmp/**"']);
    assert.deepEqual(parsed.features, Object.create(null));
    assert.equal(validate(parseJsonc(text)), false, 'the schema rejects it too');
  });

  it('checks flag registry dates', () => {
    const text = '{ "flags": { "a": { "expires": "next week" }, "b": { "owner": "x", "expires": "2027-01-31" } } }';
    const parsed = parseConfigFile(text);
    assert.deepEqual(parsed.problems.map((p) => spot(text, p)), ['"next week"']);
    assert.deepEqual(Object.keys(parsed.flags ?? {}), ['b']);
  });

  it('merges nested files (nearest wins, rules per id) and lets editor settings win', () => {
    const outer = parseConfigFile('{ "timeoutMs": 1000, "rules": { "missing-timeout": "error", "no-fallback": "off" } }');
    const inner = parseConfigFile('{ "rules": { "missing-timeout": "warning" }, "ignore": ["gen/**"] }');
    const merged = mergeConfigFiles([outer, inner]);
    assert.deepEqual(merged.settings, { timeoutMs: 1000, rules: { 'missing-timeout': 'warning', 'no-fallback': 'off' } });
    assert.deepEqual(merged.ignore, ['gen/**']);
    assert.deepEqual(layerSettings(merged.settings, { rules: { 'no-fallback': 'info' }, timeoutMs: null }), { timeoutMs: 1000, rules: { 'missing-timeout': 'warning', 'no-fallback': 'info' } });
  });

  it('loads the chain of files from disk and re-reads a changed file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'failpath-config-'));
    fs.mkdirSync(path.join(dir, 'pkg', 'src'), { recursive: true });
    fs.writeFileSync(path.join(dir, '.failpath.json'), '{ "timeoutMs": 1000 }');
    fs.writeFileSync(path.join(dir, 'pkg', '.failpath.json'), '{ "timeoutMs": 2000 }');
    const loader = new ConfigFileLoader(RULE_IDS);
    const chain = loader.chainFor(path.join(dir, 'pkg', 'src', 'a.ts'), dir);
    assert.deepEqual(chain.map((c) => path.relative(dir, c.file)), ['.failpath.json', path.join('pkg', '.failpath.json')]);
    assert.equal(mergeConfigFiles(chain).settings.timeoutMs, 2000);
    fs.writeFileSync(path.join(dir, 'pkg', '.failpath.json'), '{ "timeoutMs": 3000 }');
    const t = new Date(Date.now() + 5000);
    fs.utimesSync(path.join(dir, 'pkg', '.failpath.json'), t, t);
    assert.equal(mergeConfigFiles(loader.chainFor(path.join(dir, 'pkg', 'src', 'a.ts'), dir)).settings.timeoutMs, 3000);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('resolveConfig', () => {
  it('layers editor settings over the file chain and carries flags, features and ignore globs', async () => {
    const { resolveConfig } = await import('../../server/src/engine/configFile');
    const file = { file: '/ws/.failpath.json', ...parseConfigFile('{ "timeoutMs": 4000, "rules": { "missing-timeout": "error" }, "flags": { "f": { "expires": "2026-01-01" } }, "features": { "a": { "paths": ["src/a/**"] } }, "ignore": ["gen/**"] }') };
    const { config, problems } = resolveConfig([file], { rules: { 'missing-timeout': 'off' }, timeoutMs: -1 }, RULE_IDS);
    assert.deepEqual(problems.map((p) => p.path), ['failpath.timeoutMs']);
    assert.equal(config.rules['missing-timeout'].severity, 'off');
    assert.equal(config.flagRegistry?.f.expires, '2026-01-01');
    assert.deepEqual(config.features?.a.paths, ['src/a/**']);
    assert.deepEqual(config.ignore, [{ base: '/ws', patterns: ['gen/**'] }]);
  });
});

describe('prototype keys (__proto__, constructor, prototype) are reported and never applied', () => {
  const MSG = (k: string) => `"${k}" is not allowed as a key (it names an object's prototype); ignoring it and what it holds`;

  it('a top-level "__proto__" no longer hides a silent ignore of everything', () => {
    const text = '{\n  "__proto__": { "ignore": ["**"], "enable": false }\n}\n';
    const parsed = parseConfigFile(text, RULE_IDS);
    assert.deepEqual(parsed.problems.map((p) => [spot(text, p), p.severity, p.message]), [['"__proto__"', 'error', MSG('__proto__')]]);
    assert.equal(parsed.ignore, undefined);
    assert.deepEqual(parsed.settings, {});
    const { config } = resolveConfig([{ file: '/ws/.failpath.json', ...parsed }], undefined, RULE_IDS);
    assert.equal(config.enable, true);
    assert.equal(config.ignore, undefined);
  });

  it('at any depth: in rules, features, flags, a feature, the logger, rule options; each at its key', () => {
    const text = `{
  "rules": { "__proto__": { "severity": "off" }, "missing-timeout": { "severity": "error", "options": { "constructor": 1, "a": { "prototype": 2 } } } },
  "features": { "constructor": { "paths": ["**"] }, "orders": { "paths": ["src/orders/**"], "__proto__": { "owner": "mallory" } } },
  "flags": { "prototype": { "removed": true }, "f": { "expires": "2027-01-01" } },
  "logger": { "name": "log", "__proto__": { "import": "./evil" } }
}`;
    const parsed = parseConfigFile(text, RULE_IDS);
    assert.deepEqual(parsed.problems.map((p) => `${spot(text, p)} ${p.message === MSG(JSON.parse(spot(text, p))) ? 'ok' : p.message}`), [
      '"__proto__" ok', '"constructor" ok', '"prototype" ok', '"constructor" ok', '"__proto__" ok', '"prototype" ok', '"__proto__" ok',
    ]);
    assert.deepEqual(Object.keys(parsed.features!), ['orders']);
    assert.equal(parsed.features!.orders.owner, undefined);
    assert.deepEqual(Object.keys(parsed.flags!), ['f']);
    const { config } = resolveConfig([{ file: '/ws/.failpath.json', ...parsed }], undefined, RULE_IDS);
    assert.deepEqual(Object.keys(config.rules), ['missing-timeout']);
    assert.deepEqual(config.rules['missing-timeout'], { severity: 'error', options: { a: {} } });
    assert.deepEqual(config.logger, { name: 'log', style: 'pino', import: undefined });
  });

  it('user keys live in maps without a prototype: a flag or feature named like an Object method finds nothing', () => {
    const parsed = parseConfigFile('{ "flags": { "f": { "removed": true } }, "features": { "a": { "paths": ["a/**"] } } }');
    const { config } = resolveConfig([{ file: '/ws/.failpath.json', ...parsed }], undefined, RULE_IDS);
    for (const key of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      assert.equal(config.flagRegistry![key], undefined, key);
      assert.equal(config.features![key], undefined, key);
      assert.equal(config.rules[key], undefined, key);
    }
  });

  it('editor settings get the same protection (JSON keeps "__proto__" as an own key; layering must not assign it)', () => {
    const editor = JSON.parse('{ "__proto__": { "enable": false, "timeoutMs": 1 }, "rules": { "constructor": "off", "no-fallback": "off" }, "logger": { "name": "log", "prototype": {} } }');
    const { config, problems } = normalizeConfig(editor, RULE_IDS);
    assert.deepEqual(problems, [
      { path: 'failpath.__proto__', message: MSG('__proto__') },
      { path: 'failpath.rules.constructor', message: MSG('constructor') },
      { path: 'failpath.logger.prototype', message: MSG('prototype') },
    ]);
    assert.equal(config.enable, true);
    assert.deepEqual(Object.keys(config.rules), ['no-fallback']);
    const layered = layerSettings({ timeoutMs: 2000 }, editor);
    assert.equal(Object.getPrototypeOf(layered), Object.prototype);
    assert.deepEqual(layered, { timeoutMs: 2000, rules: { 'no-fallback': 'off' }, logger: { name: 'log' } });
    const resolved = resolveConfig([], editor, RULE_IDS);
    assert.equal(resolved.config.enable, true);
    assert.equal(resolved.config.timeoutMs, 10000);
    assert.deepEqual(resolved.problems.map((p) => p.path), ['failpath.__proto__', 'failpath.rules.constructor', 'failpath.logger.prototype']);
  });

  it('settings nested deeper than 100 levels are dropped with a problem, not a stack overflow', () => {
    const deep = JSON.parse(`{ "rules": { "missing-timeout": { "options": { "x": ${'['.repeat(5000)}${']'.repeat(5000)} } } } }`);
    const { problems } = normalizeConfig(deep, RULE_IDS);
    assert.deepEqual(problems, [{ path: `failpath.rules.missing-timeout.options.x${'.0'.repeat(96)}`, message: 'nested more than 100 levels deep; ignoring it' }]);
    const text = `{ "rules": { "missing-timeout": { "options": { "x": ${'['.repeat(150)}${']'.repeat(150)} } } } }`;
    const parsed = parseConfigFile(text, RULE_IDS);
    assert.deepEqual(parsed.problems.map((p) => [p.start, p.message]), [[text.indexOf('['.repeat(150)) + 96, 'nested more than 100 levels deep; ignoring it']]);
  });
});
