/**
 * What the extension manifest and the JSON schema promise, checked against the code: every
 * .failpath.json shipped in examples/ and in the test fixtures validates (schema and parser),
 * the schema, the settings and the engine agree on the flag providers and logger styles, every
 * palette command has a category and a title, the walkthrough's media exist.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { parse as parseJsonc } from 'jsonc-parser';
import { parseConfigFile } from '../../server/src/engine/configFile';
import { FLAG_PROVIDERS } from '../../server/src/engine/config';
import { RULE_IDS } from '../../server/src/rules';

const repo = path.join(__dirname, '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));
const schema = JSON.parse(fs.readFileSync(path.join(repo, 'schemas/failpath.schema.json'), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

function configFiles(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === '.vscode-test') continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) configFiles(p, out);
    else if (e.name === '.failpath.json') out.push(p);
  }
  return out;
}

describe('example and fixture .failpath.json files', () => {
  const files = [...configFiles(path.join(repo, 'examples')), ...configFiles(path.join(repo, 'test'))];
  it('there are some (examples/shop-api and the e2e workspace at least)', () => {
    const rel = files.map((f) => path.relative(repo, f).split(path.sep).join('/'));
    assert.ok(rel.includes('examples/shop-api/.failpath.json'), rel.join(', '));
    assert.ok(rel.includes('test/e2e/fixtures/workspace/catalog/.failpath.json'), rel.join(', '));
  });
  for (const file of files) {
    it(`${path.relative(repo, file)} validates against the schema and parses without problems`, () => {
      const text = fs.readFileSync(file, 'utf8');
      assert.ok(validate(parseJsonc(text)), JSON.stringify(validate.errors));
      assert.deepEqual(parseConfigFile(text, RULE_IDS).problems, []);
    });
  }
});

describe('schema, settings and engine agree', () => {
  it('flag providers', () => {
    const settingsEnum = manifest.contributes.configuration.properties['failpath.flags'].properties.provider.enum;
    assert.deepEqual(schema.properties.flagProvider.properties.provider.enum, [...FLAG_PROVIDERS]);
    assert.deepEqual(settingsEnum, [...FLAG_PROVIDERS]);
  });
  it('the schema rejects an unknown provider, accepts flagsmith and configcat', () => {
    assert.equal(validate({ flagProvider: { provider: 'split' } }), false);
    assert.ok(validate({ flagProvider: { provider: 'flagsmith', name: 'flagsmith', import: './flags' } }), JSON.stringify(validate.errors));
    assert.ok(validate({ flagProvider: { provider: 'configcat' } }), JSON.stringify(validate.errors));
    assert.deepEqual(parseConfigFile('{ "flagProvider": { "provider": "configcat", "name": "cc" } }', RULE_IDS).problems, []);
  });
});

describe('extension manifest', () => {
  it('every command has the Failpath category and a title of two or more words', () => {
    const commands = manifest.contributes.commands as { command: string; title: string; category?: string }[];
    assert.ok(commands.length >= 3);
    for (const c of commands) {
      assert.equal(c.category, 'Failpath', c.command);
      assert.match(c.title, /^[A-Z][a-z]+(?: [A-Za-z…]+)+$/, `${c.command}: "${c.title}"`);
      assert.ok(!c.title.toLowerCase().includes('failpath'), `${c.command}: the category already says Failpath`);
    }
  });
  it('the walkthrough: steps with titles, descriptions and media that exist', () => {
    const [walkthrough] = manifest.contributes.walkthroughs;
    assert.equal(walkthrough.id, 'failpath.gettingStarted');
    assert.ok(walkthrough.steps.length >= 3);
    for (const step of walkthrough.steps) {
      assert.ok(step.title && step.description, step.id);
      assert.ok(fs.existsSync(path.join(repo, step.media.markdown)), step.media.markdown);
    }
  });
  it('jsonValidation points at the schema file', () => {
    assert.deepEqual(manifest.contributes.jsonValidation, [{ fileMatch: '.failpath.json', url: './schemas/failpath.schema.json' }]);
  });
});
