/** The crash-restart policy of the VS Code client (client/src/restartPolicy.ts). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RestartPolicy, describeDuration, type CrashDecision } from '../../client/src/restartPolicy';

const show = (d: CrashDecision) => (d.action === 'restart' ? `restart ${d.attempt}/${d.maxRestarts} after ${d.delayMs}` : `stop after ${d.crashes}`);

describe('RestartPolicy', () => {
  it('restarts 4 times with a doubling backoff, then stops (defaults)', () => {
    const p = new RestartPolicy();
    const decisions = [0, 2_000, 5_000, 10_000, 20_000].map((t) => show(p.onCrash(t)));
    assert.deepEqual(decisions, ['restart 1/4 after 1000', 'restart 2/4 after 2000', 'restart 3/4 after 4000', 'restart 4/4 after 8000', 'stop after 5']);
  });

  it('caps the backoff', () => {
    const p = new RestartPolicy({ maxRestarts: 10, windowMs: 60_000, baseDelayMs: 500, maxDelayMs: 3000 });
    assert.deepEqual([0, 1, 2, 3, 4, 5].map((t) => (p.onCrash(t) as { delayMs: number }).delayMs), [500, 1000, 2000, 3000, 3000, 3000]);
  });

  it('forgets crashes older than the window: a server that crashes now and then is always restarted', () => {
    const p = new RestartPolicy({ maxRestarts: 2, windowMs: 60_000, baseDelayMs: 1000, maxDelayMs: 8000 });
    // at 70 s the crash at 0 is out of the window; at 200 s both earlier ones are
    assert.deepEqual([0, 50_000, 70_000, 200_000, 201_000].map((t) => show(p.onCrash(t))),
      ['restart 1/2 after 1000', 'restart 2/2 after 2000', 'restart 2/2 after 2000', 'restart 1/2 after 1000', 'restart 2/2 after 2000']);
    // three within a minute: stop
    assert.equal(show(p.onCrash(202_000)), 'stop after 3');
  });

  it('a reset (the user restarted the server) gives a fresh budget', () => {
    const p = new RestartPolicy({ maxRestarts: 1, windowMs: 60_000, baseDelayMs: 100, maxDelayMs: 100 });
    assert.equal(show(p.onCrash(0)), 'restart 1/1 after 100');
    assert.equal(show(p.onCrash(1)), 'stop after 2');
    p.reset();
    assert.equal(show(p.onCrash(2)), 'restart 1/1 after 100');
  });

  it('describes durations for the messages', () => {
    assert.deepEqual([180_000, 60_000, 1000, 8000, 90_000].map(describeDuration), ['3 minutes', '1 minute', '1 second', '8 seconds', '90 seconds']);
  });
});
