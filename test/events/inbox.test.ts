import { appendFile, copyFile, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GhlChange } from '../../src/ghl/changes.js';
import { changeOf } from '../support/changes.js';
import { INBOX_FILE, InboxWriteError, openInbox, type Inbox, type InboxOptions } from '../../src/events/inbox.js';
import { eventBody, recordingLogger, testClock, withTempDir, type Clock } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
let clock: Clock;
const open: Inbox[] = [];

beforeEach(async () => {
  ({ dir, cleanup } = await withTempDir());
  clock = testClock();
});
afterEach(async () => {
  for (const inbox of open.splice(0)) await inbox.close();
  await cleanup();
});

async function inboxAt(path: string, extra: Partial<InboxOptions> = {}): Promise<Inbox> {
  const inbox = await openInbox({ dir: path, maxPending: 10, now: clock.now, ...extra });
  open.push(inbox);
  return inbox;
}

async function reopen(inbox: Inbox, extra: Partial<InboxOptions> = {}): Promise<Inbox> {
  await inbox.close();
  open.splice(open.indexOf(inbox), 1);
  return inboxAt(dir, extra);
}

function event(type = 'ContactUpdate', fields: Record<string, unknown> = {}): { event: GhlChange; raw: string } {
  const raw = JSON.stringify(eventBody(type, fields));
  return { event: changeOf(JSON.parse(raw) as Record<string, unknown>), raw };
}

