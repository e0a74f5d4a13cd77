// The automation ledger: what each rule did for each event, on disk, so that neither a
// redelivery nor a restart makes a second task (runner.ts explains the protocol), plus the recent
// runs people can look at.
//
// Storage is an append-only JSON-lines file (storage/append-log.ts, shared with the webhook inbox,
// says how appends stay crash-safe). Each change is one line, on disk before `write` resolves,
// and only then applied in memory: what the runner has seen acknowledged is on disk. Every open,
// and every time the file grows to twice what is live, the file is rewritten from memory, which
// also drops entries past retention.
//
// Retention: settled entries are forgotten `retentionMs` (default 7 days) after their last
// change; a redelivery later than that would run again. Entries that stop a contact.tagAdded rule
// from firing twice for one contact and tag are kept until the tag is seen removed (the runner
// then re-arms them). Runs: the last `runsPerLocation` (default 500) of each location.
//
// One process per ledger file: single flight (`exclusive`) is in memory.
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { AppendLog, readLogLines } from '../storage/append-log.js';
import { removeStaleTempFiles } from '../storage/atomic-file.js';
import { errorMessage, type Logger } from '../log.js';
import { createKeyedSerializer } from '../storage/keyed-serializer.js';

const ENTRY_STATES = ['started', 'done', 'failed', 'rearmed'] as const;
const RUN_STATUSES = ['created', 'skipped', 'failed', 'duplicate'] as const;

const taskInputSchema = z.object({
  title: z.string(),
  body: z.string(),
  dueDate: z.string(),
  assignedTo: z.string().optional(),
});

export const ledgerEntrySchema = z.object({
  /** `<ruleId>/<webhookId>`, or `<ruleId>/contact/<contactId>/tag/<tag>` for contact.tagAdded rules. */
  key: z.string(),
  ruleId: z.string(),
  /** The delivery that started the current attempt; its marker is in the task body. */
  webhookId: z.string(),
  eventType: z.string(),
  locationId: z.string(),
  contactId: z.string(),
  /** GHL's time of the event that last changed the entry (orders tag removals and re-adds). */
  eventAt: z.number().optional(),
  state: z.enum(ENTRY_STATES),
  marker: z.string(),
  /** The task decided when the attempt started: a resumed attempt creates exactly this one. */
  task: taskInputSchema.optional(),
  taskId: z.string().optional(),
  reason: z.string().optional(),
  /** Creates sent to GHL so far. */
  attempts: z.number().int().nonnegative(),
  /** Kept past retention (contact.tagAdded entries). */
  sticky: z.boolean(),
  updatedAt: z.number(),
});
export type LedgerEntry = z.output<typeof ledgerEntrySchema>;

export const runRecordSchema = z.object({
  ruleId: z.string(),
  webhookId: z.string(),
  eventType: z.string(),
  locationId: z.string(),
  contactId: z.string().optional(),
  status: z.enum(RUN_STATUSES),
  taskId: z.string().optional(),
  reason: z.string().optional(),
  /** ISO 8601. */
  at: z.string(),
});
export type RunRecord = z.output<typeof runRecordSchema>;

const lineSchema = z.object({ entry: ledgerEntrySchema.optional(), run: runRecordSchema.optional() });
/** One durable step: an entry's new state, a run to show, or both at once (one line, so both or neither). */
export type LedgerChange = z.output<typeof lineSchema>;

export interface RunLog {
  /** Most recent first. */
  list(query: { locationId: string; limit?: number }): RunRecord[];
}

export interface Ledger {
  readonly file: string;
  get(key: string): LedgerEntry | undefined;
  /** Resolves once the change is on disk (fsynced); memory changes only then. */
  write(change: LedgerChange): Promise<void>;
  /** Runs `work` after every earlier `work` of the same key has settled: one flight per key. */
  exclusive<T>(key: string, work: () => Promise<T>): Promise<T>;
  readonly runs: RunLog;
  /** Waits for pending writes, then closes the file. */
  close(): Promise<void>;
}

