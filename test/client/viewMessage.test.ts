/** The Readiness view's message line (client/src/readiness/viewMessage.ts), e.g. in an untrusted workspace. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { viewMessage } from '../../client/src/readiness/viewMessage';
import { UNTRUSTED_GIT_MESSAGE, type ReadinessResult } from '../../shared/protocol';

const result = (over: Partial<ReadinessResult> = {}): ReadinessResult => ({ state: 'ready', scanned: 0, total: 0, features: [], failing: 0, ...over });
const feature = { name: 'orders', root: '/w', source: 'config', score: 3, files: 2, routes: [], flags: [], items: [] };

describe('Readiness view message', () => {
  it('says why "changed on this branch" is off in an untrusted workspace (the server\'s notice)', () => {
    assert.equal(viewMessage(result({ features: [feature], notice: `Showing all features: ${UNTRUSTED_GIT_MESSAGE}` }), true),
      'Showing all features: Failpath runs git only in trusted workspaces. Trust this folder to compare with the base branch.');
  });

  it('with the scan progress before it, and nothing else', () => {
    assert.equal(viewMessage(result({ state: 'scanning', scanned: 3, total: 10, notice: `Showing all features: ${UNTRUSTED_GIT_MESSAGE}` }), true),
      `Indexing the workspace: 3/10 files… · Showing all features: ${UNTRUSTED_GIT_MESSAGE}`);
  });

  it('names what the filter shows when git answered, and is empty for the whole workspace', () => {
    assert.equal(viewMessage(result({ features: [feature] }), true), 'Features changed on this branch');
    assert.equal(viewMessage(result(), true), 'No feature changed on this branch');
    assert.equal(viewMessage(result({ features: [feature] }), false), undefined);
  });
});
