// The process entry point: the only file that reads process.env and listens. With no
// GHL_BASE_URL it starts the embedded sandbox first and points the gateway at it.
import { ConfigError, loadConfig } from './config.js';
import type { ManagedCredentials } from './managed-credentials.js';
import { CredentialsKeyError } from '../credentials/errors.js';
import { LocalKeyError } from '../credentials/local-key.js';
import { cliCommand } from '../credentials/open-store.js';
import { startGateway } from './start-gateway.js';
import { loadCredentialsConfig } from '../credentials/config.js';
import { createLogger, errorMessage } from '../log.js';
import { sandboxGraphiqlTokens } from '../plugins/sandbox-graphiql-tokens.js';
import { sandboxFixtures } from '../sandbox/fixtures.js';
import { startSandbox, type Sandbox } from '../sandbox/server.js';

async function main(): Promise<void> {
  // Both parts are checked before either complaint is shown, so one run names every bad value.
  const problems: string[] = [];
  const load = <T>(read: () => T): T | undefined => {
    try {
      return read();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
      return undefined;
    }
  };
  const config = load(() => loadConfig(process.env));
  const credentials = load(() => loadCredentialsConfig(process.env));
  if (config === undefined || credentials === undefined) {
    process.stderr.write(`${new ConfigError(problems).message}\n`);
    process.exit(1);
  }
  const logger = createLogger(config.LOG_LEVEL);

  let sandbox: Sandbox | undefined;
  if (config.GHL_BASE_URL === undefined) {
    sandbox = await listening('embedded GHL sandbox', 'SANDBOX_PORT', config.SANDBOX_PORT, () =>
      startSandbox({
        port: config.SANDBOX_PORT,
        rateLimit: config.SANDBOX_RATE_LIMIT === 0 ? 0 : { max: config.SANDBOX_RATE_LIMIT, intervalMs: 10_000 },
        latencyMs: config.SANDBOX_LATENCY_MS,
      }),
    );
  }
  const firstLocation = sandbox?.tokens[0];
  const gateway = await listening('gateway', 'PORT', config.PORT, () =>
    startGateway({
      config,
      credentials,
      logger,
      ...(sandbox ? { sandbox, graphiqlTokens: sandboxGraphiqlTokens(sandbox.tokens) } : {}),
      ...(firstLocation ? { graphiqlHeaders: { Authorization: `Bearer ${firstLocation.readOnly}` } } : {}),
    }),
  ).catch(async (error: unknown) => {
    await sandbox?.close();
    throw error;
  });
  const { server, baseUrl: gatewayBase, managed, events } = gateway;
  printBanner(`${gatewayBase}/graphql`, gateway.upstreamUrl, sandbox, managed, gatewayBase, events !== undefined);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down: finishing in-flight requests', { signal });
    // close() stops accepting and resolves once in-flight requests have answered.
    server.close(async () => {
      // Webhooks already acknowledged are on disk; the inbox closes after the server stopped.
      await gateway.close();
      await sandbox?.close();
      logger.info('stopped');
      process.exit(0);
    });
    server.closeIdleConnections();
    // Open subscriptions (server-sent events) never finish by themselves: after a grace period
    // for ordinary requests, cut what is left; and never hang on shutdown.
    setTimeout(() => server.closeAllConnections(), 10_000).unref();
    setTimeout(() => process.exit(1), 25_000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

/** A start-up failure whose message already says what to change. */
class StartError extends Error {}

/** Runs `start`; a port that is taken or not allowed becomes a message naming the setting to change. */
async function listening<T>(what: string, setting: string, port: number, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'EADDRINUSE') {
      throw new StartError(
        `Port ${port} is already in use, so the ${what} cannot listen: stop what holds it (another npm start?) or set ${setting} to a free port (${setting}=0 picks one).`,
      );
    }
    if (code === 'EACCES') {
      throw new StartError(
        `The ${what} may not listen on port ${port} (ports below 1024 need privileges): set ${setting} to a port above 1023.`,
      );
    }
    throw error;
  }
}

function printBanner(
  gatewayUrl: string,
  upstream: string,
  sandbox: Sandbox | undefined,
  managed: ManagedCredentials | undefined,
  gatewayBase: string,
  webhooks: boolean,
): void {
  const lines = [``, `GHL gateway ready`, `  GraphQL and GraphiQL: ${gatewayUrl}`];
  if (webhooks)
    lines.push(`  GHL webhooks: ${gatewayBase}/webhooks/ghl (subscriptions over server-sent events at /graphql)`);
  if (managed) {
    const { localKey } = managed;
    if (localKey) {
      lines.push(
        `  Managed credentials: on, sealed with the local key in ${localKey.file}${localKey.created ? ' (created now)' : ''}`,
        `  !! FOR LOCAL USE ONLY: that key lies beside the data it seals. In production, set CREDENTIALS_KEY !!`,
        `  !! to a key kept in your secret manager (openssl rand -base64 32).                                !!`,
      );
    } else {
      lines.push(`  Managed credentials: on`);
    }
    lines.push(`  API keys: ${cliCommand(managed.cli, 'keys create --location <id> --scopes "contacts.readonly"')}`);
    if (managed.oauth) lines.push(`  Install the GHL app for a location: ${gatewayBase}/oauth/install`);
  }
  if (sandbox) {
    lines.push(`  Upstream: embedded GHL sandbox at ${sandbox.url} (seeded data, no GHL account needed)`, ``);
    lines.push(`Send one of these as "Authorization: Bearer <token>":`);
    for (const location of sandbox.tokens) {
      lines.push(`  ${location.name} (locationId ${location.locationId})`);
      lines.push(`    read-only : ${location.readOnly}`);
      lines.push(`    read-write: ${location.readWrite}`);
      lines.push(
        `    private integration token (read-only; add "X-GHL-Location-Id: ${location.locationId}"): ${location.privateIntegration}`,
      );
    }
    lines.push(
      ``,
      `GraphiQL opens with the first read-only token in its Headers tab; its token bar switches to`,
      `any of these in one click. The tokens are also at ${sandbox.url}/__sandbox/tokens.`,
      ``,
      `Try it:  curl -s ${gatewayUrl} -H 'content-type: application/json' \\`,
      `           -H 'authorization: Bearer <read-only token>' -d '{"query":"{ viewer { locationId canWrite } }"}'`,
      `GHL's own REST API, from the sandbox:`,
      `         curl -s ${sandbox.url}/contacts/${sandboxFixtures.sunrise.richContactId} -H 'Version: 2021-07-28' \\`,
      `           -H 'authorization: Bearer <read-only token>'`,
    );
  } else {
    lines.push(`  Upstream: ${upstream}`);
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);
}

/** Errors written for the operator, whole: each says what is wrong and how to recover. */
function startMessage(error: unknown): string {
  if (error instanceof StartError) return error.message;
  if (error instanceof CredentialsKeyError || error instanceof LocalKeyError) {
    return `The gateway failed to start: ${error.message}`;
  }
  return `The gateway failed to start: ${errorMessage(error)}`;
}

main().catch((error: unknown) => {
  process.stderr.write(`${startMessage(error)}\n`);
  process.exit(1);
});
