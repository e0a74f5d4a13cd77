// The REST client against the sandbox over real HTTP: every endpoint, GHL's envelopes, scopes,
// 403s, rate limits, ids refused before any call, and each fault as its own typed error.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { GhlCaller } from '../../src/ghl/call.js';
import { GhlClient } from '../../src/ghl/client.js';
import {
  GhlBadInputError,
  GhlBadJsonError,
  GhlError,
  GhlForbiddenError,
  GhlNetworkError,
  GhlNotFoundError,
  GhlRateLimitedError,
  GhlServerError,
  GhlShapeError,
  GhlTimeoutError,
  GhlUnauthorizedError,
  GhlValidationError,
} from '../../src/ghl/errors.js';
import { errorFromReply } from '../../src/ghl/reply.js';
import { createTransport, type Transport } from '../../src/ghl/transport.js';
import { sandboxFixtures } from '../../src/sandbox/fixtures.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/server.js';

const { sunrise, harbor } = sandboxFixtures;
let sandbox: Sandbox;
let transport: Transport;

function caller(token: string, locationId: string | undefined = sunrise.locationId): GhlCaller {
  return { token, tenant: createHash('sha256').update(token).digest('hex'), locationId };
}
let reader: GhlClient;
let writer: GhlClient;

beforeAll(async () => {
  sandbox = await startSandbox({ rateLimit: 0 });
  transport = createTransport({
    baseUrl: sandbox.url,
    connectTimeoutMs: 1000,
    headersTimeoutMs: 300,
    bodyTimeoutMs: 300,
    requestTimeoutMs: 2000,
  });
  reader = new GhlClient(transport.send, caller(sandbox.tokens[0]!.readOnly));
  writer = new GhlClient(transport.send, caller(sandbox.tokens[0]!.readWrite));
});
afterAll(async () => {
  await transport.close();
  await sandbox.close();
});
beforeEach(() => {
  sandbox.setFaults([]);
  sandbox.resetStats();
});

