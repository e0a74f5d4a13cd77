// The sandbox's webhooks: GHL's event types and payload fields for every data change, both
// signatures over the raw body, GHL's retry rule (429 only), delivery order, simulated UI edits,
// and silence when no URL is set.

import { verify } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sandboxFixtures } from '../../src/sandbox/fixtures.js';
import { startSandbox } from '../../src/sandbox/server.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { WebhookSigner } from '../../src/sandbox/webhook-keys.js';
import { api } from './helpers.js';
import { startReceiver } from './webhook-receiver.js';
import type { Delivery, Receiver } from './webhook-receiver.js';

const S = sandboxFixtures.sunrise;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const FAST_RETRIES = [10, 10, 10];

let sb: Sandbox;
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
  sb = await startSandbox({ rateLimit: 0, webhooks: { url: receiver.url, retryDelaysMs: FAST_RETRIES } });
});
afterAll(async () => {
  await sb.close();
  await receiver.close();
});
beforeEach(async () => {
  sb.configure({ webhooks: { url: receiver.url, retryDelaysMs: FAST_RETRIES } });
  sb.reset();
  receiver.clear();
});

/** Everything delivered since the test began, once the queue is empty. */
async function delivered(): Promise<Delivery[]> {
  await sb.flushWebhooks();
  return [...receiver.deliveries];
}

function types(deliveries: Delivery[]): string[] {
  return deliveries.map((d) => d.body.type as string);
}

