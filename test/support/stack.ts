// Starts the embedded sandbox and the gateway on real sockets, as `npm start` does, for tests that
// exercise the whole path: HTTP client → Yoga → loaders → undici → sandbox.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, type App, type AppDeps } from '../../src/app.js';
import { budgetFromConfig } from '../../src/budget/from-config.js';
import { loadConfig, type Config } from '../../src/config.js';
import type { GhlSend } from '../../src/ghl/call.js';
import { createTransport, probe, type Transport } from '../../src/ghl/transport.js';
import { createLogger } from '../../src/log.js';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/server.js';

export interface Stack {
  sandbox: Sandbox;
  app: App;
  /** http://127.0.0.1:<port>/graphql */
  url: string;
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
  const deps: AppDeps = {
    budget: budgetFromConfig(options.wrapSend ? options.wrapSend(transport.send) : transport.send, config),
    probeUpstream: () => probe(sandbox.url),
    logger: createLogger('debug', (line) => logs.push(line)),
    ...(options.graphiqlToken && sandbox.tokens[0]
      ? { graphiqlHeaders: { Authorization: `Bearer ${sandbox.tokens[0][options.graphiqlToken]}` } }
      : {}),
  };
  const app = createApp(config, deps);
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  const [first, second] = sandbox.tokens;
  if (!first || !second) throw new Error('the sandbox should seed two locations');

  return {
    sandbox,
    app,
    url,
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
      await transport.close();
      await sandbox.close();
    },
  };
}
