// Appointment changes. The contacts API only reads appointments, so these come from simulated
// edits in GHL's own UI (simulate.ts): booking, editing, cancelling, deleting. Each bumps
// `dateUpdated` as GHL does and is announced as AppointmentCreate / AppointmentUpdate /
// AppointmentDelete, with the appointment nested under `appointment`.

import { z } from 'zod';
import { httpErrors } from './http-error.js';
import { isIso8601 } from './input-formats.js';
import type { AppointmentRecord, ContactRecord, LocationRecord } from './records.js';
import type { SandboxStore } from './store.js';
import type { WebhookSink } from './webhook-events.js';

/** GHL's appointmentStatus values. */
export const APPOINTMENT_STATUSES = ['new', 'confirmed', 'cancelled', 'showed', 'noshow', 'invalid'] as const;

const time = z.string().refine(isIso8601, { error: 'must be an ISO 8601 date-time' });

export const appointmentInput = z.strictObject({
  /** Default: the location's first calendar. */
  calendarId: z.string().min(1).optional(),
  title: z.string().optional(),
  startTime: time,
  /** Default: 30 minutes after startTime. */
  endTime: time.optional(),
  /** Default: confirmed. */
  appointmentStatus: z.enum(APPOINTMENT_STATUSES).optional(),
  assignedUserId: z.string().min(1).optional(),
  address: z.string().optional(),
  notes: z.string().optional(),
});

export const appointmentChanges = appointmentInput.partial();

export type AppointmentInput = z.infer<typeof appointmentInput>;
export type AppointmentChanges = z.infer<typeof appointmentChanges>;

const DEFAULT_LENGTH_MS = 30 * 60_000;

/** The record's `status` mirrors appointmentStatus, except that a new one is "booked" (as in the seed data). */
function setStatus(a: AppointmentRecord, appointmentStatus: string): void {
  a.appointmentStatus = appointmentStatus;
  a.status = appointmentStatus === 'new' ? 'booked' : appointmentStatus;
}

function startOf(time: string): number {
  return Date.parse(time.replace(' ', 'T'));
}

function checkChange(a: AppointmentRecord, location: LocationRecord): void {
  if (!location.calendars.some((c) => c.id === a.calendarId)) {
    throw httpErrors.unprocessable([`calendarId ${a.calendarId} is not a calendar of location ${location.id}`]);
  }
  if (startOf(a.endTime) < startOf(a.startTime))
    throw httpErrors.unprocessable(['endTime must not be before startTime']);
}

function apply(a: AppointmentRecord, changes: AppointmentChanges): void {
  if (changes.calendarId !== undefined) a.calendarId = changes.calendarId;
  if (changes.title !== undefined) a.title = changes.title;
  if (changes.startTime !== undefined) a.startTime = changes.startTime;
  if (changes.endTime !== undefined) a.endTime = changes.endTime;
  if (changes.appointmentStatus !== undefined) setStatus(a, changes.appointmentStatus);
  if (changes.assignedUserId !== undefined) {
    a.assignedUserId = changes.assignedUserId;
    a.users = [changes.assignedUserId];
  }
  if (changes.address !== undefined) a.address = changes.address;
  if (changes.notes !== undefined) a.notes = changes.notes;
}

export function bookAppointment(
  store: SandboxStore,
  sink: WebhookSink,
  now: Date,
  location: LocationRecord,
  contact: ContactRecord,
  input: AppointmentInput,
): AppointmentRecord {
  const calendarId = input.calendarId ?? location.calendars[0]?.id;
  if (calendarId === undefined) throw httpErrors.unprocessable([`location ${location.id} has no calendar`]);
  const stamp = now.toISOString();
  const appointment: AppointmentRecord = {
    id: store.newId(),
    calendarId,
    status: '',
    appointmentStatus: '',
    title: input.title ?? 'Appointment',
    startTime: input.startTime,
    endTime: input.endTime ?? new Date(startOf(input.startTime) + DEFAULT_LENGTH_MS).toISOString(),
    locationId: location.id,
    contactId: contact.id,
    dateAdded: stamp,
    dateUpdated: stamp,
  };
  setStatus(appointment, input.appointmentStatus ?? 'confirmed');
  apply(appointment, { assignedUserId: input.assignedUserId, address: input.address, notes: input.notes });
  checkChange(appointment, location);
  store.insertAppointment(appointment);
  sink.emit({ type: 'AppointmentCreate', appointment }, now);
  return appointment;
}

export function updateAppointment(
  sink: WebhookSink,
  now: Date,
  location: LocationRecord,
  appointment: AppointmentRecord,
  changes: AppointmentChanges,
): AppointmentRecord {
  const next: AppointmentRecord = { ...appointment };
  apply(next, changes);
  // Checked on a copy, so a refused change leaves the stored appointment as it was.
  checkChange(next, location);
  Object.assign(appointment, next, { dateUpdated: now.toISOString() });
  sink.emit({ type: 'AppointmentUpdate', appointment }, now);
  return appointment;
}

/** Cancelling keeps the appointment (status "cancelled"): an update, not a delete. */
export function cancelAppointment(
  sink: WebhookSink,
  now: Date,
  location: LocationRecord,
  appointment: AppointmentRecord,
): AppointmentRecord {
  return updateAppointment(sink, now, location, appointment, { appointmentStatus: 'cancelled' });
}

export function deleteAppointment(
  store: SandboxStore,
  sink: WebhookSink,
  now: Date,
  appointment: AppointmentRecord,
): AppointmentRecord {
  store.deleteAppointment(appointment);
  sink.emit({ type: 'AppointmentDelete', appointment }, now);
  return appointment;
}
