// From a record change (decoded once, by events/webhook-payload.ts) to what rules look at: the
// triggers it raises, the contact as the payload carries it, and the record's template values.
// Read leniently, like every GHL record: a missing or odd field becomes "unknown", never a
// rejected event.
import type { ContactRecord } from '../ghl/contacts.js';
import type { RecordChange, RecordEventType, RecordKind } from '../ghl/changes.js';
import { stringList, text } from '../ghl/lenient.js';
import { CONTACT_FIELDS, triggersOf, type ContactField, type Trigger } from './triggers.js';

/** A contact as far as rules are concerned: display fields as text, and its tags. */
export interface ContactFacts {
  values: Partial<Record<ContactField, string>>;
  /** Undefined when the source did not say (not the same as "no tags"). */
  tags: string[] | undefined;
}

export interface AutomationEvent {
  /** GHL's webhook type, e.g. ContactTagUpdate. */
  type: RecordEventType;
  triggers: readonly Trigger[];
  kind: RecordKind;
  /** The change's webhook id: the same on every redelivery of one event, so it is the dedupe key. */
  webhookId: string;
  locationId: string;
  contactId: string | undefined;
  /** When GHL says the change happened (epoch ms), when the payload says. */
  at: number | undefined;
  /** The contact as a contact event carries it; undefined for other events. */
  contact: ContactFacts | undefined;
  /** `appointment.*`, `task.*` or `note.*` template values from the payload. */
  record: Record<string, string>;
}

/** What rules see of a record change. */
export function automationEventOf(change: RecordChange): AutomationEvent {
  const { kind, record } = change;
  return {
    type: change.eventType,
    triggers: triggersOf(change.eventType),
    kind,
    webhookId: change.webhookId,
    locationId: change.locationId,
    contactId: change.contactId,
    at: change.at,
    contact: kind === 'contact' ? contactFromPayload(record, change.contactId) : undefined,
    record: recordValues(kind, record),
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

const RECORD_FIELDS: Record<Exclude<RecordKind, 'contact'>, Record<string, readonly string[]>> = {
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

function recordValues(kind: RecordKind, source: Record<string, unknown>): Record<string, string> {
  if (kind === 'contact') return {};
  const out: Record<string, string> = {};
  for (const [name, keys] of Object.entries(RECORD_FIELDS[kind])) {
    for (const key of keys) {
      const value = text().parse(source[key]);
      if (value !== null && value !== undefined && value !== '') {
        out[`${kind}.${name}`] = value;
        break;
      }
    }
  }
  return out;
}
