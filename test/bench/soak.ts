// Workload 4 of the issue: a mixed read/write soak offered at more than GHL's rate budget.
//
// Open loop, not virtual users looping: request i is sent at i / rps seconds whatever happened to
// the earlier ones. A closed loop would let the baseline, whose 429s come back in 20 ms, offer
// far more requests than the gateway, whose governor makes calls wait; the two modes would then
// not be measured under the same load. Here both receive the same requests at the same moments
// (a seeded PRNG picks them), bounded in count (rps × seconds), in flight (maxInFlight) and in
// time (a per-request client timeout).
import {
  AddContactTagsDocument,
  CompleteTaskDocument,
  ContactDocument,
  ContactListDocument,
  CreateTaskDocument,
  DashboardDocument,
  type CreateTaskMutation,
} from '../../src/client/sdk.js';
import { sandboxFixtures } from '../../src/sandbox/fixtures.js';
import { DEFAULT_SEED, generateDataset } from '../../src/sandbox/seed/generate.js';
import { post, type Answer } from './client.js';
import { round, seededRandom, sleep, summarize, tally, type LatencySummary } from './numbers.js';
import type { BenchStack } from './stack.js';

export type SoakKind = 'contact' | 'dashboard' | 'search' | 'createTask' | 'completeTask' | 'addTags';

/** Share of each kind in the offered load; reads 75 %, writes 25 %. */
export const SOAK_MIX: ReadonlyArray<readonly [SoakKind, number]> = [
  ['contact', 0.4], // a contact page: the contact, its tasks, notes and appointments (4 calls)
  ['dashboard', 0.15], // a small dashboard, contacts(first: 5) with their work (16 calls)
  ['search', 0.2], // a search page, contacts(first: 20, query) (1 call)
  ['createTask', 0.1], // 1 call
  ['completeTask', 0.075], // 1 call
  ['addTags', 0.075], // the tag write, then the contact's tags (2 calls)
];

const WRITES = new Set<SoakKind>(['createTask', 'completeTask', 'addTags']);

export interface SoakOptions {
  seconds: number;
  rps: number;
  maxInFlight: number;
  requestTimeoutMs: number;
  seed: number;
}

interface Planned {
  index: number;
  /** When to send it, in ms after the soak starts. */
  at: number;
  kind: SoakKind;
  contactId: string;
  term: string;
}

export interface SoakRecord {
  index: number;
  kind: SoakKind;
  /** completeTask sent as createTask because no task created earlier was left to complete. */
  fellBack: boolean;
  sentAtMs: number;
  ms: number;
  status: number;
  codes: string[];
  estimatedCalls: number | null;
  upstreamCalls: number | null;
  cacheHits: number | null;
  coalesced: number | null;
  waitedForBudgetMs: number | null;
  retries: number | null;
  /** RATE_LIMITED errors in this answer: the governor's refusals, and GHL's 429s passed on. */
  rateLimited: { governor: number; upstream429: number };
}

export interface SoakFigures {
  options: SoakOptions;
  planned: number;
  sent: number;
  /** Not sent because maxInFlight requests were already waiting. */
  skipped: number;
  answered: number;
  clean: number;
  requestsWithErrors: number;
  /** Every error entry by `extensions.code` (a partial dashboard can carry several). */
  errorsByCode: Record<string, number>;
  /** Requests with at least one error whose code is not RATE_LIMITED. */
  requestsWithOtherErrors: number;
  otherErrors: number;
  rateLimitedErrors: { governor: number; upstream429: number };
  http: Record<string, number>;
  /** From the first request sent to the last answer. */
  wallSeconds: number;
  throughput: { cleanPerSecond: number; answeredPerSecond: number };
  latencyAll: LatencySummary;
  latencyClean: LatencySummary;
  upstream: {
    total: number;
    rateLimited: number;
    admitted: number;
    admittedPerSecond: number;
    byRoute: Record<string, number>;
  };
  /** Σ estimatedCalls per second of the issuing window: the demand the load puts on GHL. */
  estimatedCallsPerSecond: number;
  gateway: { upstreamCalls: number; cacheHits: number; coalesced: number; retries: number; waitedForBudgetMs: number };
  byKind: Record<string, { sent: number; clean: number; p50: number; p95: number }>;
  completeTaskFallbacks: number;
  /** Clean answers to the writes alone: user actions that may queue behind reads for budget. */
  latencyWritesClean: LatencySummary;
  /** warn/error lines the gateway logged (an unexpected error would show up here); the first 20. */
  gatewayProblems: { count: number; first: string[] };
  records: SoakRecord[];
}

