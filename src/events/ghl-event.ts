// A GHL webhook event as the gateway understands it: a loose envelope (GHL adds fields over time,
// and an event with one odd field must still arrive), what the event changed, and which cached
// reads that change makes stale. Nothing here trusts the payload beyond its ids: the signature
// says GHL sent it, not that every field has the documented shape.
import { z } from 'zod';
import { staleTags, type CacheTag } from '../ghl/changes.js';
import { isGhlId } from '../ghl/ids.js';

export const GHL_EVENT_TYPES = [
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
export type GhlEventType = (typeof GHL_EVENT_TYPES)[number];

/** A record id that is not a usable GHL id is dropped, not fatal: the event still evicts what it can. */
const optionalId = () => z.string().refine(isGhlId).optional().catch(undefined);

/**
 * The envelope every event must carry. `webhookId` keys deduplication, so it must be present and
 * sane; its format is not documented, so anything printable up to 200 characters is accepted.
 */
export const ghlEventSchema = z.looseObject({
  type: z.string().min(1).max(100),
  locationId: z.string().refine(isGhlId, { message: 'must be a GHL id' }),
  webhookId: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[\x21-\x7e]+$/, { message: 'must be printable ASCII without spaces' }),
  timestamp: z
    .union([z.string(), z.number()])
    .refine((value) => timestampMs(value) !== undefined, { message: 'must be an ISO date or epoch time' }),
  /** The record's own id (contact, task or note events). */
  id: optionalId(),
  /** The contact a task or note belongs to. */
  contactId: optionalId(),
  /** Appointment events nest their record here. */
  appointment: z.looseObject({ id: optionalId(), contactId: optionalId() }).optional().catch(undefined),
});
export type GhlEvent = z.output<typeof ghlEventSchema>;

export function isKnownEventType(type: string): type is GhlEventType {
  return (GHL_EVENT_TYPES as readonly string[]).includes(type);
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

export type AffectedKind = 'contact' | 'task' | 'note' | 'appointment' | 'install' | 'uninstall';
export type AffectedChange = 'created' | 'updated' | 'deleted' | 'completed' | 'tags' | 'dnd';

export interface Affected {
  locationId: string;
  /** Missing when GHL left it out (or sent something that is not an id). */
  contactId?: string;
  kind: AffectedKind;
  change: AffectedChange;
  /** The id of the contact, task, note or appointment itself. */
  recordId?: string;
}

const MEANING: Record<GhlEventType, { kind: AffectedKind; change: AffectedChange }> = {
  ContactCreate: { kind: 'contact', change: 'created' },
  ContactUpdate: { kind: 'contact', change: 'updated' },
  ContactDelete: { kind: 'contact', change: 'deleted' },
  ContactTagUpdate: { kind: 'contact', change: 'tags' },
  ContactDndUpdate: { kind: 'contact', change: 'dnd' },
  TaskCreate: { kind: 'task', change: 'created' },
  TaskComplete: { kind: 'task', change: 'completed' },
  TaskDelete: { kind: 'task', change: 'deleted' },
  NoteCreate: { kind: 'note', change: 'created' },
  NoteUpdate: { kind: 'note', change: 'updated' },
  NoteDelete: { kind: 'note', change: 'deleted' },
  AppointmentCreate: { kind: 'appointment', change: 'created' },
  AppointmentUpdate: { kind: 'appointment', change: 'updated' },
  AppointmentDelete: { kind: 'appointment', change: 'deleted' },
  INSTALL: { kind: 'install', change: 'created' },
  UNINSTALL: { kind: 'uninstall', change: 'deleted' },
};

/** What an event changed; undefined for event types this gateway does not know (they do nothing). */
export function affected(event: GhlEvent): Affected | undefined {
  if (!isKnownEventType(event.type)) return undefined;
  const { kind, change } = MEANING[event.type];
  const base = { locationId: event.locationId, kind, change };
  switch (kind) {
    case 'contact':
      // Contact events are the contact itself: its id is the record's `id`.
      return withIds(base, event.id, event.id);
    case 'task':
    case 'note':
      return withIds(base, event.contactId, event.id);
    case 'appointment':
      return withIds(base, event.appointment?.contactId, event.appointment?.id);
    case 'install':
    case 'uninstall':
      return base;
  }
}

function withIds(base: Omit<Affected, 'contactId' | 'recordId'>, contactId?: string, recordId?: string): Affected {
  return {
    ...base,
    ...(contactId !== undefined ? { contactId } : {}),
    ...(recordId !== undefined ? { recordId } : {}),
  };
}

/**
 * The cache tags (as `src/ghl/` puts them on reads) that an event makes stale. Empty when the
 * event names no contact whose reads could be named (see `needsLocationEviction`), for installs,
 * and for unknown types. Contact changes also evict `contact-lists`: a list or search page embeds
 * the contact's fields and its membership.
 */
export function evictionTags(event: GhlEvent): CacheTag[] {
  const what = affected(event);
  if (what === undefined || what.kind === 'install' || what.kind === 'uninstall') return [];
  const tags = staleTags(what.kind, what.change, what.contactId);
  return tags === 'location' ? [] : tags;
}

/**
 * True when the event changed a contact's data but did not say which contact, so the stale reads
 * cannot be named by tag. The safe answer is to drop the location's cache: that costs cache misses,
 * never stale data. A ContactCreate without an id only changes lists, which `contact-lists` covers.
 */
export function needsLocationEviction(event: GhlEvent): boolean {
  const what = affected(event);
  if (what === undefined || what.kind === 'install' || what.kind === 'uninstall') return false;
  return staleTags(what.kind, what.change, what.contactId) === 'location';
}
