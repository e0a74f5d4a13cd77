// Starts the embedded sandbox and the gateway on real sockets, as `npm start` does, for tests that
// exercise the whole path: HTTP client → Yoga → loaders → undici → sandbox.
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { createServer, type RequestListener, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createApp, type App, type AppDeps, type ManagedDeps } from '../../src/app.js';
import { budgetFromConfig } from '../../src/budget/from-config.js';
import { loadConfig, type Config } from '../../src/config.js';
import { loadCredentialsConfig } from '../../src/credentials/config.js';
import type { GhlSend } from '../../src/ghl/call.js';
import { createTransport, probe, type Transport } from '../../src/ghl/transport.js';
import { createLiveEvents, type LiveEvents } from '../../src/live-events.js';
import { createLogger } from '../../src/log.js';
import { managedFromConfig } from '../../src/managed.js';
import { wireEvents, type EventWiring } from '../../src/event-wiring.js';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/server.js';

export interface Stack {
  sandbox: Sandbox;
  app: App;
  /** http://127.0.0.1:<port>/graphql */
  url: string;
  /** http://127.0.0.1:<port> */
  base: string;
  managed: ManagedDeps | undefined;
  credentialsFile: string | undefined;
  /** Publish here to reach subscriptions, as the webhook pipeline does. */
  live: LiveEvents;
  events: EventWiring | undefined;
  transport: Transport;
  logs: string[];
  readOnly: string;
  readWrite: string;
  locationId: string;
  other: { readOnly: string; readWrite: string; locationId: string };
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string | null,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: { data?: T | null; errors?: GraphQLErrorShape[]; extensions?: Record<string, unknown> } }>;
  close(): Promise<void>;
}

export interface GraphQLErrorShape {
  message: string;
  path?: Array<string | number>;
  extensions?: Record<string, unknown>;
}

export interface StackOptions {
  sandbox?: SandboxOptions;
  env?: Record<string, string>;
  /** Pre-fill GraphiQL's headers with a token of the first location (`npm start` uses readOnly). */
  graphiqlToken?: 'readOnly' | 'readWrite';
  /** Wraps the transport's send, e.g. to count or fail calls before the budget sees them. */
  wrapSend?: (send: GhlSend) => GhlSend;
  /** Managed credentials on a fresh store in a temp dir, with the sandbox's OAuth client. */
  managed?: boolean;
  /** The webhook receiver (state in a temp dir), fed by the sandbox's signed webhooks. */
  events?: boolean;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const sandbox = await startSandbox({ rateLimit: 0, ...options.sandbox });
  const config: Config = loadConfig({ LOG_LEVEL: 'debug', GHL_HEADERS_TIMEOUT_MS: '3000', ...options.env });
  const transport = createTransport({
    baseUrl: sandbox.url,
    connectTimeoutMs: config.GHL_CONNECT_TIMEOUT_MS,
    headersTimeoutMs: config.GHL_HEADERS_TIMEOUT_MS,
    bodyTimeoutMs: config.GHL_BODY_TIMEOUT_MS,
    requestTimeoutMs: config.GHL_REQUEST_TIMEOUT_MS,
  });
  const logs: string[] = [];
  const logger = createLogger('debug', (line) => logs.push(line));
  // Listen first: the OAuth redirect URI names the port.
  let handle: RequestListener = (_req, res) => res.writeHead(503).end();
  const server: Server = createServer((req, res) => handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const url = `${base}/graphql`;

  let credentialsFile: string | undefined;
  let managed: ManagedDeps | undefined;
  if (options.managed) {
    credentialsFile = path.join(await mkdtemp(path.join(tmpdir(), 'gateway-credentials-')), 'credentials.json');
    const credentials = loadCredentialsConfig({
      CREDENTIALS_FILE: credentialsFile,
      CREDENTIALS_KEY: randomBytes(32).toString('base64'),
      ...options.env,
    });
    managed = managedFromConfig(credentials, sandbox.url, base, logger, {
      url: sandbox.url,
      clientId: sandbox.oauth.clientId,
      clientSecret: sandbox.oauth.clientSecret,
    });
  }
  const live = createLiveEvents();
  const budget = budgetFromConfig(options.wrapSend ? options.wrapSend(transport.send) : transport.send, config);
  let events: EventWiring | undefined;
  if (options.events) {
    events = await wireEvents({
      config,
      budget,
      live,
      managed,
      logger,
      publicKeys: { ed25519: sandbox.webhookKeys.ed25519PublicKeyPem, rsa: sandbox.webhookKeys.rsaPublicKeyPem },
      ephemeral: true,
    });
    sandbox.configure({ webhooks: { url: `${base}/webhooks/ghl`, retryDelaysMs: [50, 100, 200] } });
  }
  const deps: AppDeps = {
    live,
    ...(events ? { events } : {}),
    budget,
    probeUpstream: () => probe(sandbox.url),
    logger,
    ...(managed ? { managed } : {}),
    ...(options.graphiqlToken && sandbox.tokens[0]
      ? { graphiqlHeaders: { Authorization: `Bearer ${sandbox.tokens[0][options.graphiqlToken]}` } }
      : {}),
  };
  const app = createApp(config, deps);
  handle = app;
  const [first, second] = sandbox.tokens;
  if (!first || !second) throw new Error('the sandbox should seed two locations');

  return {
    sandbox,
    app,
    url,
    base,
    managed,
    credentialsFile,
    live,
    events,
    transport,
    logs,
    readOnly: first.readOnly,
    readWrite: first.readWrite,
    locationId: first.locationId,
    other: { readOnly: second.readOnly, readWrite: second.readWrite, locationId: second.locationId },
    async gql(query, variables, token = first.readOnly, headers = {}) {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json, application/json',
          ...(token === null ? {} : { authorization: `Bearer ${token}` }),
          ...headers,
        },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, body: (await response.json()) as never };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await sandbox.close();
      await events?.close();
      await transport.close();
    },
  };
}
