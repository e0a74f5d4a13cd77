// The shapes the sandbox stores. They follow GHL's response fields (contacts.json) and are
// deliberately loose where live GHL data is loose: fields may be missing or null, `followers`
// may be a bare string, dates come in several formats. Contacts are never sent as stored:
// contact-views.ts picks the fields each endpoint's schema names.

/** The spec's six channels plus RCS, which live records carry (docs issue #264's ContactDndUpdate). */
export type DndChannel = 'Call' | 'Email' | 'SMS' | 'WhatsApp' | 'GMB' | 'FB' | 'RCS';
export const DND_CHANNELS: readonly DndChannel[] = ['Call', 'Email', 'SMS', 'WhatsApp', 'GMB', 'FB', 'RCS'];

export interface DndSetting {
  status: 'active' | 'inactive' | 'permanent';
  message?: string;
  code?: string;
}

export interface AttributionSource {
  url: string;
  campaign?: string | null;
  utmSource?: string | null;
  utmMedium?: string | null;
  utmContent?: string | null;
  referrer?: string | null;
  medium?: string | null;
  mediumId?: string | null;
  sessionSource?: string;
  userAgent?: string | null;
  ip?: string | null;
}

export interface CustomFieldValue {
  id: string;
  /** Read as `{id, value}`; written as `{id | key, field_value}`. Seeded values are strings. */
  value: unknown;
}

export interface ContactRecord {
  id: string;
  locationId: string;
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  phone?: string | null;
  companyName?: string | null;
  gender?: string | null;
  type?: string;
  source?: string | null;
  assignedTo?: string | null;
  address1?: string | null;
  city?: string | null;
  state?: string | null;
  country?: string | null;
  postalCode?: string | null;
  website?: string | null;
  timezone?: string | null;
  dnd?: boolean;
  dndSettings?: Partial<Record<DndChannel, DndSetting>>;
  inboundDndSettings?: { all?: { status: 'active' | 'inactive'; message?: string } };
  tags: string[];
  customFields: CustomFieldValue[];
  /** Free-form on purpose: GHL returns several formats. */
  dateOfBirth?: string | null;
  dateAdded: string;
  dateUpdated: string;
  lastActivity?: string | null;
  businessId?: string | null;
  attributionSource?: AttributionSource;
  lastAttributionSource?: AttributionSource;
  additionalEmails?: string[];
  additionalPhones?: string[];
  /** An array of user ids, except in a few loose records where it is one bare string. */
  followers?: string[] | string;
  visitorId?: string;
}

export interface TaskRecord {
  id: string;
  contactId: string;
  title: string;
  body?: string;
  assignedTo?: string;
  dueDate: string;
  completed: boolean;
  /** Known for tasks created since start-up (GHL's task webhooks carry it; the API does not return it). */
  dateAdded?: string;
}

export interface NoteRecord {
  id: string;
  contactId: string;
  body: string;
  userId?: string;
  dateAdded: string;
  /** Newer notes only (added to the spec after 2025-08). */
  title?: string;
  color?: string;
  pinned?: boolean;
}

export interface AppointmentRecord {
  id: string;
  calendarId: string;
  status: string;
  appointmentStatus: string;
  title: string;
  assignedUserId?: string;
  notes?: string;
  /** ISO with an offset, ISO UTC, or GHL's zone-less "YYYY-MM-DD HH:mm:ss". */
  startTime: string;
  endTime: string;
  address?: string;
  locationId: string;
  contactId: string;
  groupId?: string;
  users?: string[];
  dateAdded: string;
  dateUpdated: string;
  assignedResources?: string[];
}

export interface SandboxUser {
  id: string;
  name: string;
}

export interface CustomFieldDefinition {
  id: string;
  /** The `key` callers may write with, e.g. `contact.budget`. */
  key: string;
  name: string;
}

export interface LocationRecord {
  id: string;
  name: string;
  timezone: string;
  users: SandboxUser[];
  customFields: CustomFieldDefinition[];
  calendars: { id: string; name: string }[];
  businesses: { id: string; name: string }[];
}

export interface SandboxDataset {
  locations: LocationRecord[];
  contacts: ContactRecord[];
  tasks: TaskRecord[];
  notes: NoteRecord[];
  appointments: AppointmentRecord[];
  /** Private integration tokens (`pit-<uuid>`), one per location, derived from the seed. */
  privateIntegrationTokens: { token: string; locationId: string }[];
}
