// Task automation against the sandbox over real HTTP, through the upstream budget as the gateway
// runs it: one task per rule and event whatever GHL redelivers, whenever the process dies, and
// whatever GHL answers. Tasks are counted at the sandbox.
import { createHash } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AutomationRunError, automationHandler } from '../../src/automation/handler.js';
import { openLedger, type Ledger, type LedgerChange } from '../../src/automation/ledger.js';
import { parseRules, type Rule } from '../../src/automation/rules.js';
import { budgetFromConfig } from '../../src/server/budget.js';
import { newCostMeter } from '../../src/budget/cost-meter.js';
import type { UpstreamBudget } from '../../src/budget/budget.js';
import { loadConfig } from '../../src/server/config.js';
import type { GhlCaller, GhlSend } from '../../src/ghl/call.js';
import { GhlClient } from '../../src/ghl/client.js';
import { GhlTimeoutError } from '../../src/ghl/errors.js';
import { createTransport, type Transport } from '../../src/ghl/transport.js';
import type { EventHandler } from '../../src/events/processor.js';
import { sandboxFixtures } from '../../src/sandbox/fixtures.js';
import { changeOf } from '../support/changes.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/server.js';

const { sunrise } = sandboxFixtures;
const CREATE = 'POST /contacts/{contactId}/tasks';
let sandbox: Sandbox;
let transport: Transport;
let budget: UpstreamBudget;
let writer: GhlClient;
let dir: string;

function caller(token: string, locationId: string): GhlCaller {
  return { token, tenant: createHash('sha256').update(token).digest('hex'), locationId };
}

/** A handler fed GHL payloads, decoded as the webhook receiver decodes them. */
function fromPayload(handler: EventHandler) {
  return (payload: Record<string, unknown>) => handler(changeOf(payload));
}

/** As the lead will build it: the location's credential, every call inside the shared budget. */
function clientFor(wrap: (send: GhlSend) => GhlSend = (s) => s) {
  return (locationId: string) => {
    const tokens = sandbox.tokens.find((t) => t.locationId === locationId);
    if (!tokens) throw new Error(`no credential for ${locationId}`);
    return new GhlClient(wrap(budget.sendFor(newCostMeter())), caller(tokens.readWrite, locationId));
  };
}

beforeAll(async () => {
  sandbox = await startSandbox({ rateLimit: 0 });
  transport = createTransport({
    baseUrl: sandbox.url,
    connectTimeoutMs: 1000,
    headersTimeoutMs: 400,
    bodyTimeoutMs: 400,
    requestTimeoutMs: 2000,
  });
  // The default budget: a 30 s read cache, coalescing, the governor, retries of reads.
  budget = budgetFromConfig(transport.send, loadConfig({}));
  writer = new GhlClient(transport.send, caller(sandbox.tokens[0]!.readWrite, sunrise.locationId));
  dir = await mkdtemp(path.join(tmpdir(), 'automation-'));
});
afterAll(async () => {
  await transport.close();
  await sandbox.close();
});
beforeEach(() => {
  sandbox.setFaults([]);
  sandbox.resetStats();
});

let fileCount = 0;
const ledgerFile = () => path.join(dir, `ledger-${(fileCount += 1)}.jsonl`);

const RULES = parseRules({
  rules: [
    {
      id: 'welcome',
      on: 'contact.created',
      when: { tags: ['new-lead'] },
      task: { title: 'Welcome call: {{contact.name}}', body: 'Source: {{contact.source || "unknown"}}', dueIn: '1d' },
    },
    {
      id: 'hot',
      on: 'contact.tagAdded',
      when: { tagAdded: 'hot' },
      task: { title: 'Hot lead {{contact.firstName}}: {{tag}}', dueIn: '4h' },
    },
    {
      id: 'prep',
      on: 'appointment.booked',
      task: {
        title: 'Prepare {{appointment.title}} with {{contact.firstName || "them"}}',
        body: 'Starts {{appointment.startTime}}',
        dueIn: '2h',
      },
    },
  ],
});

