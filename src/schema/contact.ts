// Contact: the record a CRM screen is built around, with Query.contact and the contact writes.
// Lists and their cursors live in contact-list.ts; tasks, notes and appointments add their own
// fields to Contact from their files.
import { contactCreateInput, contactUpdateInput, type ContactRecord } from '../ghl/contacts.js';
import { builder } from './builder.js';
import { ghlCost } from './cost.js';
import { clientError, parseInput } from './errors.js';
import { defined, DeletePayloadRef } from './payloads.js';

export const ContactRef = builder.objectRef<ContactRecord>('Contact');

const CHANNELS = ['Call', 'Email', 'SMS', 'WhatsApp', 'GMB', 'FB'] as const;
type Channel = (typeof CHANNELS)[number];
interface DndSetting {
  channel: Channel;
  status: string | null;
  message: string | null;
  code: string | null;
}

const DndSettingRef = builder.objectRef<DndSetting>('DndSetting').implement({
  description: 'Do-not-disturb state of one channel.',
  fields: (t) => ({
    channel: t.exposeString('channel', { nullable: false, description: 'Call, Email, SMS, WhatsApp, GMB or FB.' }),
    status: t.exposeString('status', { description: 'active, inactive or permanent.' }),
    message: t.exposeString('message', { description: 'Why the channel is blocked, when GHL says.' }),
    code: t.exposeString('code', { description: 'GHL code for the block, when given.' }),
  }),
});

const CustomFieldValueRef = builder
  .objectRef<{ id: string; value?: unknown }>('CustomFieldValue')
  .implement({
    description: 'The value of one custom field. Field definitions live in the GHL location settings.',
    fields: (t) => ({
      id: t.exposeID('id', { nullable: false, description: 'The custom field id.' }),
      value: t.field({ type: 'JSON', description: 'The value as GHL stores it.', resolve: (f) => f.value ?? null }),
    }),
  });

ContactRef.implement({
  description: 'A contact (lead or customer) in a GHL location.',
  fields: (t) => ({
    id: t.exposeID('id', { nullable: false, description: 'GHL contact id.' }),
    locationId: t.exposeString('locationId', { description: 'The location (sub-account) it belongs to.' }),
    name: t.string({
      description: 'Full name: GHL\'s name, or first and last name joined.',
      resolve: (c) => c.name ?? ([c.firstName, c.lastName].filter(Boolean).join(' ') || null),
    }),
    firstName: t.exposeString('firstName', { description: 'First name.' }),
    lastName: t.exposeString('lastName', { description: 'Last name.' }),
    email: t.exposeString('email', { description: 'Primary email.' }),
    phone: t.exposeString('phone', { description: 'Primary phone, usually E.164.' }),
    companyName: t.exposeString('companyName', { description: 'Company the contact works for.' }),
    type: t.exposeString('type', { description: 'GHL contact type, e.g. lead or customer.' }),
    source: t.exposeString('source', { description: 'Where the contact came from, e.g. "public api".' }),
    assignedTo: t.exposeString('assignedTo', { description: 'Id of the GHL user the contact is assigned to.' }),
    address1: t.exposeString('address1', { description: 'Street address.' }),
    city: t.exposeString('city', { description: 'City.' }),
    state: t.exposeString('state', { description: 'State or region.' }),
    postalCode: t.exposeString('postalCode', { description: 'Postal code.' }),
    country: t.exposeString('country', { description: 'Two-letter country code.' }),
    website: t.exposeString('website', { description: 'Website.' }),
    timezone: t.exposeString('timezone', { description: 'IANA time zone, e.g. America/Chicago.' }),
    dnd: t.exposeBoolean('dnd', { description: 'Do-not-disturb on every channel.' }),
    dndSettings: t.field({
      type: [DndSettingRef],
      nullable: false,
      description: 'Do-not-disturb state per channel (only the channels GHL reports).',
      resolve: (c) =>
        CHANNELS.flatMap((channel) => {
          const setting = c.dndSettings?.[channel];
          return setting
            ? [{ channel, status: setting.status ?? null, message: setting.message ?? null, code: setting.code ?? null }]
            : [];
        }),
    }),
    tags: t.stringList({ nullable: false, description: 'Tags on the contact.', resolve: (c) => c.tags ?? [] }),
    customFields: t.field({
      type: [CustomFieldValueRef],
      nullable: false,
      description: 'Custom field values.',
      resolve: (c) => c.customFields ?? [],
    }),
    dateOfBirth: t.field({
      type: 'Date',
      description: 'Date of birth; null when GHL holds a value that is not a date.',
      resolve: (c) => c.dateOfBirth ?? null,
    }),
    dateOfBirthRaw: t.exposeString('dateOfBirth', {
      description: 'Date of birth exactly as GHL stores it (it accepts eight formats).',
    }),
    dateAdded: t.field({ type: 'DateTime', description: 'When the contact was created.', resolve: (c) => c.dateAdded ?? null }),
    dateUpdated: t.field({ type: 'DateTime', description: 'When the contact last changed.', resolve: (c) => c.dateUpdated ?? null }),
    lastActivity: t.field({ type: 'DateTime', description: 'Last activity GHL recorded.', resolve: (c) => c.lastActivity ?? null }),
    businessId: t.exposeString('businessId', { description: 'The business (company record) the contact belongs to.' }),
    followers: t.stringList({
      nullable: false,
      description: 'Ids of users following the contact.',
      resolve: (c) => c.followers ?? [],
    }),
    attributionSource: t.field({
      type: 'JSON',
      description: 'First attribution (UTM data, referrer, …) as GHL sends it.',
      resolve: (c) => c.attributionSource ?? null,
    }),
  }),
});

