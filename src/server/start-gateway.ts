// Starts the gateway on a socket: transport, upstream budget, managed credentials, webhooks and
// subscriptions, the Yoga app. main.ts calls it with the environment's configuration, the
// end-to-end tests with theirs, so both run the same wiring. It listens before it builds the
// app because the OAuth redirect URI names the real port (PORT=0 picks one).
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, type App } from './app.js';
import type { GraphiqlToken } from '../plugins/graphiql-page.js';
import { ghlClients } from './ghl-clients.js';
import type { ManagedCredentials } from './managed-credentials.js';
import { appIdOfClientId } from '../events/webhook-payload.js';
import { GHL_ED25519_PUBLIC_KEY, type WebhookPublicKeys } from '../events/verify-signature.js';
import type { UpstreamBudget } from '../budget/budget.js';
import { budgetFromConfig } from './budget.js';
import type { Config } from './config.js';
import type { CredentialsConfig } from '../credentials/config.js';
import { wireEvents, type EventWiring } from './events.js';
import type { GhlSend } from '../ghl/call.js';
import { createTransport, probe, type Transport } from '../ghl/transport.js';
import { createLiveChanges, type LiveChanges } from '../storage/pubsub.js';
import type { Logger } from '../log.js';
import { managedFromConfig, openManagedStore } from './managed-credentials.js';
import type { Sandbox } from '../sandbox/server.js';

export interface GatewayOptions {
  config: Config;
  credentials: CredentialsConfig;
  logger: Logger;
  /** The embedded sandbox the gateway runs on (its URL, OAuth client and webhook keys), if any. */
  sandbox?: Sandbox;
  /** Receive webhooks (and, on the sandbox, have it send them here); default on. */
  webhooks?: boolean;
  /** How soon the sandbox redelivers a webhook answered 429 (tests shorten it). */
  sandboxWebhookRetryDelaysMs?: number[];
  /** GraphiQL's starting headers and its token picker: used only on the embedded sandbox. */
  graphiqlHeaders?: Record<string, string>;
  graphiqlTokens?: readonly GraphiqlToken[];
  /** Wraps the transport's send (tests count or fail calls here). */
  wrapSend?: (send: GhlSend) => GhlSend;
}

export interface Gateway {
  server: Server;
  /** e.g. http://127.0.0.1:4000 */
  baseUrl: string;
  upstreamUrl: string;
  app: App;
  budget: UpstreamBudget;
  live: LiveChanges;
  managed: ManagedCredentials | undefined;
  events: EventWiring | undefined;
  transport: Transport;
  /** After the server has stopped: closes the webhook inbox, then the upstream connections. */
  close(): Promise<void>;
}

export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const { config, logger, sandbox } = options;
  const upstreamUrl = config.GHL_BASE_URL ?? sandbox?.url;
  if (upstreamUrl === undefined) throw new Error('No upstream: set GHL_BASE_URL or run on the sandbox.');
  // Before anything listens or connects: a key that does not open the credentials stops here.
  const store = await openManagedStore(options.credentials, logger);
  const transport = createTransport({
    baseUrl: upstreamUrl,
    connectTimeoutMs: config.GHL_CONNECT_TIMEOUT_MS,
    headersTimeoutMs: config.GHL_HEADERS_TIMEOUT_MS,
    bodyTimeoutMs: config.GHL_BODY_TIMEOUT_MS,
    requestTimeoutMs: config.GHL_REQUEST_TIMEOUT_MS,
    maxConnections: config.UPSTREAM_CONCURRENCY,
  });

  let handle: RequestListener = (_req, res) => res.writeHead(503).end();
  const server = createServer((req, res) => handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.PORT, config.HOST, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://${config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${port}`;

  const managed =
    store &&
    managedFromConfig(
      store,
      options.credentials,
      upstreamUrl,
      baseUrl,
      logger,
      sandbox && { url: sandbox.url, clientId: sandbox.oauth.clientId, clientSecret: sandbox.oauth.clientSecret },
    );
  const budget = budgetFromConfig(options.wrapSend ? options.wrapSend(transport.send) : transport.send, config);
  const clients = ghlClients(budget, managed?.tokens);
  const live = createLiveChanges();
  const clientId = options.credentials.oauth?.clientId ?? sandbox?.oauth.clientId;
  const events =
    options.webhooks === false
      ? undefined
      : await wireEvents({
          config,
          budget,
          clients,
          live,
          managed,
          logger,
          publicKeys: webhookKeys(config, sandbox),
          ...(sandbox ? { ephemeral: true } : {}),
          ...(clientId !== undefined ? { appId: appIdOfClientId(clientId) } : {}),
        });
  // The sandbox sends its signed webhooks here, as GHL would to an app's registered URL.
  if (sandbox && events) {
    const retryDelaysMs = options.sandboxWebhookRetryDelaysMs;
    sandbox.configure({ webhooks: { url: `${baseUrl}/webhooks/ghl`, ...(retryDelaysMs ? { retryDelaysMs } : {}) } });
  }
  const app = createApp(config, {
    clients,
    budget,
    live,
    probeUpstream: () => probe(upstreamUrl),
    logger,
    ...(managed ? { managed } : {}),
    ...(events ? { events } : {}),
    // Sandbox tokens are no use on real GHL, and a page must not show them there.
    ...(sandbox && config.GHL_BASE_URL === undefined
      ? { graphiqlHeaders: options.graphiqlHeaders, graphiqlTokens: options.graphiqlTokens }
      : {}),
  });
  handle = app;

  return {
    server,
    baseUrl,
    upstreamUrl,
    app,
    budget,
    live,
    managed,
    events,
    transport,
    async close() {
      await events?.close();
      await transport.close();
    },
  };
}

/**
 * The sandbox signs with its own keys. Real GHL signs with Ed25519 only (since 2026-07-01), with
 * its published key unless configured otherwise; a configured RSA key is a fallback for the
 * legacy header, never the only check.
 */
function webhookKeys(config: Config, sandbox: Sandbox | undefined): WebhookPublicKeys {
  if (sandbox && config.GHL_BASE_URL === undefined) {
    return { ed25519: sandbox.webhookKeys.ed25519PublicKeyPem, rsa: sandbox.webhookKeys.rsaPublicKeyPem };
  }
  return {
    ed25519: config.GHL_WEBHOOK_ED25519_PUBLIC_KEY ?? GHL_ED25519_PUBLIC_KEY,
    ...(config.GHL_WEBHOOK_RSA_PUBLIC_KEY ? { rsa: config.GHL_WEBHOOK_RSA_PUBLIC_KEY } : {}),
  };
}
