// The JSON body of each webhook, field for field as GHL's event reference shows it
// (GoHighLevel/highlevel-api-docs, `docs/webhook events/*.md`): flat, `type`, `locationId` and
// the record's fields; appointment events nest the record under `appointment`; INSTALL and
// UNINSTALL carry `appId` and `locationId`, or only `companyId` at agency level.
//
// GHL's own examples show no `timestamp` or `webhookId` on any of these events, yet its
// authentication guide promises both, and real payloads carry `appId` and `versionId` too
// (docs issue #264). So the envelope is a setting: `documented-examples` (the default: exactly
// the examples' fields, so a receiver must cope with the bare shape) or `with-webhook-id`.
//
// Where GHL's issues show real payloads differ from the examples, a quirk imitates it; README.md
// lists each with its source.

import { compact, webhookContact } from './contact-views.js';
import { DND_CHANNELS } from './records.js';
import type { AppointmentRecord, ContactRecord, DndSetting, NoteRecord, TaskRecord } from './records.js';
import type { WebhookEvent, WebhookPayload } from './webhook-events.js';
import { SANDBOX_APP_VERSION_ID } from './oauth-grants.js';

export const WEBHOOK_ENVELOPES = ['documented-examples', 'with-webhook-id'] as const;
export type WebhookEnvelope = (typeof WEBHOOK_ENVELOPES)[number];

export interface WebhookQuirks {
  /** Note events carry only id, body, contactId, dateAdded (docs issue #312: GHL's fixed allowlist). */
  thinNoteEvents: boolean;
  /** ContactDndUpdate's dndSettings has an `RCS` channel, which the example does not (#264). */
  dndRcsChannel: boolean;
  /** TaskCreate without `contactId`, as reported in docs issue #332. */
  omitTaskContactId: boolean;
}

export const DEFAULT_WEBHOOK_QUIRKS: Readonly<WebhookQuirks> = Object.freeze({
  thinNoteEvents: true,
  dndRcsChannel: true,
  // Off by default, so most events are complete; a test turns it on to see the thin shape.
  omitTaskContactId: false,
});

export interface PayloadSettings {
  envelope: WebhookEnvelope;
  quirks: Readonly<WebhookQuirks>;
  /** The sandbox app's id (OAuthGrants.appId). */
  appId: string;
}

/** A channel GHL lists with nothing set, as #264's real payload shows FB and GMB. */
const UNSET_CHANNEL: Readonly<DndSetting> = Object.freeze({ status: 'inactive', message: '', code: '' });

/**
 * GHL's ContactDndUpdate lists every channel (its example shows all six), set or not. The RCS
 * channel of #264 is `{status}` only: the rest of that channel is not in the excerpt.
 */
function eventDndSettings(c: ContactRecord, quirks: Readonly<WebhookQuirks>): Record<string, DndSetting> {
  const settings: Record<string, DndSetting> = {};
  for (const channel of DND_CHANNELS) {
    if (channel !== 'RCS') settings[channel] = { ...(c.dndSettings?.[channel] ?? UNSET_CHANNEL) };
  }
  if (quirks.dndRcsChannel) settings.RCS = { status: c.dndSettings?.RCS?.status ?? 'inactive' };
  return settings;
}

/** TaskCreate.md's fields. GHL's task events have no `completed`: the event type says it. */
function taskFields(t: TaskRecord): Record<string, unknown> {
  return compact({
    id: t.id,
    assignedTo: t.assignedTo,
    body: t.body,
    contactId: t.contactId,
    title: t.title,
    dateAdded: t.dateAdded,
    dueDate: t.dueDate,
  });
}

/** NoteCreate.md's fields; without the thin-notes quirk, also the API's other note fields. */
function noteFields(n: NoteRecord, quirks: Readonly<WebhookQuirks>): Record<string, unknown> {
  const documented = { id: n.id, body: n.body, contactId: n.contactId, dateAdded: n.dateAdded };
  return compact(
    quirks.thinNoteEvents
      ? documented
      : { ...documented, userId: n.userId, title: n.title, color: n.color, pinned: n.pinned },
  );
}

/** AppointmentCreate.md's `appointment` (its `status` and `locationId` are not in it; the sandbox keeps no `source`). */
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

/** Where the event happened and what it carries besides `type` and the envelope. */
function scopeAndFields(
  event: WebhookEvent,
  settings: PayloadSettings,
): { scope: { locationId: string } | { companyId: string }; fields: Record<string, unknown> } {
  const { quirks } = settings;
  switch (event.type) {
    case 'ContactCreate':
    case 'ContactUpdate':
    case 'ContactDelete':
    case 'ContactTagUpdate':
      return { scope: { locationId: event.contact.locationId }, fields: webhookContact(event.contact) };
    case 'ContactDndUpdate':
      return {
        scope: { locationId: event.contact.locationId },
        fields: { ...webhookContact(event.contact), dndSettings: eventDndSettings(event.contact, quirks) },
      };
    case 'TaskCreate':
    case 'TaskComplete':
    case 'TaskDelete': {
      const fields = taskFields(event.task);
      if (event.type === 'TaskCreate' && quirks.omitTaskContactId) delete fields.contactId;
      return { scope: { locationId: event.locationId }, fields };
    }
    case 'NoteCreate':
    case 'NoteUpdate':
    case 'NoteDelete':
      return { scope: { locationId: event.locationId }, fields: noteFields(event.note, quirks) };
    case 'AppointmentCreate':
    case 'AppointmentUpdate':
    case 'AppointmentDelete':
      return {
        scope: { locationId: event.appointment.locationId },
        fields: { appointment: webhookAppointment(event.appointment) },
      };
    case 'INSTALL':
    case 'UNINSTALL': {
      const { target } = event;
      if (target.level === 'agency') return { scope: { companyId: target.companyId }, fields: {} };
      if (event.type === 'UNINSTALL') return { scope: { locationId: target.location.id }, fields: {} };
      // AppInstall.md's non-whitelabeled location install. The sandbox app is free: no planId, no trial.
      return {
        scope: { locationId: target.location.id },
        fields: compact({
          companyId: target.companyId,
          userId: target.location.users[0]?.id,
          isWhitelabelCompany: false,
          whitelabelDetails: {},
          companyName: target.companyName,
        }),
      };
    }
  }
}

/**
 * The body GHL would send for this event. `webhookId` is used only by the `with-webhook-id`
 * envelope; it is the delivery's id either way.
 */
export function webhookPayload(
  event: WebhookEvent,
  settings: PayloadSettings,
  now: Date,
  webhookId: string,
): WebhookPayload {
  const { scope, fields } = scopeAndFields(event, settings);
  const isApp = event.type === 'INSTALL' || event.type === 'UNINSTALL';
  if (settings.envelope === 'documented-examples') {
    // The examples name the app only on INSTALL and UNINSTALL, right after `type`.
    return isApp
      ? { type: event.type, appId: settings.appId, ...scope, ...fields }
      : { type: event.type, ...scope, ...fields };
  }
  // Live traffic: #264's payload starts type, locationId, versionId, appId; the authentication
  // guide adds timestamp and webhookId; the SDK's InstallWebhookRequest adds installType.
  const installType =
    event.type === 'INSTALL' ? { installType: event.target.level === 'agency' ? 'Company' : 'Location' } : {};
  return {
    type: event.type,
    ...scope,
    versionId: SANDBOX_APP_VERSION_ID,
    appId: settings.appId,
    ...installType,
    ...fields,
    timestamp: now.toISOString(),
    webhookId,
  };
}
