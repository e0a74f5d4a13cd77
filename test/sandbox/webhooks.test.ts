// The sandbox's webhooks as GHL sends them: every payload against the field list of GHL's own
// example (test/fixtures/ghl-webhooks), the envelope setting, the quirks GHL's issues report,
// Ed25519 signatures over the raw body (RSA only when asked), and which change sends which event.
// Delivery and faults: webhook-delivery.test.ts; simulated UI edits: simulate.test.ts.

import { readFileSync } from 'node:fs';
import { verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sandboxFixtures } from '../../src/sandbox/fixtures.js';
import { SANDBOX_WEBHOOK_EVENT_TYPES } from '../../src/sandbox/webhook-event-types.js';
import { WebhookSigner } from '../../src/sandbox/webhook-keys.js';
import { api } from './helpers.js';
import { types, useWebhookBench } from './webhook-receiver.js';
import type { Delivery } from './webhook-receiver.js';

const S = sandboxFixtures.sunrise;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

interface Documented {
  doc: string;
  fields: string[];
  dndSettingsChannels?: string[];
  appointmentFields?: string[];
}
type AppDocumented = { doc: string; location: { fields: string[] }; agency: { fields: string[] } };
const documented = JSON.parse(
  readFileSync(new URL('../fixtures/ghl-webhooks/documented-fields.json', import.meta.url), 'utf8'),
) as Record<string, Documented> & {
  envelope: Documented;
  INSTALL: AppDocumented;
  UNINSTALL: AppDocumented;
};

function fieldsOf(type: string): string[] {
  const entry = documented[type];
  if (!entry) throw new Error(`no documented fields for ${type}`);
  return entry.fields;
}

/** Set equality, reported as sorted lists so a failure names the odd field. */
function expectKeys(obj: Record<string, unknown> | undefined, expected: readonly string[]): void {
  expect(Object.keys(obj ?? {}).sort()).toEqual([...expected].sort());
}

const without = (list: readonly string[], ...drop: string[]): string[] => list.filter((f) => !drop.includes(f));
/** The live envelope of the `with-webhook-id` setting: the guide's two fields, plus the app's ids. */
const LIVE_ENVELOPE = [...documented.envelope.fields, 'appId', 'versionId'];
/** Appointment fields GHL documents that the sandbox keeps no data for. */
const APPOINTMENT_NOT_MODELLED = ['groupId', 'source'];
/** AppInstall.md's billing fields: the sandbox app is free. */
const INSTALL_NOT_MODELLED = ['planId', 'trial'];

const bench = useWebhookBench();

/** A contact with every field of GHL's contact webhook set. */
async function fullContact(): Promise<string> {
  const res = await api(bench.sb, 'POST', '/contacts/', {
    body: {
      locationId: S.locationId,
      firstName: 'Nina',
      lastName: 'Wells',
      email: 'nina@example.org',
      phone: '(602) 555-0101',
      address1: '1 Camelback Rd',
      city: 'Phoenix',
      state: 'AZ',
      postalCode: '85016',
      country: 'US',
      website: 'https://nina.example.org',
      companyName: 'Wells & Co',
      source: 'open house',
      dateOfBirth: '1990-04-12',
      dnd: false,
      assignedTo: 'user1',
      tags: ['Lead'],
      customFields: [{ key: 'contact.budget', field_value: '$750k+' }],
    },
  });
  expect(res.status).toBe(201);
  return res.body.contact.id as string;
}

