// From GHL's webhook bodies to the change model: every documented shape decodes, what a change
// makes stale follows from the one table in ghl/changes.ts, and only unprocessable events fail.
import { describe, expect, it } from 'vitest';
import { isRecordChange, staleTags, type GhlChange } from '../../src/ghl/changes.js';
import { appIdOfClientId, decodeWebhook, timestampMs } from '../../src/events/webhook-payload.js';

const envelope = { locationId: 'loc1', webhookId: 'wh-1', timestamp: '2026-03-01T12:00:00.000Z' };

function decode(payload: Record<string, unknown>, options = {}): GhlChange {
  const decoded = decodeWebhook(JSON.stringify(payload), options);
  if (!decoded.ok || decoded.change === undefined) throw new Error(`not decoded: ${JSON.stringify(decoded)}`);
  return decoded.change;
}

function stale(change: GhlChange) {
  if (!isRecordChange(change)) return [];
  return staleTags(change.kind, change.change, change.contactId);
}

describe('webhook payloads → changes', () => {
  it.each([
    [
      'ContactCreate',
      { id: 'c1' },
      ['contact:c1', 'contact-lists'],
      { kind: 'contact', change: 'created', contactId: 'c1', recordId: 'c1' },
    ],
    [
      'ContactUpdate',
      { id: 'c1' },
      ['contact:c1', 'contact-lists'],
      { kind: 'contact', change: 'updated', contactId: 'c1' },
    ],
    [
      'ContactTagUpdate',
      { id: 'c1', tags: ['vip'] },
      ['contact:c1', 'contact-lists'],
      { kind: 'contact', change: 'tags' },
    ],
    ['ContactDndUpdate', { id: 'c1', dnd: true }, ['contact:c1', 'contact-lists'], { kind: 'contact', change: 'dnd' }],
    [
      'ContactDelete',
      { id: 'c1' },
      ['contact:c1', 'tasks:c1', 'notes:c1', 'appointments:c1', 'contact-lists'],
      { kind: 'contact', change: 'deleted', contactId: 'c1' },
    ],
    [
      'TaskCreate',
      { id: 't1', contactId: 'c1', title: 'Call' },
      ['tasks:c1'],
      { kind: 'task', change: 'created', contactId: 'c1', recordId: 't1' },
    ],
    [
      'TaskComplete',
      { id: 't1', contactId: 'c1', completed: true },
      ['tasks:c1'],
      { kind: 'task', change: 'completed' },
    ],
    ['TaskDelete', { id: 't1', contactId: 'c1' }, ['tasks:c1'], { kind: 'task', change: 'deleted' }],
    [
      'NoteCreate',
      { id: 'n1', contactId: 'c1', body: 'hi' },
      ['notes:c1'],
      { kind: 'note', change: 'created', recordId: 'n1' },
    ],
    ['NoteUpdate', { id: 'n1', contactId: 'c1' }, ['notes:c1'], { kind: 'note', change: 'updated' }],
    ['NoteDelete', { id: 'n1', contactId: 'c1' }, ['notes:c1'], { kind: 'note', change: 'deleted' }],
    [
      'AppointmentCreate',
      { appointment: { id: 'a1', contactId: 'c1', calendarId: 'cal1', startTime: '2021-07-16 11:00:00' } },
      ['appointments:c1'],
      { kind: 'appointment', change: 'created', contactId: 'c1', recordId: 'a1' },
    ],
    [
      'AppointmentUpdate',
      { appointment: { id: 'a1', contactId: 'c1' } },
      ['appointments:c1'],
      { kind: 'appointment', change: 'updated' },
    ],
    [
      'AppointmentDelete',
      { appointment: { id: 'a1', contactId: 'c1' } },
      ['appointments:c1'],
      { kind: 'appointment', change: 'deleted' },
    ],
  ] as const)('%s → its meaning and what it makes stale', (type, fields, tags, meaning) => {
    const change = decode({ type, ...envelope, ...fields });
    expect(change).toMatchObject({
      eventType: type,
      locationId: 'loc1',
      webhookId: 'wh-1',
      at: Date.parse(envelope.timestamp),
      ...meaning,
    });
    expect(stale(change)).toEqual(tags);
  });

  it('keeps the record without the envelope, and the nested appointment as it came', () => {
    const contact = decode({ type: 'ContactCreate', ...envelope, id: 'c1', firstName: 'Ana', extra: { nested: true } });
    expect(isRecordChange(contact) && contact.record).toEqual({ id: 'c1', firstName: 'Ana', extra: { nested: true } });
    const appointment = decode({ type: 'AppointmentCreate', ...envelope, appointment: { id: 'a1', title: 'Viewing' } });
    expect(isRecordChange(appointment) && appointment.record).toEqual({ id: 'a1', title: 'Viewing' });
  });

  it("takes GHL's documented shape: no webhookId, no timestamp", () => {
    const body = { type: 'ContactCreate', locationId: 'loc1', id: 'c1', email: 'a@b.co' };
    const change = decode(body);
    expect(change.webhookId).toMatch(/^b-[0-9a-f]{32}$/);
    expect(change.at).toBeUndefined();
    // A redelivery is byte-identical, so it gets the same id; another body gets another.
    expect(decode(body).webhookId).toBe(change.webhookId);
    expect(decode({ ...body, email: 'c@d.co' }).webhookId).not.toBe(change.webhookId);
  });

  it('a thin child event evicts every list of its kind, and only those', () => {
    const task = decode({ type: 'TaskCreate', locationId: 'loc1', id: 't1', title: 'Call' });
    expect(task).toMatchObject({ kind: 'task', contactId: undefined, recordId: 't1' });
    expect(stale(task)).toEqual(['tasks']);
    expect(stale(decode({ type: 'NoteUpdate', locationId: 'loc1', id: 'n1', contactId: '../x' }))).toEqual(['notes']);
    expect(stale(decode({ type: 'AppointmentCreate', locationId: 'loc1', appointment: 'weird' }))).toEqual([
      'appointments',
    ]);
    // A contact change that names no contact could be anywhere: the whole location goes.
    expect(stale(decode({ type: 'ContactUpdate', locationId: 'loc1' }))).toBe('location');
    expect(stale(decode({ type: 'ContactCreate', locationId: 'loc1' }))).toEqual(['contact-lists']);
  });

  it('decodes location and agency installs', () => {
    expect(decode({ type: 'INSTALL', appId: 'app1', locationId: 'loc1', companyId: 'co1' })).toMatchObject({
      kind: 'install',
      locationId: 'loc1',
      companyId: 'co1',
      locationIds: ['loc1'],
    });
    expect(decode({ type: 'UNINSTALL', appId: 'app1', companyId: 'co1' })).toMatchObject({
      kind: 'uninstall',
      locationId: undefined,
      companyId: 'co1',
      locationIds: [],
    });
    expect(decode({ type: 'INSTALL', companyId: 'co1', locationIds: ['l1', 'l2'] })).toMatchObject({
      locationIds: ['l1', 'l2'],
    });
  });

  it('ignores other event types and other apps, and refuses only what cannot be processed', () => {
    expect(decodeWebhook(JSON.stringify({ type: 'OpportunityCreate', id: 'o1' }))).toMatchObject({
      ok: true,
      change: undefined,
    });
    const otherApp = JSON.stringify({ type: 'ContactCreate', locationId: 'loc1', id: 'c1', appId: 'theirs' });
    expect(decodeWebhook(otherApp, { appId: 'ours' })).toMatchObject({
      ok: true,
      change: undefined,
      ignored: 'an event of another app',
    });
    expect(decodeWebhook(otherApp, { appId: 'theirs' })).toMatchObject({ ok: true, change: { kind: 'contact' } });
    expect(decodeWebhook(JSON.stringify({ type: 'ContactCreate', id: 'c1' }))).toMatchObject({ ok: false });
    expect(decodeWebhook(JSON.stringify({ type: 'INSTALL', appId: 'a' }))).toMatchObject({ ok: false });
    expect(decodeWebhook('{"id":"c1"}')).toMatchObject({ ok: false });
    expect(decodeWebhook('[1]')).toMatchObject({ ok: false });
    expect(decodeWebhook('nope')).toMatchObject({ ok: false });
  });

  it('makes odd webhook ids safe; an unreadable timestamp is no timestamp', () => {
    expect(decode({ type: 'ContactCreate', locationId: 'loc1', id: 'c1', webhookId: 'a/b]\n' }).webhookId).toMatch(
      /^h-[0-9a-f]{32}$/,
    );
    expect(decode({ type: 'ContactCreate', locationId: 'loc1', id: 'c1', timestamp: 'yesterday' }).at).toBeUndefined();
  });

  it("reads GHL's app id from an OAuth client id as GHL's SDK does", () => {
    expect(appIdOfClientId('64f0a1b2c3d4e5f6a7b8c9d0-lmn0pq1r')).toBe('64f0a1b2c3d4e5f6a7b8c9d0');
    expect(appIdOfClientId('plain')).toBe('plain');
  });

  it('reads ISO dates and epoch seconds or milliseconds', () => {
    const ms = Date.parse('2026-03-01T12:00:00.000Z');
    expect(timestampMs('2026-03-01T12:00:00.000Z')).toBe(ms);
    expect(timestampMs(ms)).toBe(ms);
    expect(timestampMs(ms / 1000)).toBe(ms);
    expect(timestampMs(String(ms))).toBe(ms);
    expect(timestampMs('March 1')).toBeUndefined();
    expect(timestampMs(-5)).toBeUndefined();
  });
});
