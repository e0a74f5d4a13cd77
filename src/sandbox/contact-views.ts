// What each endpoint returns for a contact. GHL uses a different contact shape per endpoint
// (GetContectByIdSchema, CreateContactSchema, ContactsSearchSchema, and search's Contact), and
// another in its contact webhooks; these follow the spec's (and the webhook reference's) field names. Missing values are left out, stored nulls are kept:
// live GHL does both, and clients must cope with either.

import type { ContactRecord } from './records.js';

type Json = Record<string, unknown>;

/** Leaves out undefined values; stored nulls stay. */
export function compact(obj: Json): Json {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined));
}

function lower(value: string | null | undefined): string | undefined {
  return typeof value === 'string' ? value.toLowerCase() : undefined;
}

function fullName(c: ContactRecord): string | undefined {
  const name = [c.firstName, c.lastName].filter((p): p is string => typeof p === 'string' && p.length > 0).join(' ');
  return name.length > 0 ? name : undefined;
}

/** GET/PUT /contacts/{contactId}, upsert: GetContectByIdSchema. */
export function contactDetail(c: ContactRecord): Json {
  return compact({
    id: c.id,
    name: fullName(c),
    locationId: c.locationId,
    firstName: c.firstName,
    lastName: c.lastName,
    email: c.email,
    emailLowerCase: lower(c.email),
    timezone: c.timezone,
    companyName: c.companyName,
    phone: c.phone,
    dnd: c.dnd,
    dndSettings: c.dndSettings,
    inboundDndSettings: c.inboundDndSettings,
    type: c.type,
    source: c.source,
    assignedTo: c.assignedTo,
    address1: c.address1,
    city: c.city,
    state: c.state,
    country: c.country,
    postalCode: c.postalCode,
    website: c.website,
    tags: c.tags,
    dateOfBirth: c.dateOfBirth,
    dateAdded: c.dateAdded,
    dateUpdated: c.dateUpdated,
    firstNameLowerCase: lower(c.firstName),
    lastNameLowerCase: lower(c.lastName),
    fullNameLowerCase: lower(fullName(c)),
    lastActivity: c.lastActivity,
    customFields: c.customFields,
    businessId: c.businessId,
    attributionSource: c.attributionSource,
    lastAttributionSource: c.lastAttributionSource,
    additionalEmails: c.additionalEmails,
    additionalPhones: c.additionalPhones,
    followers: c.followers,
    gender: c.gender,
    visitorId: c.visitorId,
  });
}

/** POST /contacts/: CreateContactSchema (adds `deleted` and the e-mail flags). */
export function createdContact(c: ContactRecord): Json {
  return compact({
    ...contactDetail(c),
    deleted: false,
    bounceEmail: false,
    unsubscribeEmail: false,
  });
}

/** GET /contacts/ and GET /contacts/business/{businessId}: ContactsSearchSchema. */
export function listedContact(c: ContactRecord): Json {
  return compact({
    id: c.id,
    locationId: c.locationId,
    contactName: lower(fullName(c)),
    firstName: c.firstName,
    lastName: c.lastName,
    companyName: c.companyName,
    email: c.email,
    phone: c.phone,
    dnd: c.dnd,
    dndSettings: c.dndSettings,
    type: c.type,
    source: c.source,
    assignedTo: c.assignedTo,
    city: c.city,
    state: c.state,
    postalCode: c.postalCode,
    address1: c.address1,
    country: c.country,
    website: c.website,
    timezone: c.timezone,
    dateAdded: c.dateAdded,
    dateUpdated: c.dateUpdated,
    dateOfBirth: c.dateOfBirth,
    lastActivity: c.lastActivity,
    tags: c.tags,
    customFields: c.customFields,
    businessId: c.businessId,
    additionalEmails: c.additionalEmails,
    attributions: c.attributionSource ? [c.attributionSource] : [],
    followers: c.followers,
  });
}

/**
 * POST /contacts/search: `Contact` in contacts@de87e88.json (the one revision documenting it), with
 * its `searchAfter` cursor. A search record is not a contact by id: no `name`, `address1` (the
 * street is `address`), `website`, `timezone`, `lastActivity`, `inboundDndSettings` or attribution;
 * and no `dndSettings` although the spec lists it, because GHL's search does not return it (docs
 * issue #43). Names also come lower-cased (`firstNameLowerCase`, `lastNameLowerCase`).
 */
export function searchedContact(c: ContactRecord, searchAfter: (string | number)[]): Json {
  return compact({
    id: c.id,
    locationId: c.locationId,
    firstName: c.firstName,
    lastName: c.lastName,
    firstNameLowerCase: lower(c.firstName),
    lastNameLowerCase: lower(c.lastName),
    email: c.email,
    validEmail: typeof c.email === 'string' && c.email.length > 0 ? true : undefined,
    phone: c.phone,
    phoneLabel: c.phone ? 'Mobile' : undefined,
    additionalEmails: c.additionalEmails ?? [],
    additionalPhones: c.additionalPhones ?? [],
    companyName: c.companyName,
    businessName: c.businessId ? (c.companyName ?? undefined) : undefined,
    businessId: c.businessId,
    address: c.address1,
    city: c.city,
    state: c.state,
    country: c.country,
    postalCode: c.postalCode,
    source: c.source,
    type: c.type,
    dnd: c.dnd ?? false,
    tags: c.tags,
    customFields: c.customFields,
    dateOfBirth: c.dateOfBirth,
    dateAdded: c.dateAdded,
    dateUpdated: c.dateUpdated,
    assignedTo: c.assignedTo,
    followers: c.followers,
    opportunities: [],
    searchAfter,
  });
}

/**
 * A contact as GHL's contact webhooks carry it: the fields of its ContactCreate schema, in the
 * API's formats (E.164 phones, lower-case tags, `{id, value}` custom fields). `locationId` is the
 * payload's own. Missing values are left out and stored nulls kept, as in API responses.
 */
export function webhookContact(c: ContactRecord): Json {
  return compact({
    id: c.id,
    address1: c.address1,
    city: c.city,
    state: c.state,
    companyName: c.companyName,
    country: c.country,
    source: c.source,
    dateAdded: c.dateAdded,
    dateOfBirth: c.dateOfBirth,
    dnd: c.dnd,
    email: c.email,
    name: fullName(c),
    firstName: c.firstName,
    lastName: c.lastName,
    phone: c.phone,
    postalCode: c.postalCode,
    tags: c.tags,
    website: c.website,
    // GHL's schema lists contact attachments; the sandbox has none to send.
    attachments: [],
    assignedTo: c.assignedTo,
    customFields: c.customFields,
  });
}
