// A Contact in GraphQL is either a contact by id or a record of a list page, which GHL sends in
// the list's own, thinner shape (ghl/contacts.ts: LISTED_FIELDS). A field the list record lacks is
// never answered null: it is read from the contact by id, through the request's loader (so
// `contact(id)` of the same contact, or a second such field, costs no further call), and the cost
// estimate prices that read wherever such a field is selected under a list.
import {
  LISTED_FIELDS,
  type ContactField,
  type ContactRecord,
  type ListedContact,
  type ListShape,
} from '../ghl/contacts.js';
import type { GatewayContext } from '../server/context.js';
import { ghlCost } from './cost.js';

export type ContactParent = ContactRecord | ListedContact;

const SHAPES = Object.keys(LISTED_FIELDS) as ListShape[];

function isListed(contact: ContactParent): contact is ListedContact {
  return 'listedAs' in contact && contact.listedAs !== undefined;
}

/**
 * Whether only the contact by id can answer `field`: the record is a list record, GHL left the
 * field out, and the list's shape does not document it (a documented field left out is empty).
 */
export function lacks(contact: ContactParent, field: ContactField): boolean {
  return isListed(contact) && contact[field] === undefined && !LISTED_FIELDS[contact.listedAs].has(field);
}

/** The contact by id behind a list record; null when GHL no longer has it. */
export function fullContact(contact: ContactParent, context: GatewayContext): Promise<ContactRecord | null> {
  return context.loaders.contact.load(contact.id);
}

/** The value of one field, from the record or, when it lacks the field, from the contact by id. */
export function contactValue<K extends ContactField>(
  contact: ContactParent,
  field: K,
  context: GatewayContext,
): ContactRecord[K] | Promise<ContactRecord[K] | null> {
  if (!lacks(contact, field)) return contact[field];
  return fullContact(contact, context).then((full) => (full === null ? null : full[field]));
}

/** The list shapes that do not document any of `fields`. */
export function shapesLacking(...fields: ContactField[]): ListShape[] {
  return SHAPES.filter((shape) => fields.some((field) => !LISTED_FIELDS[shape].has(field)));
}

/** Cost option of a Contact field that a list record may lack (see cost.ts, `byIdUnder`). */
export function byIdCost(...fields: ContactField[]) {
  const byIdUnder = shapesLacking(...fields);
  return byIdUnder.length > 0 ? ghlCost({ calls: 0, byIdUnder }) : {};
}
