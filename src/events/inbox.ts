// The durable inbox: every webhook the receiver acknowledges is on disk first, keyed by its
// webhook id (GHL's `webhookId`, or a hash of the body: webhook-payload.ts), until the processor
// has run it. GHL redelivers nothing we answered 200, so a
// webhook acknowledged but not stored would be lost for good.
//
// One file, `inbox.jsonl` in `dir` (mode 0600: bodies hold contacts' personal data), one JSON
// object per line (append-log.ts says why appends):
//   {"v":1,"op":"event","id":<webhookId>,"at":<received ms>,"body":<raw body as received>}
//   {"v":1,"op":"done","id":…,"at":<received ms>}               processed
//   {"v":1,"op":"failed","id":…,"at":<received ms>,"error":…}   gave up after retries
// The raw body is what is kept (not a re-serialised event): it is exactly what GHL signed, so an
// operator can still check or replay it. On open, and after every `compactEvery` lines, the file is
// rewritten as a snapshot: pending events in full, remembered ids as done/failed lines.
//
// Retention: processed and failed ids are remembered for `retainSeenMs` (default 3 days) from
// their arrival, and at most `maxSeen` of them (default 100,000, the oldest forgotten first) so
// memory stays bounded under any flood. The window must outlast the receiver's staleness window
// (webhook-route.ts), so that a replay of a forgotten id is already refused as stale
// (createEventPipeline checks this). Pending events are
// never forgotten.
//
// One process owns a directory: two gateways sharing one inbox would interleave their appends.
// Within a process a second open of the same directory is refused.
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { removeStaleTempFiles } from '../storage/atomic-file.js';
import { errorMessage, scrub, type Logger } from '../log.js';
import { AppendLog, readLogLines, type AppendLogOptions } from '../storage/append-log.js';
import type { GhlChange } from '../ghl/changes.js';
import { decodeWebhook } from './webhook-payload.js';

export const INBOX_FILE = 'inbox.jsonl';
export const DEFAULT_RETAIN_SEEN_MS = 3 * 24 * 60 * 60_000;
export const DEFAULT_MAX_SEEN = 100_000;
const DEFAULT_COMPACT_EVERY = 10_000;
const MAX_ERROR_CHARS = 300;

export type AcceptResult = 'accepted' | 'duplicate' | 'full';

export interface PendingEvent {
  webhookId: string;
  change: GhlChange;
  /** When the inbox stored it (the inbox's clock). */
  receivedAt: number;
}

export interface InboxOptions {
  /** Directory of the inbox file; created (mode 0700) when missing. */
  dir: string;
  /** Most events stored but not yet processed; more are refused ('full') until some are done. */
  maxPending: number;
  retainSeenMs?: number;
  maxSeen?: number;
  /** Lines appended before the file is rewritten as a snapshot. */
  compactEvery?: number;
  now?: () => number;
  logger?: Logger;
  /** Tests make the disk fail here. */
  onWritePoint?: AppendLogOptions['onPoint'];
}

export interface InboxStats {
  pending: number;
  /** Ids remembered as processed or failed. */
  remembered: number;
  /** Ids being written right now. */
  writing: number;
}

export interface Inbox {
  /**
   * Stores the event durably, then resolves 'accepted'. 'duplicate': this webhookId was seen
   * before (pending, processed or failed) and nothing changed. 'full': too many pending events.
   * Rejects with InboxWriteError when the disk write fails; nothing is then stored.
   */
  accept(change: GhlChange, rawBody: string): Promise<AcceptResult>;
  /** Whether this webhookId is durably stored or remembered (a write still in progress is not). */
  seen(webhookId: string): boolean;
  /** Pending events in arrival order (a copy). */
  pending(): PendingEvent[];
  /** Records the event as processed. A failed write is logged, not thrown: see markDone. */
  markProcessed(webhookId: string): Promise<void>;
  markFailed(webhookId: string, error: string): Promise<void>;
  stats(): InboxStats;
  /** Waits for queued writes, then closes the file and frees the directory. */
  close(): Promise<void>;
}

export class InboxWriteError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InboxWriteError';
  }
}

