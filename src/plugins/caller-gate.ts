// Who is asking, decided before the operation is parsed, and what a read-only caller may not run.
// A request without a caller gets its 401 first, rather than the errors of a document it could not
// have run anyway; a caller without contacts.write, whose schema has no Mutation type, gets a 403
// that says how to get the scope, where graphql-js would say "Schema is not configured to execute
// mutation operation" (or "Unknown type CreateTaskInput" for an operation with input variables).
import { getOperationAST } from 'graphql';
import type { Plugin, YogaInitialContext } from 'graphql-yoga';
import type { Caller, CallerResult } from '../auth/caller.js';
import { fromAuthFailure, readOnlyRefusal } from '../schema/errors/auth.js';

export function callerGate(callerOf: (request: Request) => Promise<CallerResult>): Plugin<YogaInitialContext> {
  // Filled before validation, which is synchronous and cannot wait for the caller itself.
  const callers = new WeakMap<Request, Caller>();
  return {
    async onParams({ request, setResult }) {
      const result = await callerOf(request);
      if (result.ok) callers.set(request, result.caller);
      else setResult({ errors: [fromAuthFailure(result.failure)] });
    },
    onValidate({ context, params: { schema, documentAST } }) {
      if (schema.getMutationType()) return;
      const caller = callers.get(context.request);
      const operation = getOperationAST(documentAST, context.params.operationName);
      if (caller === undefined || operation?.operation !== 'mutation') return;
      return ({ setResult }) => setResult([readOnlyRefusal(caller)]);
    },
  };
}
