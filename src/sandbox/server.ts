// The embedded GHL sandbox: a node:http server that speaks the GHL Contacts API v2 (as in
// test/fixtures/ghl-openapi/apps/contacts.json) over seeded data, with GHL's auth, scopes, rate
// limits and error bodies, GHL's OAuth install flow (oauth.json: location chooser, code
// exchange, single-use refresh tokens, agency installs and location tokens, Marketplace installs,
// early revocation), GHL-shaped signed webhooks for every
// data change (and for simulated edits made in GHL's UI), plus /__sandbox/* controls (tokens,
// stats, reset, faults, config, webhook keys, simulate).
// It imports nothing from the gateway: it stands in for GHL, and must not know who calls it.

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleApiRequest } from './api-handler.js';
import { handleControlRequest } from './control-handler.js';
import { parseFaultRules } from './faults.js';
import type { FaultKind, FaultRule } from './faults.js';
import { sendJson } from './http-io.js';
import { FAULT_ROUTE_KEYS, handleOAuthRequest, oauthPath } from './oauth-handler.js';
import { revokeAccessTokens, revokeRequestSchema } from './oauth-revocation.js';
import type { RevokeRequest } from './oauth-revocation.js';
import { configSchema, describeIssues, rateLimitConfig } from './options.js';
import type { OAuthOption, RateLimitOption, WebhooksOption } from './options.js';
import { SandboxRuntime } from './runtime.js';
import { DEFAULT_SEED } from './seed/generate.js';
import { runSimulation } from './simulate.js';
import type { SimulateAction, SimulateResult } from './simulate.js';
import type { SandboxOAuthStats, SandboxStats } from './stats.js';
import { DEFAULT_TOKEN_SECRET } from './tokens.js';
import type { SandboxLocationTokens } from './tokens.js';
import type { SandboxWebhookDelivery, SandboxWebhookStats } from './webhook-delivery.js';
import type { WebhookType } from './webhook-event-types.js';
import type { WebhookPayload } from './webhook-events.js';
import { webhookFaults, webhookFaultsSchema } from './webhook-faults.js';
import type { WebhookFaults, WebhookFaultsInput } from './webhook-faults.js';
import type { SandboxWebhookKeys } from './webhook-keys.js';

export type {
  FaultKind,
  FaultRule,
  RevokeRequest,
  SandboxLocationTokens,
  SandboxOAuthStats,
  SandboxStats,
  SandboxWebhookDelivery,
  SandboxWebhookKeys,
  SandboxWebhookStats,
  SimulateAction,
  SimulateResult,
  WebhookFaults,
  WebhookFaultsInput,
  WebhookPayload,
  WebhookType,
};

/**
 * Webhook delivery. `url` null (the default) sends nothing. `retryDelaysMs` (default [1000, 5000,
 * 30000]): the waits before each redelivery of an event the receiver answered 429 (GHL retries
 * 429 only). `timeoutMs` (default 10000): how long one delivery waits for an answer.
 * `envelope` (default `documented-examples`: no timestamp/webhookId, as GHL's examples; or
 * `with-webhook-id`), `legacyRsaSignature` (default false: Ed25519 `x-ghl-signature` only),
 * `quirks` (`thinNoteEvents`, `dndRcsChannel` default true; `omitTaskContactId` default false).
 */
export type SandboxWebhookOptions = WebhooksOption;

/**
 * The sandbox OAuth app. Defaults: client `sandbox-client-id` / `sandbox-client-secret`, access
 * tokens for 86399 s (GHL's `expires_in`), codes for 600 s, redirect URIs: any http(s) URI on
 * 127.0.0.1, localhost or [::1]. `redirectUris` (exact match) replaces that; null restores it.
 */
export type SandboxOAuthOptions = OAuthOption;

/** The sandbox OAuth app as it is now (configure() may change it). */
export interface SandboxOAuthInfo {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly accessTokenTtlSeconds: number;
  readonly authorizationCodeTtlSeconds: number;
  /** null: any loopback http(s) URI is accepted. */
  readonly redirectUris: readonly string[] | null;
  /** The agency both locations belong to: `companyId` in token responses. */
  readonly companyId: string;
  /** The app id: the client id's first `-`-separated part, as GHL's SDK reads it. */
  readonly appId: string;
  /** `${url}/__sandbox/marketplace/install`: GHL's Marketplace "Add App" (see README). */
  readonly marketplaceInstallUrl: string;
  /** `${url}/oauth/chooselocation`: GHL's install URL, without its query. */
  readonly chooseLocationUrl: string;
  /** `${url}/oauth/token`. */
  readonly tokenUrl: string;
}

