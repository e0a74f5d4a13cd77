// From GHL's webhook payloads to rules: which trigger each event raises, what the payload
// carries, which rules apply, and the task they would make.
import { describe, expect, it } from 'vitest';
import { automationEventOf, type AutomationEvent } from '../../src/automation/event.js';
import { isRecordChange } from '../../src/ghl/changes.js';
import { changeOf } from '../support/changes.js';
import { conditionsHold, hasWatchedTag, listensTo, needsContact } from '../../src/automation/matching.js';
import { parseRules, type Rule } from '../../src/automation/rules.js';
import { buildTask, markerOf } from '../../src/automation/task-input.js';

const LOCATION = 'sRlty7Q2mKx9PbN4vW1c';

function ruleOf(spec: Record<string, unknown>): Rule {
  return parseRules({ rules: [{ id: 'r', task: { title: 'T', dueIn: '1d' }, ...spec }] })[0]!;
}
function eventOf(payload: Record<string, unknown>): AutomationEvent {
  const change = changeOf({
    locationId: LOCATION,
    webhookId: 'wh-1',
    timestamp: '2026-03-01T10:00:00.000Z',
    ...payload,
  });
  if (!isRecordChange(change)) throw new Error('not a record change');
  return automationEventOf(change);
}

const contactCreate = eventOf({
  type: 'ContactCreate',
  id: 'c1',
  firstName: 'Maria',
  lastName: 'Alvarez',
  source: 'Website',
  tags: ['buyer', 'VIP'],
});
const tagUpdate = eventOf({ type: 'ContactTagUpdate', id: 'c1', firstName: 'Maria', tags: ['hot-lead'] });
const appointmentCreate = eventOf({
  type: 'AppointmentCreate',
  appointment: {
    id: 'a1',
    contactId: 'c1',
    title: 'Viewing',
    startTime: '2026-03-02 11:00:00',
    appointmentStatus: 'confirmed',
  },
});
const taskComplete = eventOf({
  type: 'TaskComplete',
  id: 't1',
  contactId: 'c1',
  title: 'Send contract',
  completed: true,
});

describe('reading webhook payloads', () => {
  it('maps GHL types to triggers', () => {
    expect(contactCreate.triggers).toEqual(['contact.created', 'contact.tagAdded']);
    expect(tagUpdate.triggers).toEqual(['contact.tagAdded']);
    expect(appointmentCreate.triggers).toEqual(['appointment.booked']);
    expect(taskComplete.triggers).toEqual(['task.completed']);
    expect(eventOf({ type: 'TaskCreate', id: 't', contactId: 'c1' }).triggers).toEqual([]);
  });

  it('finds the contact in flat and nested payloads', () => {
    expect(contactCreate).toMatchObject({
      contactId: 'c1',
      locationId: LOCATION,
      webhookId: 'wh-1',
      at: Date.parse('2026-03-01T10:00:00Z'),
    });
    expect(contactCreate.contact?.values).toMatchObject({ id: 'c1', name: 'Maria Alvarez', source: 'Website' });
    expect(contactCreate.contact?.values.type).toBeUndefined(); // the payload's `type` is the event's
    expect(appointmentCreate).toMatchObject({ contactId: 'c1', contact: undefined });
    expect(appointmentCreate.record).toMatchObject({
      'appointment.title': 'Viewing',
      'appointment.status': 'confirmed',
    });
    expect(taskComplete).toMatchObject({ contactId: 'c1', record: { 'task.title': 'Send contract', 'task.id': 't1' } });
  });

  it('reads GHL timestamps as ISO dates, epoch milliseconds or epoch seconds', () => {
    const at = Date.parse('2026-03-01T10:00:00Z');
    expect(eventOf({ type: 'ContactCreate', id: 'c1', timestamp: at }).at).toBe(at);
    expect(eventOf({ type: 'ContactCreate', id: 'c1', timestamp: at / 1000 }).at).toBe(at);
    expect(eventOf({ type: 'ContactCreate', id: 'c1', timestamp: String(at / 1000) }).at).toBe(at);
    expect(eventOf({ type: 'ContactCreate', id: 'c1', timestamp: 'March' }).at).toBeUndefined();
  });

  it('makes odd webhook ids safe for the ledger and the task marker', () => {
    expect(eventOf({ type: 'ContactCreate', id: 'c1', webhookId: 'a/b]\n' }).webhookId).toMatch(/^h-[0-9a-f]{32}$/);
  });
});

