// Edits made in GHL's own UI (or by GHL itself: app installs, for a location or for the whole
// agency), which no API call of the app makes but which reach it as webhooks:
// POST /__sandbox/simulate and `sandbox.simulate()`.
// Contact, task and note edits run through the API's own handlers, as a caller of that location
// with every scope, so the data changes exactly as the API would change it (normalised input,
// `dateUpdated` bumped, duplicates refused) and the same webhooks go out. Appointments, which
// the contacts API only reads, change through appointment-writes.ts. No auth, rate limit,
// latency, faults or stats: it is not an API call.

import { z } from 'zod';
import {
  appointmentChanges,
  appointmentInput,
  bookAppointment,
  cancelAppointment,
  deleteAppointment,
  updateAppointment,
} from './appointment-writes.js';
import { contactDetail } from './contact-views.js';
import { sandboxAgency } from './fixtures.js';
import { createContact, deleteContact, updateContact } from './handlers/contacts.js';
import type { Handler } from './handlers/context.js';
import { createNote, deleteNote, getNote, updateNote } from './handlers/notes.js';
import { addTags, removeTags } from './handlers/tags-and-followers.js';
import { completeTask, createTask, deleteTask, getTask } from './handlers/tasks.js';
import { httpErrors } from './http-error.js';
import { describeIssues } from './options.js';
import type { AppointmentRecord, ContactRecord, LocationRecord } from './records.js';
import {
  createContactBody,
  createNoteBody,
  createTaskBody,
  updateContactBody,
  updateNoteBody,
} from './request-bodies.js';
import type { SandboxRuntime } from './runtime.js';
import type { WebhookPayload, WebhookSink } from './webhook-events.js';

const id = z.string().min(1);
const onContact = { locationId: id, contactId: id };
const tags = z.array(z.string()).min(1);

export const simulateActionSchema = z.discriminatedUnion('action', [
  z.strictObject({
    action: z.literal('createContact'),
    locationId: id,
    contact: createContactBody.omit({ locationId: true }),
  }),
  // What the API's PUT accepts (UpdateContactDto).
  z.strictObject({ action: z.literal('updateContact'), ...onContact, changes: updateContactBody }),
  z.strictObject({ action: z.literal('deleteContact'), ...onContact }),
  z.strictObject({ action: z.literal('addTags'), ...onContact, tags }),
  z.strictObject({ action: z.literal('removeTags'), ...onContact, tags }),
  z.strictObject({
    action: z.literal('createTask'),
    ...onContact,
    task: createTaskBody.extend({ completed: z.boolean().default(false) }),
  }),
  z.strictObject({ action: z.literal('completeTask'), ...onContact, taskId: id }),
  z.strictObject({ action: z.literal('deleteTask'), ...onContact, taskId: id }),
  z.strictObject({ action: z.literal('createNote'), ...onContact, note: createNoteBody }),
  z.strictObject({ action: z.literal('updateNote'), ...onContact, noteId: id, changes: updateNoteBody }),
  z.strictObject({ action: z.literal('deleteNote'), ...onContact, noteId: id }),
  z.strictObject({ action: z.literal('bookAppointment'), ...onContact, appointment: appointmentInput }),
  z.strictObject({
    action: z.literal('updateAppointment'),
    locationId: id,
    appointmentId: id,
    changes: appointmentChanges,
  }),
  z.strictObject({ action: z.literal('cancelAppointment'), locationId: id, appointmentId: id }),
  z.strictObject({ action: z.literal('deleteAppointment'), locationId: id, appointmentId: id }),
  z.strictObject({ action: z.literal('install'), locationId: id }),
  z.strictObject({ action: z.literal('uninstall'), locationId: id }),
  // Agency level: GHL's INSTALL / UNINSTALL then carry `companyId` and no `locationId`.
  z.strictObject({ action: z.literal('installAgency'), companyId: id }),
  z.strictObject({ action: z.literal('uninstallAgency'), companyId: id }),
]);

/** One simulated edit, e.g. `{action: 'addTags', locationId, contactId, tags: ['vip']}`. */
export type SimulateAction = z.input<typeof simulateActionSchema>;

/** The changed record as the API returns it (a deleted one as it was), and the events it produced. */
export interface SimulateResult {
  contact?: Record<string, unknown>;
  task?: unknown;
  note?: unknown;
  appointment?: AppointmentRecord;
  location?: { id: string; name: string };
  company?: { id: string; name: string };
  deleted?: true;
  /** Every event the edit produced, even when no webhook URL is set (then none was sent). */
  webhooks: WebhookPayload[];
}

export const SIMULATE_ACTIONS: readonly string[] = simulateActionSchema.options.map((o) => o.shape.action.value);

function contactIn(rt: SandboxRuntime, location: LocationRecord, contactId: string): ContactRecord {
  const contact = rt.store.contact(contactId);
  if (!contact || contact.locationId !== location.id) throw httpErrors.notFound('Contact');
  return contact;
}

function appointmentIn(rt: SandboxRuntime, location: LocationRecord, appointmentId: string): AppointmentRecord {
  const appointment = rt.store.appointment(appointmentId);
  if (!appointment || appointment.locationId !== location.id) throw httpErrors.notFound('Appointment');
  return appointment;
}