let contactCount = 0;
async function newContact(tags: string[] = ['new-lead']): Promise<string> {
  contactCount += 1;
  const contact = await writer.contacts.create({
    firstName: 'Ana',
    lastName: `Test${contactCount}`,
    email: `ana.${contactCount}.${Date.now()}@example.com`,
    source: 'website',
    ...(tags.length > 0 ? { tags } : {}),
  });
  return contact.id;
}
const taskCount = async (contactId: string) => (await writer.tasks.list(contactId)).length;
const creates = () => sandbox.stats().byRoute[CREATE] ?? 0;

function contactCreated(contactId: string, webhookId: string, tags: string[] = ['new-lead']) {
  return {
    type: 'ContactCreate',
    locationId: sunrise.locationId,
    id: contactId,
    firstName: 'Ana',
    name: 'Ana Test',
    source: 'website',
    tags,
    timestamp: new Date().toISOString(),
    webhookId,
  };
}

async function handlerOn(ledger: Ledger, wrap?: (send: GhlSend) => GhlSend, rules: Rule[] = RULES) {
  return fromPayload(automationHandler({ rules, ledger, clientFor: clientFor(wrap) }));
}

describe('exactly once', () => {
  it('an event delivered three times creates one task', async () => {
    const contactId = await newContact();
    const ledger = await openLedger({ file: ledgerFile() });
    const handle = await handlerOn(ledger);
    const event = contactCreated(contactId, 'wh-three-times');
    for (let i = 0; i < 3; i += 1) await handle(event);
    expect(await taskCount(contactId)).toBe(1);
    expect(creates()).toBe(1);
    const runs = ledger.runs.list({ locationId: sunrise.locationId, limit: 10 });
    expect(runs.map((r) => r.status)).toEqual(['duplicate', 'duplicate', 'created']);
    expect(runs[2]).toMatchObject({
      ruleId: 'welcome',
      webhookId: 'wh-three-times',
      eventType: 'ContactCreate',
      contactId,
    });
    const [task] = await writer.tasks.list(contactId);
    expect(task).toMatchObject({ id: runs[2]!.taskId, title: 'Welcome call: Ana Test', completed: false });
    expect(task!.body).toBe('Source: website\n\n[automation welcome/wh-three-times]');
    await ledger.close();
  });

  it('three concurrent deliveries create one task', async () => {
    const contactId = await newContact();
    const ledger = await openLedger({ file: ledgerFile() });
    const handle = await handlerOn(ledger);
    const event = contactCreated(contactId, 'wh-concurrent');
    await Promise.all([handle(event), handle({ ...event }), handle({ ...event })]);
    expect(await taskCount(contactId)).toBe(1);
    expect(creates()).toBe(1);
    await ledger.close();
  });

  it('a crash after GHL made the task (writing "done" fails) ends with one task after a restart', async () => {
    const contactId = await newContact();
    const file = ledgerFile();
    // GraphQL traffic has cached the contact's (empty) task list in the shared budget.
    await clientFor()(sunrise.locationId).tasks.list(contactId);
    const crashing = await openLedger({
      file,
      beforeWrite: (change: LedgerChange) => {
        if (change.entry?.state === 'done') throw new Error('process died');
      },
    });
    const event = contactCreated(contactId, 'wh-crash-after');
    await expect((await handlerOn(crashing))(event)).rejects.toThrow(/process died/);
    expect(await taskCount(contactId)).toBe(1);

    // Redelivered in the same process first: still started, so it reconciles, and the cached
    // list does not fool it (the create evicted it).
    await expect((await handlerOn(crashing))(event)).rejects.toThrow(/process died/);
    expect(creates()).toBe(1);
    await crashing.close();

    const restarted = await openLedger({ file });
    expect(restarted.get(`welcome/wh-crash-after`)?.state).toBe('started');
    await (
      await handlerOn(restarted)
    )(event);
    expect(await taskCount(contactId)).toBe(1);
    expect(creates()).toBe(1);
    const [run] = restarted.runs.list({ locationId: sunrise.locationId, limit: 1 });
    expect(run).toMatchObject({ status: 'created', reason: 'found the task of an interrupted attempt' });
    expect(restarted.get('welcome/wh-crash-after')).toMatchObject({ state: 'done', taskId: run!.taskId });
    await (
      await handlerOn(restarted)
    )(event);
    expect(restarted.runs.list({ locationId: sunrise.locationId, limit: 1 })[0]?.status).toBe('duplicate');
    await restarted.close();
  });

  it('a crash before the GHL call ("started" written, nothing sent) creates the task on redelivery', async () => {
    const contactId = await newContact();
    const file = ledgerFile();
    let dead = false;
    const dying = await openLedger({
      file,
      beforeWrite: () => {
        if (dead) throw new Error('process died');
      },
    });
    const dieOnCreate =
      (send: GhlSend): GhlSend =>
      (call, who, signal) => {
        if (call.operation === 'tasks.create') {
          dead = true;
          return Promise.reject(new Error('process died before sending'));
        }
        return send(call, who, signal);
      };
    const event = contactCreated(contactId, 'wh-crash-before');
    await expect((await handlerOn(dying, dieOnCreate))(event)).rejects.toThrow(AutomationRunError);
    expect(creates()).toBe(0);
    dead = false;
    await dying.close();

    const restarted = await openLedger({ file });
    expect(restarted.get('welcome/wh-crash-before')?.state).toBe('started');
    await (
      await handlerOn(restarted)
    )(event);
    expect(await taskCount(contactId)).toBe(1);
    expect(creates()).toBe(1);
    expect(restarted.runs.list({ locationId: sunrise.locationId, limit: 1 })[0]).toMatchObject({ status: 'created' });
    expect(restarted.runs.list({ locationId: sunrise.locationId, limit: 1 })[0]?.reason).toBeUndefined();
    await restarted.close();
  });

  it('a GHL failure is recorded as failed and the redelivery creates the task once', async () => {
    const contactId = await newContact();
    const ledger = await openLedger({ file: ledgerFile() });
    const handle = await handlerOn(ledger);
    sandbox.setFaults([{ kind: 'error500', route: CREATE, count: 1 }]);
    const event = contactCreated(contactId, 'wh-ghl-500');
    const error = await handle(event).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AutomationRunError);
    expect((error as AutomationRunError).failures.map((f) => f.ruleId)).toEqual(['welcome']);
    expect(ledger.runs.list({ locationId: sunrise.locationId, limit: 1 })[0]).toMatchObject({
      status: 'failed',
      reason: expect.stringContaining('500'),
    });
    expect(await taskCount(contactId)).toBe(0);

    await handle(event);
    await handle(event);
    expect(await taskCount(contactId)).toBe(1);
    expect(ledger.runs.list({ locationId: sunrise.locationId, limit: 3 }).map((r) => r.status)).toEqual([
      'duplicate',
      'created',
      'failed',
    ]);
    await ledger.close();
  });

  it('a create whose answer was lost (timeout, but GHL made it) is found, not repeated', async () => {
    const contactId = await newContact();
    const ledger = await openLedger({ file: ledgerFile() });
    // GHL makes the task, and its answer never arrives (a timeout or a dropped connection).
    let lose = true;
    const loseAnswer =
      (send: GhlSend): GhlSend =>
      async (call, who, signal) => {
        const reply = await send(call, who, signal);
        if (call.operation === 'tasks.create' && lose) {
          lose = false;
          throw new GhlTimeoutError(call.operation, 'headers');
        }
        return reply;
      };
    const handle = await handlerOn(ledger, loseAnswer);
    const event = contactCreated(contactId, 'wh-lost-answer');
    await expect(handle(event)).rejects.toThrow(/timed out/);
    expect(ledger.runs.list({ locationId: sunrise.locationId, limit: 1 })[0]?.status).toBe('failed');
    expect(await taskCount(contactId)).toBe(1);

    await handle(event);
    expect(await taskCount(contactId)).toBe(1);
    expect(creates()).toBe(1);
    expect(ledger.runs.list({ locationId: sunrise.locationId, limit: 1 })[0]).toMatchObject({
      status: 'created',
      reason: 'found the task of an interrupted attempt',
    });
    await ledger.close();
  });
});