describe('matching', () => {
  it('contact.created with tags and source conditions', () => {
    const rule = ruleOf({ on: 'contact.created', when: { tags: ['vip', 'Buyer'], source: 'website' } });
    expect(listensTo(rule, contactCreate)).toBe(true);
    expect(needsContact(rule, contactCreate)).toBe(false);
    expect(conditionsHold(rule, contactCreate.contact)).toEqual({ ok: true });
    expect(
      conditionsHold(ruleOf({ on: 'contact.created', when: { tags: ['seller'] } }), contactCreate.contact),
    ).toMatchObject({ ok: false });
    expect(
      conditionsHold(ruleOf({ on: 'contact.created', when: { source: 'referral' } }), contactCreate.contact),
    ).toMatchObject({ ok: false });
    expect(listensTo(rule, tagUpdate)).toBe(false);
  });

  it('contact.type needs the contact fetched, even on contact events', () => {
    expect(needsContact(ruleOf({ on: 'contact.created', when: { type: 'lead' } }), contactCreate)).toBe(true);
  });

  it('contact.tagAdded looks at the watched tag', () => {
    const rule = ruleOf({ on: 'contact.tagAdded', when: { tagAdded: 'Hot-Lead' } });
    expect(listensTo(rule, tagUpdate)).toBe(true);
    expect(listensTo(rule, contactCreate)).toBe(true);
    expect(hasWatchedTag(rule, tagUpdate.contact)).toBe(true);
    expect(hasWatchedTag(rule, contactCreate.contact)).toBe(false);
    expect(hasWatchedTag(rule, eventOf({ type: 'ContactTagUpdate', id: 'c1' }).contact)).toBeUndefined();
  });

  it('appointment.booked fetches the contact only when the rule reads it', () => {
    const bare = ruleOf({ on: 'appointment.booked', task: { title: 'Prep {{appointment.title}}', dueIn: '1h' } });
    const named = ruleOf({ on: 'appointment.booked', task: { title: 'Prep {{contact.name}}', dueIn: '1h' } });
    expect(listensTo(bare, appointmentCreate)).toBe(true);
    expect(needsContact(bare, appointmentCreate)).toBe(false);
    expect(needsContact(named, appointmentCreate)).toBe(true);
    expect(listensTo(bare, contactCreate)).toBe(false);
  });

  it('task.completed, the location condition and disabled rules', () => {
    expect(listensTo(ruleOf({ on: 'task.completed' }), taskComplete)).toBe(true);
    expect(
      listensTo(ruleOf({ on: 'task.completed', when: { locationId: 'hBrDnt5XqL8cZ3rT6yE2' } }), taskComplete),
    ).toBe(false);
    expect(listensTo(ruleOf({ on: 'task.completed', enabled: false }), taskComplete)).toBe(false);
  });
});

describe('the task a rule makes', () => {
  it('renders title and body, ends the body with the marker and sets the due date', () => {
    const rule = ruleOf({
      on: 'appointment.booked',
      task: {
        title: 'Prep   {{appointment.title}}\nwith {{contact.firstName || "them"}}',
        body: 'At {{appointment.startTime}} ({{event.type}})',
        dueIn: '2h',
        assignedTo: 'u1',
      },
    });
    const marker = markerOf('r', 'wh-1');
    const task = buildTask(rule, appointmentCreate, undefined, marker, Date.parse('2026-03-01T10:00:00Z'));
    expect(task).toEqual({
      title: 'Prep Viewing with them',
      body: 'At 2026-03-02 11:00:00 (AppointmentCreate)\n\n[automation r/wh-1]',
      dueDate: '2026-03-01T12:00:00Z',
      assignedTo: 'u1',
    });
  });

  it('falls back to the rule id for an empty title and keeps GHL limits', () => {
    const rule = ruleOf({
      id: 'x',
      on: 'contact.created',
      task: { title: '{{contact.email}}', body: '{{contact.name}}', dueIn: '1d' },
    });
    const long = eventOf({ type: 'ContactCreate', id: 'c1', name: 'n'.repeat(6000) });
    const task = buildTask(rule, long, long.contact, markerOf('x', 'wh-1'), 0);
    expect(task.title).toBe('x');
    expect(task.body.length).toBeLessThanOrEqual(5000);
    expect(task.body.endsWith('\n\n[automation x/wh-1]')).toBe(true);
  });
});
