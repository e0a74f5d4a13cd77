import { describe, expect, it } from 'vitest';
import { createUpstreamBudget } from '../../src/budget/budget.js';
import { newCostMeter } from '../../src/budget/cost-meter.js';
import { cacheEvictionHandler } from '../../src/events/cache-eviction.js';
import { installHandler } from '../../src/events/install-handler.js';
import { read, type GhlCaller } from '../../src/ghl/call.js';
import { childReadTags, type InstallChange } from '../../src/ghl/changes.js';
import { changeOf } from '../support/changes.js';

const event = (type: string, fields: Record<string, unknown> = {}) =>
  changeOf({ type, locationId: 'locA', webhookId: `wh-${type}`, timestamp: '2026-03-01T12:00:00Z', ...fields });

function fakeBudget() {
  const calls: unknown[][] = [];
  return {
    calls,
    budget: {
      evict: (locationId: string | undefined, tenant: string, tags: string[]) =>
        void calls.push(['evict', locationId, tenant, tags]),
      evictLocation: (locationId: string) => void calls.push(['evictLocation', locationId]),
    },
  };
}

describe('cache eviction handler', () => {
  it('evicts the tags of the event for its location', async () => {
    const { budget, calls } = fakeBudget();
    const handle = cacheEvictionHandler(budget);
    await handle(event('ContactTagUpdate', { id: 'c1' }));
    await handle(event('TaskComplete', { id: 't1', contactId: 'c1' }));
    await handle(event('AppointmentDelete', { appointment: { id: 'a1', contactId: 'c1' } }));
    await handle(event('INSTALL'));
    expect(calls).toEqual([
      ['evict', 'locA', 'location:locA', ['contact:c1', 'contact-lists']],
      ['evict', 'locA', 'location:locA', ['tasks:c1']],
      ['evict', 'locA', 'location:locA', ['appointments:c1']],
    ]);
  });

  it("evicts every contact's notes, and only those, when a note event does not say whose note", async () => {
    const { budget, calls } = fakeBudget();
    await cacheEvictionHandler(budget)(event('NoteUpdate', { id: 'n1' }));
    expect(calls).toEqual([['evict', 'locA', 'location:locA', ['notes']]]);
  });

  it('drops the whole location when a contact event does not say which contact', async () => {
    const { budget, calls } = fakeBudget();
    await cacheEvictionHandler(budget)(event('ContactUpdate', {}));
    expect(calls).toEqual([['evictLocation', 'locA']]);
  });

  it('on UNINSTALL drops the location; the install handler routes it to the credential store', async () => {
    const { budget, calls } = fakeBudget();
    await cacheEvictionHandler(budget)(event('UNINSTALL'));
    expect(calls).toEqual([['evictLocation', 'locA']]);
    const seen: InstallChange[] = [];
    const handle = installHandler({ onInstall: async (c) => seen.push(c), onUninstall: async (c) => seen.push(c) });
    await handle(event('UNINSTALL'));
    await handle(event('INSTALL', { companyId: 'coA' }));
    await handle(event('ContactCreate', { id: 'c1' }));
    expect(seen.map((c) => [c.kind, c.locationIds])).toEqual([
      ['uninstall', ['locA']],
      ['install', ['locA']],
    ]);
  });

  it('makes the real budget read again what the webhook changed, and only that', async () => {
    let upstream = 0;
    const budget = createUpstreamBudget(
      async () => ((upstream += 1), { status: 200, headers: {}, body: { tasks: [] } }),
      { cache: { ttlMs: 60_000, maxEntries: 100 }, coalesce: false, governor: false, retry: false },
    );
    // A pass-through caller: its tenant is a token hash, not the location; eviction still finds it.
    const caller: GhlCaller = { token: 't', tenant: 'token-hash-1', locationId: 'locA' };
    const send = budget.sendFor(newCostMeter());
    const tasks = read('tasks.list', '/contacts/c1/tasks', childReadTags('task', 'c1'));
    const tasksOfC2 = read('tasks.list', '/contacts/c2/tasks', childReadTags('task', 'c2'));
    const notes = read('notes.list', '/contacts/c1/notes', childReadTags('note', 'c1'));
    await send(tasks, caller);
    await send(notes, caller);
    expect(upstream).toBe(2);

    await cacheEvictionHandler(budget)(event('TaskCreate', { id: 't9', contactId: 'c1' }));
    await send(tasks, caller);
    await send(notes, caller);
    expect(upstream).toBe(3);

    // A TaskCreate that does not say whose task it is: every task list goes, the notes stay.
    await send(tasksOfC2, caller);
    expect(upstream).toBe(4);
    await cacheEvictionHandler(budget)(event('TaskCreate', { id: 't10' }));
    await send(tasks, caller);
    await send(tasksOfC2, caller);
    await send(notes, caller);
    expect(upstream).toBe(6);
  });
});
