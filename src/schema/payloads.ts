// Shapes shared by several mutations.
import { builder } from './builder.js';

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
