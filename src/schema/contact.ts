// Contact: the record a CRM screen is built around, with Query.contact and the contact writes.
// Lists and their cursors live in contact-list.ts; tasks, notes and appointments add their own
// fields to Contact from their files.
import {
  contactCreateInput,
  contactUpdateInput,
  DND_CHANNELS,
  type ContactField,
  type ContactRecord,
  type DndChannel,
} from '../ghl/contacts.js';
import { readCalendarDate, readInstant } from '../ghl/dates.js';
import type { GatewayContext } from '../server/context.js';
import { builder } from './builder.js';
import { ghlCost } from './cost.js';
import { clientError } from './errors/client-error.js';
import { idArg, parseInput } from './errors/input.js';
import { byIdCost, contactValue, fullContact, lacks, type ContactParent } from './listed-contact.js';
import { defined, DeletePayloadRef, writeField } from './payloads.js';

export const ContactRef = builder.objectRef<ContactParent>('Contact');

interface DndSetting {
  channel: DndChannel;
  status: string | null;
  message: string | null;
  code: string | null;
}

const DndSettingRef = builder.objectRef<DndSetting>('DndSetting').implement({
  description: 'Do-not-disturb state of one channel.',
  fields: (t) => ({
    channel: t.exposeString('channel', { nullable: false, description: 'Call, Email, SMS, WhatsApp, GMB, FB or RCS.' }),
    status: t.exposeString('status', { description: 'active, inactive or permanent.' }),
    message: t.exposeString('message', { description: 'Why the channel is blocked, when GHL says.' }),
    code: t.exposeString('code', { description: 'GHL code for the block, when given.' }),
  }),
});

const CustomFieldValueRef = builder.objectRef<{ id: string; value?: unknown }>('CustomFieldValue').implement({
  description: 'The value of one custom field. Field definitions live in the GHL location settings.',
  fields: (t) => ({
    id: t.exposeID('id', { nullable: false, description: 'The custom field id.' }),
    value: t.field({ type: 'JSON', description: 'The value as GHL stores it.', resolve: (f) => f.value ?? null }),
  }),
});

type TextField = {
  [K in ContactField]: NonNullable<ContactRecord[K]> extends string ? K : never;
}[ContactField];

const joinedName = (c: ContactParent): string | null => [c.firstName, c.lastName].filter(Boolean).join(' ') || null;

/**
 * Full name. List records carry no `name`, but GHL's name is the first and last name joined (its
 * ContactCreate webhook example: "John Deo" for John, Deo), so it is derived from those when the
 * record has them, which saves the call by id.
 */
function nameOf(c: ContactParent, context: GatewayContext): string | null | Promise<string | null> {
  if (c.name) return c.name;
  if (!lacks(c, 'name') || (!lacks(c, 'firstName') && !lacks(c, 'lastName'))) return joinedName(c);
  return fullContact(c, context).then((full) => (full === null ? null : (full.name ?? joinedName(full))));
}

async function dndSettingsOf(c: ContactParent, context: GatewayContext): Promise<DndSetting[]> {
  const settings = await contactValue(c, 'dndSettings', context);
  return DND_CHANNELS.flatMap((channel) => {
    const setting = settings?.[channel];
    return setting
      ? [{ channel, status: setting.status ?? null, message: setting.message ?? null, code: setting.code ?? null }]
      : [];
  });
}

