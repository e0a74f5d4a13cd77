// Workloads 1–3 of the issue: the leadPops dashboard cold, warm, and opened by five users at once.
// Upstream calls are counted at the sandbox (its stats), never inferred from the gateway.
import { DashboardDocument, type DashboardQuery } from '../../src/client/sdk.js';
import { READ_ONLY_SCOPES, mintSandboxToken } from '../../src/sandbox/tokens.js';
import { isClean, post, type Answer, type Cost } from './client.js';
import { sleep, summarize, tally, type LatencySummary } from './numbers.js';
import { startBenchStack, type BenchStack, type BudgetMode } from './stack.js';

/** The dashboard of the issue: the frontend's own Dashboard operation with a page of 25. */
export const DASHBOARD_PAGE = 25;
const TIMEOUT_MS = 60_000;

export interface DashboardRun {
  /** Every call the sandbox received, 429s included. */
  upstreamCalls: number;
  upstream429: number;
  byRoute: Record<string, number>;
  latencyMs: number;
  status: number;
  contacts: number;
  errors: Record<string, number>;
  cost: Cost | undefined;
}

/** The same figure over the samples: the median is what the table shows. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  samples: number[];
}

export interface DashboardFigures {
  samples: number;
  cold: {
    upstreamCalls: Spread;
    upstream429: Spread;
    latencyMs: Spread;
    errors: number;
    contacts: Spread;
    runs: DashboardRun[];
  };
  warm: {
    upstreamCalls: Spread;
    upstream429: Spread;
    latencyMs: Spread;
    errors: number;
    cacheHits: Spread;
    msAfterCold: Spread;
    runs: DashboardRun[];
  };
  /** 1 search + tasks, notes and appointments per contact: what any gateway must spend cold. */
  minimumCalls: number;
  criticalPath: { ms: number; latencyMs: number; children: number; cap: number; width: number; rounds: number };
  cacheTtlMs: number;
}

function dashboardRun(stack: BenchStack, answer: Answer): DashboardRun {
  const stats = stack.sandbox.stats();
  const data = answer.data as DashboardQuery | null;
  return {
    upstreamCalls: stats.total,
    upstream429: stats.rateLimited,
    byRoute: stats.byRoute,
    latencyMs: answer.ms,
    status: answer.status,
    contacts: data?.contacts?.nodes.length ?? 0,
    errors: tally(answer.codes),
    cost: answer.cost,
  };
}

export function spread(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  const median = sorted.length % 2 === 1 ? sorted[Math.floor(middle)]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]!, samples: values };
}

const errorTotal = (runs: DashboardRun[]) =>
  runs.reduce((sum, run) => sum + Object.values(run.errors).reduce((a, b) => a + b, 0), 0);

/**
 * Workloads 1 and 2, `samples` times for each mode: one latency sample on a machine that others
 * share says little, so each cold/warm pair runs on a stack of its own and the table shows the
 * medians. The modes' pairs are interleaved in time (on, off, off, on, on, off, …) so that load
 * from elsewhere on the machine falls on both alike instead of on whichever mode ran first.
 *
 * A cold run spends 76 of the location's 100 calls per 10 s, so each pair needs its own sandbox
 * (its own rate window); the runs are staggered so that no two requests ever overlap in time.
 * Each warm run waits until its cold run's calls have left the 10-s window: the baseline would
 * otherwise send its 76 calls into a window holding 76 already and get 52 answered 429, and its
 * warm figure would measure a spent budget rather than a missing cache. 10 s is well inside the
 * 30-s cache TTL, so the gateway's warm run is still a warm run.
 */