/**
 * The contacts the load is spread over, from the sandbox's seed (deterministic, so these are the
 * sandbox's contacts): the 25 newest, which the dashboard shows and users click through and
 * write to, and the whole location for the long tail.
 */
function workingSet(): { hot: string[]; all: string[]; terms: string[] } {
  const locationId = sandboxFixtures.sunrise.locationId;
  const contacts = generateDataset(DEFAULT_SEED)
    .contacts.filter((c) => c.locationId === locationId)
    .sort((a, b) => String(b.dateAdded ?? '').localeCompare(String(a.dateAdded ?? '')));
  const terms = [
    ...new Set(contacts.map((c) => c.firstName).filter((n): n is string => typeof n === 'string' && n.length > 2)),
  ].slice(0, 15);
  return { hot: contacts.slice(0, 25).map((c) => c.id), all: contacts.map((c) => c.id), terms };
}

export function planSoak(options: SoakOptions): Planned[] {
  const random = seededRandom(options.seed);
  const { hot, all, terms } = workingSet();
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const count = Math.round(options.seconds * options.rps);
  return Array.from({ length: count }, (_, index) => {
    let roll = random();
    let kind: SoakKind = 'contact';
    for (const [candidate, share] of SOAK_MIX) {
      if (roll < share) {
        kind = candidate;
        break;
      }
      roll -= share;
    }
    const write = WRITES.has(kind);
    // Half the contact pages come from the dashboard, half from anywhere in the location.
    const contactId = write || random() < 0.5 ? pick(hot) : pick(all);
    return { index, at: (index * 1000) / options.rps, kind, contactId, term: pick(terms) };
  });
}

