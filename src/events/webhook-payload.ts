// From the raw body of a GHL webhook to a change in the model of `ghl/changes.ts`. This is the
// only decoder of GHL's payloads: the inbox, the processor and every handler see its output.
//
// GHL's payloads are loose and come in more than one shape, and every one must be taken, because
// GHL redelivers only what was answered 429 (a 400 loses the event for good):
// - flat JSON with `type`, `locationId` and the record's fields; appointment events nest the
//   record under `appointment`;
// - GHL's own event examples carry no `webhookId` and no `timestamp` on Contact, Task and Note
//   events, while its authentication guide promises both: a missing `webhookId` is replaced by a
//   hash of the raw body (a redelivery is byte-identical, so it dedupes the same), and a missing
//   `timestamp` means no staleness check;
// - INSTALL and UNINSTALL carry `locationId`, or only `companyId` at agency level (a bulk install
//   may list `locationIds`);
// - thin events: a TaskCreate without `contactId`, notes with only id, body, contactId, dateAdded.
// A field that is not what it should be is dropped, not fatal; only an event that cannot be
// processed at all (a record change without a location) is refused.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import {
  GHL_EVENTS,
  isGhlEventType,
  type GhlChange,
  type InstallChange,
  type RecordChange,
  type RecordEventType,
} from '../ghl/changes.js';
import { isGhlId } from '../ghl/ids.js';

const optionalId = () => z.string().refine(isGhlId).optional().catch(undefined);
const optionalText = () => z.string().min(1).max(200).optional().catch(undefined);

const payloadSchema = z.looseObject({
  type: z.string().min(1).max(100),
  locationId: optionalId(),
  companyId: optionalId(),
  locationIds: z.array(z.string().refine(isGhlId)).max(10_000).optional().catch(undefined),
  appId: optionalText(),
  webhookId: optionalText(),
  timestamp: z.union([z.string(), z.number()]).optional().catch(undefined),
  /** The record's own id (contact, task or note events). */
  id: optionalId(),
  /** The contact a task or note belongs to. */
  contactId: optionalId(),
  /** Appointment events nest their record here. */
  appointment: z
    .looseObject({ id: optionalId(), contactId: optionalId(), locationId: optionalId() })
    .optional()
    .catch(undefined),
});
type Payload = z.output<typeof payloadSchema>;

/** Envelope fields: what the webhook says about itself, not about the record. */
const ENVELOPE = new Set(['type', 'locationId', 'companyId', 'appId', 'webhookId', 'timestamp', 'versionId']);

export type Decoded =
  | { ok: true; change: GhlChange }
  /** Readable, but nothing for this gateway: another event type, or another app's event. */
  | { ok: true; change: undefined; ignored: string }
  | { ok: false; problem: string };

export interface DecodeOptions {
  /**
   * This app's id (the part of the OAuth client id before its first "-", as GHL's SDK reads it).
   * GHL signs every app's webhooks with one key, so a valid signature does not say the event is
   * ours: an event naming another app is ignored.
   */
  appId?: string;
}

/** GHL's app id is the part of an OAuth client id before its first "-" (as GHL's SDK reads it). */
export function appIdOfClientId(clientId: string): string {
  return clientId.split('-')[0] ?? clientId;
}

export function decodeWebhook(text: string, options: DecodeOptions = {}): Decoded {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'The body is not JSON.' };
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json))
    return { ok: false, problem: 'The body is not a JSON object.' };
  const parsed = payloadSchema.safeParse(json);
  if (!parsed.success) return { ok: false, problem: 'Not a GHL event: it has no "type".' };
  const payload = parsed.data;
  if (!isGhlEventType(payload.type))
    return { ok: true, change: undefined, ignored: `event type ${payload.type.slice(0, 100)}` };
  if (options.appId !== undefined && payload.appId !== undefined && payload.appId !== options.appId) {
    return { ok: true, change: undefined, ignored: 'an event of another app' };
  }
  const webhookId = webhookIdOf(payload.webhookId, text);
  const at = payload.timestamp === undefined ? undefined : timestampMs(payload.timestamp);
  const meaning = GHL_EVENTS[payload.type];
  if (meaning.kind === 'install' || meaning.kind === 'uninstall') {
    return installChange(payload, meaning.kind, webhookId, at);
  }
  const nested = meaning.kind === 'appointment' ? (payload.appointment ?? {}) : undefined;
  const locationId = payload.locationId ?? nested?.locationId;
  if (locationId === undefined)
    return { ok: false, problem: `A ${payload.type} event must name its location ("locationId").` };
  const raw = json as Record<string, unknown>;
  const change: RecordChange = {
    kind: meaning.kind,
    change: meaning.change,
    eventType: payload.type as RecordEventType,
    locationId,
    // Contact events are the contact itself: its id is the record's `id`.
    contactId: nested
      ? (nested.contactId ?? payload.contactId)
      : meaning.kind === 'contact'
        ? payload.id
        : payload.contactId,
    recordId: nested ? nested.id : payload.id,
    record: nested ? { ...(raw['appointment'] as Record<string, unknown>) } : withoutEnvelope(raw),
    at,
    webhookId,
  };
  return { ok: true, change };
}

function installChange(
  payload: Payload,
  kind: 'install' | 'uninstall',
  webhookId: string,
  at: number | undefined,
): Decoded {
  if (payload.locationId === undefined && payload.companyId === undefined) {
    return { ok: false, problem: `An ${payload.type} event must name a location or a company.` };
  }
  const change: InstallChange = {
    kind,
    eventType: kind === 'install' ? 'INSTALL' : 'UNINSTALL',
    locationId: payload.locationId,
    companyId: payload.companyId,
    locationIds: payload.locationIds ?? (payload.locationId === undefined ? [] : [payload.locationId]),
    at,
    webhookId,
  };
  return { ok: true, change };
}

function withoutEnvelope(raw: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(raw).filter(([key]) => !ENVELOPE.has(key)));
}

// Ids go into the ledger, file lines and task markers: anything but these characters is hashed.
const SAFE_ID = /^[A-Za-z0-9_.:-]{1,100}$/;

/** GHL's webhookId when it is a safe one; otherwise a hash of it, or of the raw body when GHL sent none. */
function webhookIdOf(given: string | undefined, rawBody: string): string {
  if (given !== undefined) return SAFE_ID.test(given) ? given : `h-${sha256(given)}`;
  return `b-${sha256(rawBody)}`;
}

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 32);
}

/**
 * Epoch milliseconds of an event's `timestamp`: an ISO date, or epoch time in milliseconds or
 * seconds (told apart by size: 1e11 ms is 1973, 1e11 s is the year 5138).
 */
export function timestampMs(value: string | number): number | undefined {
  if (typeof value === 'number') return epochMs(value);
  if (/^\d{9,16}$/.test(value)) return epochMs(Number(value));
  // Only date-shaped strings: Date.parse also accepts things like "1" or "March".
  if (!/^\d{4}-\d{2}-\d{2}/.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}

function epochMs(value: number): number | undefined {
  if (!Number.isFinite(value) || value <= 0) return undefined;
  return value < 1e11 ? value * 1000 : value;
}