ContactRef.implement({
  description:
    "A contact (lead or customer) in a GHL location. On a list page, a field GHL's list records lack (website, timezone, " +
    'DND settings, …) is read from the contact by id: one more GHL call per contact, priced in the cost estimate.',
  fields: (t) => {
    const text = (field: TextField, description: string) =>
      t.string({
        description,
        extensions: byIdCost(field),
        resolve: (c, _args, context) => contactValue(c, field, context),
      });
    const instant = (field: 'dateAdded' | 'dateUpdated' | 'lastActivity', description: string) =>
      t.field({
        type: 'DateTime',
        description,
        extensions: byIdCost(field),
        resolve: async (c, _args, context) => readInstant(await contactValue(c, field, context)),
      });
    const raw = (field: 'dateAdded' | 'dateUpdated' | 'lastActivity') =>
      text(field, `${field} exactly as GHL sent it; ${field} is null when this cannot be read as a time.`);
    return {
      id: t.exposeID('id', { nullable: false, description: 'GHL contact id.' }),
      locationId: text('locationId', 'The location (sub-account) it belongs to.'),
      name: t.string({
        description: "Full name: GHL's name, or first and last name joined.",
        extensions: byIdCost('firstName', 'lastName'),
        resolve: (c, _args, context) => nameOf(c, context),
      }),
      firstName: text('firstName', 'First name.'),
      lastName: text('lastName', 'Last name.'),
      email: text('email', 'Primary email.'),
      phone: text('phone', 'Primary phone, usually E.164.'),
      companyName: text('companyName', 'Company the contact works for.'),
      type: text('type', 'GHL contact type, e.g. lead or customer.'),
      source: text('source', 'Where the contact came from, e.g. "public api".'),
      assignedTo: text('assignedTo', 'Id of the GHL user the contact is assigned to.'),
      address1: text('address1', 'Street address.'),
      city: text('city', 'City.'),
      state: text('state', 'State or region.'),
      postalCode: text('postalCode', 'Postal code.'),
      country: text('country', 'Two-letter country code.'),
      website: text('website', 'Website.'),
      timezone: text('timezone', 'IANA time zone, e.g. America/Chicago.'),
      dnd: t.boolean({
        description: 'Do-not-disturb on every channel.',
        extensions: byIdCost('dnd'),
        resolve: (c, _args, context) => contactValue(c, 'dnd', context),
      }),
      dndSettings: t.field({
        type: [DndSettingRef],
        // Nullable so that, on a list page, one contact's failing read by id nulls this field alone.
        nullable: { list: true, items: false },
        description:
          'Do-not-disturb state per channel (only the channels GHL reports). Null only when it could not be read.',
        extensions: byIdCost('dndSettings'),
        resolve: (c, _args, context) => dndSettingsOf(c, context),
      }),
      tags: t.stringList({
        nullable: false,
        description: 'Tags on the contact (GHL keeps them lower case).',
        extensions: byIdCost('tags'),
        resolve: async (c, _args, context) => (await contactValue(c, 'tags', context)) ?? [],
      }),
      customFields: t.field({
        type: [CustomFieldValueRef],
        nullable: false,
        description: 'Custom field values.',
        extensions: byIdCost('customFields'),
        resolve: async (c, _args, context) => (await contactValue(c, 'customFields', context)) ?? [],
      }),
      dateOfBirth: t.field({
        type: 'Date',
        description: 'Date of birth; null when GHL holds a value that is not a date.',
        extensions: byIdCost('dateOfBirth'),
        resolve: async (c, _args, context) => readCalendarDate(await contactValue(c, 'dateOfBirth', context)),
      }),
      dateOfBirthRaw: text('dateOfBirth', 'Date of birth exactly as GHL stores it (it accepts eight formats).'),
      dateAdded: instant('dateAdded', 'When the contact was created.'),
      dateAddedRaw: raw('dateAdded'),
      dateUpdated: instant('dateUpdated', 'When the contact last changed.'),
      dateUpdatedRaw: raw('dateUpdated'),
      lastActivity: instant('lastActivity', 'Last activity GHL recorded.'),
      lastActivityRaw: raw('lastActivity'),
      businessId: text('businessId', 'The business (company record) the contact belongs to.'),
      followers: t.stringList({
        nullable: false,
        description: 'Ids of users following the contact.',
        extensions: byIdCost('followers'),
        resolve: async (c, _args, context) => (await contactValue(c, 'followers', context)) ?? [],
      }),
      attributionSource: t.field({
        type: 'JSON',
        description: 'First attribution (UTM data, referrer, …) as GHL sends it.',
        extensions: byIdCost('attributionSource'),
        resolve: async (c, _args, context) => (await contactValue(c, 'attributionSource', context)) ?? null,
      }),
    };
  },
});

builder.queryField('contact', (t) =>
  t.field({
    type: ContactRef,
    authScopes: { contactsRead: true },
    extensions: ghlCost({ calls: 1 }),
    description: 'One contact by id; null when GHL has no such contact.',
    args: { id: t.arg.id({ required: true, description: 'GHL contact id.' }) },
    resolve: (_root, args, context) => context.loaders.contact.load(idArg('id', args.id)),
  }),
);

const CustomFieldInput = builder.inputType('CustomFieldInput', {
  subGraphs: ['write'],
  description: 'A custom field value to write.',
  fields: (t) => ({
    id: t.id({ required: true, description: 'The custom field id.' }),
    value: t.field({ type: 'JSON', required: true, description: 'String, number, boolean or list of strings.' }),
  }),
});