export interface LedgerOptions {
  /** The JSON-lines file, e.g. `.data/automation-ledger.jsonl`; its directory is created. */
  file: string;
  now?: () => number;
  retentionMs?: number;
  runsPerLocation?: number;
  logger?: Logger;
  /** Called before each append; tests throw here to play a crash at that step. */
  beforeWrite?: (change: LedgerChange) => void | Promise<void>;
}

export const DEFAULT_RETENTION_MS = 7 * 86_400_000;
export const DEFAULT_RUNS_PER_LOCATION = 500;

export async function openLedger(options: LedgerOptions): Promise<Ledger> {
  const { file, logger } = options;
  const now = options.now ?? Date.now;
  const retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS;
  const runsPerLocation = options.runsPerLocation ?? DEFAULT_RUNS_PER_LOCATION;

  const entries = new Map<string, LedgerEntry>();
  const runs = new Map<string, RunRecord[]>();

  function apply(change: LedgerChange): void {
    if (change.entry !== undefined) entries.set(change.entry.key, change.entry);
    if (change.run !== undefined) {
      const list = runs.get(change.run.locationId) ?? [];
      list.push(change.run);
      if (list.length > runsPerLocation) list.splice(0, list.length - runsPerLocation);
      runs.set(change.run.locationId, list);
    }
  }

  function prune(): void {
    const cutoff = now() - retentionMs;
    for (const [key, entry] of entries) {
      if (entry.sticky || entry.updatedAt >= cutoff) continue;
      if (entry.state === 'started') {
        // A crash window nobody redelivered within retention: say so once, then let it go.
        logger?.warn('automation: forgetting an unfinished run past retention', { key, marker: entry.marker });
      }
      entries.delete(key);
    }
  }

  function liveLines(): number {
    let total = entries.size;
    for (const list of runs.values()) total += list.length;
    return total;
  }

  function serialize(): string {
    const lines: string[] = [];
    for (const entry of entries.values()) lines.push(JSON.stringify({ entry }));
    for (const list of runs.values()) for (const run of list) lines.push(JSON.stringify({ run }));
    return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
  }

  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const { lines, tornTail } = await readLogLines(file);
  let unreadable = 0;
  for (const line of lines) {
    try {
      apply(lineSchema.parse(JSON.parse(line)));
    } catch {
      unreadable += 1;
    }
  }
  // A torn last line is a crash mid-append: that write was never acknowledged.
  if (unreadable > 0 || tornTail)
    logger?.warn('automation: skipped unreadable ledger lines', { file, lines: unreadable + (tornTail ? 1 : 0) });
  prune();
  // One process per file, so temp files beside it can only be a crashed rewrite's.
  await removeStaleTempFiles(file);
  const log = await AppendLog.create(file, serialize());
  let linesInFile = liveLines();
  let closing = false;
  let chain: Promise<unknown> = Promise.resolve();

  async function append(change: LedgerChange): Promise<void> {
    await options.beforeWrite?.(change);
    await log.append(`${JSON.stringify(change)}\n`, () => {
      apply(change);
      linesInFile += 1;
    });
    if (linesInFile > Math.max(1_000, 2 * liveLines())) {
      linesInFile = liveLines();
      // The change is already durable: a failed rewrite only postpones the compaction.
      log
        .rewrite(() => (prune(), serialize()))
        .catch((error: unknown) =>
          logger?.warn('automation: ledger compaction failed', { file, error: errorMessage(error) }),
        );
    }
  }

  const serializer = createKeyedSerializer();

  return {
    file,
    get: (key) => entries.get(key),
    write(change) {
      if (closing) return Promise.reject(new Error(`The automation ledger ${file} is closed`));
      const run = chain.then(() => append(change));
      chain = run.catch(() => undefined);
      return run;
    },
    exclusive: (key, work) => serializer.queued(key, work),
    runs: {
      list({ locationId, limit = 50 }) {
        const list = runs.get(locationId) ?? [];
        const count = Math.max(0, Math.min(limit, list.length));
        return list.slice(list.length - count).reverse();
      },
    },
    async close() {
      if (closing) return;
      // Writes already queued still land; new ones are refused.
      closing = true;
      await chain;
      await log.close();
    },
  };
}
