// Field rules shared by every write: the client checks them before sending, and the GraphQL
// layer uses the same schemas so a caller's error names the field it typed.
import { z } from 'zod';
import { isGhlId } from './ids.js';

export const ghlIdInput = z.string().refine(isGhlId, {
  message: 'must be a GHL id (letters, digits, "-" or "_", at most 64 characters)',
});

/** ISO 8601 date-time with a zone, e.g. 2026-12-01T09:00:00Z. */
export const isoDateTimeInput = z.iso.datetime({
  offset: true,
  message: 'must be an ISO 8601 date-time with a zone, e.g. 2026-12-01T09:00:00Z',
});

/** A calendar date, e.g. 1990-09-25 (the one format GHL documents for every endpoint). */
export const isoDateInput = z.iso.date({ message: 'must be a date as YYYY-MM-DD' });

export const emailInput = z.email({ message: 'must be an email address' }).max(254);

/** E.164 or a common national format; GHL normalises it, we only refuse what cannot be a phone. */
export const phoneInput = z
  .string()
  .trim()
  .regex(/^\+?[0-9][0-9 ().-]{5,22}$/, { message: 'must be a phone number, e.g. +15555550123' });

export const tagInput = z
  .string()
  .trim()
  .min(1, { message: 'must not be empty' })
  .max(64, { message: 'must be at most 64 characters' });

export const tagListInput = z
  .array(tagInput)
  .min(1, { message: 'must name at least one tag' })
  .max(50, { message: 'may name at most 50 tags at once' });

export const shortText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { message: `must be at most ${max} characters` });
