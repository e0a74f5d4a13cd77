// The OAuth routes: the location chooser (GHL serves it from marketplace.gohighlevel.com; the
// sandbox from its one origin, at /oauth/chooselocation and /v2/oauth/chooselocation), and every
// operation of oauth.json (services.leadconnectorhq.com): the token endpoint, location tokens
// from an agency token, and the locations where the app is installed.
// Counted in stats and slowed by `latencyMs` like API calls; not rate limited (GHL's limits are
// per location token, which these calls lack). Fault rules apply to the OAuth routes only when
// they name them, so a route-less rule aimed at the contacts API does not also break a
// gateway's token refreshes.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { applyFault } from './api-handler.js';
import { SandboxHttpError, errorBody, httpErrors } from './http-error.js';
import { sendJson } from './http-io.js';
import { handleChooseLocation } from './oauth-chooser.js';
import { listInstalledLocations } from './oauth-installed-locations.js';
import { exchangeLocationToken, exchangeToken, requireAgencyToken } from './oauth-token.js';
import { ROUTE_KEYS } from './routes.js';
import type { RouteDefinition } from './routes.js';
import type { SandboxRuntime } from './runtime.js';

const CHOOSER = 'GET /oauth/chooselocation';
const TOKEN = 'POST /oauth/token';
const LOCATION_TOKEN = 'POST /oauth/locationToken';
const INSTALLED_LOCATIONS = 'GET /oauth/installedLocations';

export const OAUTH_ROUTE_KEYS: readonly string[] = [CHOOSER, TOKEN, LOCATION_TOKEN, INSTALLED_LOCATIONS];
/** The routes fault rules may name: the contacts API's, and oauth.json's. */
export const FAULT_ROUTE_KEYS: readonly string[] = [...ROUTE_KEYS, TOKEN, LOCATION_TOKEN, INSTALLED_LOCATIONS];

const PATHS: ReadonlyMap<string, string> = new Map([
  ['/oauth/chooselocation', '/oauth/chooselocation'],
  // The path of the install URL in GHL's docs (marketplace.gohighlevel.com/v2/oauth/…).
  ['/v2/oauth/chooselocation', '/oauth/chooselocation'],
  ['/oauth/token', '/oauth/token'],
  ['/oauth/locationToken', '/oauth/locationToken'],
  ['/oauth/installedLocations', '/oauth/installedLocations'],
]);

/** The OAuth route path a request path is served by (trailing slashes ignored), if any. */
export function oauthPath(pathname: string): string | undefined {
  return PATHS.get(pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname);
}

/**
 * For the badShape and malformedJson faults: `{"access_token":{}}` (an object where the token
 * string belongs), and a body cut off after its first key.
 */
const TOKEN_ENVELOPE: RouteDefinition['envelope'] = { key: 'access_token', kind: 'array' };
const INSTALLED_ENVELOPE: RouteDefinition['envelope'] = { key: 'locations', kind: 'array' };

export async function handleOAuthRequest(
  rt: SandboxRuntime,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  path: string,
): Promise<void> {
  const method = (req.method ?? 'GET').toUpperCase();
  const candidate = `${method} ${path}`;
  const key = OAUTH_ROUTE_KEYS.includes(candidate) ? candidate : undefined;
  rt.stats.request(key ?? `${method} (no route)`);
  try {
    if (rt.latencyMs > 0) await rt.sleep(rt.latencyMs);
    if (key === undefined) throw httpErrors.routeNotFound(method, url.pathname);
    if (key === CHOOSER) return handleChooseLocation(rt, req, res, url);
    if (key === INSTALLED_LOCATIONS) {
      const claims = requireAgencyToken(rt, req, 'oauth.readonly');
      const fault = rt.faults.pick(key, true);
      if (fault && (await applyFault(rt, fault, INSTALLED_ENVELOPE, res, {}))) return;
      return sendJson(res, 200, listInstalledLocations(rt, claims, url.searchParams));
    }

    const fault = rt.faults.pick(key, true);
    if (fault && (await applyFault(rt, fault, TOKEN_ENVELOPE, res, {}))) return;
    const result = key === TOKEN ? await exchangeToken(rt, req) : await exchangeLocationToken(rt, req);
    // RFC 6749 §5.1: a response with tokens must not be cached.
    sendJson(res, result.status, result.body, { 'Cache-Control': 'no-store' });
  } catch (err) {
    if (err instanceof SandboxHttpError) {
      if ((key === TOKEN || key === LOCATION_TOKEN) && err.status >= 400 && err.status < 500)
        rt.stats.oauth('rejected');
      sendJson(res, err.status, err.body, err.headers);
      return;
    }
    if (req.destroyed || res.destroyed) return;
    console.error(`[ghl-sandbox] ${method} ${url.pathname} failed:`, err);
    sendJson(res, 500, errorBody(500, 'Internal Server Error'));
  }
}
