// graphql-armor's limits on an operation's shape (depth, aliases, tokens, directives), each refused
// with its own code and the limit's value instead of armor's code-less "Syntax Error: …". Armor
// reports a rejection to `onReject`; the validation rules then report our error as a validation
// error (HTTP 400), and the token limit, which armor checks while parsing, throws it.
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import type { GraphQLError, ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { queryLimitError, type QueryLimit } from '../schema/errors/request.js';

export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxTokens: number;
  maxDirectives: number;
}

export const DEFAULT_MAX_TOKENS = 5_000;
export const DEFAULT_MAX_DIRECTIVES = 50;

export function queryLimits(limits: QueryLimits): Plugin {
  const validationRule = (limit: QueryLimit, n: number) => ({
    n,
    propagateOnRejection: false,
    onReject: [
      (context: ValidationContext | null, error: GraphQLError) =>
        context?.reportError(queryLimitError(limit, n, foundIn(error))),
    ],
  });
  return EnvelopArmorPlugin({
    maxDepth: { ...validationRule('depth', limits.maxDepth), ignoreIntrospection: true },
    maxAliases: validationRule('aliases', limits.maxAliases),
    maxDirectives: validationRule('directives', limits.maxDirectives),
    maxTokens: {
      n: limits.maxTokens,
      onReject: [
        () => {
          throw queryLimitError('tokens', limits.maxTokens, undefined);
        },
      ],
    },
    // The GHL-call price (cost.ts) replaces armor's generic cost rule.
    costLimit: { enabled: false },
    // Suggestions come from the caller's own schema variant, so they reveal nothing it could not
    // introspect, and "Did you mean email?" is worth keeping.
    blockFieldSuggestion: { enabled: false },
  });
}

/** The count armor found ("…, found 40."), which it reports only in its message. */
function foundIn(error: GraphQLError): number | undefined {
  const found = /found (\d+)/.exec(error.message)?.[1];
  return found === undefined ? undefined : Number(found);
}
