// The process entry point: the only file that reads process.env and listens. With no
// GHL_BASE_URL it starts the embedded sandbox first and points the gateway at it.
import { createServer } from 'node:http';
import { createApp } from './app.js';
import { budgetFromConfig } from './budget/from-config.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createTransport, probe } from './ghl/transport.js';
import { createLogger } from './log.js';
import { startSandbox, type Sandbox } from './sandbox/server.js';

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.LOG_LEVEL);

  let sandbox: Sandbox | undefined;
  if (config.GHL_BASE_URL === undefined) {
    sandbox = await startSandbox({
      port: config.SANDBOX_PORT,
      rateLimit: config.SANDBOX_RATE_LIMIT === 0 ? 0 : { max: config.SANDBOX_RATE_LIMIT, intervalMs: 10_000 },
      latencyMs: config.SANDBOX_LATENCY_MS,
    });
  }
  const baseUrl = config.GHL_BASE_URL ?? sandbox!.url;
  const transport = createTransport({
    baseUrl,
    connectTimeoutMs: config.GHL_CONNECT_TIMEOUT_MS,
    headersTimeoutMs: config.GHL_HEADERS_TIMEOUT_MS,
    bodyTimeoutMs: config.GHL_BODY_TIMEOUT_MS,
    requestTimeoutMs: config.GHL_REQUEST_TIMEOUT_MS,
  });
  const firstLocation = sandbox?.tokens[0];
  const app = createApp(config, {
    budget: budgetFromConfig(transport.send, config),
    probeUpstream: () => probe(baseUrl),
    logger,
    ...(firstLocation ? { graphiqlHeaders: { Authorization: `Bearer ${firstLocation.readOnly}` } } : {}),
  });

  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.PORT, config.HOST, resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.PORT;
  const gatewayUrl = `http://${config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${port}/graphql`;
  printBanner(gatewayUrl, baseUrl, sandbox);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down: finishing in-flight requests', { signal });
    // close() stops accepting and resolves once in-flight requests have answered.
    server.close(async () => {
      await transport.close();
      await sandbox?.close();
      logger.info('stopped');
      process.exit(0);
    });
    server.closeIdleConnections();
    // A request that never finishes must not keep the process alive forever.
    setTimeout(() => process.exit(1), 25_000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

function printBanner(gatewayUrl: string, upstream: string, sandbox: Sandbox | undefined): void {
  const lines = [``, `GHL gateway ready`, `  GraphQL and GraphiQL: ${gatewayUrl}`];
  if (sandbox) {
    lines.push(`  Upstream: embedded GHL sandbox at ${sandbox.url} (seeded data, no GHL account needed)`, ``);
    lines.push(`Send one of these as "Authorization: Bearer <token>":`);
    for (const location of sandbox.tokens) {
      lines.push(`  ${location.name} (locationId ${location.locationId})`);
      lines.push(`    read-only : ${location.readOnly}`);
      lines.push(`    read-write: ${location.readWrite}`);
      lines.push(`    private integration token (read-only; add "X-GHL-Location-Id: ${location.locationId}"): ${location.privateIntegration}`);
    }
    lines.push(
      ``,
      `GraphiQL opens with the first read-only token already in its Headers tab; paste a read-write`,
      `token there to see the mutations. The tokens are also at ${sandbox.url}/__sandbox/tokens.`,
      ``,
      `Try it:  curl -s ${gatewayUrl} -H 'content-type: application/json' \\`,
      `           -H 'authorization: Bearer <read-only token>' -d '{"query":"{ viewer { locationId canWrite } }"}'`,
    );
  } else {
    lines.push(`  Upstream: ${upstream}`);
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`gateway failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
