// GET /oauth/chooselocation: GHL's install page
// (https://marketplace.gohighlevel.com/oauth/chooselocation?response_type=code&client_id=…&redirect_uri=…&scope=…&state=…),
// where a user picks the sub-account and approves. The sandbox approves at once, for the
// location named by `location_id` (a sandbox extension) or the first one, and redirects to
// `redirect_uri?code=…&state=…`.
//
// A bad request gets a 400 page and never a redirect: the client and its redirect URI are
// checked before anything else, so the sandbox cannot be made to send a code (or an error) to a
// URI nobody registered, which is the open redirect RFC 6749 §4.1.2.1 warns about.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { SandboxHttpError, httpErrors } from './http-error.js';
import { sendHtml, sendJson, sendRedirect } from './http-io.js';
import { KNOWN_SCOPES, parseScopeParam } from './oauth-scopes.js';
import type { SandboxRuntime } from './runtime.js';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A page for a person in a browser; JSON for a client that asks for it (tests, curl -H). */
function sendErrorPage(req: IncomingMessage, res: ServerResponse, err: SandboxHttpError): void {
  if (/json/i.test(req.headers.accept ?? '')) return sendJson(res, err.status, err.body);
  const message = typeof err.body.message === 'string' ? err.body.message : 'Bad Request';
  sendHtml(
    res,
    err.status,
    `<!doctype html>\n<html><head><meta charset="utf-8"><title>GHL sandbox: cannot install the app</title></head>\n` +
      `<body><h1>Cannot install the app</h1><p>${escapeHtml(message)}</p>` +
      `<p>The GHL sandbox's OAuth client is described in src/sandbox/README.md and at /__sandbox/config.</p></body></html>\n`,
  );
}

/** The redirect target with the new code, or throws a 400 naming the problem. */
function approve(rt: SandboxRuntime, query: URLSearchParams): string {
  const oauth = rt.oauth;
  const clientId = query.get('client_id') ?? '';
  if (clientId === '') throw httpErrors.badRequest('client_id is required');
  if (!oauth.isClient(clientId)) throw httpErrors.badRequest(`Unknown client_id "${clientId}"`);

  const redirectUri = query.get('redirect_uri') ?? '';
  if (redirectUri === '') throw httpErrors.badRequest('redirect_uri is required');
  if (!oauth.isRegisteredRedirect(redirectUri)) {
    const registered = oauth.settings.redirectUris;
    throw httpErrors.badRequest(
      `redirect_uri "${redirectUri}" is not registered for this client. ` +
        (registered === null ? 'Registered: any http://127.0.0.1… or http://localhost… URI.' : `Registered: ${registered.join(', ')}.`),
    );
  }

  const responseType = query.get('response_type') ?? '';
  if (responseType !== 'code') throw httpErrors.badRequest(`response_type must be "code"; got "${responseType}"`);

  const scopes = parseScopeParam(query.get('scope') ?? '');
  if (scopes.length === 0) throw httpErrors.badRequest('scope is required: space-separated scope names, e.g. "contacts.readonly contacts.write"');
  const unknown = scopes.filter((s) => !KNOWN_SCOPES.has(s));
  if (unknown.length > 0) throw httpErrors.badRequest(`Unknown scope${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`);

  const locationId = query.get('location_id') ?? oauth.locations[0]?.id ?? '';
  if (!oauth.location(locationId)) {
    throw httpErrors.badRequest(`Unknown location_id "${locationId}". Locations: ${oauth.locations.map((l) => `${l.id} (${l.name})`).join(', ')}`);
  }

  const code = oauth.issueCode({ clientId, redirectUri, locationId, scopes }, Date.now());
  rt.stats.oauth('codesIssued');
  const target = new URL(redirectUri);
  target.searchParams.set('code', code);
  const state = query.get('state');
  if (state !== null) target.searchParams.set('state', state);
  return target.toString();
}

export function handleChooseLocation(rt: SandboxRuntime, req: IncomingMessage, res: ServerResponse, url: URL): void {
  try {
    sendRedirect(res, approve(rt, url.searchParams));
  } catch (err) {
    if (err instanceof SandboxHttpError) return sendErrorPage(req, res, err);
    throw err;
  }
}
