// createApp: builds the Yoga server and everything it shares across requests. It never listens
// (main.ts does), so tests drive it with `app.fetch` or over a real socket alike.
import { setMaxListeners } from 'node:events';
import { GraphQLError } from 'graphql';
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import type { CallerResult } from '../auth/caller.js';
import { resolveCaller, type ResolveOptions } from '../auth/resolve-caller.js';
import type { RunLog } from '../automation/ledger.js';
import type { UpstreamBudget } from '../budget/budget.js';
import { newCostMeter } from '../budget/cost-meter.js';
import type { Config } from './config.js';
import type { GatewayContext } from './context.js';
import type { GhlClients } from './ghl-clients.js';
import type { ManagedCredentials } from './managed-credentials.js';
import type { LiveChanges } from '../storage/pubsub.js';
import { createLoaders } from '../loaders/loaders.js';
import { errorMessage, type Logger } from '../log.js';
import { callerGate } from '../plugins/caller-gate.js';
import { costPlugin } from '../plugins/cost.js';
import { graphiqlRenderer, type GraphiqlToken } from '../plugins/graphiql-page.js';
import { healthRoutes } from '../plugins/health.js';
import { mediaTypes } from '../plugins/media-types.js';
import { oauthRoutes } from '../plugins/oauth-routes.js';
import { DEFAULT_MAX_DIRECTIVES, DEFAULT_MAX_TOKENS, queryLimits } from '../plugins/query-limits.js';
import { requestLimits } from '../plugins/request-limits.js';
import { fromAuthFailure } from '../schema/errors/auth.js';
import { maskError } from '../schema/errors/mask.js';
import { gatewaySchemas } from '../schema/index.js';

export interface AppDeps {
  /** Builds each request's GHL client over the shared upstream budget (ghl-clients.ts). */
  clients: GhlClients;
  /**
   * The same budget: the cost plugin asks it whether an operation's price can be paid, and each
   * request's loaders how wide their calls may fan out now.
   */
  budget: Pick<UpstreamBudget, 'admit' | 'startable'>;
  /** Answers whether GHL (or the sandbox) can be reached at all; backs /readyz. */
  probeUpstream: () => Promise<boolean>;
  logger: Logger;
  /** Headers GraphiQL starts with (sandbox mode pre-fills a read-only token). */
  graphiqlHeaders?: Record<string, string>;
  /** Tokens GraphiQL's picker offers (the sandbox's; never real GHL's). */
  graphiqlTokens?: readonly GraphiqlToken[];
  /** Managed credentials (CREDENTIALS_KEY set): API-key callers, the location's GHL token held here. */
  managed?: ManagedCredentials;
  /** The clock resolvers read (sync walks); tests may fix it. */
  now?: () => number;
  /** Where webhook-reported changes are published; subscriptions listen here. */
  live: LiveChanges;
  /** The webhook receiver and task automation, when configured (event-wiring.ts). */
  events?: { plugin: Plugin; runs: RunLog | undefined };
}

const LISTENERS_PER_CALL = 2;

export type App = YogaServerInstance<Record<string, never>, GatewayContext>;

export const EXAMPLE_QUERY = `# The newest contacts of your location, with their
# tasks (pending, overdue, completed), notes and
# appointments. The header below is
# "Authorization: Bearer <GHL location token>".
query Dashboard {
  viewer { locationId canWrite }
  contacts(first: 5) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      id
      name
      email
      tags
      tasks { id title dueDate status }
      notes { id body dateAdded }
      appointments { id title startTime appointmentStatus }
    }
  }
}
`;

