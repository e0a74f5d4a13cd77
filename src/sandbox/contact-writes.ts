// Applies a validated create/update body to a stored contact, the way GHL stores input:
// phones in E.164, tags trimmed and lower-cased, birth dates as ISO midnight UTC, custom fields
// written by id or key and merged by id.

import { normalizePhone, parseDateOfBirth } from './input-formats.js';
import type { ContactRecord, LocationRecord } from './records.js';
import type { ContactWrite } from './request-bodies.js';

/** GHL keeps tags lower-case and unique. */
export function normalizeTags(tags: readonly string[]): string[] {
  return [...new Set(tags.map((t) => t.trim().toLowerCase()).filter((t) => t.length > 0))];
}

const PLAIN_FIELDS = [
  'firstName',
  'lastName',
  'email',
  'address1',
  'city',
  'state',
  'postalCode',
  'website',
  'timezone',
  'source',
  'country',
  'assignedTo',
  'companyName',
  'gender',
  'dnd',
  'inboundDndSettings',
] as const;

export function applyContactWrite(
  contact: ContactRecord,
  input: ContactWrite,
  location: LocationRecord | undefined,
): void {
  const target = contact as unknown as Record<string, unknown>;
  for (const field of PLAIN_FIELDS) {
    const value = input[field];
    if (value !== undefined) target[field] = typeof value === 'string' ? value.trim() : value;
  }
  // `name` fills first/last name only when they are not given explicitly.
  if (typeof input.name === 'string' && input.firstName === undefined && input.lastName === undefined) {
    const [first, ...rest] = input.name.trim().split(/\s+/);
    contact.firstName = first ?? '';
    if (rest.length > 0) contact.lastName = rest.join(' ');
  }
  if (input.phone !== undefined)
    contact.phone = typeof input.phone === 'string' ? normalizePhone(input.phone) : input.phone;
  if (input.dateOfBirth !== undefined) {
    contact.dateOfBirth =
      input.dateOfBirth === null || input.dateOfBirth === '' ? null : (parseDateOfBirth(input.dateOfBirth) ?? null);
  }
  if (input.tags !== undefined) contact.tags = normalizeTags(input.tags);
  if (input.dndSettings !== undefined) contact.dndSettings = { ...contact.dndSettings, ...input.dndSettings };
  if (input.customFields !== undefined) {
    const merged = [...contact.customFields];
    for (const field of input.customFields) {
      const id = field.id ?? location?.customFields.find((d) => d.key === field.key)?.id;
      // GHL ignores a key it does not know.
      if (id === undefined) continue;
      const value = field.field_value !== undefined ? field.field_value : field.value;
      const existing = merged.findIndex((f) => f.id === id);
      if (existing >= 0) merged[existing] = { id, value };
      else merged.push({ id, value });
    }
    contact.customFields = merged;
  }
}
