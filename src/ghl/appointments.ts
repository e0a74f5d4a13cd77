// Appointments (calendar events) of a contact: read-only here. The endpoint lives in the
// contacts API, so it speaks the contacts Version header, not the calendars one.
import { z } from 'zod';
import { childReadTags } from './changes.js';
import { read } from './call.js';
import type { GhlCore } from './core.js';
import { pathId } from './ids.js';
import { lenientList, recordId, stringList, text } from './lenient.js';

export const appointmentRecord = z.object({
  id: recordId(),
  calendarId: text(),
  status: text(),
  appointmentStatus: text(),
  title: text(),
  assignedUserId: text(),
  notes: text(),
  /** Often zone-less, e.g. "2021-07-16 11:00:00": kept as sent, interpreted by the reader. */
  startTime: text(),
  endTime: text(),
  address: text(),
  locationId: text(),
  contactId: text(),
  groupId: text(),
  users: stringList(),
  dateAdded: text(),
  dateUpdated: text(),
});
export type AppointmentRecord = z.output<typeof appointmentRecord>;

export const eventsEnvelope = z.object({ events: lenientList(appointmentRecord) });

export class AppointmentsApi {
  constructor(private readonly core: GhlCore) {}

  async listForContact(contactId: string): Promise<AppointmentRecord[]> {
    const id = pathId('appointments.list', 'contactId', contactId);
    const call = read('appointments.list', `/contacts/${id}/appointments`, childReadTags('appointment', contactId));
    return (await this.core.run(call, eventsEnvelope)).events;
  }
}
