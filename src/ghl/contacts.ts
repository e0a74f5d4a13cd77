// Contacts: get, list (GET /contacts/, deprecated by GHL but still the cheapest cursor walk),
// search (POST /contacts/search), by business, create, update, delete. A contact by id and a
// list's record are different shapes (ListShape): list records say which one they are.
import { z } from 'zod';
import { read, write, type GhlCall } from './call.js';
import { cacheTags, writeTags } from './changes.js';
import type { GhlCore } from './core.js';
import { pathId } from './ids.js';
import { emailInput, ghlIdInput, isoDateInput, phoneInput, shortText, tagListInput } from './input-rules.js';
import { count, deleteEnvelope, flag, lenientList, raw, recordId, stringList, text } from './lenient.js';

const dndChannel = z.object({ status: text(), message: text(), code: text() }).nullish().catch(null);

/** The channels GHL reports: the spec's six and RCS, which live records carry (docs issue #264). */
export const DND_CHANNELS = ['Call', 'Email', 'SMS', 'WhatsApp', 'GMB', 'FB', 'RCS'] as const;
export type DndChannel = (typeof DND_CHANNELS)[number];

const recordFields = {
  id: recordId(),
  locationId: text(),
  name: text(),
  firstName: text(),
  lastName: text(),
  email: text(),
  phone: text(),
  companyName: text(),
  type: text(),
  source: text(),
  assignedTo: text(),
  address1: text(),
  city: text(),
  state: text(),
  country: text(),
  postalCode: text(),
  website: text(),
  timezone: text(),
  dnd: flag(),
  dndSettings: z
    .object(
      Object.fromEntries(DND_CHANNELS.map((channel) => [channel, dndChannel])) as Record<DndChannel, typeof dndChannel>,
    )
    .nullish()
    .catch(null),
  tags: stringList(),
  customFields: lenientList(z.object({ id: recordId(), value: raw() }))
    .nullish()
    .catch(null),
  /** Six formats seen in the wild; kept as sent and interpreted by the reader. */
  dateOfBirth: text(),
  dateAdded: text(),
  dateUpdated: text(),
  lastActivity: text(),
  businessId: text(),
  attributionSource: raw(),
  lastAttributionSource: raw(),
  additionalEmails: raw(),
  additionalPhones: raw(),
  followers: stringList(),
};

/** A contact by id (GET/PUT /contacts/{id}, create, upsert): GHL's full record. */
export const contactRecord = z.object(recordFields);
export type ContactRecord = z.output<typeof contactRecord>;
export type ContactField = keyof ContactRecord;

/**
 * A contact as a list returns it, which is not the contact by id: `search` for POST
 * /contacts/search, `list` for GET /contacts/ and GET /contacts/business/{id}. Fields a shape
 * lacks arrive as `undefined` (left out), so a reader can tell them from a stored null.
 */
export type ListShape = 'search' | 'list';

/**
 * The contact fields each list shape documents. A field outside its set may still arrive (GHL
 * adds fields over time); when it does not, only the contact by id has it.
 */
export const LISTED_FIELDS: Readonly<Record<ListShape, ReadonlySet<ContactField>>> = {
  // `Contact` in contacts@de87e88.json, the one spec revision documenting search records (its
  // `address` is read as address1), less `dndSettings`, which GHL's search does not return
  // although that schema lists it (docs issue #43). No name, website, timezone, lastActivity.
  search: new Set<ContactField>([
    'id',
    'locationId',
    'firstName',
    'lastName',
    'email',
    'phone',
    'companyName',
    'type',
    'source',
    'assignedTo',
    'address1',
    'city',
    'state',
    'country',
    'postalCode',
    'dnd',
    'tags',
    'customFields',
    'dateOfBirth',
    'dateAdded',
    'dateUpdated',
    'businessId',
    'additionalEmails',
    'additionalPhones',
    'followers',
  ]),
  // `ContactsSearchSchema` in contacts.json, what both list endpoints are documented to return.
  list: new Set<ContactField>([
    'id',
    'locationId',
    'email',
    'timezone',
    'country',
    'source',
    'dateAdded',
    'customFields',
    'tags',
    'businessId',
    'followers',
  ]),
};