export interface SandboxOptions {
  /** 0 (default) = a random free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default {max: 100, intervalMs: 10_000, dailyMax: 200_000}, GHL's; 0 = off. */
  rateLimit?: RateLimitOption;
  /** Added to every API call (not to /__sandbox/*). Default 0. */
  latencyMs?: number;
  /** Seed of the generated data. Default fixed. */
  seed?: number;
  /** HS256 secret of the sandbox's JWTs. Default fixed, so tokens are the same every run. */
  tokenSecret?: string;
  /** The sandbox OAuth app (client id/secret, redirect URIs, token lifetimes). */
  oauth?: SandboxOAuthOptions;
  /** Where and how the sandbox POSTs its signed webhooks (see README). */
  webhooks?: SandboxWebhookOptions;
}

export interface Sandbox {
  /** e.g. http://127.0.0.1:43123 (no trailing slash). */
  url: string;
  tokens: SandboxLocationTokens[];
  /** The OAuth app's client id/secret and endpoints, for the install flow (see README). */
  readonly oauth: SandboxOAuthInfo;
  stats(): SandboxStats;
  resetStats(): void;
  /** Data back to the seed; stats, faults (webhook faults too) and rate-limit counters cleared. */
  reset(): void;
  /** Replaces the fault rules of API calls; [] clears them. Throws on invalid rules. */
  setFaults(rules: FaultRule[]): void;
  /**
   * Replaces the webhook faults: `dropRate`, `duplicateRate` in [0, 1], `seed`; null clears
   * them. The dice restart from the seed, so the same events meet the same fates every run.
   */
  setWebhookFaults(faults: WebhookFaultsInput | null): void;
  /** Changes settings while running; fields left out stay as they are. Throws on invalid ones. */
  configure(opts: {
    latencyMs?: number;
    rateLimit?: SandboxOptions['rateLimit'];
    oauth?: SandboxOAuthOptions;
    webhooks?: SandboxWebhookOptions;
  }): void;
  /** The public keys the webhooks' signatures verify with (also GET /__sandbox/webhook-keys). */
  readonly webhookKeys: SandboxWebhookKeys;
  /** Webhook delivery counts since start or reset(). */
  webhookStats(): SandboxWebhookStats;
  /** The last 200 events queued for delivery, oldest first, with their delivery state. */
  sentWebhooks(): SandboxWebhookDelivery[];
  /** Resolves once every queued webhook was delivered or dropped (retries included). */
  flushWebhooks(): Promise<void>;
  /**
   * An edit made in GHL's own UI: changes the data as the API would and sends the same
   * webhooks. Returns the changed record and the events. Throws on an invalid action or an
   * unknown location/record (a SandboxHttpError with the control route's status).
   */
  simulate(action: SimulateAction): SimulateResult;
  /**
   * GHL invalidating access tokens before they expire: one token, or every access token the OAuth
   * flow issued for a location or company so far. They answer `401 Invalid token: access token is
   * invalid` from then on; refresh tokens still work. Returns how many were revoked.
   */
  revokeAccessTokens(target: RevokeRequest): number;
  /** Closes idle and open sockets too: hanging and delayed responses do not block it. */
  close(): Promise<void>;
}