/** Every kind of event once, through the API and simulated UI edits. */
async function everyEvent(): Promise<Delivery[]> {
  const { sb } = bench;
  const id = await fullContact();
  await api(sb, 'PUT', `/contacts/${id}`, { body: { city: 'Tempe' } });
  await api(sb, 'POST', `/contacts/${id}/tags`, { body: { tags: ['vip'] } });
  await api(sb, 'PUT', `/contacts/${id}`, {
    body: { dnd: true, dndSettings: { SMS: { status: 'active', message: 'asked', code: '101' } } },
  });
  const task = await api(sb, 'POST', `/contacts/${id}/tasks`, {
    body: {
      title: 'Call',
      body: 'About the listing',
      dueDate: '2031-05-01T15:00:00Z',
      completed: false,
      assignedTo: 'user1',
    },
  });
  const taskId = task.body.task.id as string;
  await api(sb, 'PUT', `/contacts/${id}/tasks/${taskId}/completed`, { body: { completed: true } });
  await api(sb, 'DELETE', `/contacts/${id}/tasks/${taskId}`);
  const note = await api(sb, 'POST', `/contacts/${id}/notes`, {
    body: { body: 'Likes the pool', userId: 'user1', title: 'Pool', color: 'blue', pinned: true },
  });
  const noteId = note.body.note.id as string;
  await api(sb, 'PUT', `/contacts/${id}/notes/${noteId}`, { body: { body: 'Loves the pool' } });
  await api(sb, 'DELETE', `/contacts/${id}/notes/${noteId}`);
  const booked = sb.simulate({
    action: 'bookAppointment',
    locationId: S.locationId,
    contactId: id,
    appointment: {
      title: 'Showing',
      startTime: '2031-03-01T17:00:00.000Z',
      assignedUserId: 'user1',
      address: '1 Camelback Rd',
      notes: 'Gate code 1234',
    },
  });
  const appointmentId = booked.appointment?.id as string;
  sb.simulate({ action: 'cancelAppointment', locationId: S.locationId, appointmentId });
  sb.simulate({ action: 'deleteAppointment', locationId: S.locationId, appointmentId });
  await api(sb, 'DELETE', `/contacts/${id}`);
  sb.simulate({ action: 'install', locationId: S.locationId });
  sb.simulate({ action: 'uninstall', locationId: S.locationId });
  sb.simulate({ action: 'installAgency', companyId: sb.oauth.companyId });
  sb.simulate({ action: 'uninstallAgency', companyId: sb.oauth.companyId });
  const hooks = await bench.delivered();
  expect(types(hooks)).toEqual([
    'ContactCreate',
    'ContactUpdate',
    'ContactTagUpdate',
    'ContactUpdate',
    'ContactDndUpdate',
    'TaskCreate',
    'TaskComplete',
    'TaskDelete',
    'NoteCreate',
    'NoteUpdate',
    'NoteDelete',
    'AppointmentCreate',
    'AppointmentUpdate',
    'AppointmentDelete',
    'ContactDelete',
    'INSTALL',
    'UNINSTALL',
    'INSTALL',
    'UNINSTALL',
  ]);
  return hooks;
}

/** The keys GHL's example for this delivery has (minus what the sandbox does not model). */
function documentedKeys(hook: Delivery): string[] {
  const type = hook.body.type as string;
  if (type === 'INSTALL' || type === 'UNINSTALL') {
    const level = 'locationId' in hook.body ? 'location' : 'agency';
    return without(documented[type][level].fields, ...INSTALL_NOT_MODELLED);
  }
  return fieldsOf(type);
}

describe('the list of event types', () => {
  it('is every type GHL documents an example for, once', () => {
    const fixtureTypes = Object.keys(documented).filter((k) => !k.startsWith('_') && k !== 'envelope');
    expect([...SANDBOX_WEBHOOK_EVENT_TYPES].sort()).toEqual(fixtureTypes.sort());
    expect(new Set(SANDBOX_WEBHOOK_EVENT_TYPES).size).toBe(SANDBOX_WEBHOOK_EVENT_TYPES.length);
    expect(Object.isFrozen(SANDBOX_WEBHOOK_EVENT_TYPES)).toBe(true);
  });
});