/** The writable contact fields; GHL's update takes all of them but companyName. */
function contactInput(name: string, description: string, withCompanyName: boolean) {
  return builder.inputType(name, {
    subGraphs: ['write'],
    description,
    fields: (t) => ({
      firstName: t.string({ description: 'First name (≤ 100 characters).' }),
      lastName: t.string({ description: 'Last name (≤ 100 characters).' }),
      name: t.string({ description: 'Full name, when first and last are not separate.' }),
      email: t.string({ description: 'Email address.' }),
      phone: t.string({ description: 'Phone number, preferably E.164 (+15555550123).' }),
      ...(withCompanyName
        ? { companyName: t.string({ description: 'Company name (GHL sets it only at creation).' }) }
        : {}),
      address1: t.string({ description: 'Street address.' }),
      city: t.string({ description: 'City.' }),
      state: t.string({ description: 'State or region.' }),
      postalCode: t.string({ description: 'Postal code.' }),
      country: t.string({ description: 'Two-letter country code, e.g. US.' }),
      website: t.string({ description: 'Website URL.' }),
      timezone: t.string({ description: 'IANA time zone.' }),
      source: t.string({ description: 'Where the contact came from.' }),
      dateOfBirth: t.string({ description: 'Date of birth as YYYY-MM-DD.' }),
      assignedTo: t.id({ description: 'GHL user id to assign the contact to.' }),
      dnd: t.boolean({ description: 'Do-not-disturb on every channel.' }),
      customFields: t.field({ type: [CustomFieldInput], description: 'Custom field values to set.' }),
    }),
  });
}

const NewContactInput = contactInput('NewContactInput', 'Fields of a new contact.', true);
const ContactUpdateInput = contactInput(
  'ContactUpdateInput',
  'Contact fields to change. Omitted fields stay as they are; null clears a field where GHL allows it. ' +
    'Tags change through addContactTags and removeContactTags; GHL does not change companyName after creation.',
  false,
);

const CreateContactInput = builder.inputType('CreateContactInput', {
  subGraphs: ['write'],
  description: 'A new contact. Give at least a name, an email or a phone.',
  fields: (t) => ({
    contact: t.field({ type: NewContactInput, required: true, description: 'The contact fields.' }),
    tags: t.stringList({ description: 'Tags to start with.' }),
  }),
});

const ContactPayloadRef = builder.objectRef<{ contact: ContactRecord }>('ContactPayload').implement({
  subGraphs: ['write'],
  description: 'The contact as it is after the write.',
  fields: (t) => ({
    contact: t.field({
      type: ContactRef,
      nullable: false,
      description: 'The changed contact.',
      resolve: (p) => p.contact,
    }),
  }),
});

type ContactInputShape = {
  customFields?: Array<{ id: string | number; value: unknown }> | null;
} & Record<string, unknown>;

/** GraphQL's `{id, value}` becomes GHL's write shape `{id, field_value}`. */
function toGhlFields(input: ContactInputShape) {
  const { customFields, ...rest } = input;
  return defined({
    ...rest,
    customFields: customFields?.map((f) => ({ id: String(f.id), field_value: f.value })) ?? undefined,
  });
}

builder.mutationFields((t) => ({
  createContact: t.field({
    type: ContactPayloadRef,
    ...writeField(),
    description: "Creates a contact in the caller's location.",
    args: { input: t.arg({ type: CreateContactInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      const body = parseInput(
        contactCreateInput,
        { ...toGhlFields(input.contact as ContactInputShape), ...defined({ tags: input.tags ?? undefined }) },
        'input.contact',
      );
      if (!body.name && !body.firstName && !body.lastName && !body.email && !body.phone) {
        throw clientError('BAD_USER_INPUT', 'input.contact needs a name, an email or a phone', {
          field: 'input.contact',
        });
      }
      const contact = await context.ghl.contacts.create(body);
      context.loaders.primeContacts([contact]);
      return { contact };
    },
  }),
  updateContact: t.field({
    type: ContactPayloadRef,
    ...writeField(),
    description: "Changes a contact's fields. Tags change through addContactTags and removeContactTags.",
    args: {
      id: t.arg.id({ required: true, description: 'GHL contact id.' }),
      input: t.arg({ type: ContactUpdateInput, required: true }),
    },
    resolve: async (_root, { id, input }, context) => {
      const contactId = idArg('id', id);
      const body = parseInput(contactUpdateInput, toGhlFields(input as ContactInputShape), 'input');
      const updated = await context.ghl.contacts.update(contactId, body);
      context.loaders.contact.clear(contactId);
      const contact = updated ?? (await context.loaders.contact.load(contactId));
      if (contact === null) throw clientError('NOT_FOUND', `Contact ${contactId} is gone from GHL after the update.`);
      context.loaders.primeContacts([contact]);
      return { contact };
    },
  }),
  deleteContact: t.field({
    type: DeletePayloadRef,
    ...writeField(),
    description: 'Deletes a contact and everything attached to it.',
    args: { id: t.arg.id({ required: true, description: 'GHL contact id.' }) },
    resolve: async (_root, { id }, context) => {
      const contactId = idArg('id', id);
      const success = await context.ghl.contacts.delete(contactId);
      context.loaders.contact.clear(contactId);
      return { deletedId: contactId, success };
    },
  }),
}));