export async function runDashboards(samples: number, latencyMs: number): Promise<Record<BudgetMode, DashboardFigures>> {
  const slots: Array<{ mode: BudgetMode; stack: BenchStack }> = [];
  try {
    for (let i = 0; i < samples; i += 1) {
      for (const mode of i % 2 === 0 ? (['on', 'off'] as const) : (['off', 'on'] as const)) {
        const stack = await startBenchStack(mode);
        slots.push({ mode, stack });
        await touchGateway(stack);
        stack.sandbox.resetStats();
      }
    }
    const variables = { first: DASHBOARD_PAGE };
    const spacingMs = 1_200;
    const start = performance.now();
    const cold: Array<DashboardRun & { at: number; end: number }> = [];
    for (const [i, { stack }] of slots.entries()) {
      await sleep(start + i * spacingMs - performance.now());
      const at = performance.now();
      const run = dashboardRun(stack, await post(stack.url, DashboardDocument, variables, stack.readOnly, TIMEOUT_MS));
      cold.push({ ...run, at, end: performance.now() });
    }
    const warm: Array<DashboardRun & { msAfterCold: number }> = [];
    for (const [i, { stack }] of slots.entries()) {
      const before = cold[i]!;
      await sleep(before.end + stack.config.RATE_LIMIT_INTERVAL_MS + 250 - performance.now());
      stack.sandbox.resetStats();
      const at = performance.now();
      const run = dashboardRun(stack, await post(stack.url, DashboardDocument, variables, stack.readOnly, TIMEOUT_MS));
      warm.push({ ...run, msAfterCold: at - before.at });
    }

    const figures = (mode: BudgetMode): DashboardFigures => {
      const mine = slots.flatMap((slot, i) => (slot.mode === mode ? [i] : []));
      const colds = mine.map((i) => cold[i]!);
      const warms = mine.map((i) => warm[i]!);
      const config = slots[mine[0]!]!.stack.config;
      // From the answers, not assumed: a page that came back short would need fewer calls.
      const contacts = Math.max(0, ...colds.map((r) => r.contacts));
      const children = 3 * contacts;
      // A request's children fan out as wide as its location's budget allows after the search
      // (each stack's governor starts with an empty window), never wider than the cap; without a
      // governor (budget off) the cap alone decides.
      const cap = config.UPSTREAM_CONCURRENCY;
      const width = mode === 'off' ? cap : Math.max(1, Math.min(cap, config.RATE_LIMIT_MAX - 1));
      const rounds = Math.ceil(children / width);
      return {
        samples: mine.length,
        cold: {
          upstreamCalls: spread(colds.map((r) => r.upstreamCalls)),
          upstream429: spread(colds.map((r) => r.upstream429)),
          latencyMs: spread(colds.map((r) => r.latencyMs)),
          errors: errorTotal(colds),
          contacts: spread(colds.map((r) => r.contacts)),
          runs: colds.map(({ at: _at, end: _end, ...run }) => run),
        },
        warm: {
          upstreamCalls: spread(warms.map((r) => r.upstreamCalls)),
          upstream429: spread(warms.map((r) => r.upstream429)),
          latencyMs: spread(warms.map((r) => r.latencyMs)),
          errors: errorTotal(warms),
          cacheHits: spread(warms.map((r) => r.cost?.cacheHits ?? 0)),
          msAfterCold: spread(warms.map((r) => r.msAfterCold)),
          runs: warms,
        },
        minimumCalls: 1 + children,
        // The search must answer before any child can start; the children then run `width` at a
        // time (loaders/limit.ts), each taking the sandbox's latency.
        criticalPath: { ms: latencyMs * (1 + rounds), latencyMs, children, cap, width, rounds },
        cacheTtlMs: config.CACHE_TTL_MS,
      };
    };
    return { on: figures('on'), off: figures('off') };
  } finally {
    await Promise.all(slots.map(({ stack }) => stack.close()));
  }
}

/**
 * Readies a fresh gateway without spending any upstream call, so neither the figures nor the
 * rate window see it: both schema variants answer once, and the Dashboard document is parsed,
 * validated and priced once (an invalid cursor stops it before GHL). "Cold" in the issue means
 * a cold cache, not a gateway that has never seen the query: in production many users send the
 * same document, and its first run in a new Yoga instance costs a few tens of ms more here.
 */
