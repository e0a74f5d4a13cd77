// One benchmark stack: the embedded GHL sandbox with GHL's real burst limit and a fixed latency,
// and the gateway in front of it on a loopback port, assembled as test/support/stack.ts and
// src/main.ts assemble them. Only the budget mode differs between the stacks the benchmark
// compares, so every difference in the figures comes from src/budget/.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../src/server/app.js';
import { budgetFromConfig } from '../../src/server/budget.js';
import { loadConfig, type Config } from '../../src/server/config.js';
import { createTransport, probe } from '../../src/ghl/transport.js';
import { createLogger } from '../../src/log.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/server.js';

/** 'on' = cache, coalescing, governor and retries; 'off' = the pass-through baseline. */
export type BudgetMode = 'on' | 'off';

/** GHL's burst limit per location: 100 requests per 10 s. */
export const GHL_RATE_LIMIT = { max: 100, intervalMs: 10_000 } as const;

export interface StackShape {
  /** Added by the sandbox to every API call, 429s included. */
  latencyMs: number;
  /** The sandbox's limiter; 0 turns it off (only for the JIT warm-up). */
  rateLimit: { max: number; intervalMs: number } | 0;
}

export const BENCH_SHAPE: StackShape = { latencyMs: 20, rateLimit: GHL_RATE_LIMIT };

export interface BenchStack {
  mode: BudgetMode;
  sandbox: Sandbox;
  config: Config;
  /** http://127.0.0.1:<port>/graphql */
  url: string;
  locationId: string;
  readOnly: string;
  readWrite: string;
  /** Warn and error lines the gateway logged: an unexpected resolver error shows up here. */
  problems: string[];
  close(): Promise<void>;
}

/** Every stack still open, so an interrupted run can close them all. */
const open = new Set<BenchStack>();

export async function startBenchStack(mode: BudgetMode, shape: StackShape = BENCH_SHAPE, env: Record<string, string> = {}): Promise<BenchStack> {
  const sandbox = await startSandbox({ latencyMs: shape.latencyMs, rateLimit: shape.rateLimit });
  // Everything else at its default, as `npm start` would run it: the governor is told GHL's
  // real limit (RATE_LIMIT_MAX 100 / RATE_LIMIT_INTERVAL_MS 10 s), the cache keeps reads 30 s.
  const config = loadConfig({ UPSTREAM_BUDGET: mode, LOG_LEVEL: 'warn', ...env });
  const transport = createTransport({
    baseUrl: sandbox.url,
    connectTimeoutMs: config.GHL_CONNECT_TIMEOUT_MS,
    headersTimeoutMs: config.GHL_HEADERS_TIMEOUT_MS,
    bodyTimeoutMs: config.GHL_BODY_TIMEOUT_MS,
    requestTimeoutMs: config.GHL_REQUEST_TIMEOUT_MS,
  });
  const problems: string[] = [];
  // Not printed: a JSON line per operation would drown the table and cost the gateway time that
  // a real deployment spends too, but on a log shipper, not on this event loop.
  const logger = createLogger(config.LOG_LEVEL, (line) => problems.push(line.trimEnd()));
  const app = createApp(config, { budget: budgetFromConfig(transport.send, config), probeUpstream: () => probe(sandbox.url), logger });
  const server: Server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const first = sandbox.tokens[0];
  if (!first) throw new Error('the sandbox should seed a location');

  let closing: Promise<void> | undefined;
  const stack: BenchStack = {
    mode,
    sandbox,
    config,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    locationId: first.locationId,
    readOnly: first.readOnly,
    readWrite: first.readWrite,
    problems,
    close() {
      closing ??= (async () => {
        open.delete(stack);
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await transport.close();
        await sandbox.close();
      })();
      return closing;
    },
  };
  open.add(stack);
  return stack;
}

/** Starts a stack, runs `work` on it, and closes it whatever happens. */
export async function withStack<T>(
  mode: BudgetMode,
  work: (stack: BenchStack) => Promise<T>,
  shape: StackShape = BENCH_SHAPE,
  env: Record<string, string> = {},
): Promise<T> {
  const stack = await startBenchStack(mode, shape, env);
  try {
    return await work(stack);
  } finally {
    await stack.close();
  }
}

export async function closeAllStacks(): Promise<void> {
  await Promise.allSettled([...open].map((stack) => stack.close()));
}