describe('webhook inbox', () => {
  it('stores before it answers, keyed by webhookId; a second copy is a duplicate', async () => {
    const inbox = await inboxAt(dir);
    const a = event();
    expect(await inbox.accept(a.event, a.raw)).toBe('accepted');
    // On disk the moment accept resolves, with the body byte for byte.
    const text = await readFile(join(dir, INBOX_FILE), 'utf8');
    expect(text).toContain(JSON.stringify(a.raw));
    expect(await inbox.accept(a.event, a.raw)).toBe('duplicate');
    expect(inbox.pending().map((p) => p.webhookId)).toEqual([a.event.webhookId]);
    expect(await readFile(join(dir, INBOX_FILE), 'utf8')).toBe(text);

    await inbox.markProcessed(a.event.webhookId);
    expect(inbox.pending()).toEqual([]);
    expect(await inbox.accept(a.event, a.raw)).toBe('duplicate');
    expect(inbox.stats()).toEqual({ pending: 0, remembered: 1, writing: 0 });
  });

  it('writes a 0600 file in a 0700 directory', async () => {
    const nested = join(dir, 'a', 'b');
    const inbox = await inboxAt(nested);
    const a = event();
    await inbox.accept(a.event, a.raw);
    expect((await stat(join(nested, INBOX_FILE))).mode & 0o777).toBe(0o600);
    expect((await stat(nested)).mode & 0o777).toBe(0o700);
  });

  it('refuses more than maxPending pending events, and takes more once some are done', async () => {
    const inbox = await inboxAt(dir, { maxPending: 2 });
    const [a, b, c] = [event(), event(), event()];
    expect(
      await Promise.all([inbox.accept(a.event, a.raw), inbox.accept(b.event, b.raw), inbox.accept(c.event, c.raw)]),
    ).toEqual(['accepted', 'accepted', 'full']);
    // Refused means not stored: the same event is welcome once there is room.
    expect(inbox.seen(c.event.webhookId)).toBe(false);
    await inbox.markProcessed(a.event.webhookId);
    expect(await inbox.accept(c.event, c.raw)).toBe('accepted');
  });

  it('survives a restart: pending events come back in order, seen ids are still refused', async () => {
    const inbox = await inboxAt(dir);
    const [a, b, c] = [event('ContactCreate'), event('TaskCreate', { contactId: 'c1' }), event('NoteCreate')];
    for (const e of [a, b, c]) await inbox.accept(e.event, e.raw);
    await inbox.markProcessed(a.event.webhookId);
    await inbox.markFailed(b.event.webhookId, 'handler: boom');

    const again = await reopen(inbox);
    expect(again.pending()).toEqual([{ webhookId: c.event.webhookId, change: c.event, receivedAt: clock.now() }]);
    for (const e of [a, b, c]) expect(await again.accept(e.event, e.raw)).toBe('duplicate');
    expect(again.stats()).toEqual({ pending: 1, remembered: 2, writing: 0 });
  });

  it('keeps what a crash left: acknowledged events without a clean close, minus a torn last line', async () => {
    const inbox = await inboxAt(dir);
    const [a, b] = [event(), event()];
    await inbox.accept(a.event, a.raw);
    await inbox.accept(b.event, b.raw);
    await inbox.markProcessed(a.event.webhookId);
    // The crash: copy the file as it is now (no close), with half a line appended by a dying write.
    const crashed = join(dir, 'crashed');
    await mkdir(crashed);
    await copyFile(join(dir, INBOX_FILE), join(crashed, INBOX_FILE));
    await appendFile(join(crashed, INBOX_FILE), '{"v":1,"op":"event","id":"half-writ');

    const { logger, lines } = recordingLogger();
    const recovered = await inboxAt(crashed, { logger });
    expect(recovered.pending().map((p) => p.webhookId)).toEqual([b.event.webhookId]);
    expect(recovered.seen(a.event.webhookId)).toBe(true);
    expect(lines.join('')).toMatch(/partial last line/);
    // The next append starts on a line of its own.
    const c = event();
    expect(await recovered.accept(c.event, c.raw)).toBe('accepted');
    await recovered.close();
    open.splice(open.indexOf(recovered), 1);
    const again = await inboxAt(crashed);
    expect(again.pending().map((p) => p.webhookId)).toEqual([b.event.webhookId, c.event.webhookId]);
  });

  it('skips unreadable lines and marks an unreadable stored body failed', async () => {
    const good = event();
    const lines = [
      JSON.stringify({ v: 1, op: 'event', id: good.event.webhookId, at: clock.now(), body: good.raw }),
      'not json',
      JSON.stringify({ v: 1, op: 'event', id: 'old-format', at: clock.now(), body: '{"type":"X"}' }),
    ];
    await writeFile(join(dir, INBOX_FILE), `${lines.join('\n')}\n`);
    const { logger, lines: logged } = recordingLogger();
    const inbox = await inboxAt(dir, { logger });
    expect(inbox.pending().map((p) => p.webhookId)).toEqual([good.event.webhookId]);
    expect(inbox.seen('old-format')).toBe(true);
    expect(logged.join('')).toMatch(/unreadable lines/);
  });

  it('forgets processed ids after the retention window or over the count, never pending ones', async () => {
    const inbox = await inboxAt(dir, { retainSeenMs: 60_000, maxSeen: 2 });
    const [a, b, c, d] = [event(), event(), event(), event()];
    await inbox.accept(a.event, a.raw); // stays pending
    clock.advance(1_000);
    for (const e of [b, c, d]) {
      await inbox.accept(e.event, e.raw);
      await inbox.markProcessed(e.event.webhookId);
    }
    const e = event();
    await inbox.accept(e.event, e.raw);
    // Count: three remembered, two allowed, the oldest (b) goes.
    expect([b, c, d].map((x) => inbox.seen(x.event.webhookId))).toEqual([false, true, true]);
    clock.advance(60_001);
    const f = event();
    await inbox.accept(f.event, f.raw);
    // Time: c and d are older than the window; a, e and f are pending and stay.
    expect([a, c, d, e, f].map((x) => inbox.seen(x.event.webhookId))).toEqual([true, false, false, true, true]);
    const again = await reopen(inbox, { retainSeenMs: 60_000, maxSeen: 2 });
    expect(again.pending().map((p) => p.webhookId)).toEqual([a, e, f].map((x) => x.event.webhookId));
  });

  it('compacts the file while running, keeping pending events and remembered ids', async () => {
    const inbox = await inboxAt(dir, { compactEvery: 5, maxPending: 100 });
    const events = Array.from({ length: 12 }, () => event());
    for (const e of events) await inbox.accept(e.event, e.raw);
    for (const e of events.slice(0, 10)) await inbox.markProcessed(e.event.webhookId);
    const text = await readFile(join(dir, INBOX_FILE), 'utf8');
    // Compacted: processed events are down to their ids, no body left behind.
    expect(text).not.toContain(JSON.stringify(events[0]!.raw));
    const again = await reopen(inbox);
    expect(again.pending().map((p) => p.webhookId)).toEqual(events.slice(10).map((e) => e.event.webhookId));
    for (const e of events) expect(again.seen(e.event.webhookId)).toBe(true);
  });

  it('a failing write throws, stores nothing, and the inbox goes on working', async () => {
    let fail: 'write' | 'sync' | undefined;
    const inbox = await inboxAt(dir, {
      onWritePoint: (point) => {
        if (point === fail) throw Object.assign(new Error('disk full'), { code: 'ENOSPC' });
      },
    });
    for (const point of ['write', 'sync'] as const) {
      fail = point;
      const a = event();
      await expect(inbox.accept(a.event, a.raw)).rejects.toThrow(InboxWriteError);
      expect(inbox.seen(a.event.webhookId)).toBe(false);
      expect(inbox.pending()).toEqual([]);
      fail = undefined;
      // GHL's redelivery of the same event is stored normally.
      expect(await inbox.accept(a.event, a.raw)).toBe('accepted');
      await inbox.markProcessed(a.event.webhookId);
    }
    const again = await reopen(inbox);
    expect(again.pending()).toEqual([]);
    expect(again.stats().remembered).toBe(2);
  });

  it('a concurrent copy of an event being written waits for the first write', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let failNext = true;
    const inbox = await inboxAt(dir, {
      onWritePoint: async (point) => {
        if (point !== 'sync') return;
        await gate;
        if (failNext) {
          failNext = false;
          throw new Error('EIO');
        }
      },
    });
    const a = event();
    const first = inbox.accept(a.event, a.raw);
    const second = inbox.accept(a.event, a.raw);
    expect(inbox.seen(a.event.webhookId)).toBe(false);
    release();
    // The first write failed (→ 429 for it); the second copy is then stored, not called a duplicate.
    await expect(first).rejects.toThrow(InboxWriteError);
    expect(await second).toBe('accepted');
  });

  it('refuses a second open of the same directory in one process', async () => {
    await inboxAt(dir);
    await expect(openInbox({ dir, maxPending: 1 })).rejects.toThrow(/already open/);
  });
});