async function failure(promise: Promise<unknown>): Promise<GhlError> {
  const error = await promise.then(
    () => new Error('expected a failure'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GhlError);
  return error as GhlError;
}

describe('reads', () => {
  it('gets a contact, its tasks, notes and appointments', async () => {
    const contact = await reader.contacts.get(sunrise.richContactId);
    expect(contact).toMatchObject({
      id: sunrise.richContactId,
      email: sunrise.richContactEmail,
      locationId: sunrise.locationId,
    });
    expect((await reader.tasks.list(sunrise.richContactId)).map((t) => t.id).sort()).toEqual(
      Object.values(sunrise.taskIds).sort(),
    );
    expect((await reader.tasks.get(sunrise.richContactId, sunrise.taskIds.pending)).id).toBe(sunrise.taskIds.pending);
    expect((await reader.notes.list(sunrise.richContactId)).map((n) => n.id).sort()).toEqual(
      [...sunrise.noteIds].sort(),
    );
    expect((await reader.notes.get(sunrise.richContactId, sunrise.noteIds[0])).id).toBe(sunrise.noteIds[0]);
    const events = await reader.appointments.listForContact(sunrise.richContactId);
    expect(events.map((e) => e.id).sort()).toEqual([...sunrise.appointmentIds].sort());
    expect(sandbox.stats().total).toBe(6);
  });

  it('lists contacts with the startAfter cursor, each once', async () => {
    const seen = new Set<string>();
    let cursor: { startAfterId?: string; startAfter?: number } = {};
    for (let i = 0; i < 10; i += 1) {
      const page = await reader.contacts.list({ limit: 100, ...cursor });
      page.contacts.forEach((c) => seen.add(c.id));
      if (page.contacts.length < 100 || !page.meta?.startAfterId) break;
      cursor = { startAfterId: page.meta.startAfterId, startAfter: Number(page.meta.startAfter) };
    }
    expect(seen.size).toBeGreaterThanOrEqual(200);
  });

  it('searches with searchAfter cursors, each contact once', async () => {
    const seen: string[] = [];
    let searchAfter: Array<string | number> | undefined;
    let total = 0;
    for (let i = 0; i < 10; i += 1) {
      const page = await reader.contacts.search({
        pageLimit: 100,
        ...(searchAfter ? { searchAfter } : {}),
        sort: [{ field: 'dateAdded', direction: 'asc' }],
      });
      total = page.total ?? 0;
      seen.push(...page.contacts.map((c) => c.id));
      const last = page.contacts.at(-1);
      if (!last?.searchAfter || page.contacts.length < 100) break;
      searchAfter = last.searchAfter;
    }
    expect(seen.length).toBe(total);
    expect(new Set(seen).size).toBe(total);
  });

  it('refuses a sort field GHL does not document before any call', async () => {
    const error = await failure(
      reader.contacts.search({ pageLimit: 5, sort: [{ field: 'firstName' as never, direction: 'asc' }] }),
    );
    expect(error).toBeInstanceOf(GhlBadInputError);
    expect((error as GhlBadInputError).field).toBe('sort.0.field');
    expect(sandbox.stats().total).toBe(0);
  });

  it('lists contacts of a business, with their count', async () => {
    const page = await reader.contacts.byBusiness(sunrise.businessId, { limit: 10 });
    expect(new Set(page.contacts.map((c) => c.id))).toEqual(new Set(sunrise.businessContactIds));
    expect(page.count).toBe(sunrise.businessContactIds.length);
    expect(page.contacts.every((c) => c.listedAs === 'list')).toBe(true);
  });

  it("marks search records as search's own shape; the street comes as address1; by id, DND has RCS", async () => {
    const page = await reader.contacts.search({
      pageLimit: 5,
      filters: [{ field: 'id', operator: 'eq', value: sunrise.richContactId }],
    });
    const [listed] = page.contacts;
    const full = await reader.contacts.get(sunrise.richContactId);
    expect(listed).toMatchObject({
      id: sunrise.richContactId,
      listedAs: 'search',
      address1: full.address1,
      city: full.city,
    });
    expect(full.address1).toEqual(expect.any(String));
    // Absent, not null: the reader can tell a field search lacks from one GHL stores empty.
    expect(listed?.website).toBeUndefined();
    expect(listed?.dndSettings).toBeUndefined();
    expect(full.website).toEqual(expect.any(String));
    expect(full.dndSettings?.RCS).toEqual({ status: 'inactive', message: '', code: '' });
    expect(full).not.toHaveProperty('listedAs');
  });

  it('an unknown contact is GhlNotFoundError', async () => {
    const error = await failure(reader.contacts.get('NoSuchContact0000000'));
    expect(error).toBeInstanceOf(GhlNotFoundError);
    expect((error as GhlNotFoundError).status).toBe(404);
  });
});

describe('writes', () => {
  it('creates, updates, completes and deletes a task; GHL envelopes and codes', async () => {
    const task = await writer.tasks.create(sunrise.bareContactId, {
      title: 'Send brochure',
      dueDate: '2031-01-01T10:00:00Z',
    });
    expect(task).toMatchObject({ title: 'Send brochure', completed: false });
    const updated = await writer.tasks.update(sunrise.bareContactId, task.id, {
      title: 'Send brochure v2',
      dueDate: '2031-01-02T10:00:00Z',
    });
    expect(updated).toMatchObject({ title: 'Send brochure v2', dueDate: '2031-01-02T10:00:00.000Z' });
    expect((await writer.tasks.setCompleted(sunrise.bareContactId, task.id, true)).completed).toBe(true);
    expect(await writer.tasks.delete(sunrise.bareContactId, task.id)).toBe(true);
    expect(await failure(reader.tasks.get(sunrise.bareContactId, task.id))).toBeInstanceOf(GhlNotFoundError);
  });

  it('sends due dates as GHL takes them: UTC, whole seconds (the sandbox refuses milliseconds)', async () => {
    const task = await writer.tasks.create(sunrise.bareContactId, {
      title: 'Call',
      dueDate: '2031-01-01T10:00:00.250+02:00',
    });
    expect(task.dueDate).toBe('2031-01-01T08:00:00.000Z');
    // A due date as GHL returns it, milliseconds included, goes back without them.
    const moved = await writer.tasks.update(sunrise.bareContactId, task.id, {
      title: 'Call',
      dueDate: '2031-01-03T09:30:00.999Z',
    });
    expect(moved.dueDate).toBe('2031-01-03T09:30:00.000Z');
    expect(await writer.tasks.delete(sunrise.bareContactId, task.id)).toBe(true);
  });

  it('refuses a task update without title or dueDate before any call: GHL needs both', async () => {
    sandbox.resetStats();
    const error = await failure(
      writer.tasks.update(sunrise.richContactId, sunrise.taskIds.pending, { title: 'Only a title' } as never),
    );
    expect(error).toBeInstanceOf(GhlBadInputError);
    expect((error as GhlBadInputError).field).toBe('dueDate');
    expect(sandbox.stats().total).toBe(0);
  });

  it('adds and removes tags (the removal is a DELETE with a body)', async () => {
    await writer.tags.add(sunrise.bareContactId, ['alpha', 'beta']);
    expect((await reader.contacts.get(sunrise.bareContactId)).tags).toEqual(expect.arrayContaining(['alpha', 'beta']));
    await writer.tags.remove(sunrise.bareContactId, ['alpha']);
    const tags = (await reader.contacts.get(sunrise.bareContactId)).tags;
    expect(tags).toContain('beta');
    expect(tags).not.toContain('alpha');
  });

  it('creates, updates and deletes a contact and a note', async () => {
    const contact = await writer.contacts.create({ firstName: 'Rita', email: 'rita@example.org' });
    expect(contact.locationId).toBe(sunrise.locationId);
    expect((await writer.contacts.update(contact.id, { city: 'Austin' }))?.city).toBe('Austin');
    const note = await writer.notes.create(contact.id, { body: 'first call went well' });
    expect((await writer.notes.update(contact.id, note.id, { body: 'edited' })).body).toBe('edited');
    expect(await writer.notes.delete(contact.id, note.id)).toBe(true);
    expect(await writer.contacts.delete(contact.id)).toBe(true);
    expect(await failure(reader.contacts.get(contact.id))).toBeInstanceOf(GhlNotFoundError);
  });

  it('GHL-side validation failures are GhlValidationError with the message list', async () => {
    // The client checks bodies itself, so send an invalid one straight through the transport.
    const call = {
      operation: 'tasks.create',
      method: 'POST' as const,
      path: `/contacts/${sunrise.bareContactId}/tasks`,
      version: '2021-07-28' as const,
      access: 'write' as const,
      tags: [],
      body: { body: 'no title' },
    };
    const token = sandbox.tokens[0]!.readWrite;
    const reply = await transport.send(call, caller(token));
    expect(reply.status).toBe(422);
    const error = errorFromReply(call, reply, token);
    expect(error).toBeInstanceOf(GhlValidationError);
    expect(error.details.length).toBeGreaterThan(0);
  });
});

describe('scopes and locations', () => {
  it("a read-only token writing gets GHL's 401 scope error", async () => {
    const error = await failure(
      reader.tasks.create(sunrise.bareContactId, { title: 'x', dueDate: '2031-01-01T00:00:00Z' }),
    );
    expect(error).toBeInstanceOf(GhlUnauthorizedError);
    expect((error as GhlUnauthorizedError).ghlMessage).toBe('The token is not authorized for this scope.');
  });

  it("a token of one location reading another's contact gets 403", async () => {
    const error = await failure(reader.contacts.get(harbor.richContactId));
    expect(error).toBeInstanceOf(GhlForbiddenError);
    expect((error as GhlForbiddenError).ghlMessage).toBe('The token does not have access to this location.');
  });

  it('a bad token gets 401 and the error never contains it', async () => {
    const bogus = 'eyJhbGciOiJIUzI1NiJ9.eyJhIjoxfQ.bogus-signature-bogus';
    const error = await failure(new GhlClient(transport.send, caller(bogus)).contacts.get(sunrise.richContactId));
    expect(error).toBeInstanceOf(GhlUnauthorizedError);
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain(bogus);
  });
});

describe('ids are validated before any call', () => {
  it.each([['../locations/x'], [''], ['x'.repeat(10_000)], ['a/b'], ['a?b=c'], ['%2e%2e']])('%j', async (id) => {
    const error = await failure(reader.contacts.get(id));
    expect(error).toBeInstanceOf(GhlBadInputError);
    expect((error as GhlBadInputError).field).toBe('contactId');
    await failure(reader.tasks.get(sunrise.richContactId, id));
    await failure(writer.tags.add(id, ['x']));
    expect(sandbox.stats().total).toBe(0);
  });

  it('write bodies are validated before any call', async () => {
    const error = await failure(writer.tasks.create(sunrise.bareContactId, { title: 'x', dueDate: 'next week' }));
    expect(error).toBeInstanceOf(GhlBadInputError);
    expect((error as GhlBadInputError).field).toBe('dueDate');
    expect(sandbox.stats().total).toBe(0);
  });
});

describe('faults become typed errors', () => {
  const route = 'GET /contacts/{contactId}';
  it('500 → GhlServerError', async () => {
    sandbox.setFaults([{ kind: 'error500', route }]);
    expect(await failure(reader.contacts.get(sunrise.richContactId))).toBeInstanceOf(GhlServerError);
  });
  it('429 → GhlRateLimitedError with Retry-After', async () => {
    sandbox.setFaults([{ kind: 'rate429', route, retryAfterSeconds: 3 }]);
    const error = await failure(reader.contacts.get(sunrise.richContactId));
    expect(error).toBeInstanceOf(GhlRateLimitedError);
    expect((error as GhlRateLimitedError).retryAfterMs).toBe(3000);
  });
  it('a hanging response → GhlTimeoutError that really ends', async () => {
    sandbox.setFaults([{ kind: 'hang', route }]);
    const started = Date.now();
    const error = await failure(reader.contacts.get(sunrise.richContactId));
    expect(error).toBeInstanceOf(GhlTimeoutError);
    expect(Date.now() - started).toBeLessThan(5000);
  });
  it('malformed JSON → GhlBadJsonError', async () => {
    sandbox.setFaults([{ kind: 'malformedJson', route }]);
    expect(await failure(reader.contacts.get(sunrise.richContactId))).toBeInstanceOf(GhlBadJsonError);
  });
  it('a body of the wrong shape → GhlShapeError', async () => {
    sandbox.setFaults([{ kind: 'badShape', route }]);
    expect(await failure(reader.contacts.get(sunrise.richContactId))).toBeInstanceOf(GhlShapeError);
  });
  it('nothing listening → GhlNetworkError', async () => {
    const dead = createTransport({
      baseUrl: 'http://127.0.0.1:9',
      connectTimeoutMs: 500,
      headersTimeoutMs: 500,
      bodyTimeoutMs: 500,
      requestTimeoutMs: 1000,
    });
    const error = await failure(new GhlClient(dead.send, caller('x'.repeat(20))).contacts.get(sunrise.richContactId));
    expect(error).toBeInstanceOf(GhlNetworkError);
    await dead.close();
  });
});

describe('rate limits', () => {
  it('every reply carries the X-RateLimit headers and the limit answers 429', async () => {
    sandbox.configure({ rateLimit: { max: 3, intervalMs: 60_000 } });
    try {
      const token = sandbox.tokens[0]!.readOnly;
      const send = () =>
        transport.send(
          {
            operation: 'contacts.get',
            method: 'GET',
            path: `/contacts/${sunrise.richContactId}`,
            version: '2021-07-28',
            access: 'read',
            tags: [],
          },
          caller(token),
        );
      const replies = [await send(), await send(), await send(), await send()];
      expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 429]);
      expect(replies[0]!.headers['x-ratelimit-max']).toBe('3');
      expect(replies[2]!.headers['x-ratelimit-remaining']).toBe('0');
      expect(replies[0]!.headers['x-ratelimit-interval-milliseconds']).toBe('60000');
      expect(replies[0]!.headers['x-ratelimit-limit-daily']).toBeDefined();
      expect(replies[0]!.headers['x-ratelimit-daily-remaining']).toBeDefined();
      expect(await failure(reader.contacts.get(sunrise.richContactId))).toBeInstanceOf(GhlRateLimitedError);
    } finally {
      sandbox.configure({ rateLimit: 0 });
    }
  });
});

describe('headers GHL requires', () => {
  it('the sandbox refuses a call without the Version header, as GHL does', async () => {
    const response = await fetch(`${sandbox.url}/contacts/${sunrise.richContactId}`, {
      headers: { authorization: `Bearer ${sandbox.tokens[0]!.readOnly}` },
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ message: 'version header was not found.' });
  });
});
