// GET /oauth/chooselocation: GHL's install page
// (https://marketplace.gohighlevel.com/oauth/chooselocation?response_type=code&client_id=…&redirect_uri=…&scope=…&state=…),
// where a user picks the sub-account (or, for an agency, its locations) and approves. The sandbox
// approves at once and redirects to `redirect_uri?code=…&state=…` (state only when one was
// given). Sandbox extensions stand in for the clicks: `location_id=<id>` picks the sub-account
// (default the first); `user_type=Company` installs at the agency instead, for the locations in
// `location_id=a,b` or all of them. Checks and the redirect are oauth-install.ts's.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { SandboxHttpError } from './http-error.js';
import { sendHtml, sendJson, sendRedirect } from './http-io.js';
import { approveInstall } from './oauth-install.js';
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

export function handleChooseLocation(rt: SandboxRuntime, req: IncomingMessage, res: ServerResponse, url: URL): void {
  const query = url.searchParams;
  try {
    const checked = {
      clientId: query.get('client_id') ?? '',
      redirectUri: query.get('redirect_uri') ?? '',
      responseType: query.get('response_type') ?? '',
      scope: query.get('scope') ?? '',
      userType: query.get('user_type'),
      locationIds: query.get('location_id'),
      state: query.get('state'),
    };
    sendRedirect(res, approveInstall(rt, checked).target);
  } catch (err) {
    if (err instanceof SandboxHttpError) return sendErrorPage(req, res, err);
    throw err;
  }
}
