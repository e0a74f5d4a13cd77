// Appointment: Contact.appointments (read-only; booking lives in GHL's calendars).
import type { AppointmentRecord } from '../ghl/appointments.js';
import { readInstant } from '../ghl/dates.js';
import { builder } from './builder.js';
import { ContactRef } from './contact.js';
import { ghlCost } from './cost.js';

export const AppointmentRef = builder.objectRef<AppointmentRecord>('Appointment').implement({
  description: 'A calendar appointment booked for a contact.',
  fields: (t) => ({
    id: t.exposeID('id', { nullable: false, description: 'GHL event id.' }),
    calendarId: t.exposeString('calendarId', { description: 'The calendar it is on.' }),
    title: t.exposeString('title', { description: 'Title.' }),
    status: t.exposeString('status', { description: 'Event status as GHL reports it, e.g. booked.' }),
    appointmentStatus: t.exposeString('appointmentStatus', {
      description: 'Appointment status, e.g. confirmed, cancelled, showed, noshow.',
    }),
    assignedUserId: t.exposeString('assignedUserId', { description: 'GHL user who takes it.' }),
    notes: t.exposeString('notes', { description: 'Notes on the booking.' }),
    address: t.exposeString('address', { description: 'Where it takes place, or a meeting link.' }),
    startTime: t.field({
      type: 'DateTime',
      description: 'Start. GHL often sends it without a zone; such times are read as UTC.',
      resolve: (a) => readInstant(a.startTime),
    }),
    endTime: t.field({ type: 'DateTime', description: 'End.', resolve: (a) => readInstant(a.endTime) }),
    startTimeRaw: t.exposeString('startTime', {
      description: 'Start exactly as GHL sent it; startTime is null when this cannot be read as a time.',
    }),
    endTimeRaw: t.exposeString('endTime', {
      description: 'End exactly as GHL sent it; endTime is null when this cannot be read as a time.',
    }),
    users: t.stringList({ nullable: false, description: 'GHL users taking part.', resolve: (a) => a.users ?? [] }),
    dateAdded: t.field({
      type: 'DateTime',
      description: 'When it was booked.',
      resolve: (a) => readInstant(a.dateAdded),
    }),
    dateAddedRaw: t.exposeString('dateAdded', {
      description: 'dateAdded exactly as GHL sent it; dateAdded is null when this cannot be read as a time.',
    }),
    dateUpdated: t.field({
      type: 'DateTime',
      description: 'When it last changed.',
      resolve: (a) => readInstant(a.dateUpdated),
    }),
    dateUpdatedRaw: t.exposeString('dateUpdated', {
      description: 'dateUpdated exactly as GHL sent it; dateUpdated is null when this cannot be read as a time.',
    }),
  }),
});

builder.objectFields(ContactRef, (t) => ({
  appointments: t.field({
    extensions: ghlCost({ calls: 1 }),
    type: [AppointmentRef],
    // Nullable so that one contact's failing call nulls this field alone, not the page.
    nullable: { list: true, items: false },
    description: "The contact's appointments, earliest first. One GHL call per contact per request.",
    resolve: async (contact, _args, context) => {
      const events = await context.loaders.appointments.load(contact.id);
      return [...events].sort((a, b) => (readInstant(a.startTime) ?? '').localeCompare(readInstant(b.startTime) ?? ''));
    },
  }),
}));