export const searchedContactRecord = z
  .object({
    ...recordFields,
    /** Search's name for the street address (address1 everywhere else). */
    address: text(),
    /** The cursor that resumes after this contact. */
    searchAfter: z
      .array(z.union([z.string(), z.number()]))
      .nullish()
      .catch(null),
  })
  .transform(({ address, ...record }) => ({
    ...record,
    address1: record.address1 ?? address,
    listedAs: 'search' as const,
  }));

export const listedContactRecord = contactRecord.transform((record) => ({ ...record, listedAs: 'list' as const }));

export type SearchedContact = z.output<typeof searchedContactRecord>;
export type ListedContact = SearchedContact | z.output<typeof listedContactRecord>;

export const contactEnvelope = z.object({ contact: contactRecord });
export const contactListEnvelope = z.object({
  contacts: lenientList(listedContactRecord),
  /** The number of matching contacts (ContactsSearchSuccessfulResponseDto). */
  count: count(),
  /** Sent by the deprecated GET /contacts/ (not in the spec). */
  meta: z
    .object({
      total: count(),
      startAfterId: text(),
      startAfter: z.union([z.number(), z.string()]).nullish().catch(null),
      nextPageUrl: text(),
    })
    .nullish()
    .catch(null),
});
export const contactSearchEnvelope = z.object({
  contacts: lenientList(searchedContactRecord),
  total: count(),
});
export const contactUpdateEnvelope = z.object({ succeded: flag(), contact: contactRecord.nullish() });

const customFieldInput = z.object({
  id: ghlIdInput,
  key: z.string().max(100).optional(),
  field_value: z.union([z.string().max(10_000), z.number(), z.boolean(), z.array(z.string())]),
});

const contactFields = {
  firstName: shortText(100).nullable().optional(),
  lastName: shortText(100).nullable().optional(),
  name: shortText(200).nullable().optional(),
  email: emailInput.nullable().optional(),
  phone: phoneInput.nullable().optional(),
  companyName: shortText(200).nullable().optional(),
  address1: shortText(300).nullable().optional(),
  city: shortText(100).nullable().optional(),
  state: shortText(100).nullable().optional(),
  postalCode: shortText(20).optional(),
  country: z
    .string()
    .regex(/^[A-Z]{2}$/, { message: 'must be a two-letter country code, e.g. US' })
    .optional(),
  website: z.url({ message: 'must be a URL' }).max(500).nullable().optional(),
  timezone: shortText(64).nullable().optional(),
  source: shortText(200).nullable().optional(),
  dateOfBirth: isoDateInput.nullable().optional(),
  assignedTo: ghlIdInput.nullable().optional(),
  dnd: z.boolean().optional(),
  customFields: z.array(customFieldInput).max(100).optional(),
};

export const contactCreateInput = z.object({ ...contactFields, tags: tagListInput.optional() });
export type ContactCreateInput = z.input<typeof contactCreateInput>;

/**
 * What GHL's PUT accepts (UpdateContactDto): no `tags`, because the PUT replaces every tag, so
 * tag changes go through the tags endpoints; and no `companyName`, which the update DTO lacks and
 * GHL refuses. Strict, so a field GHL would drop or refuse is named instead of lost.
 */
const { companyName: _createOnly, ...updatableFields } = contactFields;
export const contactUpdateInput = z.strictObject(updatableFields);
export type ContactUpdateInput = z.input<typeof contactUpdateInput>;

const searchFilter: z.ZodType<unknown> = z.lazy(() =>
  z.union([
    z.object({ field: z.string(), operator: z.string(), value: z.unknown().optional() }),
    z.object({ group: z.enum(['AND', 'OR']), filters: z.array(searchFilter) }),
  ]),
);

/**
 * The sort fields GHL's search guide documents; names sort by their lower-case copies. Anything
 * else is refused here, before GHL would refuse it.
 */
export const SEARCH_SORT_FIELDS = [
  'dateAdded',
  'dateUpdated',
  'firstNameLowerCase',
  'lastNameLowerCase',
  'businessName',
  'email',
] as const;

