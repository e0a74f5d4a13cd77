// Which webhook events a data change produces. Handlers announce what changed as a
// WebhookEvent (the event type and the record); webhook-payloads.ts turns it into the JSON GHL
// would send, and webhook-delivery.ts signs and POSTs it. README.md says where the sandbox had
// to guess which change produces which event.

import type { AppointmentRecord, ContactRecord, LocationRecord, NoteRecord, TaskRecord } from './records.js';
import type {
  AppointmentEventType,
  ContactEventType,
  NoteEventType,
  TaskEventType,
  WebhookType,
} from './webhook-event-types.js';

/** Who installed or uninstalled the app: one location of the agency, or the agency itself. */
export type AppInstallTarget =
  | { level: 'location'; location: LocationRecord; companyId: string; companyName: string }
  | { level: 'agency'; companyId: string };

/** A change, as the handler that made it announces it. */
export type WebhookEvent =
  | { type: ContactEventType; contact: ContactRecord }
  | { type: TaskEventType; locationId: string; task: TaskRecord }
  | { type: NoteEventType; locationId: string; note: NoteRecord }
  | { type: AppointmentEventType; appointment: AppointmentRecord }
  | { type: 'INSTALL' | 'UNINSTALL'; target: AppInstallTarget };

/** The JSON body of one webhook. Which fields it has depends on the type and the envelope setting. */
export interface WebhookPayload {
  type: WebhookType;
  /** Absent only on agency-level INSTALL / UNINSTALL, which carry `companyId` instead. */
  locationId?: string;
  companyId?: string;
  /** Only with the `with-webhook-id` envelope: when the change happened (ISO 8601). */
  timestamp?: string;
  /** Only with the `with-webhook-id` envelope: a UUID, the same on every delivery attempt. */
  webhookId?: string;
  [field: string]: unknown;
}

/** Where handlers send events. Returns the payload whether or not a webhook URL is set. */
export interface WebhookSink {
  emit(event: WebhookEvent, now: Date): WebhookPayload;
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

export function emitContactCreate(sink: WebhookSink, contact: ContactRecord, now: Date): void {
  sink.emit({ type: 'ContactCreate', contact }, now);
}

export function emitContactDelete(sink: WebhookSink, contact: ContactRecord, now: Date): void {
  sink.emit({ type: 'ContactDelete', contact }, now);
}

/** Only when the tag list really changed: adding a tag the contact has changes nothing. */
export function emitTagUpdate(sink: WebhookSink, contact: ContactRecord, before: ContactEventState, now: Date): void {
  if (contactEventState(contact).tags !== before.tags) sink.emit({ type: 'ContactTagUpdate', contact }, now);
}

/** ContactUpdate for any write, then ContactTagUpdate / ContactDndUpdate for what it changed. */
export function emitContactUpdate(
  sink: WebhookSink,
  contact: ContactRecord,
  before: ContactEventState,
  now: Date,
): void {
  sink.emit({ type: 'ContactUpdate', contact }, now);
  emitTagUpdate(sink, contact, before, now);
  if (contactEventState(contact).dnd !== before.dnd) sink.emit({ type: 'ContactDndUpdate', contact }, now);
}
