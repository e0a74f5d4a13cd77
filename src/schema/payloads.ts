// Shapes and options shared by the mutations.
import { builder } from './builder.js';
import { ghlCost, type GhlCost } from './cost.js';

/**
 * What every write field shares: a non-null payload, the write scope checked again before any GHL
 * call (the schema variant hides writes from read-only callers; this is the second lock), and its
 * price in GHL calls.
 */
export function writeField(cost: GhlCost = { calls: 1 }) {
  return { nullable: false, authScopes: { contactsWrite: true }, extensions: ghlCost(cost) } as const;
}

export interface Deleted {
  deletedId: string;
  success: boolean;
}

export const DeletePayloadRef = builder.objectRef<Deleted>('DeletePayload').implement({
  subGraphs: ['write'],
  description: 'The result of a delete.',
  fields: (t) => ({
    deletedId: t.exposeID('deletedId', { nullable: false, description: 'The id of the record that was deleted.' }),
    success: t.exposeBoolean('success', { nullable: false, description: 'Whether GHL confirmed the delete.' }),
  }),
});

/** Drops keys whose value is undefined, so zod sees an omitted argument as omitted. */
export function defined<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
