// GET /contacts/{contactId}/appointments → `{events}`, times exactly as stored (some zone-less).

import { requireContact } from './context.js';
import type { Handler } from './context.js';

export const listAppointments: Handler = (ctx) => {
  const contact = requireContact(ctx);
  // Oldest first by start time; zone-less times are read as local wall-clock time.
  const startOf = (time: string): number => Date.parse(time.replace(' ', 'T'));
  const events = [...ctx.store.appointmentsOf(contact.id)].sort((a, b) => startOf(a.startTime) - startOf(b.startTime));
  return { status: 200, body: { events: events.map((a) => ({ ...a })) } };
};