/** Collects what the edit announced, and passes it on to delivery. */
function recordingSink(rt: SandboxRuntime, webhooks: WebhookPayload[]): WebhookSink {
  return {
    emit: (event, at) => {
      const payload = rt.webhooks.emit(event, at);
      webhooks.push(payload);
      return payload;
    },
  };
}

/** The sandbox has one agency; GHL knows no other company for this app. */
function agencyEdit(rt: SandboxRuntime, type: 'INSTALL' | 'UNINSTALL', companyId: string): SimulateResult {
  if (companyId !== sandboxAgency.companyId) throw httpErrors.notFound('Company');
  const webhooks: WebhookPayload[] = [];
  recordingSink(rt, webhooks).emit({ type, target: { level: 'agency', companyId } }, new Date());
  return { company: { id: sandboxAgency.companyId, name: sandboxAgency.name }, webhooks };
}

export function runSimulation(rt: SandboxRuntime, input: unknown): SimulateResult {
  const parsed = simulateActionSchema.safeParse(input);
  if (!parsed.success) throw httpErrors.badRequest(`Invalid simulate action: ${describeIssues(parsed.error)}`);
  const action = parsed.data;
  if (action.action === 'installAgency') return agencyEdit(rt, 'INSTALL', action.companyId);
  if (action.action === 'uninstallAgency') return agencyEdit(rt, 'UNINSTALL', action.companyId);
  const location = rt.store.location(action.locationId);
  if (!location) throw httpErrors.notFound('Location');

  const webhooks: WebhookPayload[] = [];
  const sink = recordingSink(rt, webhooks);
  const now = new Date();
  const store = rt.store;
  const run = (handler: Handler, params: Record<string, string>, body?: unknown): Record<string, unknown> =>
    handler({
      caller: { locationId: location.id, scopes: new Set(), kind: 'oauth' },
      params,
      query: new URLSearchParams(),
      body,
      store,
      baseUrl: '',
      now,
      webhooks: sink,
    }).body as Record<string, unknown>;
  const contactResult = (contactId: string): SimulateResult => ({
    contact: contactDetail(contactIn(rt, location, contactId)),
    webhooks,
  });

  switch (action.action) {
    case 'createContact': {
      const created = run(createContact, {}, { ...action.contact, locationId: location.id }).contact as { id: string };
      return contactResult(created.id);
    }
    case 'updateContact':
      contactIn(rt, location, action.contactId);
      run(updateContact, { contactId: action.contactId }, action.changes);
      return contactResult(action.contactId);
    case 'deleteContact': {
      const before = contactDetail(contactIn(rt, location, action.contactId));
      run(deleteContact, { contactId: action.contactId });
      return { contact: before, deleted: true, webhooks };
    }
    case 'addTags':
    case 'removeTags':
      contactIn(rt, location, action.contactId);
      run(action.action === 'addTags' ? addTags : removeTags, { contactId: action.contactId }, { tags: action.tags });
      return contactResult(action.contactId);
    case 'createTask':
      contactIn(rt, location, action.contactId);
      return { task: run(createTask, { contactId: action.contactId }, action.task).task, webhooks };
    case 'completeTask':
      contactIn(rt, location, action.contactId);
      return {
        task: run(completeTask, { contactId: action.contactId, taskId: action.taskId }, { completed: true }).task,
        webhooks,
      };
    case 'deleteTask': {
      contactIn(rt, location, action.contactId);
      const params = { contactId: action.contactId, taskId: action.taskId };
      const before = run(getTask, params).task;
      run(deleteTask, params);
      return { task: before, deleted: true, webhooks };
    }
    case 'createNote':
      contactIn(rt, location, action.contactId);
      return { note: run(createNote, { contactId: action.contactId }, action.note).note, webhooks };
    case 'updateNote':
      contactIn(rt, location, action.contactId);
      return {
        note: run(updateNote, { contactId: action.contactId, id: action.noteId }, action.changes).note,
        webhooks,
      };
    case 'deleteNote': {
      contactIn(rt, location, action.contactId);
      const params = { contactId: action.contactId, id: action.noteId };
      const before = run(getNote, params).note;
      run(deleteNote, params);
      return { note: before, deleted: true, webhooks };
    }
    case 'bookAppointment': {
      const contact = contactIn(rt, location, action.contactId);
      return { appointment: { ...bookAppointment(store, sink, now, location, contact, action.appointment) }, webhooks };
    }
    case 'updateAppointment': {
      const appointment = appointmentIn(rt, location, action.appointmentId);
      return { appointment: { ...updateAppointment(sink, now, location, appointment, action.changes) }, webhooks };
    }
    case 'cancelAppointment':
      return {
        appointment: { ...cancelAppointment(sink, now, location, appointmentIn(rt, location, action.appointmentId)) },
        webhooks,
      };
    case 'deleteAppointment': {
      const appointment = appointmentIn(rt, location, action.appointmentId);
      return { appointment: { ...deleteAppointment(store, sink, now, appointment) }, deleted: true, webhooks };
    }
    case 'install':
    case 'uninstall': {
      const target = {
        level: 'location',
        location,
        companyId: sandboxAgency.companyId,
        companyName: sandboxAgency.name,
      } as const;
      sink.emit({ type: action.action === 'install' ? 'INSTALL' : 'UNINSTALL', target }, now);
      return { location: { id: location.id, name: location.name }, webhooks };
    }
  }
}
