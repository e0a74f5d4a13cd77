// Starts the embedded sandbox and the gateway on real sockets, as `npm start` does, for tests that
// exercise the whole path: HTTP client → Yoga → loaders → undici → sandbox.
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { App } from '../../src/server/app.js';
import type { ManagedCredentials } from '../../src/server/managed-credentials.js';
import { loadConfig, type Config } from '../../src/server/config.js';
import { loadCredentialsConfig } from '../../src/credentials/config.js';
import type { EventWiring } from '../../src/server/events.js';
import { startGateway } from '../../src/server/start-gateway.js';
import type { GhlSend } from '../../src/ghl/call.js';
import type { Transport } from '../../src/ghl/transport.js';
import type { LiveChanges } from '../../src/storage/pubsub.js';
import { createLogger } from '../../src/log.js';
import { sandboxGraphiqlTokens } from '../../src/plugins/sandbox-graphiql-tokens.js';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/server.js';

export interface Stack {
  sandbox: Sandbox;
  app: App;
  /** http://127.0.0.1:<port>/graphql */
  url: string;
  /** http://127.0.0.1:<port> */
  base: string;
  managed: ManagedCredentials | undefined;
  credentialsFile: string | undefined;
  /** Publish here to reach subscriptions, as the webhook pipeline does. */
  live: LiveChanges;
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
  ): Promise<{
    status: number;
    body: { data?: T | null; errors?: GraphQLErrorShape[]; extensions?: Record<string, unknown> };
  }>;
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
  /** GraphiQL's token picker with the sandbox's tokens, as `npm start` has it. */
  graphiqlTokens?: boolean;
  /** Wraps the transport's send, e.g. to count or fail calls before the budget sees them. */
  wrapSend?: (send: GhlSend) => GhlSend;
  /** Managed credentials on a fresh store in a temp dir, with the sandbox's OAuth client. */
  managed?: boolean;
  /** The webhook receiver (state in a temp dir), fed by the sandbox's signed webhooks. */
  events?: boolean;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const sandbox = await startSandbox({ rateLimit: 0, ...options.sandbox });
  const config: Config = loadConfig({ LOG_LEVEL: 'debug', GHL_HEADERS_TIMEOUT_MS: '3000', PORT: '0', ...options.env });
  let credentialsFile: string | undefined;
  if (options.managed) {
    credentialsFile = path.join(await mkdtemp(path.join(tmpdir(), 'gateway-credentials-')), 'credentials.json');
  }
  const credentials = loadCredentialsConfig({
    ...(credentialsFile
      ? { CREDENTIALS_FILE: credentialsFile, CREDENTIALS_KEY: randomBytes(32).toString('base64') }
      : {}),
    ...options.env,
  });
  const logs: string[] = [];
  const gateway = await startGateway({
    config,
    credentials,
    logger: createLogger('debug', (line) => logs.push(line)),
    sandbox,
    webhooks: options.events === true,
    sandboxWebhookRetryDelaysMs: [50, 100, 200],
    ...(options.graphiqlToken && sandbox.tokens[0]
      ? { graphiqlHeaders: { Authorization: `Bearer ${sandbox.tokens[0][options.graphiqlToken]}` } }
      : {}),
    ...(options.graphiqlTokens ? { graphiqlTokens: sandboxGraphiqlTokens(sandbox.tokens) } : {}),
    ...(options.wrapSend ? { wrapSend: options.wrapSend } : {}),
  });
  const { server, app, managed, live, events, transport } = gateway;
  const base = gateway.baseUrl;
  const url = `${base}/graphql`;
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
      await gateway.close();
    },
  };
}
