// Request bodies the sandbox accepts, following the spec's DTOs (contacts.json). Unknown
// properties are rejected ("property x should not exist"), as GHL's validation pipe does:
// e.g. `locationId` is not accepted by PUT /contacts/{contactId}.

import { z } from 'zod';
import { isEmail, isIso8601, parseDateOfBirth } from './input-formats.js';

const optionalNullableString = z.string().nullable().optional();

const dndSetting = z.strictObject({
  status: z.enum(['active', 'inactive', 'permanent']),
  message: z.string().optional(),
  code: z.string().optional(),
});

const dndSettings = z.strictObject({
  Call: dndSetting.optional(),
  Email: dndSetting.optional(),
  SMS: dndSetting.optional(),
  WhatsApp: dndSetting.optional(),
  GMB: dndSetting.optional(),
  FB: dndSetting.optional(),
});

const inboundDndSettings = z.strictObject({
  all: z.strictObject({ status: z.enum(['active', 'inactive']), message: z.string().optional() }).optional(),
});

/** Written as `{id | key, field_value}` (older clients send `value`); read back as `{id, value}`. */
const customFieldInput = z
  .object({
    id: z.string().optional(),
    key: z.string().optional(),
    field_value: z.unknown().optional(),
    value: z.unknown().optional(),
  })
  .refine((f) => f.id !== undefined || f.key !== undefined, {
    error: 'customFields: each custom field needs an id or a key',
  });

const email = optionalNullableString.refine((v) => v === undefined || v === null || v === '' || isEmail(v), {
  error: 'email must be an email',
});

const dateOfBirth = optionalNullableString.refine(
  (v) => v === undefined || v === null || parseDateOfBirth(v) !== undefined,
  {
    error:
      'dateOfBirth must be a date in one of: YYYY-MM-DD, YYYY/MM/DD, MM/DD/YYYY, MM-DD-YYYY, YYYY.MM.DD, MM.DD.YYYY, YYYY_MM_DD, MM_DD_YYYY',
  },
);

/** Fields both create and update accept (UpdateContactDto). */
const contactFields = {
  firstName: optionalNullableString,
  lastName: optionalNullableString,
  name: optionalNullableString,
  email,
  phone: optionalNullableString,
  address1: optionalNullableString,
  city: optionalNullableString,
  state: optionalNullableString,
  postalCode: z.string().optional(),
  website: optionalNullableString,
  timezone: optionalNullableString,
  dnd: z.boolean().optional(),
  dndSettings: dndSettings.optional(),
  inboundDndSettings: inboundDndSettings.optional(),
  tags: z.array(z.string()).optional(),
  customFields: z.array(customFieldInput).optional(),
  source: optionalNullableString,
  dateOfBirth,
  country: z.string().optional(),
  assignedTo: optionalNullableString,
};

export const createContactBody = z.strictObject({
  ...contactFields,
  locationId: z.string().min(1, { error: 'locationId should not be empty' }),
  gender: z.string().optional(),
  companyName: optionalNullableString,
});

export const updateContactBody = z.strictObject(contactFields);

export const upsertContactBody = createContactBody.extend({ createNewIfDuplicateAllowed: z.boolean().optional() });

export type ContactWrite = z.infer<typeof updateContactBody> & { companyName?: string | null; gender?: string };

export const tagsBody = z.strictObject({ tags: z.array(z.string()) });
export const followersBody = z.strictObject({ followers: z.array(z.string()) });

/**
 * A task's due date as GHL takes it: ISO 8601 without fractional seconds. GHL returns due dates
 * with milliseconds ("2021-07-08T02:30:00.000Z") yet, per n8n's HighLevel node, errors when one
 * is sent back that way; n8n strips them on create and update alike. The spec's write examples
 * have none ("2020-10-25T11:00:00Z"). GHL's wording for this refusal is not known.
 */
const dueDate = z.string().superRefine((value, ctx) => {
  if (!isIso8601(value)) ctx.addIssue({ code: 'custom', message: 'dueDate must be a valid ISO 8601 date string' });
  else if (/\d{2}:\d{2}:\d{2}[.,]\d/.test(value)) {
    ctx.addIssue({ code: 'custom', message: 'dueDate must not have fractional seconds, e.g. 2020-10-25T11:00:00Z' });
  }
});
/** How a missing or non-string dueDate is described (class-validator's IsISO8601 wording). */
export const TASK_PHRASES = { dueDate: 'a valid ISO 8601 date string' } as const;

const title = z.string().min(1, { error: 'title should not be empty' });

export const createTaskBody = z.strictObject({
  title,
  body: z.string().optional(),
  dueDate,
  // Required by the spec (CreateTaskParams.required = title, dueDate, completed).
  completed: z.boolean(),
  assignedTo: z.string().optional(),
});

/**
 * The spec's UpdateTaskBody marks nothing required, but n8n's node always sends `title` and
 * `dueDate` on this PUT, reading the task first when the user changed neither, because GHL errors
 * otherwise. The sandbox takes that stricter reading.
 */
export const updateTaskBody = z.strictObject({
  title,
  body: z.string().optional(),
  dueDate,
  completed: z.boolean().optional(),
  assignedTo: z.string().optional(),
});

export const taskCompletedBody = z.strictObject({ completed: z.boolean() });

export const createNoteBody = z.strictObject({
  body: z.string().min(1, { error: 'body should not be empty' }),
  userId: z.string().optional(),
  title: z.string().optional(),
  color: z.string().optional(),
  pinned: z.boolean().optional(),
});

export const updateNoteBody = z.strictObject({
  body: z.string().min(1, { error: 'body should not be empty' }).optional(),
  userId: z.string().optional(),
  title: z.string().optional(),
  color: z.string().optional(),
  pinned: z.boolean().optional(),
});