describe("payloads are GHL's documented examples, field for field", () => {
  it("every event has exactly its example's fields, and no timestamp, webhookId or versionId", async () => {
    const hooks = await everyEvent();
    for (const hook of hooks) {
      expectKeys(hook.body, documentedKeys(hook));
      expect(hook.body).not.toHaveProperty('timestamp');
      expect(hook.body).not.toHaveProperty('webhookId');
      expect(hook.body).not.toHaveProperty('versionId');
    }
    // Only the app's own events name the app, as in GHL's examples.
    expect(hooks.filter((h) => 'appId' in h.body).map((h) => h.body.type)).toEqual([
      'INSTALL',
      'UNINSTALL',
      'INSTALL',
      'UNINSTALL',
    ]);
  });

  it("contact events carry the contact in the API's formats", async () => {
    const [create, , tags] = (await everyEvent()).map((h) => h.body);
    expect(create).toEqual({
      type: 'ContactCreate',
      locationId: S.locationId,
      id: expect.any(String),
      address1: '1 Camelback Rd',
      city: 'Phoenix',
      state: 'AZ',
      companyName: 'Wells & Co',
      country: 'US',
      source: 'open house',
      dateAdded: expect.stringMatching(ISO),
      dateOfBirth: expect.any(String),
      dnd: false,
      email: 'nina@example.org',
      name: 'Nina Wells',
      firstName: 'Nina',
      lastName: 'Wells',
      phone: '+16025550101',
      postalCode: '85016',
      tags: ['lead'],
      website: 'https://nina.example.org',
      attachments: [],
      assignedTo: 'user1',
      customFields: [{ id: expect.any(String), value: '$750k+' }],
    });
    expect(tags).toMatchObject({ type: 'ContactTagUpdate', id: create.id, tags: ['lead', 'vip'] });
  });

  it('ContactDndUpdate lists every documented channel, set or not, plus RCS (docs issue #264)', async () => {
    const dnd = (await everyEvent()).find((h) => h.body.type === 'ContactDndUpdate')?.body;
    const channels = documented.ContactDndUpdate?.dndSettingsChannels ?? [];
    expectKeys(dnd?.dndSettings, [...channels, 'RCS']);
    expect(dnd?.dndSettings).toMatchObject({
      SMS: { status: 'active', message: 'asked', code: '101' },
      Call: { status: 'inactive', message: '', code: '' },
      RCS: { status: 'inactive' },
    });
    expect(dnd?.dnd).toBe(true);
  });

  it('task events carry the task without `completed`; note events only id, body, contactId, dateAdded (#312)', async () => {
    const hooks = await everyEvent();
    const task = hooks.find((h) => h.body.type === 'TaskComplete')?.body;
    expect(task).toEqual({
      type: 'TaskComplete',
      locationId: S.locationId,
      id: expect.any(String),
      assignedTo: 'user1',
      body: 'About the listing',
      contactId: hooks[0]?.body.id,
      title: 'Call',
      dateAdded: expect.stringMatching(ISO),
      dueDate: '2031-05-01T15:00:00.000Z',
    });
    const note = hooks.find((h) => h.body.type === 'NoteUpdate')?.body;
    expect(note).toEqual({
      type: 'NoteUpdate',
      locationId: S.locationId,
      id: expect.any(String),
      body: 'Loves the pool',
      contactId: hooks[0]?.body.id,
      dateAdded: expect.stringMatching(ISO),
    });
  });

  it("appointment events nest the appointment, with the example's fields", async () => {
    const hooks = (await everyEvent()).filter((h) => h.body.type.startsWith('Appointment'));
    const appointmentFields = documented.AppointmentCreate?.appointmentFields ?? [];
    for (const hook of hooks)
      expectKeys(hook.body.appointment, without(appointmentFields, ...APPOINTMENT_NOT_MODELLED));
    expect(hooks[0]?.body.appointment).toMatchObject({
      title: 'Showing',
      assignedUserId: 'user1',
      users: ['user1'],
      appointmentStatus: 'confirmed',
      address: '1 Camelback Rd',
    });
    expect(hooks[1]?.body.appointment).toMatchObject({ appointmentStatus: 'cancelled' });
  });

  it("INSTALL / UNINSTALL: a location's carry appId and locationId; the agency's only companyId", async () => {
    const [install, uninstall, agencyInstall, agencyUninstall] = (await everyEvent()).slice(-4).map((h) => h.body);
    const { sb } = bench;
    expect(install).toEqual({
      type: 'INSTALL',
      appId: 'sandbox',
      locationId: S.locationId,
      companyId: sb.oauth.companyId,
      userId: expect.any(String),
      isWhitelabelCompany: false,
      whitelabelDetails: {},
      companyName: 'Sandbox Agency',
    });
    expect(uninstall).toEqual({ type: 'UNINSTALL', appId: 'sandbox', locationId: S.locationId });
    expect(agencyInstall).toEqual({ type: 'INSTALL', appId: 'sandbox', companyId: sb.oauth.companyId });
    expect(agencyInstall).not.toHaveProperty('locationId');
    expect(agencyUninstall).toEqual({ type: 'UNINSTALL', appId: 'sandbox', companyId: sb.oauth.companyId });
  });

  it("appId follows the OAuth client id (`<appId>-<suffix>`, as GHL's SDK reads it)", async () => {
    bench.sb.configure({ oauth: { clientId: '65abc0ffee-k3y' } });
    try {
      const [hook] = bench.sb.simulate({ action: 'uninstall', locationId: S.locationId }).webhooks;
      expect(hook?.appId).toBe('65abc0ffee');
    } finally {
      bench.sb.configure({ oauth: { clientId: 'sandbox-client-id' } });
    }
  });
});

