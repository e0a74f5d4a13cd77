// Prices each operation in GHL calls before it runs, admits it only if its price fits both the
// limit per request and what the location's rate budget can pay within the wait bound, and
// reports what it really cost in the response's `extensions.cost`, so a frontend developer sees
// the price of a query in GraphiQL.
//
// Admission is why an operation the budget cannot pay is answered at once, with nothing sent to
// GHL, instead of waiting out the bound and returning a patchwork of RATE_LIMITED fields. It reads
// the governor and reserves nothing: operations admitted together may still outspend the budget,
// and then the per-call refusal decides.
import type { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Admission, UpstreamBudget } from '../budget/budget.js';
import type { GatewayContext } from '../server/context.js';
import type { Logger } from '../log.js';
import { estimateCost } from '../schema/cost.js';
import { requestError } from '../schema/errors/client-error.js';

const ASK_FOR_LESS = 'Ask for fewer contacts per page (first) or fewer nested lists.';

export function costPlugin(
  maxCost: number,
  logger: Logger,
  budget: Pick<UpstreamBudget, 'admit'>,
): Plugin<GatewayContext> {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const estimated = estimateCost(args.schema, args.document, args.operationName, args.variableValues);
      const refusal =
        estimated > maxCost
          ? tooCostly(
              `This operation may cost ${estimated} GHL calls, more than the ${maxCost} allowed per request (MAX_QUERY_COST). ${ASK_FOR_LESS}`,
              estimated,
              maxCost,
            )
          : refused(budget.admit(args.contextValue.caller, estimated));
      if (refusal !== undefined) {
        logger.info('operation refused before any GHL call', {
          operation: args.operationName ?? null,
          location: args.contextValue.caller.locationId ?? null,
          estimated,
          code: refusal.extensions['code'],
        });
        setResultAndStopExecution({ errors: [refusal] });
        return;
      }
      const started = performance.now();
      return {
        onExecuteDone({ result, setResult }) {
          if (Symbol.asyncIterator in result) return;
          const meter = args.contextValue.meter;
          const durationMs = Math.round(performance.now() - started);
          // One line per operation: what it cost and how it ended. Never variables or headers.
          logger.info('operation', {
            operation: args.operationName ?? null,
            location: args.contextValue.caller.locationId ?? null,
            estimated,
            upstreamCalls: meter.upstreamCalls,
            cacheHits: meter.cacheHits,
            durationMs,
            // Errors are logged before masking: a code, or the original error's class name.
            errors: result.errors?.map((e) => e.extensions?.['code'] ?? e.originalError?.name ?? 'UNKNOWN') ?? [],
          });
          setResult({
            ...result,
            extensions: {
              ...result.extensions,
              cost: {
                estimatedCalls: estimated,
                upstreamCalls: meter.upstreamCalls,
                cacheHits: meter.cacheHits,
                coalesced: meter.coalesced,
                retries: meter.retries,
                waitedForBudgetMs: Math.round(meter.waitedMs),
                budgetRemaining: meter.budgetRemaining,
                durationMs,
              },
            },
          });
        },
      };
    },
  };
}

/** The error for an operation the location's budget cannot pay, or undefined when admitted. */
function refused(admission: Admission): GraphQLError | undefined {
  if (admission.admitted) return undefined;
  const wait = duration(admission.maxWaitMs);
  if (admission.reason === 'too-large') {
    // No retry can help: even an idle location could not pay it within the wait bound.
    return tooCostly(
      `This operation may cost ${admission.price} GHL calls; the GHL rate budget of this location can pay at most ` +
        `${admission.payable} within the ${wait} a request may wait. ${ASK_FOR_LESS}`,
      admission.price,
      admission.payable,
    );
  }
  const retry = Math.max(1, Math.ceil(admission.retryAfterMs / 1000));
  const spent = admission.limit === 'daily' ? 'the day' : 'the burst window';
  return requestError(
    'RATE_LIMITED',
    `This operation may cost ${admission.price} GHL calls; the GHL rate budget of this location has ` +
      `${admission.availableNow} now and could not pay the rest within ${wait} (${spent} is spent). ` +
      `Nothing was sent to GHL; retry in ${retry} s.`,
    {
      // The whole operation was refused, so HTTP can say it too: 429 with Retry-After (seconds).
      status: 429,
      headers: { 'Retry-After': String(retry) },
      extra: {
        cost: admission.price,
        availableNow: admission.availableNow,
        retryAfterMs: admission.retryAfterMs,
        maxWaitMs: admission.maxWaitMs,
        limit: admission.limit,
      },
    },
  );
}

/** A price over what may be paid: an error in the operation itself, like a depth limit (HTTP 400). */
function tooCostly(message: string, cost: number, maxCost: number): GraphQLError {
  return requestError('COST_LIMIT_EXCEEDED', message, { status: 400, document: true, extra: { cost, maxCost } });
}

function duration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Number((ms / 1000).toFixed(1))} s`;
}