export async function runSoak(
  stack: BenchStack,
  options: SoakOptions,
  progress: (line: string) => void,
): Promise<SoakFigures> {
  const plan = planSoak(options);
  // Tasks this run created and has not completed yet: completeTask needs a real, open task.
  const openTasks: Array<{ contactId: string; taskId: string }> = [];
  const records: SoakRecord[] = [];
  const inFlight = new Set<Promise<void>>();
  let skipped = 0;
  let fallbacks = 0;

  stack.sandbox.resetStats();
  const problemsBefore = stack.problems.length;
  const start = performance.now();
  let lastReport = start;

  const send = async (planned: Planned): Promise<void> => {
    const sentAtMs = performance.now() - start;
    let kind = planned.kind;
    let fellBack = false;
    let task = kind === 'completeTask' ? openTasks.shift() : undefined;
    if (kind === 'completeTask' && task === undefined) {
      kind = 'createTask';
      fellBack = true;
      fallbacks += 1;
    }
    const { url, readOnly, readWrite } = stack;
    const timeout = options.requestTimeoutMs;
    let answer: Answer;
    switch (kind) {
      case 'contact':
        answer = await post(url, ContactDocument, { id: planned.contactId }, readOnly, timeout);
        break;
      case 'dashboard':
        answer = await post(url, DashboardDocument, { first: 5 }, readOnly, timeout);
        break;
      case 'search':
        answer = await post(url, ContactListDocument, { first: 20, query: planned.term }, readOnly, timeout);
        break;
      case 'createTask': {
        const input = { title: `Bench follow-up ${planned.index}`, dueDate: '2031-01-15T09:00:00Z' };
        answer = await post(url, CreateTaskDocument, { contactId: planned.contactId, input }, readWrite, timeout);
        const created = (answer.data as CreateTaskMutation | null)?.createTask?.task;
        if (created) openTasks.push({ contactId: planned.contactId, taskId: created.id });
        break;
      }
      case 'completeTask':
        task = task!;
        answer = await post(
          url,
          CompleteTaskDocument,
          { contactId: task.contactId, taskId: task.taskId },
          readWrite,
          timeout,
        );
        break;
      case 'addTags':
        answer = await post(
          url,
          AddContactTagsDocument,
          { contactId: planned.contactId, tags: [`bench-${planned.index % 4}`] },
          readWrite,
          timeout,
        );
        break;
    }
    records.push({
      index: planned.index,
      kind: planned.kind,
      fellBack,
      sentAtMs: round(sentAtMs),
      ms: round(answer.ms),
      status: answer.status,
      codes: answer.codes,
      estimatedCalls: answer.cost?.estimatedCalls ?? null,
      upstreamCalls: answer.cost?.upstreamCalls ?? null,
      cacheHits: answer.cost?.cacheHits ?? null,
      coalesced: answer.cost?.coalesced ?? null,
      waitedForBudgetMs: answer.cost?.waitedForBudgetMs ?? null,
      retries: answer.cost?.retries ?? null,
      rateLimited: answer.rateLimited,
    });
  };

  for (const planned of plan) {
    await sleep(start + planned.at - performance.now());
    if (inFlight.size >= options.maxInFlight) {
      skipped += 1;
      continue;
    }
    const promise: Promise<void> = send(planned).finally(() => inFlight.delete(promise));
    inFlight.add(promise);
    const now = performance.now();
    if (now - lastReport >= 10_000) {
      lastReport = now;
      const stats = stack.sandbox.stats();
      progress(
        `${Math.round((now - start) / 1000)} s: ${records.length} answered, ${inFlight.size} in flight, upstream ${stats.total} calls (${stats.rateLimited} × 429)`,
      );
    }
  }
  const issuedMs = performance.now() - start;
  if (inFlight.size > 0) progress(`issued all; waiting for ${inFlight.size} in flight`);
  // Each request carries its own client timeout, so this ends.
  await Promise.all(inFlight);
  const wallSeconds = (performance.now() - start) / 1000;
  const stats = stack.sandbox.stats();

  records.sort((a, b) => a.index - b.index);
  const answered = records.filter((r) => r.status !== 0);
  const clean = records.filter((r) => r.status === 200 && r.codes.length === 0);
  const allCodes = records.flatMap((r) => r.codes);
  const others = allCodes.filter((code) => code !== 'RATE_LIMITED');
  const byKind: SoakFigures['byKind'] = {};
  for (const [kind] of SOAK_MIX) {
    const mine = records.filter((r) => r.kind === kind);
    const latency = summarize(mine.filter((r) => r.status === 200 && r.codes.length === 0).map((r) => r.ms));
    byKind[kind] = { sent: mine.length, clean: latency.count, p50: latency.p50, p95: latency.p95 };
  }
  const sum = (pick: (r: SoakRecord) => number | null) => records.reduce((total, r) => total + (pick(r) ?? 0), 0);

  return {
    options,
    planned: plan.length,
    sent: records.length,
    skipped,
    answered: answered.length,
    clean: clean.length,
    requestsWithErrors: records.filter((r) => r.codes.length > 0).length,
    errorsByCode: tally(allCodes),
    requestsWithOtherErrors: records.filter((r) => r.codes.some((code) => code !== 'RATE_LIMITED')).length,
    otherErrors: others.length,
    rateLimitedErrors: {
      governor: sum((r) => r.rateLimited.governor),
      upstream429: sum((r) => r.rateLimited.upstream429),
    },
    http: tally(records.map((r) => r.status)),
    wallSeconds,
    throughput: { cleanPerSecond: clean.length / wallSeconds, answeredPerSecond: answered.length / wallSeconds },
    latencyAll: summarize(answered.map((r) => r.ms)),
    latencyClean: summarize(clean.map((r) => r.ms)),
    upstream: {
      total: stats.total,
      rateLimited: stats.rateLimited,
      admitted: stats.total - stats.rateLimited,
      admittedPerSecond: (stats.total - stats.rateLimited) / wallSeconds,
      byRoute: stats.byRoute,
    },
    estimatedCallsPerSecond: sum((r) => r.estimatedCalls) / (issuedMs / 1000),
    gateway: {
      upstreamCalls: sum((r) => r.upstreamCalls),
      cacheHits: sum((r) => r.cacheHits),
      coalesced: sum((r) => r.coalesced),
      retries: sum((r) => r.retries),
      waitedForBudgetMs: sum((r) => r.waitedForBudgetMs),
    },
    byKind,
    completeTaskFallbacks: fallbacks,
    latencyWritesClean: summarize(clean.filter((r) => WRITES.has(r.kind)).map((r) => r.ms)),
    gatewayProblems: {
      count: stack.problems.length - problemsBefore,
      first: stack.problems.slice(problemsBefore, problemsBefore + 20),
    },
    records,
  };
}