describe('the with-webhook-id envelope', () => {
  it('adds timestamp, webhookId, appId and versionId to every event (INSTALL also installType)', async () => {
    bench.sb.configure({ webhooks: { envelope: 'with-webhook-id' } });
    const hooks = await everyEvent();
    for (const hook of hooks) {
      const extra = hook.body.type === 'INSTALL' ? [...LIVE_ENVELOPE, 'installType'] : LIVE_ENVELOPE;
      expectKeys(hook.body, [...new Set([...documentedKeys(hook), ...extra])]);
      expect(hook.body.webhookId).toMatch(UUID);
      expect(hook.body.timestamp).toMatch(ISO);
      expect(hook.body.appId).toBe('sandbox');
    }
    expect(new Set(hooks.map((h) => h.body.webhookId)).size).toBe(hooks.length);
    expect(hooks.filter((h) => h.body.type === 'INSTALL').map((h) => h.body.installType)).toEqual([
      'Location',
      'Company',
    ]);
    // The sandbox's delivery log names each event by the payload's webhookId.
    expect(bench.sb.sentWebhooks().map((d) => d.eventId)).toEqual(hooks.map((h) => h.body.webhookId));
  });

  it('is validated, and readable at GET /__sandbox/webhooks', async () => {
    expect((await bench.control('PUT', '/config', { webhooks: { envelope: 'stamped' } })).status).toBe(400);
    expect(() => bench.sb.configure({ webhooks: { quirks: { thinNotes: true } as never } })).toThrow(/quirks/);
    expect(
      (
        await bench.control('PUT', '/config', {
          webhooks: { envelope: 'with-webhook-id', quirks: { omitTaskContactId: true } },
        })
      ).status,
    ).toBe(200);
    const { body } = await bench.control('GET', '/webhooks');
    expect(body).toMatchObject({
      envelope: 'with-webhook-id',
      legacyRsaSignature: false,
      quirks: { thinNoteEvents: true, dndRcsChannel: true, omitTaskContactId: true },
    });
  });
});

describe('quirks of real payloads', () => {
  it('omitTaskContactId (docs issue #332): TaskCreate without contactId; other task events keep it', async () => {
    bench.sb.configure({ webhooks: { quirks: { omitTaskContactId: true } } });
    const base = `/contacts/${S.bareContactId}/tasks`;
    const created = await api(bench.sb, 'POST', base, {
      body: { title: 'Call', dueDate: '2031-05-01T15:00:00Z', completed: false },
    });
    await api(bench.sb, 'PUT', `${base}/${created.body.task.id}/completed`, { body: { completed: true } });
    const [create, complete] = (await bench.delivered()).map((h) => h.body);
    expect(create).toMatchObject({ type: 'TaskCreate', id: created.body.task.id });
    expect(create).not.toHaveProperty('contactId');
    expect(complete).toMatchObject({ type: 'TaskComplete', contactId: S.bareContactId });
    // The API itself still has the contact: only the event is thin.
    expect(created.body.task.contactId).toBe(S.bareContactId);
  });

  it("without thinNoteEvents, note events carry the API's other note fields too", async () => {
    bench.sb.configure({ webhooks: { quirks: { thinNoteEvents: false } } });
    await api(bench.sb, 'POST', `/contacts/${S.richContactId}/notes`, {
      body: { body: 'Pool', userId: 'user1', title: 'T', color: 'blue', pinned: false },
    });
    const [note] = await bench.delivered();
    expectKeys(note?.body, [...fieldsOf('NoteCreate'), 'userId', 'title', 'color', 'pinned']);
    expect(note?.body).toMatchObject({ userId: 'user1', title: 'T', color: 'blue', pinned: false });
  });

  it('without dndRcsChannel, dndSettings has exactly the documented channels', async () => {
    bench.sb.configure({ webhooks: { quirks: { dndRcsChannel: false } } });
    await api(bench.sb, 'PUT', `/contacts/${S.bareContactId}`, { body: { dnd: true } });
    const dnd = (await bench.delivered()).find((h) => h.body.type === 'ContactDndUpdate');
    expectKeys(dnd?.body.dndSettings, documented.ContactDndUpdate?.dndSettingsChannels ?? []);
  });
});

