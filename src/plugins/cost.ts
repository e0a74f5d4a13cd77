// Prices each operation in GHL calls before it runs, refuses those over the limit, and reports
// what it really cost in the response's `extensions.cost`, so a frontend developer sees the
// price of a query in GraphiQL.
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { GatewayContext } from '../context.js';
import { estimateCost } from '../schema/cost.js';

export function costPlugin(maxCost: number): Plugin<GatewayContext> {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const estimated = estimateCost(args.schema, args.document, args.operationName, args.variableValues);
      if (estimated > maxCost) {
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
                durationMs: Math.round(performance.now() - started),
              },
            },
          });
        },
      };
    },
  };
}
