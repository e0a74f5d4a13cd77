// GHL's marketplace install flow, served by the gateway:
//   GET /oauth/install   → 302 to GHL's location chooser, with a one-time `state`
//   GET /oauth/callback  → checks `state`, exchanges the code, stores the grant (never shown)
// The state lives in memory for ten minutes: an install finishes in one browser session, and a
// restart in between only means clicking install again.
import { randomBytes } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';
import type { OAuthClient } from '../credentials/oauth-client.js';
import type { TokenManager } from '../credentials/token-manager.js';
import type { Logger } from '../log.js';

const STATE_TTL_MS = 10 * 60_000;
const MAX_PENDING = 1_000;

export interface OAuthRoutesDeps {
  oauth: OAuthClient;
  tokens: TokenManager;
  logger: Logger;
  now?: () => number;
}

export function oauthRoutes(deps: OAuthRoutesDeps): Plugin {
  const now = deps.now ?? Date.now;
  const pending = new Map<string, number>();

  const sweep = () => {
    const at = now();
    for (const [state, expires] of pending) if (expires <= at) pending.delete(state);
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
        if (pending.size >= MAX_PENDING) return page(503, 'Too many installs in progress', 'Try again in a few minutes.');
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
        const state = url.searchParams.get('state') ?? '';
        const code = url.searchParams.get('code') ?? '';
        const expires = pending.get(state);
        // One use only, whatever happens next: a replayed callback finds no state.
        pending.delete(state);
        if (expires === undefined || expires <= now()) {
          return page(400, 'Install link expired', 'This install was not started here or took too long. Start again at /oauth/install.');
        }
        const denied = url.searchParams.get('error');
        if (denied !== null) return page(400, 'Install cancelled', `GHL answered: ${denied}.`);
        if (!/^[A-Za-z0-9._~+/=-]{1,4096}$/.test(code)) return page(400, 'Install failed', 'GHL sent no usable code.');
        try {
          const grant = await deps.oauth.exchangeCode(code, request.signal);
          const installed = await deps.tokens.install(grant);
          deps.logger.info('oauth install', { locationId: installed.locationId, scopes: installed.scopes });
          return page(200, 'Installed', `The gateway now holds a GHL credential for location ${installed.locationId}. Create an API key for it with: npm run credentials -- keys create --location ${installed.locationId} --scopes "${installed.scopes.join(' ')}"`);
        } catch (error) {
          deps.logger.warn('oauth install failed', { error: error instanceof Error ? error.message : String(error) });
          return page(502, 'Install failed', 'GHL did not accept the install. Start again at /oauth/install.');
        }
      }
    },
  };
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
