// GHL's marketplace install flow, served by the gateway:
//   GET /oauth/install   → 302 to GHL's location chooser, with a one-time `state`
//   GET /oauth/callback  → exchanges the code, stores the grant (never shown)
// The callback takes two kinds of arrival (the README's "Managed credentials" says why both are safe):
// - with `state`: an install this gateway started at /oauth/install. The state must be one it
//   handed out, unused and under ten minutes old (it lives in memory: a restart in between only
//   means clicking install again); anything else is refused before GHL is asked.
// - without `state`: an install started in GHL's Marketplace ("Add App"), which redirects with the
//   code alone (GHL's docs/oauth/Faqs.md). At most STATELESS_PER_MINUTE of these are exchanged per
//   minute, so forged callbacks cannot make the gateway hammer GHL's token endpoint.
// A Location token installs its location; a Company (agency) token installs the agency and a
// credential for each location where the app is installed.
import { randomBytes } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';
import { CredentialError, InstallError, OAuthError } from '../credentials/errors.js';
import type { OAuthClient } from '../credentials/oauth-client.js';
import { cliCommand } from '../credentials/open-store.js';
import type { InstallResult, TokenManager } from '../credentials/token-manager.js';
import { errorMessage, type Logger } from '../log.js';

const STATE_TTL_MS = 10 * 60_000;
const MAX_PENDING = 1_000;
const STATELESS_PER_MINUTE = 30;

export interface OAuthRoutesDeps {
  oauth: OAuthClient;
  tokens: TokenManager;
  logger: Logger;
  /**
   * The command that runs the credentials CLI on the gateway's store with its key (the page says
   * how to create an API key with it); default "npm run credentials --".
   */
  cli?: string;
  now?: () => number;
}

export function oauthRoutes(deps: OAuthRoutesDeps): Plugin {
  const now = deps.now ?? Date.now;
  const pending = new Map<string, number>();
  const stateless: number[] = [];

  const sweep = () => {
    const at = now();
    for (const [state, expires] of pending) if (expires <= at) pending.delete(state);
  };

  /** Whether one more stateless callback fits in the last minute's budget (and counts it). */
  const admitStateless = () => {
    const at = now();
    while (stateless.length > 0 && (stateless[0] ?? 0) <= at - 60_000) stateless.shift();
    if (stateless.length >= STATELESS_PER_MINUTE) return false;
    stateless.push(at);
    return true;
  };

  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      const page = (status: number, title: string, text: string) =>
        endResponse(
          new fetchAPI.Response(
            `<!doctype html><meta charset="utf-8"><title>${escape(title)}</title><h1>${escape(title)}</h1><p>${escape(text)}</p>`,
            { status, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' } },
          ),
        );
      if (request.method !== 'GET') return;

      if (url.pathname === '/oauth/install') {
        sweep();
        if (pending.size >= MAX_PENDING)
          return page(503, 'Too many installs in progress', 'Try again in a few minutes.');
        const state = randomBytes(24).toString('base64url');
        pending.set(state, now() + STATE_TTL_MS);
        endResponse(
          new fetchAPI.Response(null, {
            status: 302,
            headers: { location: deps.oauth.authorizeUrl({ state }), 'cache-control': 'no-store' },
          }),
        );
        return;
      }

      if (url.pathname === '/oauth/callback') {
        const state = url.searchParams.get('state');
        const code = url.searchParams.get('code') ?? '';
        if (state !== null) {
          const expires = pending.get(state);
          // One use only, whatever happens next: a replayed callback finds no state.
          pending.delete(state);
          if (expires === undefined || expires <= now()) {
            return page(
              400,
              'Install link expired',
              'This install was not started here or took too long. Start again at /oauth/install.',
            );
          }
        } else if (!admitStateless()) {
          return page(429, 'Too many installs', 'Too many installs from GHL in the last minute; try again shortly.');
        }
        const denied = url.searchParams.get('error');
        if (denied !== null) return page(400, 'Install cancelled', `GHL answered: ${denied}.`);
        if (!/^[A-Za-z0-9._~+/=-]{1,4096}$/.test(code)) return page(400, 'Install failed', 'GHL sent no usable code.');
        try {
          const result = await deps.tokens.installFromCode(code, request.signal);
          logInstall(deps.logger, result, state === null ? 'marketplace' : 'gateway');
          return page(200, 'Installed', describe(result, deps.cli ?? 'npm run credentials --'));
        } catch (error) {
          return failed(deps.logger, error, page);
        }
      }
    },
  };
}

function logInstall(logger: Logger, result: InstallResult, startedAt: 'marketplace' | 'gateway'): void {
  if (result.kind === 'location') {
    logger.info('oauth install', {
      startedAt,
      locationId: result.credential.locationId,
      scopes: result.credential.scopes,
    });
    return;
  }
  logger.info('oauth agency install', {
    startedAt,
    companyId: result.companyId,
    scopes: result.scopes,
    locations: result.locations.map((l) => ({ locationId: l.locationId, outcome: l.outcome })),
  });
}

function describe(result: InstallResult, cli: string): string {
  const keyHint = (locationId: string, scopes: readonly string[]) =>
    cliCommand(cli, `keys create --location ${locationId} --scopes "${scopes.join(' ')}"`);
  if (result.kind === 'location') {
    const { locationId, scopes } = result.credential;
    return `The gateway now holds a GHL credential for location ${locationId}. Create an API key for it with: ${keyHint(locationId, scopes)}`;
  }
  const installed = result.locations.filter((l) => l.outcome === 'installed').map((l) => l.locationId);
  const failed = result.locations.filter((l) => l.outcome === 'failed').map((l) => l.locationId);
  const where =
    installed.length === 0
      ? 'no location yet (none is listed as installed)'
      : `${installed.length} location(s): ${installed.join(', ')}`;
  const trouble =
    failed.length === 0
      ? ''
      : ` GHL would not mint a token for ${failed.join(', ')} now; its INSTALL webhook or a new install retries.`;
  const first = installed[0];
  const hint =
    first === undefined
      ? ''
      : ` Create an API key per location, e.g.: ${keyHint(
          first,
          result.scopes.filter((s) => !s.startsWith('oauth.')),
        )}`;
  return `The gateway now holds agency ${result.companyId}'s GHL grant and credentials for ${where}.${trouble}${hint}`;
}

function failed(logger: Logger, error: unknown, page: (status: number, title: string, text: string) => void): void {
  if (error instanceof CredentialError && error.code === 'oauth_misconfigured') {
    // Already logged as an error naming GHL_CLIENT_ID / GHL_CLIENT_SECRET.
    return page(
      502,
      'Install failed',
      "GHL refused this gateway's app credentials. The operator must check GHL_CLIENT_ID and GHL_CLIENT_SECRET.",
    );
  }
  if (error instanceof CredentialError && error.retryable) {
    logger.warn('oauth install failed', { error: errorMessage(error) });
    return page(
      503,
      'Install failed',
      'GHL could not be reached to finish the install. Start the install again in a minute.',
    );
  }
  const refusedCode = error instanceof OAuthError && error.failure === 'grant_rejected';
  logger.warn('oauth install failed', { error: errorMessage(error) });
  if (error instanceof InstallError) return page(502, 'Install failed', error.message);
  return page(
    502,
    'Install failed',
    refusedCode
      ? 'GHL did not accept the install code (used, expired or not for this app). Start again.'
      : 'GHL did not accept the install. Start again.',
  );
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
