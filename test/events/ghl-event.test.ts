import { describe, expect, it } from 'vitest';
import {
  affected,
  evictionTags,
  ghlEventSchema,
  needsLocationEviction,
  timestampMs,
  type GhlEvent,
} from '../../src/events/ghl-event.js';

const envelope = { locationId: 'loc1', webhookId: 'wh-1', timestamp: '2026-03-01T12:00:00.000Z' };
const parse = (fields: Record<string, unknown>): GhlEvent => ghlEventSchema.parse({ ...envelope, ...fields });

describe('GHL event model', () => {
  it.each([
    ['ContactCreate', { id: 'c1' }, ['contact:c1', 'contact-lists'], { kind: 'contact', change: 'created', contactId: 'c1', recordId: 'c1' }],
    ['ContactUpdate', { id: 'c1' }, ['contact:c1', 'contact-lists'], { kind: 'contact', change: 'updated', contactId: 'c1' }],
    ['ContactTagUpdate', { id: 'c1', tags: ['vip'] }, ['contact:c1', 'contact-lists'], { kind: 'contact', change: 'tags' }],
    ['ContactDndUpdate', { id: 'c1', dnd: true }, ['contact:c1', 'contact-lists'], { kind: 'contact', change: 'dnd' }],
    [
      'ContactDelete',
      { id: 'c1' },
      ['contact:c1', 'tasks:c1', 'notes:c1', 'appointments:c1', 'contact-lists'],
      { kind: 'contact', change: 'deleted', contactId: 'c1' },
    ],
    ['TaskCreate', { id: 't1', contactId: 'c1', title: 'Call' }, ['tasks:c1'], { kind: 'task', change: 'created', contactId: 'c1', recordId: 't1' }],
    ['TaskComplete', { id: 't1', contactId: 'c1', completed: true }, ['tasks:c1'], { kind: 'task', change: 'completed' }],
    ['TaskDelete', { id: 't1', contactId: 'c1' }, ['tasks:c1'], { kind: 'task', change: 'deleted' }],
    ['NoteCreate', { id: 'n1', contactId: 'c1', body: 'hi' }, ['notes:c1'], { kind: 'note', change: 'created', recordId: 'n1' }],
    ['NoteUpdate', { id: 'n1', contactId: 'c1' }, ['notes:c1'], { kind: 'note', change: 'updated' }],
    ['NoteDelete', { id: 'n1', contactId: 'c1' }, ['notes:c1'], { kind: 'note', change: 'deleted' }],
    [
      'AppointmentCreate',
      { appointment: { id: 'a1', contactId: 'c1', calendarId: 'cal1', startTime: '2021-07-16 11:00:00' } },
      ['appointments:c1'],
      { kind: 'appointment', change: 'created', contactId: 'c1', recordId: 'a1' },
    ],
    ['AppointmentUpdate', { appointment: { id: 'a1', contactId: 'c1' } }, ['appointments:c1'], { kind: 'appointment', change: 'updated' }],
    ['AppointmentDelete', { appointment: { id: 'a1', contactId: 'c1' } }, ['appointments:c1'], { kind: 'appointment', change: 'deleted' }],
    ['INSTALL', { appId: 'app1', companyId: 'co1' }, [], { kind: 'install', change: 'created', locationId: 'loc1' }],
    ['UNINSTALL', { appId: 'app1' }, [], { kind: 'uninstall', change: 'deleted', locationId: 'loc1' }],
  ] as const)('%s → its tags and meaning', (type, fields, tags, meaning) => {
    const event = parse({ type, ...fields });
    expect(evictionTags(event)).toEqual(tags);
    expect(affected(event)).toMatchObject({ locationId: 'loc1', ...meaning });
    expect(needsLocationEviction(event)).toBe(false);
  });

  it('accepts unknown types, which affect nothing', () => {
    const event = parse({ type: 'OpportunityCreate', id: 'o1' });
    expect(affected(event)).toBeUndefined();
    expect(evictionTags(event)).toEqual([]);
    expect(needsLocationEviction(event)).toBe(false);
  });

  it('keeps unknown fields and tolerates odd record fields', () => {
    const event = parse({ type: 'TaskCreate', id: 42, contactId: '../x', extra: { nested: true } });
    expect(event.extra).toEqual({ nested: true });
    expect(affected(event)).toEqual({ locationId: 'loc1', kind: 'task', change: 'created' });
    // No usable contact id: every contact's task lists go, and nothing else.
    expect(evictionTags(event)).toEqual(['tasks']);
    expect(needsLocationEviction(event)).toBe(false);
    expect(needsLocationEviction(parse({ type: 'ContactUpdate' }))).toBe(true);
    expect(evictionTags(parse({ type: 'ContactCreate' }))).toEqual(['contact-lists']);
    expect(needsLocationEviction(parse({ type: 'ContactCreate' }))).toBe(false);
    expect(evictionTags(parse({ type: 'AppointmentCreate', appointment: 'weird' }))).toEqual(['appointments']);
  });

  it('requires the envelope', () => {
    for (const missing of ['type', 'locationId', 'webhookId', 'timestamp']) {
      const body: Record<string, unknown> = { type: 'ContactCreate', ...envelope };
      delete body[missing];
      expect(ghlEventSchema.safeParse(body).success, missing).toBe(false);
    }
    expect(ghlEventSchema.safeParse({ type: 'ContactCreate', ...envelope, locationId: 'a/b' }).success).toBe(false);
    expect(ghlEventSchema.safeParse({ type: 'ContactCreate', ...envelope, webhookId: 'has space' }).success).toBe(false);
    expect(ghlEventSchema.safeParse({ type: 'ContactCreate', ...envelope, timestamp: 'yesterday' }).success).toBe(false);
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
