// Runs stored webhook events through the registered handlers, after the receiver has answered.
//
// Order: events of one location run one at a time, in arrival order (a TaskCreate's automation
// must not race the TaskComplete behind it); different locations run side by side, up to
// `concurrency` at once, so one location's failing handler does not hold up the others. Within an
// event, handlers run one after another in registration order: cache eviction first, so that a
// subscriber told about the change by a later handler reads fresh data.
//
// Each handler is retried on its own with exponential backoff (a handler that succeeded is not
// run again for this attempt). When every handler has succeeded the event is marked processed,
// durably; when one has used all its attempts the event is marked failed and logged (ids and
// type only: bodies hold personal data), and the other handlers still run.
//
// HANDLERS MUST BE IDEMPOTENT. An event runs at least once: a crash after its handlers but before
// the "done" line is on disk runs all of them again after the restart, and a handler that timed
// out may still finish in the background while its retry runs. Evicting a cache, publishing "this
// changed, read again" and "create the follow-up task unless it exists" are idempotent; "append a
// note" is not, unless it checks first.
import { setTimeout as delay } from 'node:timers/promises';
import { errorMessage, type Logger } from '../log.js';
import { scopeOfChange, type GhlChange } from '../ghl/changes.js';
import type { Inbox, PendingEvent } from './inbox.js';

export type EventHandler = (change: GhlChange) => Promise<void>;

export interface ProcessorOptions {
  inbox: Pick<Inbox, 'pending' | 'markProcessed' | 'markFailed'>;
  handlers?: EventHandler[];
  logger: Logger;
  /** Attempts per handler and event, the first included; default 5. */
  maxAttempts?: number;
  /** Backoff before the second attempt, doubled each time up to maxDelayMs; default 500 ms / 30 s. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** One attempt that has not settled after this long counts as failed; default 30 s. */
  handlerTimeoutMs?: number;
  /** Locations processed at the same time; default 4. */
  concurrency?: number;
  /** Waits between attempts; tests pass a fake. Must reject when the signal aborts. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export interface Processor {
  /** New events may be pending: look soon (after the current request has been answered). */
  kick(): void;
  /** Resolves when nothing is pending or running (or the processor is closed). For tests. */
  drain(): Promise<void>;
  /** Stops starting events and waits for the running ones; one waiting for a retry stays pending. */
  close(): Promise<void>;
  stats(): { running: number };
}

class Interrupted extends Error {}

export function createProcessor(options: ProcessorOptions): Processor {
  const { inbox, logger } = options;
  const handlers = options.handlers ?? [];
  const maxAttempts = Math.max(1, options.maxAttempts ?? 5);
  const baseDelayMs = options.baseDelayMs ?? 500;
  const maxDelayMs = options.maxDelayMs ?? 30_000;
  const timeoutMs = options.handlerTimeoutMs ?? 30_000;
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const sleep = options.sleep ?? ((ms, signal) => delay(ms, undefined, { signal }));

  const running = new Map<string, Promise<void>>();
  const busyLocations = new Set<string>();
  const stopping = new AbortController();
  let scheduled = false;
  let closed = false;
  let drainWaiters: (() => void)[] = [];

  function pump(): void {
    scheduled = false;
    if (closed) return settleDrains();
    const pending = inbox.pending();
    for (const item of pending) {
      if (running.size >= concurrency) break;
      // Skipping a busy location's later events keeps that location in order.
      if (running.has(item.webhookId) || busyLocations.has(scopeOfChange(item.change))) continue;
      start(item);
    }
    if (running.size === 0) settleDrains();
  }

  function start(item: PendingEvent): void {
    const location = scopeOfChange(item.change);
    busyLocations.add(location);
    const run = runEvent(item)
      .catch((error: unknown) => {
        if (error instanceof Interrupted) return;
        // runEvent() handles the handlers' failures; anything else is a bug. The event stays pending.
        logger.error('webhook processor: unexpected failure', {
          webhookId: item.webhookId,
          error: errorMessage(error),
        });
      })
      .finally(() => {
        running.delete(item.webhookId);
        busyLocations.delete(location);
        pump();
      });
    running.set(item.webhookId, run);
  }

  async function runEvent(item: PendingEvent): Promise<void> {
    const { change, webhookId } = item;
    const failures: string[] = [];
    for (const [index, handler] of handlers.entries()) {
      const name = handler.name || `handler ${index + 1}`;
      for (let attempt = 1; ; attempt += 1) {
        try {
          await withTimeout(handler(change), timeoutMs);
          break;
        } catch (error) {
          if (attempt >= maxAttempts) {
            failures.push(`${name}: ${errorMessage(error)}`);
            logger.error('webhook handler gave up', {
              webhookId,
              type: change.eventType,
              locationId: change.locationId,
              handler: name,
              attempts: attempt,
              error: errorMessage(error),
            });
            break;
          }
          logger.warn('webhook handler failed; retrying', {
            webhookId,
            type: change.eventType,
            handler: name,
            attempt,
            error: errorMessage(error),
          });
          try {
            await sleep(Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1)), stopping.signal);
          } catch {
            // Closing: leave the event pending, so the next start runs it (handlers are idempotent).
            throw new Interrupted();
          }
        }
      }
    }
    if (failures.length === 0) await inbox.markProcessed(webhookId);
    else await inbox.markFailed(webhookId, failures.join('; '));
  }

  function settleDrains(): void {
    if (running.size > 0) return;
    if (!closed && inbox.pending().length > 0) return;
    const waiters = drainWaiters;
    drainWaiters = [];
    for (const resolve of waiters) resolve();
  }

  const processor: Processor = {
    kick() {
      if (scheduled || closed) return;
      scheduled = true;
      // setImmediate, not a microtask: the receiver's response goes out before handlers start.
      setImmediate(pump);
    },
    drain() {
      return new Promise((resolve) => {
        drainWaiters.push(resolve);
        processor.kick();
        if (closed) settleDrains();
      });
    },
    async close() {
      closed = true;
      stopping.abort();
      await Promise.allSettled([...running.values()]);
      settleDrains();
    },
    stats: () => ({ running: running.size }),
  };
  // Events left pending by the last run (or a crash) start right away.
  processor.kick();
  return processor;
}

async function withTimeout(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`did not finish within ${ms} ms`)), ms);
  });
  try {
    await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
