// The webhook event types the sandbox sends: the one list, grouped by what each event carries.
// GHL has many more (opportunities, invoices, messages…); these are the contacts API's and the
// app's own. A test compares this list with the gateway's, so both sides name the same events;
// the sandbox never imports the gateway's list (it stands in for GHL and must not know its
// callers).

export const CONTACT_EVENT_TYPES = [
  'ContactCreate',
  'ContactUpdate',
  'ContactDelete',
  'ContactTagUpdate',
  'ContactDndUpdate',
] as const;
export const TASK_EVENT_TYPES = ['TaskCreate', 'TaskComplete', 'TaskDelete'] as const;
export const NOTE_EVENT_TYPES = ['NoteCreate', 'NoteUpdate', 'NoteDelete'] as const;
export const APPOINTMENT_EVENT_TYPES = ['AppointmentCreate', 'AppointmentUpdate', 'AppointmentDelete'] as const;
export const APP_EVENT_TYPES = ['INSTALL', 'UNINSTALL'] as const;

export type ContactEventType = (typeof CONTACT_EVENT_TYPES)[number];
export type TaskEventType = (typeof TASK_EVENT_TYPES)[number];
export type NoteEventType = (typeof NOTE_EVENT_TYPES)[number];
export type AppointmentEventType = (typeof APPOINTMENT_EVENT_TYPES)[number];
export type AppEventType = (typeof APP_EVENT_TYPES)[number];
export type WebhookType = ContactEventType | TaskEventType | NoteEventType | AppointmentEventType | AppEventType;

/** Every event type the sandbox can send, in GHL's webhook reference order. */
export const SANDBOX_WEBHOOK_EVENT_TYPES: readonly WebhookType[] = Object.freeze([
  ...CONTACT_EVENT_TYPES,
  ...TASK_EVENT_TYPES,
  ...NOTE_EVENT_TYPES,
  ...APPOINTMENT_EVENT_TYPES,
  ...APP_EVENT_TYPES,
]);
