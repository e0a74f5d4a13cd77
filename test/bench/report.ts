// The side-by-side table (budget on, budget off, their ratio, the issue's target) and the JSON file.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DASHBOARD_PAGE, type CrowdFigures, type DashboardFigures, type Spread } from './dashboard.js';
import { round } from './numbers.js';
import type { SoakFigures } from './soak.js';
import type { BudgetMode, StackShape } from './stack.js';

export interface ModeResults {
  mode: BudgetMode;
  dashboards: DashboardFigures;
  crowd: { oneToken: CrowdFigures; fiveTokens: CrowdFigures };
  soak: SoakFigures;
}

export type Row =
  { section: string } | { label: string; on: string; off: string; ratio: string; target: string; met?: boolean };

/** off ÷ on: how many times the baseline's figure is the gateway's. */
export function ratio(on: number, off: number): string {
  if (!Number.isFinite(on) || !Number.isFinite(off)) return '—';
  if (on === 0) return off === 0 ? '—' : '∞';
  const value = off / on;
  return `${value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2)}×`;
}

const ms = (value: number) => (Number.isFinite(value) ? String(Math.round(value)) : '—');
const num = (value: number) => String(value);
const rate = (value: number) => value.toFixed(2);

/** `ratio: false` for counts whose quotient means nothing (cache hits of a mode without a cache). */
function row(
  label: string,
  on: number,
  off: number,
  format: (v: number) => string,
  target = '',
  met?: boolean,
  override: { ratio?: false; on?: string; off?: string } = {},
): Row {
  return {
    label,
    on: override.on ?? format(on),
    off: override.off ?? format(off),
    ratio: override.ratio === false || override.on !== undefined ? '' : ratio(on, off),
    target,
    ...(met === undefined ? {} : { met }),
  };
}

const range = (s: Spread) => `${Math.round(s.min)}–${Math.round(s.max)}`;
/** Flags a count that differed between runs, which the median would hide. */
const same = (on: Spread, off: Spread) =>
  on.min === on.max && off.min === off.max ? '' : `; VARIED: on ${on.min}–${on.max}, off ${off.min}–${off.max}`;

