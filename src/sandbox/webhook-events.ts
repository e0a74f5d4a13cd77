// Which webhook events a data change produces, and what they carry. GHL's payloads are flat:
// `type`, `locationId`, the record's fields, `timestamp` (when the event was made) and
// `webhookId` (unique per event, the same on a redelivery); appointment events nest the record
// under `appointment`. Field lists follow GHL's webhook reference (marketplace.gohighlevel.com
// /docs/webhook/*); README.md says where the sandbox had to guess.

import { compact, webhookContact } from './contact-views.js';
import type { AppointmentRecord, ContactRecord } from './records.js';

export const WEBHOOK_TYPES = [
  'ContactCreate',
  'ContactUpdate',
  'ContactDelete',
  'ContactTagUpdate',
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
  'INSTALL',
  'UNINSTALL',
] as const;

export type WebhookType = (typeof WEBHOOK_TYPES)[number];

export interface WebhookPayload {
  type: WebhookType;
  locationId: string;
  /** ISO 8601: when the event was generated (not when it was delivered). */
  timestamp: string;
  /** A UUID, the same on every delivery attempt of this event. */
  webhookId: string;
  [field: string]: unknown;
}

/** Where handlers send events. Returns the payload whether or not a webhook URL is set. */
export interface WebhookSink {
  emit(type: WebhookType, locationId: string, fields: Record<string, unknown>, now: Date): WebhookPayload;
}

/** An appointment as GHL's appointment webhooks nest it (its `status` and `locationId` are not in that schema). */
export function webhookAppointment(a: AppointmentRecord): Record<string, unknown> {
  return compact({
    id: a.id,
    address: a.address,
    title: a.title,
    calendarId: a.calendarId,
    contactId: a.contactId,
    groupId: a.groupId,
    appointmentStatus: a.appointmentStatus,
    assignedUserId: a.assignedUserId,
    users: a.users,
    notes: a.notes,
    startTime: a.startTime,
    endTime: a.endTime,
    dateAdded: a.dateAdded,
    dateUpdated: a.dateUpdated,
  });
}

/** The parts of a contact whose change has its own event, taken before a write. */
export interface ContactEventState {
  tags: string;
  dnd: string;
}

export function contactEventState(c: ContactRecord): ContactEventState {
  return {
    tags: JSON.stringify(c.tags),
    dnd: JSON.stringify([c.dnd ?? false, c.dndSettings ?? {}, c.inboundDndSettings ?? {}]),
  };
}

export function emitContactCreate(sink: WebhookSink, c: ContactRecord, now: Date): void {
  sink.emit('ContactCreate', c.locationId, webhookContact(c), now);
}

export function emitContactDelete(sink: WebhookSink, c: ContactRecord, now: Date): void {
  sink.emit('ContactDelete', c.locationId, webhookContact(c), now);
}

/** Only when the tag list really changed: adding a tag the contact has changes nothing. */
export function emitTagUpdate(sink: WebhookSink, c: ContactRecord, before: ContactEventState, now: Date): void {
  if (contactEventState(c).tags !== before.tags) sink.emit('ContactTagUpdate', c.locationId, webhookContact(c), now);
}

/** ContactUpdate for any write, then ContactTagUpdate / ContactDndUpdate for what it changed. */
export function emitContactUpdate(sink: WebhookSink, c: ContactRecord, before: ContactEventState, now: Date): void {
  sink.emit('ContactUpdate', c.locationId, webhookContact(c), now);
  emitTagUpdate(sink, c, before, now);
  if (contactEventState(c).dnd !== before.dnd) {
    sink.emit('ContactDndUpdate', c.locationId, { ...webhookContact(c), dndSettings: c.dndSettings ?? {} }, now);
  }
}
