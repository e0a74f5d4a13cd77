// Single-contact endpoints: get, create, update, delete, upsert, duplicate lookup.

import { randomUUID } from 'node:crypto';
import { parseBody } from '../body-validation.js';
import { applyContactWrite } from '../contact-writes.js';
import { contactDetail, createdContact } from '../contact-views.js';
import { SandboxHttpError, errorBody, httpErrors } from '../http-error.js';
import { normalizePhone } from '../input-formats.js';
import type { ContactRecord } from '../records.js';
import { createContactBody, updateContactBody, upsertContactBody } from '../request-bodies.js';
import { contactEventState, emitContactCreate, emitContactDelete, emitContactUpdate } from '../webhook-events.js';
import { requireContact, requireOwnLocation, touch } from './context.js';
import type { Handler, HandlerContext } from './context.js';

export const getContact: Handler = (ctx) => ({ status: 200, body: { contact: contactDetail(requireContact(ctx)) } });

function findDuplicate(
  ctx: HandlerContext,
  locationId: string,
  email: unknown,
  phone: unknown,
  except?: string,
): { contact: ContactRecord; field: 'email' | 'phone' } | undefined {
  const contacts = ctx.store.contactsIn(locationId).filter((c) => c.id !== except);
  if (typeof email === 'string' && email.length > 0) {
    const wanted = email.trim().toLowerCase();
    const byEmail = contacts.find((c) => c.email?.toLowerCase() === wanted);
    if (byEmail) return { contact: byEmail, field: 'email' };
  }
  if (typeof phone === 'string' && phone.length > 0) {
    const wanted = normalizePhone(phone);
    const byPhone = contacts.find((c) => c.phone === wanted);
    if (byPhone) return { contact: byPhone, field: 'phone' };
  }
  return undefined;
}

function newContact(ctx: HandlerContext, locationId: string): ContactRecord {
  const now = ctx.now.toISOString();
  return {
    id: ctx.store.newId(),
    locationId,
    type: 'lead',
    dnd: false,
    tags: [],
    customFields: [],
    additionalEmails: [],
    additionalPhones: [],
    dateAdded: now,
    dateUpdated: now,
  };
}

/** Sandbox locations keep GHL's default setting: duplicate contacts (same e-mail or phone) are not allowed. */
function refuseDuplicate(ctx: HandlerContext, locationId: string, email: unknown, phone: unknown, self?: string): void {
  const duplicate = findDuplicate(ctx, locationId, email, phone, self);
  if (!duplicate) return;
  const body = errorBody(400, 'This location does not allow duplicated contacts.', 'Bad Request');
  body.meta = { contactId: duplicate.contact.id, matchingField: duplicate.field };
  throw new SandboxHttpError(400, body);
}

export const createContact: Handler = (ctx) => {
  const input = parseBody(createContactBody, ctx.body);
  requireOwnLocation(ctx, input.locationId);
  refuseDuplicate(ctx, input.locationId, input.email, input.phone);
  const contact = newContact(ctx, input.locationId);
  applyContactWrite(contact, input, ctx.store.location(input.locationId));
  ctx.store.insertContact(contact);
  emitContactCreate(ctx.webhooks, contact, ctx.now);
  return { status: 201, body: { contact: createdContact(contact) } };
};

export const updateContact: Handler = (ctx) => {
  const input = parseBody(updateContactBody, ctx.body);
  const contact = requireContact(ctx);
  refuseDuplicate(ctx, contact.locationId, input.email, input.phone, contact.id);
  const before = contactEventState(contact);
  applyContactWrite(contact, input, ctx.store.location(contact.locationId));
  touch(contact, ctx.now);
  emitContactUpdate(ctx.webhooks, contact, before, ctx.now);
  return { status: 200, body: { succeded: true, contact: contactDetail(contact) } };
};

export const deleteContact: Handler = (ctx) => {
  const contact = requireContact(ctx);
  ctx.store.deleteContact(contact.id);
  emitContactDelete(ctx.webhooks, contact, ctx.now);
  return { status: 200, body: { succeded: true } };
};

/** Matches on e-mail first, then phone (the spec's rule when duplicates are not allowed). */
export const upsertContact: Handler = (ctx) => {
  const input = parseBody(upsertContactBody, ctx.body);
  requireOwnLocation(ctx, input.locationId);
  const location = ctx.store.location(input.locationId);
  const existing = findDuplicate(ctx, input.locationId, input.email, input.phone)?.contact;
  if (existing) {
    const before = contactEventState(existing);
    applyContactWrite(existing, input, location);
    touch(existing, ctx.now);
    emitContactUpdate(ctx.webhooks, existing, before, ctx.now);
    return { status: 200, body: { new: false, contact: contactDetail(existing), traceId: randomUUID() } };
  }
  const contact = newContact(ctx, input.locationId);
  applyContactWrite(contact, input, location);
  ctx.store.insertContact(contact);
  emitContactCreate(ctx.webhooks, contact, ctx.now);
  return { status: 200, body: { new: true, contact: contactDetail(contact), traceId: randomUUID() } };
};

/** GET /contacts/search/duplicate?locationId&email&number → `{contact}` (null when none). */
export const duplicateContact: Handler = (ctx) => {
  const locationId = ctx.query.get('locationId');
  if (!locationId) throw httpErrors.unprocessable(['locationId should not be empty', 'locationId must be a string']);
  requireOwnLocation(ctx, locationId);
  const found = findDuplicate(ctx, locationId, ctx.query.get('email'), ctx.query.get('number'));
  return { status: 200, body: { contact: found ? contactDetail(found.contact) : null } };
};
