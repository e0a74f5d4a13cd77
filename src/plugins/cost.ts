// Prices each operation in GHL calls before it runs, refuses those over the limit, and reports
// what it really cost in the response's `extensions.cost`, so a frontend developer sees the
// price of a query in GraphiQL.
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { GatewayContext } from '../server/context.js';
import type { Logger } from '../log.js';
import { estimateCost } from '../schema/cost.js';

export function costPlugin(maxCost: number, logger: Logger): Plugin<GatewayContext> {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const estimated = estimateCost(args.schema, args.document, args.operationName, args.variableValues);
      if (estimated > maxCost) {
        logger.info('operation refused: over the cost limit', { operation: args.operationName ?? null, estimated, maxCost });
        setResultAndStopExecution({
          errors: [
            new GraphQLError(
              `This operation may cost ${estimated} GHL calls, more than the ${maxCost} allowed per request. ` +
                'Ask for fewer contacts per page (first) or fewer nested lists.',
              { extensions: { code: 'COST_LIMIT_EXCEEDED', cost: estimated, maxCost } },
            ),
          ],
        });
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
