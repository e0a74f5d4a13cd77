// The Pothos builder: plugins, scalars and shared option types. It defines no object types; each
// type lives in its own file beside its root fields, and index.ts assembles them.
import SchemaBuilder from '@pothos/core';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import SubGraphPlugin from '@pothos/plugin-sub-graph';
import { GraphQLError } from 'graphql';
import type { GatewayContext } from '../server/context.js';

/**
 * `read` is the schema a caller without contacts.write gets: no Mutation type at all, so
 * introspection and GraphiQL show no writes. `write` adds the mutations.
 */
export type SubGraph = 'read' | 'write';

export const builder = new SchemaBuilder<{
  Context: GatewayContext;
  SubGraphs: SubGraph;
  AuthScopes: { contactsRead: boolean; contactsWrite: boolean };
  Scalars: {
    // GHL ids are strings; graphql-js coerces an integer literal to one, so resolvers never convert.
    ID: { Input: string; Output: string };
    DateTime: { Input: string; Output: string };
    Date: { Input: string; Output: string };
    JSON: { Input: unknown; Output: unknown };
  };
  DefaultFieldNullability: true;
}>({
  // scope-auth first: its checks must run before any other plugin wraps a resolver.
  plugins: [ScopeAuthPlugin, SubGraphPlugin],
  subGraphs: { defaultForTypes: ['read', 'write'], fieldsInheritFromTypes: true },
  scopeAuth: {
    authScopes: (context) => ({
      contactsRead: context.caller.canRead,
      contactsWrite: context.caller.canWrite,
    }),
    unauthorizedError: (_parent, _context, info, result) =>
      new GraphQLError(`Not allowed to use ${info.parentType.name}.${info.fieldName}: ${result.message}`, {
        extensions: { code: 'FORBIDDEN' },
      }),
  },
});

builder.queryType({ description: 'Reads of GHL contacts and what hangs off them.' });
builder.mutationType({
  subGraphs: ['write'],
  description: 'Writes to GHL. Present only for callers whose token has the contacts.write scope.',
});