export function buildRows(on: ModeResults, off: ModeResults, shape: StackShape, shortened: boolean): Row[] {
  const d = on.dashboards;
  const path = d.criticalPath;
  const pathText = `${path.ms} ms = ${path.latencyMs} + ⌈${path.children}/${path.width}⌉=${path.rounds} × ${path.latencyMs}`;
  const a = [on.crowd.oneToken, off.crowd.oneToken] as const;
  const b = [on.crowd.fiveTokens, off.crowd.fiveTokens] as const;
  const s = [on.soak, off.soak] as const;
  const budgetPerSecond = shape.rateLimit === 0 ? Infinity : (shape.rateLimit.max * 1000) / shape.rateLimit.intervalMs;
  const soakTitle =
    `4. Soak: ${s[0].options.seconds} s${shortened ? ' (SHORTENED by BENCH_SOAK_SECONDS)' : ''}, open loop at ` +
    `${s[0].options.rps} req/s ≈ ${s[0].estimatedCallsPerSecond.toFixed(1)} GHL calls/s by the gateway's estimate ` +
    `(budget ${budgetPerSecond}/s), 75 % reads / 25 % writes`;

  return [
    {
      section: `1. Dashboard, cold: Dashboard(first: ${DASHBOARD_PAGE}) = contacts + tasks, notes, appointments of each; median of ${d.samples} runs`,
    },
    row(
      'upstream calls (sandbox count)',
      d.cold.upstreamCalls.median,
      off.dashboards.cold.upstreamCalls.median,
      num,
      `= ${d.minimumCalls} (minimum: 1 search + 3 × ${DASHBOARD_PAGE})${same(d.cold.upstreamCalls, off.dashboards.cold.upstreamCalls)}`,
      d.cold.upstreamCalls.min === d.minimumCalls && d.cold.upstreamCalls.max === d.minimumCalls,
    ),
    row('latency, ms', d.cold.latencyMs.median, off.dashboards.cold.latencyMs.median, ms, `critical path ${pathText}`),
    row('  fastest – slowest of the runs, ms', NaN, NaN, ms, '', undefined, {
      on: range(d.cold.latencyMs),
      off: range(off.dashboards.cold.latencyMs),
    }),
    row(
      '  over the critical path, ms',
      d.cold.latencyMs.median - path.ms,
      off.dashboards.cold.latencyMs.median - path.ms,
      ms,
    ),
    row('errors (all runs)', d.cold.errors, off.dashboards.cold.errors, num, '0', d.cold.errors === 0, {
      ratio: false,
    }),

    {
      section: `2. Dashboard, warm: same query and token ${(d.warm.msAfterCold.median / 1000).toFixed(1)} s after each cold run (cache TTL ${d.cacheTtlMs / 1000} s); median of ${d.samples}`,
    },
    row(
      'upstream calls (sandbox count)',
      d.warm.upstreamCalls.median,
      off.dashboards.warm.upstreamCalls.median,
      num,
      `0${same(d.warm.upstreamCalls, off.dashboards.warm.upstreamCalls)}`,
      d.warm.upstreamCalls.max === 0,
    ),
    row('latency, ms', d.warm.latencyMs.median, off.dashboards.warm.latencyMs.median, ms),
    row('  fastest – slowest of the runs, ms', NaN, NaN, ms, '', undefined, {
      on: range(d.warm.latencyMs),
      off: range(off.dashboards.warm.latencyMs),
    }),
    row('cache hits (gateway)', d.warm.cacheHits.median, off.dashboards.warm.cacheHits.median, num, '', undefined, {
      ratio: false,
    }),
    row('errors (all runs)', d.warm.errors, off.dashboards.warm.errors, num, '0', d.warm.errors === 0, {
      ratio: false,
    }),

    { section: '3a. Five users open the dashboard at once: ONE token (one user, five tabs; or one service)' },
    row(
      'upstream calls (sandbox count)',
      a[0].upstreamCalls,
      a[1].upstreamCalls,
      num,
      `${d.minimumCalls} (one user's worth)`,
      a[0].upstreamCalls <= d.minimumCalls,
    ),
    row('upstream 429s', a[0].upstream429, a[1].upstream429, num, '0', a[0].upstream429 === 0),
    row('calls shared by coalescing (gateway)', a[0].coalesced, a[1].coalesced, num, '', undefined, { ratio: false }),
    row('clean answers (of 5)', a[0].cleanRequests, a[1].cleanRequests, num, '5', a[0].cleanRequests === 5),
    row('slowest answer, ms', a[0].latency.max, a[1].latency.max, ms),

    { section: '3b. Five users open the dashboard at once: FIVE tokens of the same location (five staff)' },
    row(
      'upstream calls (sandbox count)',
      b[0].upstreamCalls,
      b[1].upstreamCalls,
      num,
      `${5 * d.minimumCalls}: nothing shared across tokens, by design`,
    ),
    row('upstream 429s', b[0].upstream429, b[1].upstream429, num, '0', b[0].upstream429 === 0),
    row(
      'RATE_LIMITED errors: governor refused',
      b[0].rateLimited.governor,
      b[1].rateLimited.governor,
      num,
      'allowed (nothing sent)',
      undefined,
      { ratio: false },
    ),
    row('RATE_LIMITED errors: GHL 429 passed on', b[0].rateLimited.upstream429, b[1].rateLimited.upstream429, num),
    row('retries after a 429 (gateway)', b[0].retries, b[1].retries, num, '', undefined, { ratio: false }),
    row(
      'clean answers (of 5)',
      b[0].cleanRequests,
      b[1].cleanRequests,
      num,
      `needs ${5 * d.minimumCalls} calls > ${shape.rateLimit === 0 ? '∞' : shape.rateLimit.max} per window`,
    ),
    row('slowest answer, ms', b[0].latency.max, b[1].latency.max, ms),

    { section: soakTitle },
    row(
      'requests sent',
      s[0].sent,
      s[1].sent,
      num,
      `${s[0].planned} planned; skipped at the in-flight cap: ${s[0].skipped} / ${s[1].skipped}`,
    ),
    row('upstream calls (sandbox count)', s[0].upstream.total, s[1].upstream.total, num),
    row(
      'upstream 429s',
      s[0].upstream.rateLimited,
      s[1].upstream.rateLimited,
      num,
      '0',
      s[0].upstream.rateLimited === 0,
    ),
    row('upstream calls admitted (answered, not 429)', s[0].upstream.admitted, s[1].upstream.admitted, num),
    row(
      '  per second of wall time',
      s[0].upstream.admittedPerSecond,
      s[1].upstream.admittedPerSecond,
      rate,
      `GHL allows 100 per 10-s window`,
    ),
    row('gateway errors other than RATE_LIMITED', s[0].otherErrors, s[1].otherErrors, num, '0', s[0].otherErrors === 0),
    row(
      'RATE_LIMITED errors: governor refused',
      s[0].rateLimitedErrors.governor,
      s[1].rateLimitedErrors.governor,
      num,
      'allowed (nothing sent)',
      undefined,
      { ratio: false },
    ),
    row(
      'RATE_LIMITED errors: GHL 429 passed on',
      s[0].rateLimitedErrors.upstream429,
      s[1].rateLimitedErrors.upstream429,
      num,
    ),
    row('requests answered with no error', s[0].clean, s[1].clean, num),
    row('throughput, clean answers/s', s[0].throughput.cleanPerSecond, s[1].throughput.cleanPerSecond, rate),
    row('throughput, all answers/s', s[0].throughput.answeredPerSecond, s[1].throughput.answeredPerSecond, rate),
    row('latency p50, all answers, ms', s[0].latencyAll.p50, s[1].latencyAll.p50, ms),
    row('latency p95, all answers, ms', s[0].latencyAll.p95, s[1].latencyAll.p95, ms),
    row('latency p99, all answers, ms', s[0].latencyAll.p99, s[1].latencyAll.p99, ms),
    row('latency p50, clean answers, ms', s[0].latencyClean.p50, s[1].latencyClean.p50, ms),
    row('latency p95, clean answers, ms', s[0].latencyClean.p95, s[1].latencyClean.p95, ms),
    row('latency p99, clean answers, ms', s[0].latencyClean.p99, s[1].latencyClean.p99, ms),
    row('latency p50, clean writes, ms', s[0].latencyWritesClean.p50, s[1].latencyWritesClean.p50, ms),
    row('latency p95, clean writes, ms', s[0].latencyWritesClean.p95, s[1].latencyWritesClean.p95, ms),
    row('cache hits (gateway)', s[0].gateway.cacheHits, s[1].gateway.cacheHits, num, '', undefined, { ratio: false }),
    row('calls shared by coalescing (gateway)', s[0].gateway.coalesced, s[1].gateway.coalesced, num, '', undefined, {
      ratio: false,
    }),
    row('retries (gateway)', s[0].gateway.retries, s[1].gateway.retries, num, '', undefined, { ratio: false }),
    row('wall time, s (sending + draining)', s[0].wallSeconds, s[1].wallSeconds, (v) => v.toFixed(1)),
  ];
}