export function createApp(config: Config, deps: AppDeps): App {
  const schemas = gatewaySchemas();
  const options: ResolveOptions = {
    opaqueTokenScopes: config.OPAQUE_TOKEN_SCOPES,
    passthrough: config.PASSTHROUGH === 'on',
    managed: deps.managed,
  };
  // Yoga asks for the schema before it builds the context; both read the caller from here, so
  // the token is parsed (and an API key verified) once per request.
  const callers = new WeakMap<Request, Promise<CallerResult>>();
  const callerOf = (request: Request): Promise<CallerResult> => {
    let result = callers.get(request);
    if (result === undefined) {
      result = resolveCaller(request.headers, options);
      callers.set(request, result);
    }
    return result;
  };

  return createYoga<Record<string, never>, GatewayContext>({
    graphqlEndpoint: '/graphql',
    landingPage: false,
    schema: async ({ request }) => {
      const result = await callerOf(request);
      return result.ok && result.caller.canWrite ? schemas.write : schemas.read;
    },
    context: async ({ request }) => {
      const result = await callerOf(request);
      // callerGate has answered such a request already; this keeps the context honest without it.
      if (!result.ok) throw fromAuthFailure(result.failure);
      const { caller } = result;
      const meter = newCostMeter();
      // Every call in flight may listen on the request's signal (its wait for a coalesced reply or
      // a rate slot, its retry pause): up to the fan-out cap at once, which Node would otherwise
      // report as a listener leak past 10.
      if (request.signal instanceof EventTarget) {
        setMaxListeners(LISTENERS_PER_CALL * config.UPSTREAM_CONCURRENCY + 10, request.signal);
      }
      const ghl = deps.clients.forCaller(caller, meter, request.signal);
      return {
        caller,
        ghl,
        meter,
        loaders: createLoaders(ghl, {
          cap: config.UPSTREAM_CONCURRENCY,
          startable: () => deps.budget.startable(caller),
        }),
        settings: { syncLagMs: config.SYNC_LAG_MS },
        live: deps.live,
        automationRuns: deps.events?.runs,
        now: deps.now ?? Date.now,
      };
    },
    maskedErrors: { maskError: (error) => maskError(error, deps.logger) },
    graphiql: {
      title: 'leadPops GHL gateway',
      defaultQuery: EXAMPLE_QUERY,
      headers: JSON.stringify(deps.graphiqlHeaders ?? { Authorization: 'Bearer <GHL location token>' }, null, 2),
      shouldPersistHeaders: false,
      defaultEditorToolsVisibility: 'headers',
    },
    renderGraphiQL: graphiqlRenderer(deps.graphiqlTokens),
    plugins: [
      healthRoutes(deps.probeUpstream),
      requestLimits({ maxBodyBytes: config.MAX_REQUEST_BYTES }),
      mediaTypes(),
      // After requestLimits: a request without a caller is answered 401 whatever else is wrong with it.
      callerGate(callerOf),
      ...(deps.events ? [deps.events.plugin] : []),
      ...(deps.managed?.oauth
        ? [
            oauthRoutes({
              oauth: deps.managed.oauth,
              tokens: deps.managed.tokens,
              logger: deps.logger,
              cli: deps.managed.cli,
            }),
          ]
        : []),
      queryLimits({
        maxDepth: config.MAX_QUERY_DEPTH,
        maxAliases: config.MAX_QUERY_ALIASES,
        maxTokens: DEFAULT_MAX_TOKENS,
        maxDirectives: DEFAULT_MAX_DIRECTIVES,
      }),
      costPlugin(config.MAX_QUERY_COST, deps.logger, deps.budget),
    ],
    logging: {
      debug: (...args) => deps.logger.debug(String(args[0] ?? '')),
      info: (...args) => deps.logger.info(String(args[0] ?? '')),
      warn: (...args) => deps.logger.warn(String(args[0] ?? '')),
      // Yoga logs every error maskError replaced; maskError already logs the unexpected ones
      // (with detail), so the expected ones (RATE_LIMITED, NOT_FOUND, …) stay at debug.
      error: (...args) =>
        args[0] instanceof GraphQLError
          ? deps.logger.debug('graphql error', { message: args[0].message })
          : deps.logger.error(errorMessage(args[0] ?? '')),
    },
  });
}