describe('keys and signatures', () => {
  it('publishes PEM public keys, in code and at GET /__sandbox/webhook-keys; Ed25519 follows the seed', async () => {
    const { status, body } = await bench.control('GET', '/webhook-keys');
    expect(status).toBe(200);
    expect(body).toEqual(bench.sb.webhookKeys);
    expect(body.ed25519PublicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(body.rsaPublicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(new WebhookSigner(1).publicKeys).toEqual(new WebhookSigner(1).publicKeys);
    expect(new WebhookSigner(2).publicKeys.ed25519PublicKeyPem).not.toBe(
      new WebhookSigner(1).publicKeys.ed25519PublicKeyPem,
    );
  });

  it('signs the raw body with Ed25519 in x-ghl-signature only; a modified body fails', async () => {
    await api(bench.sb, 'POST', '/contacts/', {
      body: { locationId: S.locationId, firstName: 'Zoë', email: 'zoe@example.org' },
    });
    const [hook] = await bench.delivered();
    if (!hook) throw new Error('no webhook');
    expect(hook.headers['content-type']).toBe('application/json');
    expect(hook.headers).not.toHaveProperty('x-wh-signature');
    const signature = Buffer.from(String(hook.headers['x-ghl-signature']), 'base64');
    expect(signature).toHaveLength(64);
    expect(verify(null, hook.raw, bench.sb.webhookKeys.ed25519PublicKeyPem, signature)).toBe(true);
    const tampered = Buffer.from(hook.raw.toString('utf8').replace('Zoë', 'Zoe'));
    expect(tampered.equals(hook.raw)).toBe(false);
    expect(verify(null, tampered, bench.sb.webhookKeys.ed25519PublicKeyPem, signature)).toBe(false);
    // Re-serialising the parsed body is not how to verify, but it must give the same bytes here.
    expect(Buffer.from(JSON.stringify(hook.body)).equals(hook.raw)).toBe(true);
  });

  it('legacyRsaSignature adds the RSA-SHA256 x-wh-signature over the same bytes', async () => {
    bench.sb.configure({ webhooks: { legacyRsaSignature: true } });
    await api(bench.sb, 'POST', `/contacts/${S.richContactId}/tags`, { body: { tags: ['signed-twice'] } });
    const [hook] = await bench.delivered();
    if (!hook) throw new Error('no webhook');
    const rsa = Buffer.from(String(hook.headers['x-wh-signature']), 'base64');
    expect(rsa).toHaveLength(256);
    expect(verify('sha256', hook.raw, bench.sb.webhookKeys.rsaPublicKeyPem, rsa)).toBe(true);
    expect(
      verify(
        null,
        hook.raw,
        bench.sb.webhookKeys.ed25519PublicKeyPem,
        Buffer.from(String(hook.headers['x-ghl-signature']), 'base64'),
      ),
    ).toBe(true);
  });
});

describe('which change sends which event', () => {
  it('contact create, update (tags, dnd), tag add/remove, followers and delete', async () => {
    const { sb } = bench;
    const created = await api(sb, 'POST', '/contacts/', {
      body: { locationId: S.locationId, firstName: 'Nina', email: 'nina@example.org', tags: ['Lead'] },
    });
    const id = created.body.contact.id as string;
    await api(sb, 'PUT', `/contacts/${id}`, { body: { city: 'Tempe' } });
    await api(sb, 'PUT', `/contacts/${id}`, {
      body: { tags: ['buyer'], dnd: true, dndSettings: { SMS: { status: 'active' } } },
    });
    await api(sb, 'POST', `/contacts/${id}/tags`, { body: { tags: ['VIP'] } });
    await api(sb, 'POST', `/contacts/${id}/tags`, { body: { tags: ['vip'] } }); // already there: no change, no event
    await api(sb, 'DELETE', `/contacts/${id}/tags`, { body: { tags: ['buyer'] } });
    await api(sb, 'POST', `/contacts/${id}/followers`, { body: { followers: ['u1'] } });
    await api(sb, 'DELETE', `/contacts/${id}`);

    const hooks = await bench.delivered();
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
    const [, cityUpdate, , tagsViaPut, dnd, tagAdded, tagRemoved, , deleted] = hooks.map((h) => h.body);
    expect(cityUpdate).toMatchObject({ id, city: 'Tempe', locationId: S.locationId });
    expect(tagsViaPut).toMatchObject({ id, tags: ['buyer'] });
    expect(dnd).toMatchObject({ id, dnd: true, dndSettings: { SMS: { status: 'active' } } });
    expect(tagAdded).toMatchObject({ id, tags: ['buyer', 'vip'] });
    expect(tagRemoved).toMatchObject({ id, tags: ['vip'] });
    expect(deleted).toMatchObject({ id, email: 'nina@example.org' });
  });

  it('upsert announces ContactCreate or ContactUpdate', async () => {
    await api(bench.sb, 'POST', '/contacts/upsert', {
      body: { locationId: S.locationId, email: 'new.one@example.org' },
    });
    await api(bench.sb, 'POST', '/contacts/upsert', {
      body: { locationId: S.locationId, email: S.richContactEmail, city: 'Mesa' },
    });
    const hooks = await bench.delivered();
    expect(types(hooks)).toEqual(['ContactCreate', 'ContactUpdate']);
    expect(hooks[1]?.body).toMatchObject({ id: S.richContactId, city: 'Mesa' });
  });

  it('tasks: TaskComplete only when `completed` becomes true; plain edits send nothing', async () => {
    const base = `/contacts/${S.bareContactId}/tasks`;
    const created = await api(bench.sb, 'POST', base, {
      body: { title: 'Call back', dueDate: '2031-05-01T15:00:00Z', completed: false },
    });
    const taskId = created.body.task.id as string;
    const due = '2031-05-01T15:00:00Z';
    await api(bench.sb, 'PUT', `${base}/${taskId}`, { body: { title: 'Call back soon', dueDate: due } });
    await api(bench.sb, 'PUT', `${base}/${taskId}/completed`, { body: { completed: true } });
    await api(bench.sb, 'PUT', `${base}/${taskId}/completed`, { body: { completed: true } });
    await api(bench.sb, 'PUT', `${base}/${taskId}`, {
      body: { title: 'Call back soon', dueDate: due, completed: false },
    });
    await api(bench.sb, 'PUT', `${base}/${taskId}`, {
      body: { title: 'Call back soon', dueDate: due, completed: true },
    });
    await api(bench.sb, 'DELETE', `${base}/${taskId}`);
    const hooks = await bench.delivered();
    expect(types(hooks)).toEqual(['TaskCreate', 'TaskComplete', 'TaskComplete', 'TaskDelete']);
    expect(hooks[1]?.body).toMatchObject({ id: taskId, title: 'Call back soon', contactId: S.bareContactId });
  });

  it('a seeded task (created before start-up) has no dateAdded in its events', async () => {
    await api(bench.sb, 'PUT', `/contacts/${S.richContactId}/tasks/${S.taskIds.pending}/completed`, {
      body: { completed: true },
    });
    const [hook] = await bench.delivered();
    expectKeys(hook?.body, without(fieldsOf('TaskComplete'), 'dateAdded'));
  });

  it('failed writes and reads send nothing', async () => {
    await api(bench.sb, 'GET', `/contacts/${S.richContactId}`);
    await api(bench.sb, 'PUT', `/contacts/${S.richContactId}`, { body: { locationId: S.locationId } }); // 422
    await api(bench.sb, 'DELETE', `/contacts/${sandboxFixtures.harbor.richContactId}`); // 403
    expect(await bench.delivered()).toEqual([]);
    expect(bench.sb.webhookStats()).toEqual({
      sent: 0,
      delivered: 0,
      retried: 0,
      dropped: 0,
      faultDropped: 0,
      duplicated: 0,
      pending: 0,
    });
  });
});
