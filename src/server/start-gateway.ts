// Starts the gateway on a socket: transport, upstream budget, managed credentials, webhooks and
// subscriptions, the Yoga app. main.ts calls it with the environment's configuration, the
// end-to-end tests with theirs, so both run the same wiring. It listens before it builds the
// app because the OAuth redirect URI names the real port (PORT=0 picks one).
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, type App, type ManagedDeps } from './app.js';
import type { UpstreamBudget } from '../budget/budget.js';
import { budgetFromConfig } from './budget.js';
import type { Config } from './config.js';
import type { CredentialsConfig } from '../credentials/config.js';
import { wireEvents, type EventWiring } from './events.js';
import type { GhlSend } from '../ghl/call.js';
import { createTransport, probe, type Transport } from '../ghl/transport.js';
import { createLiveEvents, type LiveEvents } from '../storage/pubsub.js';
import type { Logger } from '../log.js';
import { managedFromConfig } from './managed-credentials.js';
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
  graphiqlHeaders?: Record<string, string>;
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
  live: LiveEvents;
  managed: ManagedDeps | undefined;
  events: EventWiring | undefined;
  transport: Transport;
  /** After the server has stopped: closes the webhook inbox, then the upstream connections. */
  close(): Promise<void>;
}

export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const { config, logger, sandbox } = options;
  const upstreamUrl = config.GHL_BASE_URL ?? sandbox?.url;
  if (upstreamUrl === undefined) throw new Error('No upstream: set GHL_BASE_URL or run on the sandbox.');
  const transport = createTransport({
    baseUrl: upstreamUrl,
    connectTimeoutMs: config.GHL_CONNECT_TIMEOUT_MS,
    headersTimeoutMs: config.GHL_HEADERS_TIMEOUT_MS,
    bodyTimeoutMs: config.GHL_BODY_TIMEOUT_MS,
    requestTimeoutMs: config.GHL_REQUEST_TIMEOUT_MS,
  });

  let handle: RequestListener = (_req, res) => res.writeHead(503).end();
  const server = createServer((req, res) => handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.PORT, config.HOST, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://${config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${port}`;

  const managed = managedFromConfig(
    options.credentials,
    upstreamUrl,
    baseUrl,
    logger,
    sandbox && { url: sandbox.url, clientId: sandbox.oauth.clientId, clientSecret: sandbox.oauth.clientSecret },
  );
  const budget = budgetFromConfig(options.wrapSend ? options.wrapSend(transport.send) : transport.send, config);
  const live = createLiveEvents();
  const events =
    options.webhooks === false
      ? undefined
      : await wireEvents({
          config,
          budget,
          live,
          managed,
          logger,
          ...(sandbox
            ? {
                publicKeys: { ed25519: sandbox.webhookKeys.ed25519PublicKeyPem, rsa: sandbox.webhookKeys.rsaPublicKeyPem },
                ephemeral: true,
              }
            : {}),
        });
  // The sandbox sends its signed webhooks here, as GHL would to an app's registered URL.
  if (sandbox && events) {
    const retryDelaysMs = options.sandboxWebhookRetryDelaysMs;
    sandbox.configure({ webhooks: { url: `${baseUrl}/webhooks/ghl`, ...(retryDelaysMs ? { retryDelaysMs } : {}) } });
  }
  const app = createApp(config, {
    budget,
    live,
    probeUpstream: () => probe(upstreamUrl),
    logger,
    ...(managed ? { managed } : {}),
    ...(events ? { events } : {}),
    ...(options.graphiqlHeaders ? { graphiqlHeaders: options.graphiqlHeaders } : {}),
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
