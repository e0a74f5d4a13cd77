// The Pothos builder: plugins, scalars and shared option types. It defines no object types; each
// type lives in its own file beside its root fields, and index.ts assembles them.
import SchemaBuilder from '@pothos/core';
import ScopeAuthPlugin, { type AuthFailure } from '@pothos/plugin-scope-auth';
import SubGraphPlugin from '@pothos/plugin-sub-graph';
import { READ_SCOPE, WRITE_SCOPE } from '../auth/caller.js';
import type { GatewayContext } from '../server/context.js';
import { missingScope } from './errors/auth.js';

/**
 * `read` is the schema a caller without contacts.write gets: no Mutation type at all, so
 * introspection and GraphiQL show no writes. `write` adds the mutations.
 */
export type SubGraph = 'read' | 'write';

interface AuthScopes {
  contactsRead: boolean;
  contactsWrite: boolean;
}

/** The GHL scope behind each auth scope, named in the error when a caller lacks it. */
const GHL_SCOPES: Record<keyof AuthScopes, string> = { contactsRead: READ_SCOPE, contactsWrite: WRITE_SCOPE };

/** The GHL scopes a scope-auth refusal is about. */
function ghlScopes(failure: AuthFailure): string[] {
  if ('failures' in failure) return [...new Set(failure.failures.flatMap(ghlScopes))];
  if ('scope' in failure && failure.scope in GHL_SCOPES) return [GHL_SCOPES[failure.scope as keyof AuthScopes]];
  return [];
}

export const builder = new SchemaBuilder<{
  Context: GatewayContext;
  SubGraphs: SubGraph;
  AuthScopes: AuthScopes;
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
    unauthorizedError: (_parent, context, info, result) =>
      missingScope(context.caller, `${info.parentType.name}.${info.fieldName}`, ghlScopes(result.failure)),
  },
});

builder.queryType({ description: 'Reads of GHL contacts and what hangs off them.' });
builder.mutationType({
  subGraphs: ['write'],
  description: 'Writes to GHL. Present only for callers whose token has the contacts.write scope.',
});
