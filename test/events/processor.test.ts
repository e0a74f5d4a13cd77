import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GhlChange } from '../../src/ghl/changes.js';
import { changeOf } from '../support/changes.js';
import { openInbox, type Inbox } from '../../src/events/inbox.js';
import { createProcessor, type Processor, type ProcessorOptions } from '../../src/events/processor.js';
import { eventBody, recordingLogger, testClock, withTempDir } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
let inbox: Inbox;
const processors: Processor[] = [];
const clock = testClock();

beforeEach(async () => {
  ({ dir, cleanup } = await withTempDir());
  inbox = await openInbox({ dir, maxPending: 100, now: clock.now });
});
afterEach(async () => {
  for (const p of processors.splice(0)) await p.close();
  await inbox.close();
  await cleanup();
});

function processor(options: Partial<ProcessorOptions> & Pick<ProcessorOptions, 'handlers'>) {
  const p = createProcessor({ inbox, logger: recordingLogger().logger, baseDelayMs: 1, maxDelayMs: 5, ...options });
  processors.push(p);
  return p;
}

async function store(type: string, fields: Record<string, unknown> = {}): Promise<GhlChange> {
  const raw = JSON.stringify(eventBody(type, fields));
  const event = changeOf(JSON.parse(raw) as Record<string, unknown>);
  expect(await inbox.accept(event, raw)).toBe('accepted');
  return event;
}

describe('webhook processor', () => {
  it('runs every handler in order for each event and marks it processed', async () => {
    const calls: string[] = [];
    const events = [await store('ContactCreate'), await store('ContactUpdate')];
    const p = processor({
      handlers: [
        async (e) => void calls.push(`evict ${e.webhookId}`),
        async (e) => void calls.push(`publish ${e.webhookId}`),
      ],
    });
    await p.drain();
    expect(calls).toEqual(events.flatMap((e) => [`evict ${e.webhookId}`, `publish ${e.webhookId}`]));
    expect(inbox.pending()).toEqual([]);
    expect(inbox.stats().remembered).toBe(2);
  });

  it('retries a failing handler with backoff, without re-running the ones that succeeded', async () => {
    const delays: number[] = [];
    let attempts = 0;
    let firstHandler = 0;
    const event = await store('TaskCreate', { contactId: 'c1' });
    const p = processor({
      baseDelayMs: 100,
      maxDelayMs: 250,
      sleep: async (ms) => void delays.push(ms),
      handlers: [
        async () => void (firstHandler += 1),
        async function flaky() {
          attempts += 1;
          if (attempts < 4) throw new Error('GHL 503');
        },
      ],
    });
    await p.drain();
    expect({ attempts, firstHandler, delays }).toEqual({ attempts: 4, firstHandler: 1, delays: [100, 200, 250] });
    expect(inbox.seen(event.webhookId)).toBe(true);
    expect(inbox.pending()).toEqual([]);
  });

  it('gives up after maxAttempts: marks the event failed, logs ids only, runs the other handlers', async () => {
    const { logger, lines } = recordingLogger();
    let later = 0;
    const event = await store('NoteCreate', { contactId: 'c1', body: 'private note text' });
    const p = processor({
      logger,
      maxAttempts: 3,
      handlers: [
        async function automation() {
          throw new Error('always down');
        },
        async () => void (later += 1),
      ],
    });
    await p.drain();
    expect(later).toBe(1);
    expect(inbox.pending()).toEqual([]);
    const gaveUp = lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.message === 'webhook handler gave up');
    expect(gaveUp).toMatchObject({
      webhookId: event.webhookId,
      type: 'NoteCreate',
      handler: 'automation',
      attempts: 3,
      error: 'always down',
    });
    expect(lines.join('')).not.toContain('private note text');
    // Failed is final for this id: a redelivery is a duplicate.
    expect(await inbox.accept(event, '{}')).toBe('duplicate');
  });

  it('keeps one location in order while other locations go ahead', async () => {
    const log: string[] = [];
    let releaseA!: () => void;
    const gateA = new Promise<void>((resolve) => (releaseA = resolve));
    const a1 = await store('ContactCreate', { locationId: 'locA' });
    const a2 = await store('ContactUpdate', { locationId: 'locA' });
    const b1 = await store('ContactCreate', { locationId: 'locB' });
    const p = processor({
      handlers: [
        async (e) => {
          log.push(`start ${e.webhookId}`);
          if (e.webhookId === a1.webhookId) await gateA;
          log.push(`end ${e.webhookId}`);
        },
      ],
    });
    p.kick();
    await new Promise((resolve) => setTimeout(resolve, 20));
    // a1 is stuck; b1 has run; a2 waits behind a1.
    expect(log).toEqual([`start ${a1.webhookId}`, `start ${b1.webhookId}`, `end ${b1.webhookId}`]);
    releaseA();
    await p.drain();
    expect(log.slice(3)).toEqual([`end ${a1.webhookId}`, `start ${a2.webhookId}`, `end ${a2.webhookId}`]);
  });

  it('times out a handler that never settles and retries it', async () => {
    let calls = 0;
    await store('ContactCreate');
    const p = processor({
      handlerTimeoutMs: 20,
      handlers: [
        () => {
          calls += 1;
          return calls === 1 ? new Promise<void>(() => undefined) : Promise.resolve();
        },
      ],
    });
    await p.drain();
    expect(calls).toBe(2);
    expect(inbox.pending()).toEqual([]);
  });

  it('on close, an event waiting for a retry stays pending for the next start', async () => {
    let calls = 0;
    const event = await store('ContactCreate');
    const p = processor({
      baseDelayMs: 60_000,
      maxDelayMs: 60_000,
      handlers: [
        async () => {
          calls += 1;
          if (calls === 1) throw new Error('first try fails');
        },
      ],
    });
    p.kick();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await p.close();
    expect(inbox.pending().map((e) => e.webhookId)).toEqual([event.webhookId]);

    const next = processor({ handlers: [async () => void (calls += 1)] });
    await next.drain();
    expect(calls).toBe(2);
    expect(inbox.pending()).toEqual([]);
  });
});
