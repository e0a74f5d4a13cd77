// One benchmark stack: the embedded GHL sandbox with GHL's real burst limit and a fixed latency,
// and the gateway in front of it on a loopback port, started by the same startGateway as
// `npm start` (webhooks off: the workloads are reads and writes). Only the budget mode differs
// between the stacks the benchmark compares, so every difference in the figures comes from
// src/budget/.
import { loadCredentialsConfig } from '../../src/credentials/config.js';
import { loadConfig, type Config } from '../../src/server/config.js';
import { startGateway } from '../../src/server/start-gateway.js';
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

export async function startBenchStack(
  mode: BudgetMode,
  shape: StackShape = BENCH_SHAPE,
  env: Record<string, string> = {},
): Promise<BenchStack> {
  const sandbox = await startSandbox({ latencyMs: shape.latencyMs, rateLimit: shape.rateLimit });
  // Everything else at its default, as `npm start` would run it: the governor is told GHL's
  // real limit (RATE_LIMIT_MAX 100 / RATE_LIMIT_INTERVAL_MS 10 s), the cache keeps reads 30 s.
  const config = loadConfig({ UPSTREAM_BUDGET: mode, LOG_LEVEL: 'warn', PORT: '0', ...env });
  const problems: string[] = [];
  // Not printed: a JSON line per operation would drown the table and cost the gateway time that
  // a real deployment spends too, but on a log shipper, not on this event loop.
  const logger = createLogger(config.LOG_LEVEL, (line) => problems.push(line.trimEnd()));
  const gateway = await startGateway({
    config,
    credentials: loadCredentialsConfig({}),
    logger,
    sandbox,
    webhooks: false,
  });
  const { server } = gateway;
  const first = sandbox.tokens[0];
  if (!first) throw new Error('the sandbox should seed a location');

  let closing: Promise<void> | undefined;
  const stack: BenchStack = {
    mode,
    sandbox,
    config,
    url: `${gateway.baseUrl}/graphql`,
    locationId: first.locationId,
    readOnly: first.readOnly,
    readWrite: first.readWrite,
    problems,
    close() {
      closing ??= (async () => {
        open.delete(stack);
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await gateway.close();
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
