// /__sandbox/*: local controls for tests and demos. No auth (it is a local sandbox), not rate
// limited, not counted in stats, no latency. Webhooks: the public keys (as GHL publishes its
// own), delivery state, and simulated edits made in GHL's UI. OAuth: an install started from
// GHL's Marketplace ("Add App", no state), and early revocation of access tokens.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseFaultsBody } from './faults.js';
import { SandboxHttpError } from './http-error.js';
import { readJsonBody, sendJson } from './http-io.js';
import { FAULT_ROUTE_KEYS, OAUTH_ROUTE_KEYS } from './oauth-handler.js';
import { handleMarketplaceInstall } from './oauth-install.js';
import { revokeAccessTokens, revokeRequestSchema } from './oauth-revocation.js';
import { configSchema, describeIssues } from './options.js';
import { ROUTE_KEYS } from './routes.js';
import type { SandboxRuntime } from './runtime.js';
import { SIMULATE_ACTIONS, runSimulation } from './simulate.js';

const CONTROL_ROUTES = [
  'GET /__sandbox/tokens',
  'GET /__sandbox/stats',
  'POST /__sandbox/stats/reset',
  'POST /__sandbox/reset',
  'GET /__sandbox/faults',
  'PUT /__sandbox/faults',
  'GET /__sandbox/config',
  'PUT /__sandbox/config',
  'GET /__sandbox/webhook-keys',
  'GET /__sandbox/webhooks',
  'POST /__sandbox/simulate',
  'GET /__sandbox/marketplace/install',
  'POST /__sandbox/oauth/revoke',
];

function bad(res: ServerResponse, message: string): void {
  sendJson(res, 400, { statusCode: 400, message, error: 'Bad Request' });
}

/** API fault rules and webhook faults (null: none). */
function faultsView(rt: SandboxRuntime): Record<string, unknown> {
  return { rules: rt.faultRules, webhooks: rt.webhooks.faults };
}

/** The secret is shown: it is the sandbox's own OAuth client, printed at start-up too. */
function configView(rt: SandboxRuntime): Record<string, unknown> {
  return { latencyMs: rt.latencyMs, rateLimit: rt.rateLimit ?? 0, oauth: { ...rt.oauth.settings } };
}

export async function handleControlRequest(
  rt: SandboxRuntime,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const key = `${(req.method ?? 'GET').toUpperCase()} ${url.pathname.replace(/\/+$/, '')}`;
  try {
    switch (key) {
      case 'GET /__sandbox':
        return sendJson(res, 200, {
          name: 'GHL contacts sandbox',
          apiRoutes: ROUTE_KEYS,
          oauthRoutes: OAUTH_ROUTE_KEYS,
          controlRoutes: CONTROL_ROUTES,
        });
      case 'GET /__sandbox/tokens':
        return sendJson(res, 200, { locations: rt.locationTokens });
      case 'GET /__sandbox/stats':
        return sendJson(res, 200, rt.stats.snapshot());
      case 'POST /__sandbox/stats/reset':
        rt.stats.reset();
        return sendJson(res, 200, rt.stats.snapshot());
      case 'POST /__sandbox/reset':
        rt.reset();
        return sendJson(res, 200, { reset: true });
      case 'GET /__sandbox/faults':
        return sendJson(res, 200, faultsView(rt));
      case 'PUT /__sandbox/faults': {
        const parsed = parseFaultsBody(await readJsonBody(req), FAULT_ROUTE_KEYS);
        if (!parsed.ok) return bad(res, parsed.message);
        if (parsed.rules !== undefined) rt.setFaults(parsed.rules);
        if (parsed.webhooks !== undefined) rt.webhooks.setFaults(parsed.webhooks);
        return sendJson(res, 200, faultsView(rt));
      }
      case 'GET /__sandbox/config':
        return sendJson(res, 200, configView(rt));
      case 'PUT /__sandbox/config': {
        const parsed = configSchema.safeParse((await readJsonBody(req)) ?? {});
        if (!parsed.success) return bad(res, `Invalid config: ${describeIssues(parsed.error)}`);
        rt.applyConfig(parsed.data);
        return sendJson(res, 200, configView(rt));
      }
      case 'GET /__sandbox/webhook-keys':
        return sendJson(res, 200, rt.webhookSigner.publicKeys);
      case 'GET /__sandbox/webhooks':
        return sendJson(res, 200, {
          ...rt.webhooks.settings,
          stats: rt.webhooks.stats(),
          deliveries: rt.webhooks.deliveries(),
        });
      case 'POST /__sandbox/simulate': {
        const body = await readJsonBody(req);
        if (body === undefined) return bad(res, `Send a JSON body with an action: ${SIMULATE_ACTIONS.join(', ')}`);
        return sendJson(res, 200, runSimulation(rt, body));
      }
      case 'GET /__sandbox/marketplace/install':
        return handleMarketplaceInstall(rt, req, res, url);
      case 'POST /__sandbox/oauth/revoke': {
        const parsed = revokeRequestSchema.safeParse((await readJsonBody(req)) ?? {});
        if (!parsed.success)
          return bad(res, 'Send one of {"accessToken": "…"}, {"locationId": "…"}, {"companyId": "…"}.');
        return sendJson(res, 200, { revoked: revokeAccessTokens(rt, parsed.data) });
      }
      default:
        return sendJson(res, 404, {
          statusCode: 404,
          message: `Unknown sandbox control route ${key}. Known: ${CONTROL_ROUTES.join(', ')}`,
          error: 'Not Found',
        });
    }
  } catch (err) {
    if (err instanceof SandboxHttpError) return sendJson(res, err.status, err.body);
    throw err;
  }
}