export async function touchGateway(stack: BenchStack): Promise<void> {
  for (const token of [stack.readOnly, stack.readWrite]) {
    const answer = await post(stack.url, '{ viewer { locationId canWrite } }', {}, token, TIMEOUT_MS);
    if (!isClean(answer)) throw new Error(`gateway warm-up failed: HTTP ${answer.status} ${answer.codes.join(',')}`);
  }
  const primed = await post(
    stack.url,
    DashboardDocument,
    { first: DASHBOARD_PAGE, after: 'not-a-cursor' },
    stack.readOnly,
    TIMEOUT_MS,
  );
  if (primed.codes.join() !== 'BAD_USER_INPUT')
    throw new Error(`priming the Dashboard document failed: ${primed.codes.join(',')}`);
  if (stack.sandbox.stats().total !== 0) throw new Error('readying the gateway should not call GHL');
}

/**
 * "Five users" has two honest readings, and the design answers them differently:
 *  - 'one-token': five requests with the same token (one person with five tabs open, or one
 *    backend service fanning out). The shared cache and the coalescer key reads by tenant, the
 *    sha256 of the token, so the five requests share every call: target one user's worth.
 *  - 'five-tokens': five different tokens of the same location (five staff members). In
 *    pass-through mode the gateway cannot verify a token's signature (only GHL can), so it never
 *    lets a read made with one token answer another: a forged token claiming the location would
 *    otherwise read the location's data from the cache. Nothing is deduplicated across them by
 *    design; what the budget still does is keep the location's shared rate limit (100 / 10 s)
 *    from answering 429, by queueing or refusing calls instead.
 */
export type CrowdKind = 'one-token' | 'five-tokens';

export interface CrowdFigures {
  kind: CrowdKind;
  users: number;
  distinctTokens: number;
  upstreamCalls: number;
  upstream429: number;
  byRoute: Record<string, number>;
  /** From the first request sent to the last answer. */
  wallMs: number;
  latency: LatencySummary;
  cleanRequests: number;
  errors: Record<string, number>;
  rateLimited: { governor: number; upstream429: number };
  /** What the gateway reported: calls shared through coalescing, cache hits, time waited for budget. */
  coalesced: number;
  cacheHits: number;
  retries: number;
  maxWaitedForBudgetMs: number;
  contactsPerRequest: number[];
}

export const CROWD_SIZE = 5;

export async function runCrowd(stack: BenchStack, kind: CrowdKind): Promise<CrowdFigures> {
  await touchGateway(stack);
  const tokens =
    kind === 'one-token'
      ? Array.from({ length: CROWD_SIZE }, () => stack.readOnly)
      : Array.from({ length: CROWD_SIZE }, (_, i) =>
          // A distinct expiry makes each token distinct even when minted in the same second.
          mintSandboxToken({ locationId: stack.locationId, scopes: READ_ONLY_SCOPES, expiresInSeconds: 3_600 + i }),
        );
  stack.sandbox.resetStats();
  const started = performance.now();
  const answers = await Promise.all(
    tokens.map((token) => post(stack.url, DashboardDocument, { first: DASHBOARD_PAGE }, token, TIMEOUT_MS)),
  );
  const wallMs = performance.now() - started;
  const stats = stack.sandbox.stats();
  return {
    kind,
    users: CROWD_SIZE,
    distinctTokens: new Set(tokens).size,
    upstreamCalls: stats.total,
    upstream429: stats.rateLimited,
    byRoute: stats.byRoute,
    wallMs,
    latency: summarize(answers.map((a) => a.ms)),
    cleanRequests: answers.filter(isClean).length,
    errors: tally(answers.flatMap((a) => a.codes)),
    rateLimited: {
      governor: answers.reduce((sum, a) => sum + a.rateLimited.governor, 0),
      upstream429: answers.reduce((sum, a) => sum + a.rateLimited.upstream429, 0),
    },
    coalesced: answers.reduce((sum, a) => sum + (a.cost?.coalesced ?? 0), 0),
    cacheHits: answers.reduce((sum, a) => sum + (a.cost?.cacheHits ?? 0), 0),
    retries: answers.reduce((sum, a) => sum + (a.cost?.retries ?? 0), 0),
    maxWaitedForBudgetMs: Math.max(0, ...answers.map((a) => a.cost?.waitedForBudgetMs ?? 0)),
    contactsPerRequest: answers.map((a) => (a.data as DashboardQuery | null)?.contacts?.nodes.length ?? 0),
  };
}
