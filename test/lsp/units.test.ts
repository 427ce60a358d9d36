/**
 * Unit tests of the server's helpers that need no server process: the per-URI debouncer (stale
 * work is aborted, never published), the settings cache (pulled once per URI, problems reported
 * once, defaults on failure) and the URI → file name mapping.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Debouncer } from '../../server/src/lsp/debounce';
import { SettingsCache } from '../../server/src/lsp/settings';
import { fileNameFor, isSupportedDocument } from '../../server/src/lsp/convert';
import { wanted } from '../../server/src/lsp/codeActions';
import { RULE_IDS } from '../../server/src/rules';
import { gate } from './helpers';

function settle(ms = 0): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

describe('Debouncer', () => {
  it('runs only the last task scheduled for a key', async () => {
    const d = new Debouncer();
    const ran: number[] = [];
    const done = gate();
    for (let i = 1; i <= 5; i++) d.schedule('a', 5, () => { ran.push(i); if (i === 5) done.open(); });
    await done.promise;
    assert.deepEqual(ran, [5]);
  });

  it('aborts a running task when the key is scheduled again', async () => {
    const d = new Debouncer();
    const held = gate();
    const started = gate();
    const outcome: string[] = [];
    d.schedule('a', 0, async (signal) => {
      started.open();
      await held.promise;
      outcome.push(signal.aborted ? 'v1 aborted' : 'v1 published');
    });
    await started.promise;
    const second = gate();
    d.schedule('a', 0, (signal) => { outcome.push(signal.aborted ? 'v2 aborted' : 'v2 published'); second.open(); });
    held.open();
    await second.promise;
    await settle();
    assert.deepEqual(outcome.sort(), ['v1 aborted', 'v2 published']);
  });

  it('keys are independent; cancel() and dispose() stop pending work', async () => {
    const d = new Debouncer();
    const ran: string[] = [];
    const done = gate();
    d.schedule('a', 5, () => { ran.push('a'); });
    d.schedule('b', 5, () => { ran.push('b'); done.open(); });
    d.cancel('a');
    await done.promise;
    d.schedule('c', 5, () => { ran.push('c'); });
    assert.equal(d.has('c'), true);
    d.dispose();
    assert.equal(d.has('c'), false);
    await settle(20);
    assert.deepEqual(ran, ['b']);
  });

  it('a failing task is reported and does not stop later ones', async () => {
    const errors: string[] = [];
    const d = new Debouncer((key, err) => errors.push(`${key}: ${(err as Error).message}`));
    const done = gate();
    d.schedule('a', 0, () => { throw new Error('boom'); });
    await settle(5);
    d.schedule('a', 0, async () => { throw new Error('async boom'); });
    await settle(5);
    d.schedule('a', 0, () => done.open());
    await done.promise;
    assert.deepEqual(errors, ['a: boom', 'a: async boom']);
  });
});

describe('SettingsCache', () => {
  it('pulls once per URI until reset, and normalises', async () => {
    const pulled: string[] = [];
    const cache = new SettingsCache({ pull: async (uri) => { pulled.push(uri); return { timeoutMs: 3000 }; }, warn: () => {} }, RULE_IDS);
    assert.equal((await cache.get('file:///a.ts')).config.timeoutMs, 3000);
    await cache.get('file:///a.ts');
    await cache.get('file:///b.ts');
    assert.deepEqual(pulled, ['file:///a.ts', 'file:///b.ts']);
    cache.reset();
    await cache.get('file:///a.ts');
    assert.deepEqual(pulled, ['file:///a.ts', 'file:///b.ts', 'file:///a.ts']);
  });

  it('reports each bad value once and uses the default', async () => {
    const warnings: string[] = [];
    const cache = new SettingsCache({ pull: async () => ({ timeoutMs: -1, logger: { name: 'log', style: 'loud' } }), warn: (m) => warnings.push(m) }, RULE_IDS);
    const a = (await cache.get('file:///a.ts')).config;
    await cache.get('file:///b.ts');
    cache.reset();
    await cache.get('file:///a.ts');
    assert.equal(a.timeoutMs, 10000);
    assert.equal(a.logger, undefined);
    assert.deepEqual(warnings, [
      'Setting failpath.timeoutMs: expected a whole number of milliseconds between 1 and 3600000; using 10000',
      'Setting failpath.logger.style: expected one of pino|winston|bunyan|console; ignoring the logger setting',
    ]);
  });

  it('a failing pull gives the defaults, reported once', async () => {
    const warnings: string[] = [];
    const cache = new SettingsCache({ pull: async () => { throw new Error('no workspace'); }, warn: (m) => warnings.push(m) }, RULE_IDS);
    assert.equal((await cache.get('file:///a.ts')).config.enable, true);
    await cache.get('file:///b.ts');
    assert.deepEqual(warnings, ['Could not read the failpath settings: no workspace; using the defaults.']);
  });

  it('without pull, pushed settings apply to every document and survive a plain reset', async () => {
    const cache = new SettingsCache({ warn: () => {} }, RULE_IDS);
    assert.equal((await cache.get('file:///a.ts')).config.timeoutMs, 10000);
    cache.reset({ timeoutMs: 1234 });
    assert.deepEqual(await cache.get('file:///a.ts').then((s) => [s.raw, s.config.timeoutMs]), [{ timeoutMs: 1234 }, 1234]);
    cache.reset();
    assert.equal((await cache.get('file:///b.ts')).config.timeoutMs, 1234);
  });
});

describe('convert', () => {
  it('file names: paths for files, the language\'s extension when missing', () => {
    assert.equal(fileNameFor('file:///home/u/app/src/a.ts', 'typescript'), '/home/u/app/src/a.ts');
    assert.equal(fileNameFor('file:///home/u/app/bin/run', 'javascript'), '/home/u/app/bin/run.js');
    assert.equal(fileNameFor('untitled:Untitled-1', 'typescriptreact'), 'Untitled-1.tsx');
    assert.equal(fileNameFor('vscode-vfs://github/acme/shop/src/a%20b.mts', 'typescript'), '/acme/shop/src/a b.mts');
  });
  it('supported documents: by language id, else by extension', () => {
    assert.equal(isSupportedDocument('file:///a.vue', 'typescript'), true);
    assert.equal(isSupportedDocument('file:///a.cjs', 'plaintext'), true);
    assert.equal(isSupportedDocument('file:///a.d.ts', 'plaintext'), false);
    assert.equal(isSupportedDocument('file:///README.md', 'markdown'), false);
  });
  it('code action kinds: `only` prefixes; source actions only on request', () => {
    assert.equal(wanted(undefined, 'quickfix'), true);
    assert.equal(wanted(undefined, 'source.fixAll.failpath'), false);
    assert.equal(wanted(['source'], 'source.fixAll.failpath'), true);
    assert.equal(wanted(['source.fixAll'], 'source.fixAll.failpath'), true);
    assert.equal(wanted(['source.fix'], 'source.fixAll.failpath'), false);
    assert.equal(wanted(['refactor'], 'refactor.rewrite'), true);
    assert.equal(wanted(['refactor.extract'], 'refactor.rewrite'), false);
  });
});
