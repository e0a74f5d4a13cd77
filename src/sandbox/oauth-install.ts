// An install of the sandbox app, as GHL's consent makes one, whoever starts it: GHL's location
// chooser (an app's install link, oauth-chooser.ts) or the Marketplace's "Add App" button
// (GET /__sandbox/marketplace/install, below). Both check the same things in the same order and
// answer a redirect to the app's redirect URI with a one-time code; only the chooser passes a
// `state` on, because only an app's own install link has one to pass (docs/oauth/Faqs.md: "Add
// App" → "it will redirect you to the redirect uri with the authorization code").
//
// A bad request gets a 400 and never a redirect: the client and its redirect URI are checked
// before anything else, so the sandbox cannot be made to send a code (or an error) to a URI
// nobody registered, which is the open redirect RFC 6749 §4.1.2.1 warns about.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { SandboxHttpError, httpErrors } from './http-error.js';
import { sendJson, sendRedirect } from './http-io.js';
import type { UserType } from './oauth-grants.js';
import { KNOWN_SCOPES, parseScopeParam } from './oauth-scopes.js';
import type { SandboxRuntime } from './runtime.js';
import { runSimulation } from './simulate.js';

export interface InstallParams {
  clientId: string;
  redirectUri: string;
  /** The chooser's `response_type` (must be `code`); a Marketplace install has none. */
  responseType?: string;
  /** Space separated, as GHL's install URL has them. */
  scope: string;
  /** Location (default) or Company: a sub-account install or an agency (bulk) install. */
  userType: string | null;
  /** Location: one id (default the first location). Company: a comma-separated list (default all). */
  locationIds: string | null;
  /** Passed on as given; absent for a Marketplace install. */
  state: string | null;
}

function parseUserType(value: string | null): UserType {
  if (value === null || value === '' || value === 'Location') return 'Location';
  if (value === 'Company') return 'Company';
  throw httpErrors.badRequest(`user_type must be "Location" or "Company"; got "${value}"`);
}

function chosenLocations(rt: SandboxRuntime, userType: UserType, given: string | null): string[] {
  const oauth = rt.oauth;
  const all = oauth.locations.map((l) => l.id);
  const ids =
    given === null || given.trim() === ''
      ? userType === 'Company'
        ? all
        : all.slice(0, 1)
      : [
          ...new Set(
            given
              .split(',')
              .map((id) => id.trim())
              .filter(Boolean),
          ),
        ];
  const unknown = ids.filter((id) => !oauth.location(id));
  if (unknown.length > 0 || ids.length === 0) {
    throw httpErrors.badRequest(
      `Unknown location "${unknown[0] ?? ''}". Locations: ${oauth.locations.map((l) => `${l.id} (${l.name})`).join(', ')}`,
    );
  }
  if (userType === 'Location' && ids.length > 1)
    throw httpErrors.badRequest(
      'A sub-account (Location) install is for one location; use user_type=Company for several.',
    );
  return ids;
}

/** Checks an install, records it and returns the redirect target with the new code; or throws a 400. */
export function approveInstall(
  rt: SandboxRuntime,
  params: InstallParams,
): { target: string; userType: UserType; locationIds: string[] } {
  const oauth = rt.oauth;
  if (params.clientId === '') throw httpErrors.badRequest('client_id is required');
  if (!oauth.isClient(params.clientId)) throw httpErrors.badRequest(`Unknown client_id "${params.clientId}"`);

  if (params.redirectUri === '') throw httpErrors.badRequest('redirect_uri is required');
  if (!oauth.isRegisteredRedirect(params.redirectUri)) {
    const registered = oauth.settings.redirectUris;
    throw httpErrors.badRequest(
      `redirect_uri "${params.redirectUri}" is not registered for this client. ` +
        (registered === null
          ? 'Registered: any http://127.0.0.1… or http://localhost… URI.'
          : `Registered: ${registered.join(', ')}.`),
    );
  }

  if (params.responseType !== undefined && params.responseType !== 'code') {
    throw httpErrors.badRequest(`response_type must be "code"; got "${params.responseType}"`);
  }

  const scopes = parseScopeParam(params.scope);
  if (scopes.length === 0)
    throw httpErrors.badRequest(
      'scope is required: space-separated scope names, e.g. "contacts.readonly contacts.write"',
    );
  const unknown = scopes.filter((s) => !KNOWN_SCOPES.has(s));
  if (unknown.length > 0)
    throw httpErrors.badRequest(`Unknown scope${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`);

  const userType = parseUserType(params.userType);
  const locationIds = chosenLocations(rt, userType, params.locationIds);
  const code = oauth.install(
    { clientId: params.clientId, redirectUri: params.redirectUri, scopes, userType, locationIds },
    Date.now(),
  );
  rt.stats.oauth('codesIssued');
  const target = new URL(params.redirectUri);
  target.searchParams.set('code', code);
  if (params.state !== null) target.searchParams.set('state', params.state);
  return { target: target.toString(), userType, locationIds };
}

/** Scopes a Marketplace install grants when none are named: the contacts API's, and for an agency the two location-token scopes. */
const MARKETPLACE_SCOPES: Readonly<Record<UserType, string>> = {
  Location: 'contacts.readonly contacts.write',
  Company: 'contacts.readonly contacts.write oauth.readonly oauth.write',
};

/**
 * GET /__sandbox/marketplace/install: a click on "Add App" in GHL's Marketplace, which an app
 * does not start and so cannot give a `state`. `?locationId=<id>` installs at one sub-account;
 * `?companyId=<agency>[&locationIds=a,b]` at the agency for some (default all) of its locations.
 * `redirect_uri` defaults to the one registered redirect URI (required while any loopback URI is
 * accepted), `scope` to MARKETPLACE_SCOPES, `client_id` to the sandbox app's. Answers 302 to
 * `redirect_uri?code=…` (no state), and sends GHL's INSTALL webhook for each installed location,
 * as GHL does on an install (each names the location and the agency, as the SDK's INSTALL
 * handler expects; for a bulk install one per location, as the SDK's README says).
 */
export function handleMarketplaceInstall(
  rt: SandboxRuntime,
  _req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): void {
  const query = url.searchParams;
  try {
    const companyId = query.get('companyId');
    const locationId = query.get('locationId');
    if ((companyId === null) === (locationId === null)) {
      throw httpErrors.badRequest(
        'Name either locationId (a sub-account install) or companyId (an agency install, with optional locationIds=a,b).',
      );
    }
    if (companyId !== null && companyId !== rt.oauth.companyId)
      throw httpErrors.badRequest(`Unknown companyId "${companyId}"; the sandbox agency is ${rt.oauth.companyId}.`);
    const userType: UserType = companyId === null ? 'Location' : 'Company';
    const registered = rt.oauth.settings.redirectUris;
    const { target, locationIds } = approveInstall(rt, {
      clientId: query.get('client_id') ?? rt.oauth.settings.clientId,
      redirectUri: query.get('redirect_uri') ?? (registered?.length === 1 ? (registered[0] ?? '') : ''),
      scope: query.get('scope') ?? MARKETPLACE_SCOPES[userType],
      userType,
      locationIds: userType === 'Location' ? locationId : query.get('locationIds'),
      state: null,
    });
    for (const id of locationIds) runSimulation(rt, { action: 'install', locationId: id });
    sendRedirect(res, target);
  } catch (err) {
    if (err instanceof SandboxHttpError) return sendJson(res, err.status, err.body);
    throw err;
  }
}
