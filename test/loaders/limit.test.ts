// The per-request fan-out limit: how many tasks run at once, counted, never timed.
import { describe, expect, it } from 'vitest';
import { createLimit, type Width } from '../../src/loaders/limit.js';

/** Queues `n` tasks that stay unfinished until released; reports how many have started. */
function fanOut(width: Width, n: number) {
  const limit = createLimit(width);
  const releases: Array<() => void> = [];
  const done = Promise.all(
    Array.from({ length: n }, (_, i) => limit(() => new Promise<number>((resolve) => releases.push(() => resolve(i))))),
  );
  return {
    started: () => releases.length,
    /** Lets every task started so far finish, then waits for the limit to start the next ones. */
    async finishStarted() {
      for (const release of releases.splice(0)) release();
      await new Promise((resolve) => setImmediate(resolve));
    },
    done,
  };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('createLimit', () => {
  it('starts everything up to the cap when nothing else bounds it', async () => {
    const run = fanOut({ cap: 3 }, 10);
    await turn();
    expect(run.started()).toBe(3);
  });

  it('starts only as many as the budget says may start now, spending one answer per turn', async () => {
    let asked = 0;
    const run = fanOut({ cap: 100, startable: () => ((asked += 1), 4) }, 10);
    await turn();
    expect(run.started()).toBe(4);
    // The ten tasks queued in one turn read the budget once; each start is spent from that answer.
    expect(asked).toBe(1);
  });

  it('widens again as the budget reopens, and all tasks finish in order of their keys', async () => {
    let startable = 2;
    const run = fanOut({ cap: 100, startable: () => startable }, 6);
    await turn();
    expect(run.started()).toBe(2);
    startable = 10;
    await run.finishStarted();
    expect(run.started()).toBe(4);
    await run.finishStarted();
    expect(await run.done).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('keeps one task running when the budget is spent, instead of stalling', async () => {
    const run = fanOut({ cap: 100, startable: () => 0 }, 3);
    await turn();
    expect(run.started()).toBe(1);
    await run.finishStarted();
    expect(run.started()).toBe(1);
    await run.finishStarted();
    await run.finishStarted();
    expect(await run.done).toEqual([0, 1, 2]);
  });

  it('passes a failure to its own caller only', async () => {
    const limit = createLimit({ cap: 1 });
    const failed = limit(() => Promise.reject(new Error('boom')));
    const fine = limit(() => Promise.resolve('ok'));
    await expect(failed).rejects.toThrow('boom');
    await expect(fine).resolves.toBe('ok');
  });
});