async function control(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${sb.url}/__sandbox${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

describe('keys and signatures', () => {
  it('publishes PEM public keys, in code and at GET /__sandbox/webhook-keys; Ed25519 follows the seed', async () => {
    const { status, body } = await control('GET', '/webhook-keys');
    expect(status).toBe(200);
    expect(body).toEqual(sb.webhookKeys);
    expect(body.ed25519PublicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(body.rsaPublicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(new WebhookSigner(1).publicKeys).toEqual(new WebhookSigner(1).publicKeys);
    expect(new WebhookSigner(2).publicKeys.ed25519PublicKeyPem).not.toBe(new WebhookSigner(1).publicKeys.ed25519PublicKeyPem);
  });

  it('signs the raw body with both keys; a modified body fails both', async () => {
    const res = await api(sb, 'POST', '/contacts/', { body: { locationId: S.locationId, firstName: 'Zoë', email: 'zoe@example.org' } });
    expect(res.status).toBe(201);
    const [hook] = await delivered();
    if (!hook) throw new Error('no webhook');
    expect(hook.headers['content-type']).toBe('application/json');
    const ghlSignature = Buffer.from(String(hook.headers['x-ghl-signature']), 'base64');
    const whSignature = Buffer.from(String(hook.headers['x-wh-signature']), 'base64');
    expect(ghlSignature).toHaveLength(64);
    expect(whSignature).toHaveLength(256);
    expect(verify(null, hook.raw, sb.webhookKeys.ed25519PublicKeyPem, ghlSignature)).toBe(true);
    expect(verify('sha256', hook.raw, sb.webhookKeys.rsaPublicKeyPem, whSignature)).toBe(true);

    const tampered = Buffer.from(hook.raw.toString('utf8').replace('Zoë', 'Zoe'));
    expect(tampered.equals(hook.raw)).toBe(false);
    expect(verify(null, tampered, sb.webhookKeys.ed25519PublicKeyPem, ghlSignature)).toBe(false);
    expect(verify('sha256', tampered, sb.webhookKeys.rsaPublicKeyPem, whSignature)).toBe(false);
    // Re-serialising the parsed body is not how to verify, but it must give the same bytes here.
    expect(Buffer.from(JSON.stringify(hook.body)).equals(hook.raw)).toBe(true);
  });
});

describe('events from API writes', () => {
  it('contact create, update (tags, dnd), tag add/remove, followers and delete', async () => {
    const created = await api(sb, 'POST', '/contacts/', {
      body: { locationId: S.locationId, firstName: 'Nina', lastName: 'Wells', email: 'nina@example.org', phone: '(602) 555-0101', tags: ['Lead'] },
    });
    const id = created.body.contact.id as string;
    await api(sb, 'PUT', `/contacts/${id}`, { body: { city: 'Tempe' } });
    await api(sb, 'PUT', `/contacts/${id}`, { body: { tags: ['buyer'], dnd: true, dndSettings: { SMS: { status: 'active' } } } });
    await api(sb, 'POST', `/contacts/${id}/tags`, { body: { tags: ['VIP'] } });
    await api(sb, 'POST', `/contacts/${id}/tags`, { body: { tags: ['vip'] } }); // already there: no change, no event
    await api(sb, 'DELETE', `/contacts/${id}/tags`, { body: { tags: ['buyer'] } });
    await api(sb, 'POST', `/contacts/${id}/followers`, { body: { followers: ['u1'] } });
    await api(sb, 'DELETE', `/contacts/${id}`);

    const hooks = await delivered();
    expect(types(hooks)).toEqual([
      'ContactCreate',
      'ContactUpdate',
      'ContactUpdate',
      'ContactTagUpdate',
      'ContactDndUpdate',
      'ContactTagUpdate',
      'ContactTagUpdate',
      'ContactUpdate',
      'ContactDelete',
    ]);
    const [create, cityUpdate, , tagsViaPut, dnd, tagAdded, tagRemoved, , deleted] = hooks.map((h) => h.body);
    expect(create).toMatchObject({
      type: 'ContactCreate',
      locationId: S.locationId,
      id,
      firstName: 'Nina',
      lastName: 'Wells',
      name: 'Nina Wells',
      email: 'nina@example.org',
      phone: '+16025550101',
      tags: ['lead'],
      dnd: false,
      customFields: [],
      attachments: [],
      dateAdded: created.body.contact.dateAdded,
    });
    for (const hook of hooks) {
      expect(hook.body.webhookId).toMatch(UUID);
      expect(hook.body.timestamp).toMatch(ISO);
    }
    expect(new Set(hooks.map((h) => h.body.webhookId)).size).toBe(hooks.length);
    expect(cityUpdate).toMatchObject({ type: 'ContactUpdate', id, city: 'Tempe', locationId: S.locationId });
    expect(tagsViaPut).toMatchObject({ id, locationId: S.locationId, tags: ['buyer'] });
    expect(dnd).toMatchObject({ id, dnd: true, dndSettings: { SMS: { status: 'active' } } });
    expect(tagAdded).toMatchObject({ id, locationId: S.locationId, tags: ['buyer', 'vip'] });
    expect(tagRemoved).toMatchObject({ id, tags: ['vip'] });
    expect(deleted).toMatchObject({ type: 'ContactDelete', id, locationId: S.locationId, email: 'nina@example.org' });
  });

  it('upsert announces ContactCreate or ContactUpdate', async () => {
    await api(sb, 'POST', '/contacts/upsert', { body: { locationId: S.locationId, email: 'new.one@example.org' } });
    await api(sb, 'POST', '/contacts/upsert', { body: { locationId: S.locationId, email: S.richContactEmail, city: 'Mesa' } });
    const hooks = await delivered();
    expect(types(hooks)).toEqual(['ContactCreate', 'ContactUpdate']);
    expect(hooks[1]?.body).toMatchObject({ id: S.richContactId, city: 'Mesa' });
  });

  it('tasks: create, complete (only when it becomes true), delete; plain edits send nothing', async () => {
    const base = `/contacts/${S.bareContactId}/tasks`;
    const created = await api(sb, 'POST', base, {
      body: { title: 'Call back', body: 'About the listing', dueDate: '2031-05-01T15:00:00Z', completed: false, assignedTo: 'user1' },
    });
    const taskId = created.body.task.id as string;
    const due = '2031-05-01T15:00:00Z';
    await api(sb, 'PUT', `${base}/${taskId}`, { body: { title: 'Call back soon', dueDate: due } });
    await api(sb, 'PUT', `${base}/${taskId}/completed`, { body: { completed: true } });
    await api(sb, 'PUT', `${base}/${taskId}/completed`, { body: { completed: true } });
    await api(sb, 'PUT', `${base}/${taskId}`, { body: { title: 'Call back soon', dueDate: due, completed: false } });
    await api(sb, 'PUT', `${base}/${taskId}`, { body: { title: 'Call back soon', dueDate: due, completed: true } });
    await api(sb, 'DELETE', `${base}/${taskId}`);

    const hooks = await delivered();
    expect(types(hooks)).toEqual(['TaskCreate', 'TaskComplete', 'TaskComplete', 'TaskDelete']);
    const fields = { id: taskId, contactId: S.bareContactId, locationId: S.locationId, assignedTo: 'user1', body: 'About the listing', dueDate: '2031-05-01T15:00:00.000Z' };
    expect(hooks[0]?.body).toMatchObject({ ...fields, type: 'TaskCreate', title: 'Call back', completed: false, dateAdded: expect.stringMatching(ISO) });
    expect(hooks[1]?.body).toMatchObject({ ...fields, type: 'TaskComplete', title: 'Call back soon', completed: true });
    expect(hooks[3]?.body).toMatchObject({ ...fields, type: 'TaskDelete' });
  });

  it('notes: create, update, delete', async () => {
    const base = `/contacts/${S.richContactId}/notes`;
    const created = await api(sb, 'POST', base, { body: { body: 'Likes the pool' } });
    const noteId = created.body.note.id as string;
    await api(sb, 'PUT', `${base}/${noteId}`, { body: { body: 'Loves the pool' } });
    await api(sb, 'DELETE', `${base}/${noteId}`);
    const hooks = await delivered();
    expect(types(hooks)).toEqual(['NoteCreate', 'NoteUpdate', 'NoteDelete']);
    const fields = { id: noteId, contactId: S.richContactId, locationId: S.locationId, dateAdded: created.body.note.dateAdded };
    expect(hooks[0]?.body).toMatchObject({ ...fields, body: 'Likes the pool' });
    expect(hooks[1]?.body).toMatchObject({ ...fields, body: 'Loves the pool' });
    expect(hooks[2]?.body).toMatchObject({ ...fields, type: 'NoteDelete' });
  });

  it('failed writes and reads send nothing', async () => {
    await api(sb, 'GET', `/contacts/${S.richContactId}`);
    await api(sb, 'PUT', `/contacts/${S.richContactId}`, { body: { locationId: S.locationId } }); // 422
    await api(sb, 'DELETE', `/contacts/${sandboxFixtures.harbor.richContactId}`); // 403
    expect(await delivered()).toEqual([]);
    expect(sb.webhookStats()).toEqual({ sent: 0, delivered: 0, retried: 0, dropped: 0, pending: 0 });
  });
});

describe('delivery', () => {
  it('retries a 429 with the same webhookId and bytes until a 2xx', async () => {
    receiver.answer(429, 429);
    await api(sb, 'POST', `/contacts/${S.richContactId}/tags`, { body: { tags: ['retry-me'] } });
    const hooks = await delivered();
    expect(hooks.map((h) => h.status)).toEqual([429, 429, 200]);
    const [first, ...again] = hooks;
    for (const hook of again) {
      expect(hook.raw.equals(first!.raw)).toBe(true);
      expect(hook.headers['x-ghl-signature']).toBe(first!.headers['x-ghl-signature']);
    }
    expect(sb.sentWebhooks()).toEqual([
      expect.objectContaining({ webhookId: first!.body.webhookId, type: 'ContactTagUpdate', status: 'delivered', attempts: 3, httpStatus: 200 }),
    ]);
    expect(sb.webhookStats()).toEqual({ sent: 1, delivered: 1, retried: 2, dropped: 0, pending: 0 });
  });

  it('gives up after the configured retries', async () => {
    sb.configure({ webhooks: { retryDelaysMs: [5, 5] } });
    receiver.answer(429, 429, 429, 429);
    await api(sb, 'POST', `/contacts/${S.richContactId}/notes`, { body: { body: 'x' } });
    expect((await delivered()).map((h) => h.status)).toEqual([429, 429, 429]);
    expect(sb.sentWebhooks()[0]).toMatchObject({ type: 'NoteCreate', status: 'dropped', attempts: 3, httpStatus: 429 });
    expect(sb.webhookStats()).toMatchObject({ sent: 1, retried: 2, dropped: 1, delivered: 0 });
  });

  it('does not retry a 500 (nor any other failure); later events still go', async () => {
    receiver.answer(500, 404);
    await api(sb, 'POST', `/contacts/${S.richContactId}/notes`, { body: { body: 'one' } });
    await api(sb, 'POST', `/contacts/${S.richContactId}/notes`, { body: { body: 'two' } });
    await api(sb, 'POST', `/contacts/${S.richContactId}/notes`, { body: { body: 'three' } });
    const hooks = await delivered();
    expect(hooks.map((h) => [h.body.body, h.status])).toEqual([['one', 500], ['two', 404], ['three', 200]]);
    expect(sb.sentWebhooks().map((d) => [d.status, d.attempts, d.httpStatus])).toEqual([
      ['dropped', 1, 500],
      ['dropped', 1, 404],
      ['delivered', 1, 200],
    ]);
    expect(sb.webhookStats()).toEqual({ sent: 3, delivered: 1, retried: 0, dropped: 2, pending: 0 });
  });

  it('drops an event the receiver cannot be reached for', async () => {
    const gone = await startReceiver();
    await gone.close();
    sb.configure({ webhooks: { url: gone.url } });
    await api(sb, 'POST', `/contacts/${S.richContactId}/notes`, { body: { body: 'lost' } });
    await sb.flushWebhooks();
    expect(sb.sentWebhooks()).toEqual([expect.objectContaining({ status: 'dropped', attempts: 1, httpStatus: null, error: expect.any(String) })]);
  });

  it('keeps the order of the changes, even while one event waits for its retry', async () => {
    receiver.answer(429);
    for (const body of ['a', 'b', 'c']) await api(sb, 'POST', `/contacts/${S.richContactId}/notes`, { body: { body } });
    const hooks = await delivered();
    expect(hooks.map((h) => [h.body.body, h.status])).toEqual([['a', 429], ['a', 200], ['b', 200], ['c', 200]]);
  });

  it('sends nothing without a URL', async () => {
    sb.configure({ webhooks: { url: null } });
    await api(sb, 'POST', `/contacts/${S.richContactId}/tags`, { body: { tags: ['quiet'] } });
    const result = sb.simulate({ action: 'addTags', locationId: S.locationId, contactId: S.richContactId, tags: ['hush'] });
    // The payload GHL would have sent is still shown to the caller.
    expect(result.webhooks.map((w) => w.type)).toEqual(['ContactTagUpdate']);
    expect(await delivered()).toEqual([]);
    expect(sb.sentWebhooks()).toEqual([]);
    expect(sb.webhookStats().sent).toBe(0);
  });

  it('is configured over HTTP too, and GET /__sandbox/webhooks shows the deliveries', async () => {
    sb.configure({ webhooks: { url: null } });
    expect((await control('PUT', '/config', { webhooks: { url: 'ftp://example.org' } })).status).toBe(400);
    expect((await control('PUT', '/config', { webhooks: { retryDelaysMs: [-1] } })).status).toBe(400);
    expect((await control('PUT', '/config', { webhooks: { url: receiver.url, retryDelaysMs: [5] } })).status).toBe(200);
    await api(sb, 'POST', `/contacts/${S.richContactId}/tags`, { body: { tags: ['over-http'] } });
    await sb.flushWebhooks();
    const { body } = await control('GET', '/webhooks');
    expect(body).toMatchObject({ url: receiver.url, retryDelaysMs: [5], stats: { sent: 1, delivered: 1 } });
    expect(body.deliveries).toEqual([expect.objectContaining({ type: 'ContactTagUpdate', status: 'delivered', url: receiver.url })]);
    expect(() => sb.configure({ webhooks: { url: 'not a url' } })).toThrow(/webhooks\.url/);
  });

  it('reset() cancels pending retries and clears the log', async () => {
    sb.configure({ webhooks: { retryDelaysMs: [60_000] } });
    receiver.answer(429);
    await api(sb, 'POST', `/contacts/${S.richContactId}/tags`, { body: { tags: ['pending'] } });
    await expect.poll(() => receiver.deliveries.length).toBe(1);
    expect(sb.webhookStats().pending).toBe(1);
    sb.reset();
    await sb.flushWebhooks();
    expect(sb.webhookStats()).toEqual({ sent: 0, delivered: 0, retried: 0, dropped: 0, pending: 0 });
    expect(sb.sentWebhooks()).toEqual([]);

    receiver.clear();
    await api(sb, 'POST', `/contacts/${S.richContactId}/tags`, { body: { tags: ['after-reset'] } });
    expect(types(await delivered())).toEqual(['ContactTagUpdate']);
    expect(sb.sentWebhooks()).toEqual([expect.objectContaining({ status: 'delivered', attempts: 1 })]);
  });
});

describe('simulated edits in GHL\'s UI', () => {
  it('POST /__sandbox/simulate updates a contact as the API would and announces it', async () => {
    const before = (await api(sb, 'GET', `/contacts/${S.bareContactId}`)).body.contact;
    const res = await control('POST', '/simulate', {
      action: 'updateContact',
      locationId: S.locationId,
      contactId: S.bareContactId,
      changes: { phone: '+44 20 7946 0991', tags: ['Walk-In'] },
    });
    expect(res.status).toBe(200);
    expect(res.body.contact).toMatchObject({ id: S.bareContactId, phone: '+442079460991', tags: ['walk-in'] });
    expect(res.body.webhooks.map((w: { type: string }) => w.type)).toEqual(['ContactUpdate', 'ContactTagUpdate']);

    const after = (await api(sb, 'GET', `/contacts/${S.bareContactId}`)).body.contact;
    expect(after).toEqual(res.body.contact);
    expect(Date.parse(after.dateUpdated)).toBeGreaterThan(Date.parse(before.dateUpdated));
    const hooks = await delivered();
    expect(hooks.map((h) => h.body)).toEqual(res.body.webhooks);
    expect(hooks[0]?.body).toMatchObject({ type: 'ContactUpdate', id: S.bareContactId, phone: '+442079460991' });
  });

  it('sandbox.simulate(): create a contact, tags, tasks, notes', async () => {
    const created = sb.simulate({ action: 'createContact', locationId: S.locationId, contact: { firstName: 'Walk', email: 'walk.in@example.org' } });
    const id = created.contact?.id as string;
    expect((await api(sb, 'GET', `/contacts/${id}`)).body.contact).toEqual(created.contact);
    sb.simulate({ action: 'addTags', locationId: S.locationId, contactId: id, tags: ['Hot'] });
    const removed = sb.simulate({ action: 'removeTags', locationId: S.locationId, contactId: id, tags: ['hot'] });
    expect(removed.contact?.tags).toEqual([]);
    const task = sb.simulate({ action: 'createTask', locationId: S.locationId, contactId: id, task: { title: 'Follow up', dueDate: '2031-01-01T10:00:00Z' } });
    const taskId = (task.task as { id: string }).id;
    sb.simulate({ action: 'completeTask', locationId: S.locationId, contactId: id, taskId });
    const note = sb.simulate({ action: 'createNote', locationId: S.locationId, contactId: id, note: { body: 'Met at the open house' } });
    sb.simulate({ action: 'deleteNote', locationId: S.locationId, contactId: id, noteId: (note.note as { id: string }).id });
    sb.simulate({ action: 'deleteContact', locationId: S.locationId, contactId: id });
    expect((await api(sb, 'GET', `/contacts/${id}`)).status).toBe(404);
    expect(types(await delivered())).toEqual([
      'ContactCreate',
      'ContactTagUpdate',
      'ContactTagUpdate',
      'TaskCreate',
      'TaskComplete',
      'NoteCreate',
      'NoteDelete',
      'ContactDelete',
    ]);
  });

  it('appointments: book, update, cancel, delete; the API sees each change; events nest the record', async () => {
    const listed = async (): Promise<any[]> => (await api(sb, 'GET', `/contacts/${S.bareContactId}/appointments`)).body.events;
    const booked = sb.simulate({
      action: 'bookAppointment',
      locationId: S.locationId,
      contactId: S.bareContactId,
      appointment: { title: 'Showing', startTime: '2031-03-01T17:00:00.000Z', endTime: '2031-03-01T18:00:00.000Z', notes: 'Gate code 1234' },
    });
    const appointmentId = booked.appointment?.id as string;
    expect(await listed()).toEqual([booked.appointment]);
    const moved = sb.simulate({ action: 'updateAppointment', locationId: S.locationId, appointmentId, changes: { startTime: '2031-03-02T17:00:00.000Z', endTime: '2031-03-02T18:00:00.000Z' } });
    expect(moved.appointment?.startTime).toBe('2031-03-02T17:00:00.000Z');
    sb.simulate({ action: 'cancelAppointment', locationId: S.locationId, appointmentId });
    expect(await listed()).toEqual([expect.objectContaining({ id: appointmentId, appointmentStatus: 'cancelled', status: 'cancelled' })]);
    sb.simulate({ action: 'deleteAppointment', locationId: S.locationId, appointmentId });
    expect(await listed()).toEqual([]);

    const hooks = await delivered();
    expect(types(hooks)).toEqual(['AppointmentCreate', 'AppointmentUpdate', 'AppointmentUpdate', 'AppointmentDelete']);
    expect(hooks[0]?.body).toEqual({
      type: 'AppointmentCreate',
      locationId: S.locationId,
      appointment: {
        id: appointmentId,
        title: 'Showing',
        calendarId: booked.appointment?.calendarId,
        contactId: S.bareContactId,
        appointmentStatus: 'confirmed',
        notes: 'Gate code 1234',
        startTime: '2031-03-01T17:00:00.000Z',
        endTime: '2031-03-01T18:00:00.000Z',
        dateAdded: booked.appointment?.dateAdded,
        dateUpdated: booked.appointment?.dateUpdated,
      },
      timestamp: expect.stringMatching(ISO),
      webhookId: expect.stringMatching(UUID),
    });
    expect(hooks[2]?.body.appointment).toMatchObject({ id: appointmentId, appointmentStatus: 'cancelled' });
    expect(hooks[3]?.body).toMatchObject({ type: 'AppointmentDelete', appointment: { id: appointmentId } });
  });

  it('install and uninstall send INSTALL and UNINSTALL', async () => {
    sb.simulate({ action: 'install', locationId: S.locationId });
    sb.simulate({ action: 'uninstall', locationId: S.locationId });
    const [install, uninstall] = (await delivered()).map((h) => h.body);
    expect(install).toMatchObject({
      type: 'INSTALL',
      appId: 'sandbox',
      installType: 'Location',
      locationId: S.locationId,
      companyId: sb.oauth.companyId,
      companyName: 'Sandbox Agency',
      isWhitelabelCompany: false,
      versionId: expect.any(String),
      userId: expect.any(String),
    });
    expect(uninstall).toEqual({ type: 'UNINSTALL', appId: 'sandbox', locationId: S.locationId, timestamp: expect.stringMatching(ISO), webhookId: expect.stringMatching(UUID) });
  });

  it('refuses bad actions and unknown records, and changes nothing then', async () => {
    const unknown = await control('POST', '/simulate', { action: 'teleport', locationId: S.locationId });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toMatch(/updateContact/);
    expect((await control('POST', '/simulate')).status).toBe(400);
    const missing = await control('POST', '/simulate', { action: 'addTags', locationId: S.locationId, contactId: 'nope', tags: ['x'] });
    expect(missing).toMatchObject({ status: 404, body: { message: 'Contact not found' } });
    // A contact of another location is not found in this one.
    const elsewhere = await control('POST', '/simulate', { action: 'addTags', locationId: S.locationId, contactId: sandboxFixtures.harbor.richContactId, tags: ['x'] });
    expect(elsewhere.status).toBe(404);
    expect((await control('POST', '/simulate', { action: 'install', locationId: 'nowhere' })).status).toBe(404);
    const invalid = await control('POST', '/simulate', { action: 'updateContact', locationId: S.locationId, contactId: S.richContactId, changes: { email: 'not-an-email' } });
    expect(invalid.status).toBe(400);
    const badCalendar = await control('POST', '/simulate', {
      action: 'bookAppointment',
      locationId: S.locationId,
      contactId: S.richContactId,
      appointment: { startTime: '2031-01-01T10:00:00Z', calendarId: 'not-a-calendar' },
    });
    expect(badCalendar.status).toBe(422);
    expect(() => sb.simulate({ action: 'cancelAppointment', locationId: S.locationId, appointmentId: 'nope' })).toThrow('Appointment not found');
    expect(await delivered()).toEqual([]);
  });
});