const lineSchema = z.discriminatedUnion('op', [
  z.object({ v: z.literal(1), op: z.literal('event'), id: z.string().min(1), at: z.number(), body: z.string() }),
  z.object({ v: z.literal(1), op: z.literal('done'), id: z.string().min(1), at: z.number() }),
  z.object({ v: z.literal(1), op: z.literal('failed'), id: z.string().min(1), at: z.number(), error: z.string() }),
]);
type Line = z.infer<typeof lineSchema>;

type Entry =
  | { status: 'writing'; at: number; settled: Promise<unknown> }
  | { status: 'pending'; at: number; body: string }
  | { status: 'done'; at: number }
  | { status: 'failed'; at: number; error: string };

const openDirs = new Set<string>();

export async function openInbox(options: InboxOptions): Promise<Inbox> {
  const dir = resolve(options.dir);
  if (openDirs.has(dir)) throw new Error(`The inbox in ${dir} is already open in this process.`);
  openDirs.add(dir);
  try {
    return await load(dir, options);
  } catch (error) {
    openDirs.delete(dir);
    throw error;
  }
}

async function load(dir: string, options: InboxOptions): Promise<Inbox> {
  const now = options.now ?? Date.now;
  const logger = options.logger;
  const retainSeenMs = options.retainSeenMs ?? DEFAULT_RETAIN_SEEN_MS;
  const maxSeen = options.maxSeen ?? DEFAULT_MAX_SEEN;
  const compactEvery = options.compactEvery ?? DEFAULT_COMPACT_EVERY;
  const path = join(dir, INBOX_FILE);

  // Map order is arrival order: pruning walks from the oldest, pending() lists in order.
  const entries = new Map<string, Entry>();
  const queue = new Map<string, PendingEvent>();
  let remembered = 0;
  let writing = 0;

  await mkdir(dir, { recursive: true, mode: 0o700 });
  // A crash during a compaction leaves its temp file; this process owns the directory.
  await removeStaleTempFiles(path);
  const { lines, tornTail } = await readLogLines(path);
  let unreadable = 0;
  for (const text of lines) {
    const line = parseLine(text);
    if (line === undefined) unreadable += 1;
    else replay(line);
  }
  if (tornTail) logger?.warn('webhook inbox: dropped a partial last line (a write cut short by a crash)');
  if (unreadable > 0) logger?.warn('webhook inbox: skipped unreadable lines', { count: unreadable });

  function replay(line: Line): void {
    const known = entries.get(line.id);
    if (line.op === 'event') {
      if (known !== undefined) return;
      const change = parseBody(line.body, line.id);
      if (change === undefined) {
        // Stored by an older version, or damaged: it cannot run, but its id still dedupes.
        entries.set(line.id, { status: 'failed', at: line.at, error: 'stored body is no longer a readable event' });
        remembered += 1;
        logger?.error('webhook inbox: a stored event cannot be read back; marked failed', { webhookId: line.id });
        return;
      }
      entries.set(line.id, { status: 'pending', at: line.at, body: line.body });
      queue.set(line.id, { webhookId: line.id, change, receivedAt: line.at });
      return;
    }
    const at = known?.at ?? line.at;
    if (known?.status === 'pending') queue.delete(line.id);
    if (known === undefined || known.status === 'pending') remembered += 1;
    // Re-inserting would move the id to the end; set() on an existing key keeps its place.
    entries.set(line.id, line.op === 'done' ? { status: 'done', at } : { status: 'failed', at, error: line.error });
  }

  /** Forgets the oldest processed/failed ids past the window or over the count. */
  function prune(): void {
    const horizon = now() - retainSeenMs;
    for (const [id, entry] of entries) {
      if (entry.status === 'pending' || entry.status === 'writing') continue;
      if (entry.at >= horizon && remembered <= maxSeen) break;
      entries.delete(id);
      remembered -= 1;
    }
  }

  function snapshot(): string {
    prune();
    let text = '';
    for (const [id, entry] of entries) {
      // An event still being written is not acknowledged; its own append follows this snapshot.
      if (entry.status === 'writing') continue;
      const line: Line =
        entry.status === 'pending'
          ? { v: 1, op: 'event', id, at: entry.at, body: entry.body }
          : entry.status === 'done'
            ? { v: 1, op: 'done', id, at: entry.at }
            : { v: 1, op: 'failed', id, at: entry.at, error: entry.error };
      text += `${JSON.stringify(line)}\n`;
    }
    return text;
  }

  prune();
  // Rewriting on open drops a torn tail (so the next append starts on a fresh line) and compacts.
  const log = await AppendLog.create(path, snapshot(), { onPoint: options.onWritePoint });
  let linesSinceCompaction = 0;
  let compacting = false;
  let closed = false;

  function appended(): void {
    linesSinceCompaction += 1;
    if (compacting || linesSinceCompaction < compactEvery) return;
    compacting = true;
    linesSinceCompaction = 0;
    log
      .rewrite(snapshot)
      .catch((error: unknown) =>
        logger?.warn('webhook inbox: compaction failed; appends continue', { error: errorMessage(error) }),
      )
      .finally(() => (compacting = false));
  }

  /** Processed or failed: the body is dropped, the id is remembered. */
  async function settle(
    webhookId: string,
    next: { status: 'done' } | { status: 'failed'; error: string },
  ): Promise<void> {
    const entry = entries.get(webhookId);
    if (entry?.status !== 'pending' || closed) return;
    const error = next.status === 'failed' ? scrub(next.error).slice(0, MAX_ERROR_CHARS) : '';
    // Memory first: the event is done whatever the disk says, and must not run again now.
    entries.set(
      webhookId,
      next.status === 'done' ? { status: 'done', at: entry.at } : { status: 'failed', at: entry.at, error },
    );
    queue.delete(webhookId);
    remembered += 1;
    const line: Line =
      next.status === 'done'
        ? { v: 1, op: 'done', id: webhookId, at: entry.at }
        : { v: 1, op: 'failed', id: webhookId, at: entry.at, error };
    try {
      await log.append(`${JSON.stringify(line)}\n`);
      appended();
    } catch (cause) {
      // The event stays pending on disk, so a restart runs it again; handlers are idempotent.
      logger?.warn('webhook inbox: could not record an event as settled; it will run again after a restart', {
        webhookId,
        error: errorMessage(cause),
      });
    }
  }

  return {
    async accept(change, rawBody) {
      if (closed) throw new InboxWriteError('The webhook inbox is closed.');
      const id = change.webhookId;
      // A copy of this id may be mid-write: its outcome decides (stored → duplicate; failed → ours).
      for (let known = entries.get(id); known !== undefined; known = entries.get(id)) {
        if (known.status !== 'writing') return 'duplicate';
        await known.settled;
      }
      prune();
      if (queue.size + writing >= options.maxPending) return 'full';

      const at = now();
      const line: Line = { v: 1, op: 'event', id, at, body: rawBody };
      let settled!: () => void;
      const entry: Entry = { status: 'writing', at, settled: new Promise<void>((resolve) => (settled = resolve)) };
      entries.set(id, entry);
      writing += 1;
      try {
        await log.append(`${JSON.stringify(line)}\n`, () => {
          // Synchronously at the moment it is on disk, so a snapshot queued behind sees it, and
          // the pending count never holds it twice.
          entries.set(id, { status: 'pending', at, body: rawBody });
          queue.set(id, { webhookId: id, change, receivedAt: at });
          writing -= 1;
        });
      } catch (cause) {
        entries.delete(id);
        writing -= 1;
        throw new InboxWriteError(`The webhook inbox could not store an event: ${errorMessage(cause)}`, { cause });
      } finally {
        settled();
      }
      appended();
      return 'accepted';
    },
    seen: (webhookId) => {
      const entry = entries.get(webhookId);
      return entry !== undefined && entry.status !== 'writing';
    },
    pending: () => [...queue.values()],
    markProcessed: (webhookId) => settle(webhookId, { status: 'done' }),
    markFailed: (webhookId, error) => settle(webhookId, { status: 'failed', error }),
    stats: () => ({ pending: queue.size, remembered, writing }),
    async close() {
      if (closed) return;
      closed = true;
      try {
        await log.close();
      } finally {
        openDirs.delete(dir);
      }
    },
  };
}

function parseLine(text: string): Line | undefined {
  try {
    const parsed = lineSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function parseBody(body: string, webhookId: string): GhlChange | undefined {
  const decoded = decodeWebhook(body);
  return decoded.ok && decoded.change?.webhookId === webhookId ? decoded.change : undefined;
}
