import { describe, expect, it } from 'vitest';
import { createUpstreamBudget, type BudgetConfig } from '../../src/budget/budget.js';
import { newCostMeter } from '../../src/budget/cost-meter.js';
import { FakeClock } from './fake-clock.js';
import { FakeUpstream, caller, getContact, searchContacts, updateContact } from './fake-upstream.js';

const cacheOnly: BudgetConfig = {
  cache: { ttlMs: 60_000, maxEntries: 1000 },
  coalesce: false,
  governor: false,
  retry: false,
};

/** An upstream holding contacts whose names change when a PUT arrives. */
function contactStore(clock: FakeClock, delays: { read?: number; write?: number } = {}) {
  const names = new Map<string, string>([
    ['a', 'Ann'],
    ['b', 'Bob'],
  ]);
  const upstream = new FakeUpstream(clock, (call) => {
    const id = call.path.split('/')[2] ?? '';
    if (call.method === 'PUT') {
      names.set(id, (call.body as { firstName: string }).firstName);
      return { status: 200, body: { succeded: true }, delayMs: delays.write };
    }
    // The reply is computed when the call starts: what GHL would have read at that moment.
    return { status: 200, body: { contact: { id, firstName: names.get(id) } }, delayMs: delays.read };
  });
  return { upstream, names };
}

function nameOf(reply: { body: unknown }): unknown {
  return (reply.body as { contact: { firstName: string } }).contact.firstName;
}

