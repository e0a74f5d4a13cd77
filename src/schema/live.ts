// Subscriptions: changes GHL reported by webhook, pushed to the frontend over server-sent events.
// A subscriber hears only its own location, and only with contacts.readonly. The record arrives
// as GHL's webhook carried it, read with the same lenient parsers as the REST responses.
import { READ_SCOPE } from '../auth/caller.js';
import { appointmentRecord, type AppointmentRecord } from '../ghl/appointments.js';
import { contactRecord, type ContactRecord } from '../ghl/contacts.js';
import { noteRecord, type NoteRecord } from '../ghl/notes.js';
import { taskRecord, type TaskRecord } from '../ghl/tasks.js';
import { CHANGE_KINDS, type RecordChange, type RecordKind } from '../ghl/changes.js';
import { AppointmentRef } from './appointment.js';
import { builder } from './builder.js';
import { ContactRef } from './contact.js';
import { missingScope } from './errors/auth.js';
import { NoteRef } from './note.js';
import { TaskRef } from './task.js';

builder.subscriptionType({ description: "Live changes of the caller's location, as GHL reports them by webhook." });

const CHANGE_DESCRIPTIONS: Partial<Record<(typeof CHANGE_KINDS)[number], string>> = {
  completed: 'A task was completed.',
  tags: "A contact's tags changed.",
  dnd: "A contact's do-not-disturb settings changed.",
};

const ChangeKindRef = builder.enumType('ChangeKind', {
  description: 'What happened to the record.',
  values: Object.fromEntries(
    CHANGE_KINDS.map((kind) => [kind.toUpperCase(), { value: kind, description: CHANGE_DESCRIPTIONS[kind] }]),
  ) as Record<Uppercase<(typeof CHANGE_KINDS)[number]>, { value: (typeof CHANGE_KINDS)[number]; description?: string }>,
});

function parse<T>(
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } },
  record: unknown,
): T | null {
  const parsed = schema.safeParse(record);
  return parsed.success ? parsed.data : null;
}

const CHANGE_TYPES: Record<RecordKind, string> = {
  contact: 'ContactChange',
  task: 'TaskChange',
  note: 'NoteChange',
  appointment: 'AppointmentChange',
};

const RecordChangeRef = builder.interfaceRef<RecordChange>('RecordChange').implement({
  description: 'What every live change carries, whatever the record.',
  resolveType: (event) => CHANGE_TYPES[event.kind],
  fields: (t) => ({
    change: t.field({ type: ChangeKindRef, nullable: false, description: 'What happened.', resolve: (e) => e.change }),
    contactId: t.id({
      nullable: false,
      description: 'The contact the record belongs to.',
      resolve: (e) => e.contactId ?? '',
    }),
    eventType: t.exposeString('eventType', { nullable: false, description: "GHL's event type, e.g. TaskComplete." }),
    at: t.field({
      type: 'DateTime',
      description:
        "When GHL generated the event; null when the event does not say (GHL's contact, task and note events often do not).",
      resolve: (e) => (e.at === undefined ? null : new Date(e.at).toISOString()),
    }),
  }),
});

const ContactChangeRef = builder.objectRef<RecordChange>(CHANGE_TYPES.contact).implement({
  interfaces: [RecordChangeRef],
  description: 'A contact was created, updated, deleted, re-tagged or had its DND changed in GHL.',
  fields: (t) => ({
    contact: t.field({
      type: ContactRef,
      description: 'The contact as the webhook carried it; null when deleted.',
      resolve: (e) => (e.change === 'deleted' ? null : parse<ContactRecord>(contactRecord, e.record)),
    }),
  }),
});

const TaskChangeRef = builder.objectRef<RecordChange>(CHANGE_TYPES.task).implement({
  interfaces: [RecordChangeRef],
  description: 'A task was created, completed or deleted in GHL.',
  fields: (t) => ({
    task: t.field({
      type: TaskRef,
      description: 'The task as the webhook carried it.',
      resolve: (e) => parse<TaskRecord>(taskRecord, e.record),
    }),
  }),
});

const NoteChangeRef = builder.objectRef<RecordChange>(CHANGE_TYPES.note).implement({
  interfaces: [RecordChangeRef],
  description: 'A note was created, updated or deleted in GHL.',
  fields: (t) => ({
    note: t.field({
      type: NoteRef,
      description: 'The note as the webhook carried it.',
      resolve: (e) => parse<NoteRecord>(noteRecord, e.record),
    }),
  }),
});

const AppointmentChangeRef = builder.objectRef<RecordChange>(CHANGE_TYPES.appointment).implement({
  interfaces: [RecordChangeRef],
  description: 'An appointment was booked, changed or deleted in GHL.',
  fields: (t) => ({
    appointment: t.field({
      type: AppointmentRef,
      description: 'The appointment as the webhook carried it.',
      resolve: (e) => parse<AppointmentRecord>(appointmentRecord, e.record),
    }),
  }),
});

async function* only(kind: RecordKind, contactId: string | null | undefined, source: AsyncIterable<RecordChange>) {
  for await (const event of source) {
    if (event.kind === kind && (contactId == null || event.contactId === contactId)) yield event;
  }
}

function subscription(kind: RecordKind, type: typeof ContactChangeRef, description: string) {
  builder.subscriptionField(`${kind}Changed`, (t) =>
    t.field({
      type,
      nullable: false,
      authScopes: { contactsRead: true },
      description,
      args: { contactId: t.arg.id({ description: 'Only changes of this contact.' }) },
      subscribe: (_root, args, context) => {
        // scope-auth guards resolvers; a subscription's source needs its own check, or a caller
        // without the read scope would hold a stream open.
        if (!context.caller.canRead) {
          throw missingScope(context.caller, `Subscription.${kind}Changed`, [READ_SCOPE]);
        }
        return only(kind, args.contactId ?? null, context.live.subscribe(context.caller.locationId));
      },
      resolve: (event) => event,
    }),
  );
}

subscription(
  'contact',
  ContactChangeRef,
  'Contacts of your location created, updated, deleted, re-tagged or DND-changed in GHL.',
);
subscription('task', TaskChangeRef, 'Tasks of your location created, completed or deleted in GHL.');
subscription('note', NoteChangeRef, 'Notes of your location created, updated or deleted in GHL.');
subscription('appointment', AppointmentChangeRef, 'Appointments of your location booked, changed or cancelled in GHL.');