builder.queryField('contact', (t) =>
  t.field({
    type: ContactRef,
    authScopes: { contactsRead: true },
    extensions: ghlCost({ calls: 1 }),
    description: 'One contact by id; null when GHL has no such contact.',
    args: { id: t.arg.id({ required: true, description: 'GHL contact id.' }) },
    resolve: (_root, args, context) => context.loaders.contact.load(args.id),
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
      ...(withCompanyName ? { companyName: t.string({ description: 'Company name (GHL sets it only at creation).' }) } : {}),
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
    contact: t.field({ type: ContactRef, nullable: false, description: 'The changed contact.', resolve: (p) => p.contact }),
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
    nullable: false,
    authScopes: { contactsWrite: true },
    extensions: ghlCost({ calls: 1 }),
    description: 'Creates a contact in the caller\'s location.',
    args: { input: t.arg({ type: CreateContactInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      const body = parseInput(
        contactCreateInput,
        { ...toGhlFields(input.contact as ContactInputShape), ...defined({ tags: input.tags ?? undefined }) },
        'input.contact',
      );
      if (!body.name && !body.firstName && !body.lastName && !body.email && !body.phone) {
        throw clientError('BAD_USER_INPUT', 'input.contact needs a name, an email or a phone', { field: 'input.contact' });
      }
      const contact = await context.ghl.contacts.create(body);
      context.loaders.primeContacts([contact]);
      return { contact };
    },
  }),
  updateContact: t.field({
    type: ContactPayloadRef,
    nullable: false,
    authScopes: { contactsWrite: true },
    extensions: ghlCost({ calls: 1 }),
    description: 'Changes a contact\'s fields. Tags change through addContactTags and removeContactTags.',
    args: {
      id: t.arg.id({ required: true, description: 'GHL contact id.' }),
      input: t.arg({ type: ContactUpdateInput, required: true }),
    },
    resolve: async (_root, { id, input }, context) => {
      const body = parseInput(contactUpdateInput, toGhlFields(input as ContactInputShape), 'input');
      const contactId = String(id);
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
    nullable: false,
    authScopes: { contactsWrite: true },
    extensions: ghlCost({ calls: 1 }),
    description: 'Deletes a contact and everything attached to it.',
    args: { id: t.arg.id({ required: true, description: 'GHL contact id.' }) },
    resolve: async (_root, { id }, context) => {
      const contactId = String(id);
      const success = await context.ghl.contacts.delete(contactId);
      context.loaders.contact.clear(contactId);
      return { deletedId: contactId, success };
    },
  }),
}));