describe('matching against GHL', () => {
  it('an event no rule matches does nothing: no GHL call, no record', async () => {
    const contactId = await newContact(['other']);
    const ledger = await openLedger({ file: ledgerFile() });
    const handle = await handlerOn(ledger);
    sandbox.resetStats();
    await handle(contactCreated(contactId, 'wh-no-tag', ['other'])); // welcome needs new-lead
    await handle({
      type: 'NoteCreate',
      locationId: sunrise.locationId,
      id: 'n1',
      contactId,
      body: 'x',
      webhookId: 'wh-note',
    });
    await handle({ type: 'INSTALL', locationId: sunrise.locationId, webhookId: 'wh-install' });
    expect(sandbox.stats().total).toBe(0);
    expect(ledger.runs.list({ locationId: sunrise.locationId })).toEqual([]);
    expect(await taskCount(contactId)).toBe(0);
    await ledger.close();
  });

  it('appointment.booked fetches the contact for the title', async () => {
    const contactId = await newContact([]);
    const ledger = await openLedger({ file: ledgerFile() });
    const now = Date.parse('2026-04-01T08:00:00Z');
    const handle = fromPayload(automationHandler({ rules: RULES, ledger, clientFor: clientFor(), now: () => now }));
    await handle({
      type: 'AppointmentCreate',
      locationId: sunrise.locationId,
      appointment: { id: 'apt1', contactId, title: 'House viewing', startTime: '2026-04-02 10:00:00' },
      webhookId: 'wh-apt',
    });
    const [task] = await writer.tasks.list(contactId);
    expect(task).toMatchObject({ title: 'Prepare House viewing with Ana', dueDate: '2026-04-01T10:00:00.000Z' });
    expect(task!.body).toBe('Starts 2026-04-02 10:00:00\n\n[automation prep/wh-apt]');
    await ledger.close();
  });

  it('a contact GHL does not have is a permanent failure: recorded, not retried', async () => {
    const ledger = await openLedger({ file: ledgerFile() });
    const handle = await handlerOn(ledger);
    await handle({
      type: 'AppointmentCreate',
      locationId: sunrise.locationId,
      appointment: { id: 'apt2', contactId: 'nOsuchContact0000001', title: 'Call' },
      webhookId: 'wh-gone',
    });
    expect(ledger.runs.list({ locationId: sunrise.locationId, limit: 1 })[0]).toMatchObject({
      status: 'failed',
      reason: expect.stringContaining('404'),
    });
    await ledger.close();
  });

  it('contact.tagAdded fires once per contact and tag, and again after the tag was removed', async () => {
    const contactId = await newContact([]);
    const file = ledgerFile();
    let ledger = await openLedger({ file });
    let handle = await handlerOn(ledger);
    const at = (s: number) => new Date(Date.parse('2026-05-01T00:00:00Z') + s * 1000).toISOString();
    const tagEvent = (webhookId: string, seconds: number, tags: string[], type = 'ContactTagUpdate') => ({
      type,
      locationId: sunrise.locationId,
      id: contactId,
      firstName: 'Ana',
      tags,
      timestamp: at(seconds),
      webhookId,
    });

    await handle(tagEvent('t1', 1, ['other'])); // no hot tag: nothing
    expect(await taskCount(contactId)).toBe(0);
    await handle(tagEvent('t2', 2, ['other', 'Hot']));
    await handle(tagEvent('t2', 2, ['other', 'Hot'])); // redelivery
    await handle(tagEvent('t3', 3, ['other', 'hot', 'vip'])); // another tag added: hot was not
    await handle(tagEvent('t3u', 3, ['other', 'hot', 'vip'], 'ContactUpdate')); // same change, another event
    expect(await taskCount(contactId)).toBe(1);
    expect((await writer.tasks.list(contactId))[0]?.title).toBe('Hot lead Ana: hot');

    // The state survives a restart.
    await ledger.close();
    ledger = await openLedger({ file });
    handle = await handlerOn(ledger);
    await handle(tagEvent('t4', 4, ['other', 'hot']));
    expect(await taskCount(contactId)).toBe(1);

    await handle(tagEvent('t5', 5, ['other'])); // removed: re-armed
    await handle(tagEvent('t2', 2, ['other', 'Hot'])); // a late redelivery of the old add: not a new add
    expect(await taskCount(contactId)).toBe(1);
    await handle(tagEvent('t6', 6, ['hot'])); // added again
    await handle(tagEvent('t6', 6, ['hot']));
    expect(await taskCount(contactId)).toBe(2);
    const statuses = ledger.runs
      .list({ locationId: sunrise.locationId, limit: 20 })
      .filter((r) => r.ruleId === 'hot')
      .map((r) => r.status);
    expect(statuses).toEqual(['duplicate', 'created', 'duplicate', 'created']);
    await ledger.close();
  });
});
