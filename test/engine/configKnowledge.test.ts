/**
 * `.failpath.json` "knowledge" in engine/configFile.ts and the JSON schema: the README's example is
 * valid for both, each bad shape is reported at its exact spot (a missing field on its entry), the
 * bad entry is left out and the good ones kept, and the schema refuses what the parser refuses.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { parse as parseJsonc } from 'jsonc-parser';
import { parseConfigFile } from '../../server/src/engine/configFile';
import { RULE_IDS } from '../../server/src/rules';
import { MAX_ENTRIES } from '../../server/src/knowledge/user';

const repo = path.join(__dirname, '..', '..');
const schema = JSON.parse(fs.readFileSync(path.join(repo, 'schemas/failpath.schema.json'), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

/** Each problem as [the text it underlines, severity, message]. */
function spots(text: string): [string, string, string][] {
  return parseConfigFile(text, RULE_IDS).problems.map((p) => [text.slice(p.start, p.end), p.severity, p.message]);
}

/** The README's `jsonc` block that declares "knowledge". */
function readmeExample(): string {
  const readme = fs.readFileSync(path.join(repo, 'README.md'), 'utf8');
  const block = [...readme.matchAll(/```jsonc\n([\s\S]*?)```/g)].map((m) => m[1]).find((b) => b.includes('"knowledge"'));
  assert.ok(block, 'README.md has a jsonc example of "knowledge"');
  return block;
}

describe('.failpath.json "knowledge"', () => {
  it("the README's example: no problem for the parser, valid for the schema, one record per entry", () => {
    const text = readmeExample();
    const parsed = parseConfigFile(text, RULE_IDS);
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(parsed.knowledge?.map((r) => r.id), [
      'user:http:@acme/http', 'user:http:./src/quotes', 'user:logger:~/services/logger.server', 'user:flags:@/lib/rollout#gate', 'user:limiter:./src/middleware/guards',
    ]);
    assert.ok(validate(parseJsonc(text)), JSON.stringify(validate.errors));
  });

  it('is no unknown key any more, and without it there are no records', () => {
    assert.deepEqual(spots('{ "knowledge": {} }'), []);
    assert.deepEqual(parseConfigFile('{ "knowledge": {} }').knowledge, []);
    assert.equal(parseConfigFile('{ "timeoutMs": 5 }').knowledge, undefined);
  });

  it('reports each bad shape at its exact spot, in file order; unknown keys are warnings on the key', () => {
    const text = [
      '{',
      '  "knowledge": {',
      '    "loggers": [{ "module": "/abs/log", "style": "loud" }],',
      '    "httpClients": [{ "module": "@acme/http", "timeoutOption": "timeout ms", "calls": [{ "method": "get", "options": 7 }], "retries": 2 }],',
      '    "flagHelpers": [{ "module": "./flags", "export": "isOn", "kind": "client" }],',
      '    "limiters": "rateLimit",',
      '    "caches": []',
      '  }',
      '}',
    ].join('\n');
    assert.deepEqual(spots(text), [
      ['"/abs/log"', 'error', 'knowledge.loggers[0].module: "/abs/log" is not a module specifier (write it as the code imports it)'],
      ['"loud"', 'error', "knowledge.loggers[0].style: expected the call shape of its methods: one of pino, bunyan, winston, log4js, nestjs (pino/bunyan: logger.error({ err }, 'msg'); winston: logger.error('msg', { error }); log4js: logger.error('msg', err); nestjs: logger.error('msg', stack))"],
      ['"timeout ms"', 'error', 'knowledge.httpClients[0].timeoutOption: expected an identifier'],
      ['7', 'error', 'knowledge.httpClients[0].calls[0].options: expected the index (0-5) of the options argument'],
      ['"retries"', 'warning', 'knowledge.httpClients[0].retries: unknown key "retries"; expected one of module, factory, timeoutOption, defaultTimeoutMs, calls'],
      ['{ "module": "./flags", "export": "isOn", "kind": "client" }', 'error', 'knowledge.flagHelpers[0].method: required: the name the code uses'],
      ['"rateLimit"', 'error', 'knowledge.limiters: expected an array'],
      ['"caches"', 'warning', 'knowledge.caches: unknown key "caches"; expected one of httpClients, loggers, flagHelpers, limiters'],
    ]);
    assert.equal(validate(parseJsonc(text)), false, 'the schema refuses it too');
  });

  it('a value that is no object is reported on it; a bad entry is left out and the good ones kept', () => {
    assert.deepEqual(spots('{ "knowledge": [] }'), [['[]', 'error', 'knowledge: expected an object with httpClients, loggers, flagHelpers, limiters']]);
    const text = '{ "knowledge": { "limiters": [{ "module": "./a", "exports": [] }, { "module": "./b" }], "loggers": [7] } }';
    assert.deepEqual(spots(text), [
      ['[]', 'error', 'knowledge.limiters[0].exports: expected a non-empty array of the exported limiter names (omit it when every export is one)'],
      ['7', 'error', 'knowledge.loggers[0]: expected an object'],
    ]);
    assert.deepEqual(parseConfigFile(text).knowledge?.map((r) => r.id), ['user:limiter:./b']);
    assert.equal(validate(parseJsonc(text)), false);
  });

  it('reads at most MAX_ENTRIES entries of a section (a hostile file is read in linear time) and says so at the first one left out', () => {
    const limiters = Array.from({ length: 100_000 }, (_, i) => ({ module: `@acme/limits-${i}` }));
    const text = JSON.stringify({ knowledge: { limiters } });
    const parsed = parseConfigFile(text);
    assert.equal(MAX_ENTRIES, 500);
    assert.equal(parsed.knowledge?.length, MAX_ENTRIES);
    assert.deepEqual(parsed.problems.map((p) => [text.slice(p.start, p.end), p.message]), [
      [JSON.stringify(limiters[MAX_ENTRIES]), `knowledge.limiters[${MAX_ENTRIES}]: more than ${MAX_ENTRIES} entries; this one and those after it are ignored`],
    ]);
    assert.equal(validate(parseJsonc(text)), false, 'the schema says maxItems too');
  });

  it('the schema agrees with the parser on each section', () => {
    const valid = [
      { httpClients: [{ module: './lib/http', timeoutOption: 'deadline', defaultTimeoutMs: 5000, calls: [{ options: 0 }, { method: 'post', options: 2, httpMethod: 'POST' }] }] },
      { loggers: [{ module: '@acme/log', export: 'default', style: 'nestjs' }] },
      { flagHelpers: [{ module: '#flags', export: 'flags', kind: 'client', method: 'isEnabled', async: true }] },
      { limiters: [{ module: '~/middleware/limits' }] },
    ];
    for (const k of valid) {
      const text = JSON.stringify({ knowledge: k });
      assert.deepEqual(spots(text), [], text);
      assert.ok(validate(parseJsonc(text)), `${text}: ${JSON.stringify(validate.errors)}`);
    }
    const invalid = [
      { httpClients: [{ module: '@acme/http', timeoutOption: 't', calls: [] }] },
      { loggers: [{ module: './log' }] },
      { flagHelpers: [{ module: './flags', export: 'isOn', method: 'check' }] },
      { limiters: [{ exports: ['apiLimiter'] }] },
    ];
    for (const k of invalid) {
      const text = JSON.stringify({ knowledge: k });
      assert.equal(spots(text).length, 1, text);
      assert.equal(validate(parseJsonc(text)), false, text);
    }
  });
});