function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const checked = configSchema.safeParse({
    latencyMs: opts.latencyMs,
    rateLimit: opts.rateLimit,
    oauth: opts.oauth,
    webhooks: opts.webhooks,
  });
  if (!checked.success) throw new Error(`startSandbox: invalid options: ${describeIssues(checked.error)}`);
  const host = opts.host ?? '127.0.0.1';
  const rt = new SandboxRuntime(
    opts.seed ?? DEFAULT_SEED,
    opts.tokenSecret ?? DEFAULT_TOKEN_SECRET,
    rateLimitConfig(opts.rateLimit),
    opts.latencyMs ?? 0,
    checked.data.oauth,
    checked.data.webhooks,
  );

  let url = '';
  const server = createServer((req, res) => {
    const target = req.url ?? '/';
    let requestUrl: URL;
    try {
      // Origin-form paths are appended, not resolved, so "//contacts/x" stays a path.
      requestUrl = target.startsWith('/') ? new URL(`http://sandbox.local${target}`) : new URL(target);
    } catch {
      sendJson(res, 400, { statusCode: 400, message: `Malformed request target ${target}`, error: 'Bad Request' });
      return;
    }
    const oauthRoute = oauthPath(requestUrl.pathname);
    const handled =
      requestUrl.pathname === '/__sandbox' || requestUrl.pathname.startsWith('/__sandbox/')
        ? handleControlRequest(rt, req, res, requestUrl)
        : oauthRoute !== undefined
          ? handleOAuthRequest(rt, req, res, requestUrl, oauthRoute)
          : handleApiRequest(rt, req, res, requestUrl, req.headers.host ? `http://${req.headers.host}` : url);
    handled.catch((err: unknown) => {
      // A client that went away (or close()) mid-request is not a sandbox failure.
      if (req.destroyed || res.destroyed) return;
      console.error('[ghl-sandbox] request failed:', err);
      sendJson(res, 500, { statusCode: 500, message: 'Internal Server Error' });
    });
  });
  // GHL keeps connections alive; so do we, but close() must not wait for them.
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  url = `http://${urlHost(host)}:${port}`;

  const oauth = rt.oauth;
  const oauthInfo: SandboxOAuthInfo = {
    get clientId() {
      return oauth.settings.clientId;
    },
    get clientSecret() {
      return oauth.settings.clientSecret;
    },
    get accessTokenTtlSeconds() {
      return oauth.settings.accessTokenTtlSeconds;
    },
    get authorizationCodeTtlSeconds() {
      return oauth.settings.authorizationCodeTtlSeconds;
    },
    get redirectUris() {
      return oauth.settings.redirectUris === null ? null : [...oauth.settings.redirectUris];
    },
    companyId: oauth.companyId,
    get appId() {
      return oauth.appId;
    },
    marketplaceInstallUrl: `${url}/__sandbox/marketplace/install`,
    chooseLocationUrl: `${url}/oauth/chooselocation`,
    tokenUrl: `${url}/oauth/token`,
  };

  let closing: Promise<void> | undefined;
  return {
    url,
    tokens: rt.locationTokens,
    oauth: oauthInfo,
    stats: () => rt.stats.snapshot(),
    resetStats: () => rt.stats.reset(),
    reset: () => rt.reset(),
    setFaults: (rules) => {
      const parsed = parseFaultRules(rules, FAULT_ROUTE_KEYS);
      if (!parsed.ok) throw new Error(parsed.message);
      rt.setFaults(parsed.rules);
    },
    setWebhookFaults: (faults) => {
      if (faults === null) return rt.webhooks.setFaults(null);
      const parsed = webhookFaultsSchema.safeParse(faults);
      if (!parsed.success) throw new Error(`setWebhookFaults: ${describeIssues(parsed.error)}`);
      rt.webhooks.setFaults(webhookFaults(parsed.data));
    },
    configure: (config) => {
      const parsed = configSchema.safeParse(config);
      if (!parsed.success) throw new Error(`configure: ${describeIssues(parsed.error)}`);
      rt.applyConfig(parsed.data);
    },
    webhookKeys: rt.webhookSigner.publicKeys,
    webhookStats: () => rt.webhooks.stats(),
    sentWebhooks: () => rt.webhooks.deliveries(),
    flushWebhooks: () => rt.webhooks.idle(),
    simulate: (action) => runSimulation(rt, action),
    revokeAccessTokens: (target) => {
      const parsed = revokeRequestSchema.safeParse(target);
      if (!parsed.success) throw new Error('revokeAccessTokens: name one of accessToken, locationId, companyId');
      return revokeAccessTokens(rt, parsed.data);
    },
    close: () => {
      closing ??= new Promise<void>((resolve, reject) => {
        rt.cancelTimers();
        rt.webhooks.close();
        server.close((err) => (err ? reject(err) : resolve()));
        // Hanging (fault) and idle keep-alive sockets would otherwise hold close() open.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
