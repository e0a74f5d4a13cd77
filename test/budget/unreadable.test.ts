// The shared cache keeps only replies their reader can read, and freezing a shared reply never
// recurses: a deep value cannot overflow the stack on its way into the cache.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createUpstreamBudget, type BudgetConfig } from '../../src/budget/budget.js';
import { newCostMeter } from '../../src/budget/cost-meter.js';
import { freezeReply } from '../../src/budget/freeze.js';
import { GhlCore } from '../../src/ghl/core.js';
import { GhlShapeError } from '../../src/ghl/errors.js';
import { FakeClock } from './fake-clock.js';
import { FakeUpstream, caller, getContact } from './fake-upstream.js';

const cacheOnly: BudgetConfig = {
  cache: { ttlMs: 60_000, maxEntries: 100 },
  coalesce: true,
  governor: false,
  retry: false,
};
const envelope = z.object({ contact: z.object({ id: z.string() }) });

function setup(bodies: unknown[]) {
  const clock = new FakeClock();
  const upstream = new FakeUpstream(clock, (_call, _caller, index) => ({
    status: 200,
    body: bodies[Math.min(index, bodies.length - 1)],
  }));
  const budget = createUpstreamBudget(upstream.send, cacheOnly, clock);
  const core = () => new GhlCore(budget.sendFor(newCostMeter()), caller('t1'));
  return { upstream, budget, core };
}

describe('what the shared cache keeps', () => {
  it.each([
    ['a wrong shape', { contact: 'oops' }],
    ['no body', undefined],
    ['a list where the record belongs', { contact: [] }],
  ])('a 2xx with %s is a typed error and is not cached: the next read asks GHL again', async (_label, bad) => {
    const { upstream, budget, core } = setup([bad, { contact: { id: 'a' } }]);
    await expect(core().run(getContact('a'), envelope)).rejects.toBeInstanceOf(GhlShapeError);
    expect(budget.stats().cacheEntries).toBe(0);
    await expect(core().run(getContact('a'), envelope)).resolves.toEqual({ contact: { id: 'a' } });
    expect(upstream.count()).toBe(2);
    // The readable one is cached.
    await core().run(getContact('a'), envelope);
    expect(upstream.count()).toBe(2);
    expect(budget.stats().cacheEntries).toBe(1);
  });

  it('a reply whose envelope parses is parsed once, by the check that let it into the cache', async () => {
    let parses = 0;
    const counted = z.preprocess((v) => {
      parses += 1;
      return v;
    }, envelope);
    const { core } = setup([{ contact: { id: 'a' } }]);
    await core().run(getContact('a'), counted);
    expect(parses).toBe(1);
    // A cache hit is parsed by its reader.
    await core().run(getContact('a'), counted);
    expect(parses).toBe(2);
  });
});

describe('freezeReply', () => {
  it('freezes a value nested 10,000 levels deep without recursion', () => {
    let body: unknown = { id: 'bottom' };
    for (let i = 0; i < 10_000; i++) body = { inner: body };
    const reply = freezeReply({ status: 200, headers: {}, body });
    let cursor = reply.body as { inner?: unknown };
    let levels = 0;
    while (cursor.inner !== undefined) {
      expect(Object.isFrozen(cursor)).toBe(true);
      cursor = cursor.inner as { inner?: unknown };
      levels += 1;
    }
    expect(levels).toBe(10_000);
    expect(Object.isFrozen(cursor)).toBe(true);
  });
});