export function formatTable(rows: Row[]): string {
  const header = { label: '', on: 'budget on', off: 'budget off', ratio: 'off÷on', target: 'target (budget on)' };
  const data = rows.filter((r): r is Exclude<Row, { section: string }> => !('section' in r));
  const width = (pick: (r: typeof header) => string) => Math.max(...[header, ...data].map((r) => [...pick(r)].length));
  const w = {
    label: width((r) => r.label) + 3,
    on: width((r) => r.on),
    off: width((r) => r.off),
    ratio: width((r) => r.ratio),
  };
  const padEnd = (text: string, n: number) => text + ' '.repeat(Math.max(0, n - [...text].length));
  const padStart = (text: string, n: number) => ' '.repeat(Math.max(0, n - [...text].length)) + text;
  const line = (r: { label: string; on: string; off: string; ratio: string; target: string }, mark: string) =>
    `${padEnd(`   ${r.label}`, w.label)}  ${padStart(r.on, w.on)}  ${padStart(r.off, w.off)}  ${padStart(r.ratio, w.ratio)}  ${mark} ${r.target}`.trimEnd();
  const out = [line(header, ' ')];
  for (const r of rows) {
    if ('section' in r) out.push('', r.section);
    else out.push(line(r, r.met === undefined ? ' ' : r.met ? '✓' : '✗'));
  }
  return out.join('\n');
}

/** Writes test/bench/results/<timestamp>.json and latest.json; returns the first path. */
export async function writeResults(folder: string, startedAt: Date, payload: unknown): Promise<string> {
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const file = join(folder, `${stamp}.json`);
  await mkdir(dirname(file), { recursive: true });
  const text = `${JSON.stringify(payload, (_key, value: unknown) => (typeof value === 'number' ? round(value, 2) : value), 2)}\n`;
  await writeFile(file, text);
  await writeFile(join(folder, 'latest.json'), text);
  return file;
}
