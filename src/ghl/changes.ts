// The one model of what can change in GHL, spoken by everything that reacts to a change: the GHL
// writes (which cached reads they make stale), the webhook receiver (GHL event type → change),
// cache eviction, the live publisher, the subscription schema and automation triggers. Adding a
// GHL event type means one line in GHL_EVENTS; everything keyed by event type is checked by the
// compiler against this table.
//
// Nothing here is GraphQL or HTTP: records and changes as plain data.

/** The kinds of record a change can be about. */
export const RECORD_KINDS = ['contact', 'task', 'note', 'appointment'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

/** What happened to the record. `tags` and `dnd` are contact updates GHL reports on their own. */
export const CHANGE_KINDS = ['created', 'updated', 'deleted', 'completed', 'tags', 'dnd'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

type Meaning = { kind: RecordKind; change: ChangeKind } | { kind: 'install' | 'uninstall' };

/**
 * Every GHL webhook event type the gateway understands, and what it means. Other types (GHL has
 * many outside contacts) are acknowledged and ignored.
 */
export const GHL_EVENTS = {
  ContactCreate: { kind: 'contact', change: 'created' },
  ContactUpdate: { kind: 'contact', change: 'updated' },
  ContactDelete: { kind: 'contact', change: 'deleted' },
  ContactTagUpdate: { kind: 'contact', change: 'tags' },
  ContactDndUpdate: { kind: 'contact', change: 'dnd' },
  TaskCreate: { kind: 'task', change: 'created' },
  TaskComplete: { kind: 'task', change: 'completed' },
  TaskDelete: { kind: 'task', change: 'deleted' },
  NoteCreate: { kind: 'note', change: 'created' },
  NoteUpdate: { kind: 'note', change: 'updated' },
  NoteDelete: { kind: 'note', change: 'deleted' },
  AppointmentCreate: { kind: 'appointment', change: 'created' },
  AppointmentUpdate: { kind: 'appointment', change: 'updated' },
  AppointmentDelete: { kind: 'appointment', change: 'deleted' },
  INSTALL: { kind: 'install' },
  UNINSTALL: { kind: 'uninstall' },
} as const satisfies Record<string, Meaning>;

export type GhlEventType = keyof typeof GHL_EVENTS;
export const GHL_EVENT_TYPES = Object.keys(GHL_EVENTS) as GhlEventType[];

/** Event types that change a record (every type but the app's own install events). */
export type RecordEventType = {
  [T in GhlEventType]: (typeof GHL_EVENTS)[T] extends { kind: RecordKind } ? T : never;
}[GhlEventType];

export function isGhlEventType(type: string): type is GhlEventType {
  return Object.hasOwn(GHL_EVENTS, type);
}

/** A change to one record, as a webhook reported it (or as the gateway's own write made it). */
export interface RecordChange {
  kind: RecordKind;
  change: ChangeKind;
  eventType: RecordEventType;
  locationId: string;
  /** The contact the record is or belongs to; undefined when GHL left it out. */
  contactId: string | undefined;
  /** The id of the contact, task, note or appointment itself. */
  recordId: string | undefined;
  /** The record as the webhook carried it: loose, read by whoever needs a field of it. */
  record: Record<string, unknown>;
  /** When GHL says the change happened (epoch ms); undefined when the event does not say. */
  at: number | undefined;
  /** GHL's webhookId, or a hash of the raw body when GHL sent none: the same on every redelivery. */
  webhookId: string;
}

/** The app was installed or uninstalled, for one location or (agency level) a whole company. */
export interface InstallChange {
  kind: 'install' | 'uninstall';
  eventType: 'INSTALL' | 'UNINSTALL';
  locationId: string | undefined;
  companyId: string | undefined;
  /** The locations it concerns: the one `locationId`, or a bulk agency install's list (maybe none). */
  locationIds: string[];
  at: number | undefined;
  webhookId: string;
}

export type GhlChange = RecordChange | InstallChange;

export function isRecordChange(change: GhlChange): change is RecordChange {
  return change.kind !== 'install' && change.kind !== 'uninstall';
}

/** The location whose data and budget a change concerns, or the company of an agency event. */
export function scopeOfChange(change: GhlChange): string {
  if (isRecordChange(change)) return change.locationId;
  return change.locationId ?? `company:${change.companyId ?? ''}`;
}

// ---------------------------------------------------------------------------------------------
// Cache tags: what a GHL read is about, location-independent. A read carries its tags; a change
// evicts the reads sharing one of its tags.

export type CacheTag =
  | `contact:${string}`
  | `tasks:${string}`
  | `notes:${string}`
  | `appointments:${string}`
  | 'tasks'
  | 'notes'
  | 'appointments'
  | 'contact-lists';

export const cacheTags = {
  contact: (contactId: string): CacheTag => `contact:${contactId}`,
  tasks: (contactId: string): CacheTag => `tasks:${contactId}`,
  notes: (contactId: string): CacheTag => `notes:${contactId}`,
  appointments: (contactId: string): CacheTag => `appointments:${contactId}`,
  /** Every list and search page: they embed contacts' fields and membership. */
  contactLists: 'contact-lists' as CacheTag,
  /**
   * Every contact's tasks, notes or appointments: each child read carries it beside its contact's
   * tag, so a change that does not say whose record it was (a thin TaskCreate) evicts just those.
   */
  anyOf: (kind: Exclude<RecordKind, 'contact'>): CacheTag => CHILD_LISTS[kind],
};

const CHILD_LISTS = { task: 'tasks', note: 'notes', appointment: 'appointments' } as const;

/** The tags of a read of one contact's tasks, notes or appointments. */
export function childReadTags(kind: Exclude<RecordKind, 'contact'>, contactId: string): CacheTag[] {
  return [CHILD_TAG[kind](contactId), cacheTags.anyOf(kind)];
}

/**
 * The cached reads a change makes stale, or 'location' when a contact change names no contact:
 * dropping the location's cache costs misses, never stale data. A child change without its
 * contact evicts every contact's list of that kind, and nothing else.
 */
export function staleTags(
  kind: RecordKind,
  change: ChangeKind,
  contactId: string | undefined,
): CacheTag[] | 'location' {
  if (kind === 'contact') {
    // A created contact only changes lists; any other change to an unnamed contact could be anywhere.
    if (contactId === undefined) return change === 'created' ? [cacheTags.contactLists] : 'location';
    if (change === 'deleted') {
      return [
        cacheTags.contact(contactId),
        cacheTags.tasks(contactId),
        cacheTags.notes(contactId),
        cacheTags.appointments(contactId),
        cacheTags.contactLists,
      ];
    }
    return [cacheTags.contact(contactId), cacheTags.contactLists];
  }
  return contactId === undefined ? [cacheTags.anyOf(kind)] : [CHILD_TAG[kind](contactId)];
}

/** The cached reads a gateway write makes stale (a create has no contact id yet: lists only). */
export function writeTags(kind: RecordKind, change: ChangeKind, contactId: string | undefined): CacheTag[] {
  const tags = staleTags(kind, change, contactId);
  return tags === 'location' ? [] : tags;
}

const CHILD_TAG: Record<Exclude<RecordKind, 'contact'>, (contactId: string) => CacheTag> = {
  task: cacheTags.tasks,
  note: cacheTags.notes,
  appointment: cacheTags.appointments,
};