describe('read cache', () => {
  it('serves a repeated read from the cache and counts the hit', async () => {
    const clock = new FakeClock();
    const { upstream } = contactStore(clock);
    const budget = createUpstreamBudget(upstream.send, cacheOnly, clock);
    const meter = newCostMeter();
    const send = budget.sendFor(meter);
    await send(getContact('a'), caller('t1'));
    const second = await send(getContact('a'), caller('t1'));
    expect(nameOf(second)).toBe('Ann');
    expect(upstream.count()).toBe(1);
    expect(meter).toMatchObject({ upstreamCalls: 1, cacheHits: 1 });
    expect(budget.stats().cacheEntries).toBe(1);
  });

  it('never shares an entry between two tenants, even with the same location claim', async () => {
    const clock = new FakeClock();
    const { upstream } = contactStore(clock);
    const budget = createUpstreamBudget(upstream.send, cacheOnly, clock);
    const send = budget.sendFor(newCostMeter());
    await send(getContact('a'), caller('t1', 'loc-1'));
    await send(getContact('a'), caller('t2', 'loc-1'));
    expect(upstream.count()).toBe(2);
    await send(getContact('a'), caller('t1', 'loc-1'));
    await send(getContact('a'), caller('t2', 'loc-1'));
    expect(upstream.count()).toBe(2);
    expect(upstream.calls.map((c) => c.caller.tenant)).toEqual(['t1', 't2']);
  });

  it('returns the new data when a read follows a write', async () => {
    const clock = new FakeClock();
    const { upstream } = contactStore(clock);
    const budget = createUpstreamBudget(upstream.send, cacheOnly, clock);
    const send = budget.sendFor(newCostMeter());
    expect(nameOf(await send(getContact('a'), caller('t1')))).toBe('Ann');
    await send(updateContact('a', { firstName: 'Anna' }), caller('t1'));
    expect(nameOf(await send(getContact('a'), caller('t1')))).toBe('Anna');
    expect(upstream.count()).toBe(3);
  });

  it('lets a write evict only the reads that share its tags', async () => {
    const clock = new FakeClock();
    const { upstream } = contactStore(clock);
    const budget = createUpstreamBudget(upstream.send, cacheOnly, clock);
    const send = budget.sendFor(newCostMeter());
    await send(getContact('a'), caller('t1'));
    await send(getContact('b'), caller('t1'));
    await send(updateContact('a', { firstName: 'Anna' }), caller('t1'));
    expect(budget.stats().cacheEntries).toBe(1);
    await send(getContact('b'), caller('t1'));
    expect(upstream.count('contacts.get')).toBe(2);
    await send(getContact('a'), caller('t1'));
    expect(upstream.count('contacts.get')).toBe(3);
  });

  it("evicts the same location's reads of other tenants, and nothing of other locations", async () => {
    const clock = new FakeClock();
    const { upstream } = contactStore(clock);
    const budget = createUpstreamBudget(upstream.send, cacheOnly, clock);
    const send = budget.sendFor(newCostMeter());
    await send(getContact('a'), caller('t1', 'loc-1'));
    await send(getContact('a'), caller('t2', 'loc-1'));
    await send(getContact('a'), caller('t3', 'loc-2'));
    await send(updateContact('a'), caller('t2', 'loc-1'));
    expect(budget.stats().cacheEntries).toBe(1);
    await send(getContact('a'), caller('t3', 'loc-2'));
    expect(upstream.count('contacts.get')).toBe(3);
  });

  it('does not let a read that a write overtook repopulate the cache', async () => {
    const clock = new FakeClock();
    const { upstream } = contactStore(clock, { read: 100, write: 10 });
    const budget = createUpstreamBudget(upstream.send, cacheOnly, clock);
    const send = budget.sendFor(newCostMeter());
    // The read starts first (and reads the old name), the write lands and finishes while it is out.
    const staleRead = send(getContact('a'), caller('t1'));
    const write = send(updateContact('a', { firstName: 'Anna' }), caller('t1'));
    await clock.run(write);
    expect(nameOf(await clock.run(staleRead))).toBe('Ann');
    expect(budget.stats().cacheEntries).toBe(0);
    expect(nameOf(await clock.run(send(getContact('a'), caller('t1'))))).toBe('Anna');
    expect(upstream.count()).toBe(3);
  });

  it('neither serves nor stores writes', async () => {
    const clock = new FakeClock();
    const { upstream } = contactStore(clock);
    const budget = createUpstreamBudget(upstream.send, cacheOnly, clock);
    const send = budget.sendFor(newCostMeter());
    await send(updateContact('a', { firstName: 'X' }), caller('t1'));
    await send(updateContact('a', { firstName: 'X' }), caller('t1'));
    expect(upstream.count()).toBe(2);
    expect(budget.stats().cacheEntries).toBe(0);
  });

  it('keeps the cache after a write GHL refused as invalid, but evicts after a 5xx', async () => {
    const clock = new FakeClock();
    let writeStatus = 422;
    const upstream = new FakeUpstream(clock, (call) =>
      call.method === 'PUT' ? { status: writeStatus } : { status: 200, body: {} },
    );
    const budget = createUpstreamBudget(upstream.send, cacheOnly, clock);
    const send = budget.sendFor(newCostMeter());
    await send(getContact('a'), caller('t1'));
    await send(updateContact('a'), caller('t1'));
    expect(budget.stats().cacheEntries).toBe(1);
    writeStatus = 502;
    await send(updateContact('a'), caller('t1'));
    expect(budget.stats().cacheEntries).toBe(0);
  });

  it('caches only 2xx replies', async () => {
    const clock = new FakeClock();
    const upstream = new FakeUpstream(clock, () => ({ status: 404, body: { message: 'no such contact' } }));
    const budget = createUpstreamBudget(upstream.send, cacheOnly, clock);
    const send = budget.sendFor(newCostMeter());
    await send(getContact('gone'), caller('t1'));
    await send(getContact('gone'), caller('t1'));
    expect(upstream.count()).toBe(2);
  });

  it('caches the search POST by its body, whatever the key order', async () => {
    const clock = new FakeClock();
    const upstream = new FakeUpstream(clock, () => ({ status: 200, body: { contacts: [] } }));
    const budget = createUpstreamBudget(upstream.send, cacheOnly, clock);
    const send = budget.sendFor(newCostMeter());
    await send(searchContacts({ locationId: 'loc-1', query: 'ann', pageLimit: 20 }), caller('t1'));
    await send(searchContacts({ pageLimit: 20, query: 'ann', locationId: 'loc-1' }), caller('t1'));
    expect(upstream.count()).toBe(1);
    await send(searchContacts({ locationId: 'loc-1', query: 'bob', pageLimit: 20 }), caller('t1'));
    expect(upstream.count()).toBe(2);
  });

  it('keys GET reads by their query, ignoring undefined values and order', async () => {
    const clock = new FakeClock();
    const upstream = new FakeUpstream(clock, () => ({ status: 200, body: { contacts: [] } }));
    const budget = createUpstreamBudget(upstream.send, cacheOnly, clock);
    const send = budget.sendFor(newCostMeter());
    const list = (query: Record<string, string | number | undefined>) => ({
      ...getContact('x'),
      operation: 'contacts.list',
      path: '/contacts/',
      query,
    });
    await send(list({ locationId: 'loc-1', limit: 20 }), caller('t1'));
    await send(list({ limit: 20, startAfterId: undefined, locationId: 'loc-1' }), caller('t1'));
    expect(upstream.count()).toBe(1);
    await send(list({ locationId: 'loc-1', limit: 50 }), caller('t1'));
    expect(upstream.count()).toBe(2);
  });

  it('expires entries after their TTL', async () => {
    const clock = new FakeClock();
    const { upstream } = contactStore(clock);
    const budget = createUpstreamBudget(upstream.send, { ...cacheOnly, cache: { ttlMs: 1000, maxEntries: 10 } }, clock);
    const send = budget.sendFor(newCostMeter());
    await send(getContact('a'), caller('t1'));
    await clock.advance(999);
    await send(getContact('a'), caller('t1'));
    expect(upstream.count()).toBe(1);
    await clock.advance(2);
    await send(getContact('a'), caller('t1'));
    expect(upstream.count()).toBe(2);
  });

  it('drops every entry of a location on evictLocation, and tagged ones on evict', async () => {
    const clock = new FakeClock();
    const { upstream } = contactStore(clock);
    const budget = createUpstreamBudget(upstream.send, cacheOnly, clock);
    const send = budget.sendFor(newCostMeter());
    await send(getContact('a'), caller('t1', 'loc-1'));
    await send(getContact('b'), caller('t2', 'loc-1'));
    await send(getContact('a'), caller('t3', 'loc-2'));
    budget.evict('loc-2', 't9', ['contact:b']);
    expect(budget.stats().cacheEntries).toBe(3);
    budget.evict('loc-2', 't9', ['contact:a']);
    expect(budget.stats().cacheEntries).toBe(2);
    budget.evictLocation('loc-1');
    expect(budget.stats().cacheEntries).toBe(0);
  });

  it('hands out replies that cannot be changed by one reader for the others', async () => {
    const clock = new FakeClock();
    const { upstream } = contactStore(clock);
    const budget = createUpstreamBudget(upstream.send, cacheOnly, clock);
    const send = budget.sendFor(newCostMeter());
    const reply = await send(getContact('a'), caller('t1'));
    expect(() => {
      (reply.body as { contact: { firstName: string } }).contact.firstName = 'Mallory';
    }).toThrow(TypeError);
    expect(nameOf(await send(getContact('a'), caller('t1')))).toBe('Ann');
  });
});
