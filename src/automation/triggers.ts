// The triggers a rule can name, which GHL webhook types raise each, and which template
// variables each one can fill. One table, so the rule loader, the event reader and the matcher
// cannot disagree about what a trigger means. Webhook types are `ghl/changes.ts`'s: a misspelt
// one does not compile.
//
// Left out on purpose: `task.created` (a rule on it would see the tasks this module creates and
// could feed itself), `contact.deleted` (no contact left to put a task on), note updates and
// deletes, INSTALL/UNINSTALL (no contact).
import type { RecordEventType } from '../ghl/changes.js';

/** Contact fields a template or a condition may read, as `contact.<field>`. */
export const CONTACT_FIELDS = [
  'id',
  'firstName',
  'lastName',
  'name',
  'email',
  'phone',
  'companyName',
  'source',
  'type',
  'assignedTo',
  'city',
  'state',
  'country',
  'postalCode',
  'website',
  'timezone',
  'dateAdded',
  'tags',
] as const;
export type ContactField = (typeof CONTACT_FIELDS)[number];

const APPOINTMENT_FIELDS = [
  'id',
  'title',
  'startTime',
  'endTime',
  'status',
  'address',
  'notes',
  'calendarId',
  'assignedUserId',
] as const;
const TASK_FIELDS = ['id', 'title', 'body', 'dueDate', 'assignedTo'] as const;
const NOTE_FIELDS = ['id', 'body'] as const;

interface TriggerSpec {
  /** GHL webhook types that raise it, all about one kind of record. */
  ghlTypes: readonly RecordEventType[];
  /** Variables beyond contact.*, event.* and rule.id. */
  extraVariables: readonly string[];
}

const prefixed = (prefix: string, fields: readonly string[]) => fields.map((f) => `${prefix}.${f}`);

export const TRIGGERS = {
  'contact.created': { ghlTypes: ['ContactCreate'], extraVariables: [] },
  'contact.updated': { ghlTypes: ['ContactUpdate'], extraVariables: [] },
  // Every contact event that carries the contact's tags can show a tag appearing; the ledger's
  // per-contact-and-tag entry keeps the several events of one change from firing twice.
  'contact.tagAdded': {
    ghlTypes: ['ContactTagUpdate', 'ContactCreate', 'ContactUpdate'],
    extraVariables: ['tag'],
  },
  'contact.dndUpdated': { ghlTypes: ['ContactDndUpdate'], extraVariables: [] },
  'task.completed': { ghlTypes: ['TaskComplete'], extraVariables: prefixed('task', TASK_FIELDS) },
  'note.created': { ghlTypes: ['NoteCreate'], extraVariables: prefixed('note', NOTE_FIELDS) },
  'appointment.booked': {
    ghlTypes: ['AppointmentCreate'],
    extraVariables: prefixed('appointment', APPOINTMENT_FIELDS),
  },
  'appointment.updated': {
    ghlTypes: ['AppointmentUpdate'],
    extraVariables: prefixed('appointment', APPOINTMENT_FIELDS),
  },
  'appointment.deleted': {
    ghlTypes: ['AppointmentDelete'],
    extraVariables: prefixed('appointment', APPOINTMENT_FIELDS),
  },
} as const satisfies Record<string, TriggerSpec>;

export type Trigger = keyof typeof TRIGGERS;
export const TRIGGER_NAMES = Object.keys(TRIGGERS) as Trigger[];

export function isTrigger(value: string): value is Trigger {
  return Object.hasOwn(TRIGGERS, value);
}

/** The triggers one GHL webhook type raises (several for a ContactCreate); [] for the rest. */
export function triggersOf(eventType: RecordEventType): Trigger[] {
  return TRIGGER_NAMES.filter((name) => (TRIGGERS[name].ghlTypes as readonly RecordEventType[]).includes(eventType));
}

const COMMON_VARIABLES = [
  ...prefixed('contact', CONTACT_FIELDS),
  'event.type',
  'event.webhookId',
  'event.timestamp',
  'event.locationId',
  'rule.id',
];

/** Every placeholder a template of a rule on this trigger may use. */
export function variablesOf(trigger: Trigger): ReadonlySet<string> {
  return new Set([...COMMON_VARIABLES, ...TRIGGERS[trigger].extraVariables]);
}
