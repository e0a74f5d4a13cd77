// From a GHL webhook payload to what rules look at. GHL's payloads are flat (`type`,
// `locationId`, the record's fields, `timestamp`, `webhookId`), except appointment events, which
// nest the record under `appointment`. Read leniently, like every GHL record: a missing or odd
// field becomes "unknown", never a rejected event.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { ContactRecord } from '../ghl/contacts.js';
import { stringList, text } from '../ghl/lenient.js';
import { CONTACT_FIELDS, familyOf, triggersOf, type ContactField, type EventFamily, type Trigger } from './triggers.js';

/** A contact as far as rules are concerned: display fields as text, and its tags. */
export interface ContactFacts {
  values: Partial<Record<ContactField, string>>;
  /** Undefined when the source did not say (not the same as "no tags"). */
  tags: string[] | undefined;
}

export interface AutomationEvent {
  /** GHL's webhook type, e.g. ContactTagUpdate. */
  type: string;
  triggers: readonly Trigger[];
  family: EventFamily | undefined;
  /**
   * GHL's webhookId: the same on every redelivery of one event, so it is the dedupe key. Made
   * path- and marker-safe (an odd one is replaced by its hash); when GHL sent none, a hash of the
   * whole payload stands in, which is equally stable across redeliveries of the same body.
   */
  webhookId: string;
  locationId: string | undefined;
  contactId: string | undefined;
  /** When GHL says the change happened (epoch ms), when the payload says. */
  at: number | undefined;
  /** The contact as a contact event carries it; undefined for other events. */
  contact: ContactFacts | undefined;
  /** `appointment.*`, `task.*` or `note.*` template values from the payload. */
  record: Record<string, string>;
}

const looseObject = z.record(z.string(), z.unknown());
const SAFE_ID = /^[A-Za-z0-9_.:-]{1,100}$/;

/**
 * Reads a webhook payload. Also accepts an envelope whose `payload` is the GHL body, in case the
 * event processor wraps what it received. Undefined when there is no GHL event in it at all.
 */
export function readEvent(input: unknown): AutomationEvent | undefined {
  const outer = looseObject.safeParse(input);
  if (!outer.success) return undefined;
  let payload = outer.data;
  if (typeof payload.type !== 'string') {
    const inner = looseObject.safeParse(payload.payload);
    if (!inner.success || typeof inner.data.type !== 'string') return undefined;
    payload = inner.data;
  }
  const type = payload.type as string;
  const triggers = triggersOf(type);
  const first = triggers[0];
  const family = first === undefined ? undefined : familyOf(first);
  const nested = family === 'appointment' ? looseObject.safeParse(payload.appointment) : undefined;
  const appointment = nested?.success ? nested.data : {};

  const str = (value: unknown) => text().parse(value) ?? undefined;
  const contactId =
    family === 'contact'
      ? (str(payload.id) ?? str(payload.contactId))
      : family === 'appointment'
        ? (str(appointment.contactId) ?? str(payload.contactId))
        : str(payload.contactId);

  return {
    type,
    triggers,
    family,
    webhookId: webhookIdOf(payload),
    locationId: str(payload.locationId) ?? str(appointment.locationId),
    contactId,
    at: timeOf(payload.timestamp),
    contact: family === 'contact' ? contactFromPayload(payload, contactId) : undefined,
    record: recordValues(family, family === 'appointment' ? appointment : payload),
  };
}

/** A contact as GET /contacts/{id} returns it. */
export function contactFromRecord(record: ContactRecord): ContactFacts {
  const values: Partial<Record<ContactField, string>> = {};
  const source = record as unknown as Record<string, unknown>;
  for (const field of CONTACT_FIELDS) {
    if (field === 'tags') continue;
    const value = text().parse(source[field]);
    if (value !== null && value !== undefined && value !== '') values[field] = value;
  }
  fillName(values);
  const tags = record.tags ?? undefined;
  if (tags !== undefined) values.tags = tags.join(', ');
  return { values, tags };
}

function contactFromPayload(payload: Record<string, unknown>, contactId: string | undefined): ContactFacts {
  const values: Partial<Record<ContactField, string>> = {};
  for (const field of CONTACT_FIELDS) {
    // A flat payload's `type` is the event's (ContactCreate), not the contact's (lead, customer):
    // a rule that needs contact.type fetches the contact.
    if (field === 'tags' || field === 'type' || field === 'id') continue;
    const value = text().parse(payload[field]);
    if (value !== null && value !== undefined && value !== '') values[field] = value;
  }
  if (contactId !== undefined) values.id = contactId;
  fillName(values);
  const tags = stringList().parse(payload.tags) ?? undefined;
  if (tags !== undefined) values.tags = tags.join(', ');
  return { values, tags };
}

/** GHL usually sends `name`; when it does not, the parts make one. */
function fillName(values: Partial<Record<ContactField, string>>): void {
  if (values.name !== undefined) return;
  const name = [values.firstName, values.lastName].filter((p) => p !== undefined).join(' ');
  if (name !== '') values.name = name;
}

const RECORD_FIELDS: Record<Exclude<EventFamily, 'contact'>, Record<string, readonly string[]>> = {
  appointment: {
    id: ['id'],
    title: ['title'],
    startTime: ['startTime'],
    endTime: ['endTime'],
    status: ['appointmentStatus', 'status'],
    address: ['address'],
    notes: ['notes'],
    calendarId: ['calendarId'],
    assignedUserId: ['assignedUserId'],
  },
  task: { id: ['id'], title: ['title'], body: ['body'], dueDate: ['dueDate'], assignedTo: ['assignedTo'] },
  note: { id: ['id'], body: ['body'] },
};

function recordValues(family: EventFamily | undefined, source: Record<string, unknown>): Record<string, string> {
  if (family === undefined || family === 'contact') return {};
  const out: Record<string, string> = {};
  for (const [name, keys] of Object.entries(RECORD_FIELDS[family])) {
    for (const key of keys) {
      const value = text().parse(source[key]);
      if (value !== null && value !== undefined && value !== '') {
        out[`${family}.${name}`] = value;
        break;
      }
    }
  }
  return out;
}

function webhookIdOf(payload: Record<string, unknown>): string {
  const given = text().parse(payload.webhookId);
  if (given !== null && given !== undefined && given !== '') {
    return SAFE_ID.test(given) ? given : `h-${hash(given)}`;
  }
  return `p-${hash(JSON.stringify(payload))}`;
}

function hash(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 32);
}

/** ISO date, or epoch time in ms or in seconds (told apart by size: 1e11 s would be the year 5138). */
function timeOf(value: unknown): number | undefined {
  const epoch = (n: number) => (Number.isFinite(n) && n > 0 ? (n < 1e11 ? n * 1000 : n) : undefined);
  if (typeof value === 'number') return epoch(value);
  if (typeof value !== 'string') return undefined;
  if (/^\d{9,16}$/.test(value)) return epoch(Number(value));
  // Only date-shaped strings: Date.parse also takes things like "1" or "March".
  if (!/^\d{4}-\d{2}-\d{2}/.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}