export const contactSearchInput = z.object({
  pageLimit: z.number().int().min(1).max(100),
  searchAfter: z.array(z.union([z.string(), z.number()])).optional(),
  page: z.number().int().min(1).optional(),
  query: z.string().max(75, { message: 'must be at most 75 characters (GHL search limit)' }).optional(),
  filters: z.array(searchFilter).optional(),
  sort: z
    .array(z.object({ field: z.enum(SEARCH_SORT_FIELDS), direction: z.enum(['asc', 'desc']) }))
    .max(2)
    .optional(),
});
export type ContactSearchInput = z.input<typeof contactSearchInput>;

export interface ContactListParams {
  limit?: number;
  startAfterId?: string;
  startAfter?: number;
  query?: string;
}

export interface BusinessListParams {
  limit?: number;
  skip?: number;
  query?: string;
}

export class ContactsApi {
  constructor(private readonly core: GhlCore) {}

  async get(contactId: string): Promise<ContactRecord> {
    const id = pathId('contacts.get', 'contactId', contactId);
    const call = read('contacts.get', `/contacts/${id}`, [cacheTags.contact(contactId)]);
    return (await this.core.run(call, contactEnvelope)).contact;
  }

  async list(params: ContactListParams = {}) {
    const operation = 'contacts.list';
    const locationId = this.core.requireLocation(operation);
    if (params.startAfterId !== undefined) pathId(operation, 'startAfterId', params.startAfterId);
    const call: GhlCall = {
      ...read(operation, '/contacts/', [cacheTags.contactLists]),
      query: {
        locationId,
        limit: clampLimit(params.limit, 100),
        startAfterId: params.startAfterId,
        startAfter: params.startAfter,
        query: params.query,
      },
    };
    return this.core.run(call, contactListEnvelope);
  }

  async search(input: ContactSearchInput) {
    const operation = 'contacts.search';
    const locationId = this.core.requireLocation(operation);
    const body = this.core.input(operation, contactSearchInput, input);
    // A search is a read, though it is a POST: cached, coalesced and retried like any read.
    const call: GhlCall = {
      ...read(operation, '/contacts/search', [cacheTags.contactLists], 'POST'),
      body: { locationId, ...body },
    };
    return this.core.run(call, contactSearchEnvelope);
  }

  async byBusiness(businessId: string, params: BusinessListParams = {}) {
    const operation = 'contacts.byBusiness';
    const id = pathId(operation, 'businessId', businessId);
    const locationId = this.core.requireLocation(operation);
    const call: GhlCall = {
      ...read(operation, `/contacts/business/${id}`, [cacheTags.contactLists]),
      query: {
        locationId,
        limit: clampLimit(params.limit, 100),
        skip: params.skip !== undefined ? Math.max(0, Math.floor(params.skip)) : undefined,
        query: params.query,
      },
    };
    return this.core.run(call, contactListEnvelope);
  }

  async create(input: ContactCreateInput): Promise<ContactRecord> {
    const operation = 'contacts.create';
    const locationId = this.core.requireLocation(operation);
    const body = this.core.input(operation, contactCreateInput, input);
    const call = write(operation, 'POST', '/contacts/', writeTags('contact', 'created', undefined), {
      ...body,
      locationId,
    });
    return (await this.core.run(call, contactEnvelope)).contact;
  }

  async update(contactId: string, input: ContactUpdateInput): Promise<ContactRecord | null> {
    const operation = 'contacts.update';
    const id = pathId(operation, 'contactId', contactId);
    const body = this.core.input(operation, contactUpdateInput, input);
    const call = write(operation, 'PUT', `/contacts/${id}`, writeTags('contact', 'updated', contactId), body);
    return (await this.core.run(call, contactUpdateEnvelope)).contact ?? null;
  }

  async delete(contactId: string): Promise<boolean> {
    const operation = 'contacts.delete';
    const id = pathId(operation, 'contactId', contactId);
    const call = write(operation, 'DELETE', `/contacts/${id}`, writeTags('contact', 'deleted', contactId));
    return (await this.core.run(call, deleteEnvelope)).succeded === true;
  }
}

function clampLimit(limit: number | undefined, max: number): number | undefined {
  if (limit === undefined) return undefined;
  return Math.min(max, Math.max(1, Math.floor(limit)));
}
