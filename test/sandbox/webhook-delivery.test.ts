// Webhook delivery as GHL does it: a 429 is redelivered with the same bytes, any other failure
// (400 included) loses the event; one queue in the order of the changes; and the seeded faults
// that drop or duplicate deliveries for randomised tests.

import { describe, expect, it } from 'vitest';
import { sandboxFixtures } from '../../src/sandbox/fixtures.js';
import { GHL_RETRY_DELAYS_MS } from '../../src/sandbox/webhook-delivery.js';
import { api } from './helpers.js';
import { startReceiver, types, useWebhookBench } from './webhook-receiver.js';

const S = sandboxFixtures.sunrise;
const ZERO_STATS = { sent: 0, delivered: 0, retried: 0, dropped: 0, faultDropped: 0, duplicated: 0, pending: 0 };

const bench = useWebhookBench();

async function notes(...bodies: string[]): Promise<void> {
  for (const body of bodies) await api(bench.sb, 'POST', `/contacts/${S.richContactId}/notes`, { body: { body } });
}

describe('retries: 429 only, as GHL', () => {
  it('redelivers a 429 with the same bytes, signature, timestamp and webhookId until a 2xx', async () => {
    bench.sb.configure({ webhooks: { envelope: 'with-webhook-id' } });
    bench.receiver.answer(429, 429);
    await api(bench.sb, 'POST', `/contacts/${S.richContactId}/tags`, { body: { tags: ['retry-me'] } });
    const hooks = await bench.delivered();
    expect(hooks.map((h) => h.status)).toEqual([429, 429, 200]);
    const [first, ...again] = hooks;
    for (const hook of again) {
      expect(hook.raw.equals(first!.raw)).toBe(true);
      expect(hook.headers['x-ghl-signature']).toBe(first!.headers['x-ghl-signature']);
      expect(hook.body.timestamp).toBe(first!.body.timestamp);
    }
    expect(bench.sb.sentWebhooks()).toEqual([
      expect.objectContaining({
        eventId: first!.body.webhookId,
        type: 'ContactTagUpdate',
        locationId: S.locationId,
        status: 'delivered',
        attempts: 3,
        httpStatus: 200,
      }),
    ]);
    expect(bench.sb.webhookStats()).toEqual({ ...ZERO_STATS, sent: 1, delivered: 1, retried: 2 });
  });

  it('redelivers the bare documented shape byte for byte too', async () => {
    bench.receiver.answer(429);
    await notes('bare');
    const [first, second] = await bench.delivered();
    expect(first?.body).not.toHaveProperty('webhookId');
    expect(second?.raw.equals(first!.raw)).toBe(true);
  });

  it('gives up after the configured retries', async () => {
    bench.sb.configure({ webhooks: { retryDelaysMs: [5, 5] } });
    bench.receiver.answer(429, 429, 429, 429);
    await notes('x');
    expect((await bench.delivered()).map((h) => h.status)).toEqual([429, 429, 429]);
    expect(bench.sb.sentWebhooks()[0]).toMatchObject({
      type: 'NoteCreate',
      status: 'dropped',
      attempts: 3,
      httpStatus: 429,
    });
    expect(bench.sb.webhookStats()).toMatchObject({ sent: 1, retried: 2, dropped: 1, delivered: 0 });
  });

  it('loses an event answered 400, 404 or 500 (no retry); later events still go', async () => {
    bench.receiver.answer(400, 500, 404);
    await notes('one', 'two', 'three', 'four');
    const hooks = await bench.delivered();
    expect(hooks.map((h) => [h.body.body, h.status])).toEqual([
      ['one', 400],
      ['two', 500],
      ['three', 404],
      ['four', 200],
    ]);
    expect(bench.sb.sentWebhooks().map((d) => [d.status, d.attempts, d.httpStatus])).toEqual([
      ['dropped', 1, 400],
      ['dropped', 1, 500],
      ['dropped', 1, 404],
      ['delivered', 1, 200],
    ]);
    expect(bench.sb.webhookStats()).toEqual({ ...ZERO_STATS, sent: 4, delivered: 1, dropped: 3 });
  });

  it('loses an event the receiver cannot be reached for', async () => {
    const gone = await startReceiver();
    await gone.close();
    bench.sb.configure({ webhooks: { url: gone.url } });
    await notes('lost');
    await bench.sb.flushWebhooks();
    expect(bench.sb.sentWebhooks()).toEqual([
      expect.objectContaining({ status: 'dropped', attempts: 1, httpStatus: null, error: expect.any(String) }),
    ]);
  });

  it('keeps the order of the changes, even while one event waits for its retry', async () => {
    bench.receiver.answer(429);
    await notes('a', 'b', 'c');
    const hooks = await bench.delivered();
    expect(hooks.map((h) => [h.body.body, h.status])).toEqual([
      ['a', 429],
      ['a', 200],
      ['b', 200],
      ['c', 200],
    ]);
  });

  it("GHL's own schedule is six retries ten minutes apart, about 70 minutes with the first attempt", () => {
    expect(GHL_RETRY_DELAYS_MS).toEqual([600_000, 600_000, 600_000, 600_000, 600_000, 600_000]);
  });
});

describe('configuration and lifecycle', () => {
  it('sends nothing without a URL, but simulate() still shows the payload', async () => {
    bench.sb.configure({ webhooks: { url: null } });
    await api(bench.sb, 'POST', `/contacts/${S.richContactId}/tags`, { body: { tags: ['quiet'] } });
    const result = bench.sb.simulate({
      action: 'addTags',
      locationId: S.locationId,
      contactId: S.richContactId,
      tags: ['hush'],
    });
    expect(result.webhooks.map((w) => w.type)).toEqual(['ContactTagUpdate']);
    expect(await bench.delivered()).toEqual([]);
    expect(bench.sb.sentWebhooks()).toEqual([]);
    expect(bench.sb.webhookStats().sent).toBe(0);
  });

  it('is configured over HTTP too, and GET /__sandbox/webhooks shows the deliveries', async () => {
    bench.sb.configure({ webhooks: { url: null } });
    expect((await bench.control('PUT', '/config', { webhooks: { url: 'ftp://example.org' } })).status).toBe(400);
    expect((await bench.control('PUT', '/config', { webhooks: { retryDelaysMs: [-1] } })).status).toBe(400);
    expect(
      (await bench.control('PUT', '/config', { webhooks: { url: bench.receiver.url, retryDelaysMs: [5] } })).status,
    ).toBe(200);
    await api(bench.sb, 'POST', `/contacts/${S.richContactId}/tags`, { body: { tags: ['over-http'] } });
    await bench.sb.flushWebhooks();
    const { body } = await bench.control('GET', '/webhooks');
    expect(body).toMatchObject({
      url: bench.receiver.url,
      retryDelaysMs: [5],
      envelope: 'documented-examples',
      stats: { sent: 1, delivered: 1 },
    });
    expect(body.deliveries).toEqual([
      expect.objectContaining({ type: 'ContactTagUpdate', status: 'delivered', url: bench.receiver.url }),
    ]);
    expect(() => bench.sb.configure({ webhooks: { url: 'not a url' } })).toThrow(/webhooks\.url/);
  });

  it('reset() cancels pending retries, clears the log and the faults', async () => {
    bench.sb.configure({ webhooks: { retryDelaysMs: [60_000] } });
    bench.sb.setWebhookFaults({ duplicateRate: 1 });
    bench.receiver.answer(429);
    await api(bench.sb, 'POST', `/contacts/${S.richContactId}/tags`, { body: { tags: ['pending'] } });
    await expect.poll(() => bench.receiver.deliveries.length).toBe(1);
    expect(bench.sb.webhookStats().pending).toBe(2);
    bench.sb.reset();
    await bench.sb.flushWebhooks();
    expect(bench.sb.webhookStats()).toEqual(ZERO_STATS);
    expect(bench.sb.sentWebhooks()).toEqual([]);
    expect((await bench.control('GET', '/faults')).body.webhooks).toBeNull();

    bench.receiver.clear();
    await api(bench.sb, 'POST', `/contacts/${S.richContactId}/tags`, { body: { tags: ['after-reset'] } });
    expect(types(await bench.delivered())).toEqual(['ContactTagUpdate']);
    expect(bench.sb.sentWebhooks()).toEqual([expect.objectContaining({ status: 'delivered', attempts: 1 })]);
  });
});

describe('faults: lost and duplicated deliveries', () => {
  /** What became of each of `count` events, by its note body, with these faults. */
  async function fates(
    faults: { dropRate?: number; duplicateRate?: number; seed?: number },
    count: number,
  ): Promise<string[]> {
    bench.sb.reset();
    bench.receiver.clear();
    bench.sb.setWebhookFaults(faults);
    await notes(...Array.from({ length: count }, (_, i) => `n${i}`));
    await bench.sb.flushWebhooks();
    return bench.sb.sentWebhooks().map((d) => d.fault ?? 'sent');
  }

  it('the same seed gives the same fates; another seed others', async () => {
    const faults = { dropRate: 0.3, duplicateRate: 0.3, seed: 42 };
    const first = await fates(faults, 40);
    const again = await fates(faults, 40);
    const other = await fates({ ...faults, seed: 43 }, 40);
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
    // With these rates both faults happen in 40 events, and most events still arrive once.
    expect(first).toContain('dropped');
    expect(first).toContain('duplicate');
    expect(first.filter((f) => f === 'sent').length).toBeGreaterThan(first.filter((f) => f !== 'sent').length);
  });

  it('a dropped event is never POSTed; a duplicate arrives twice, byte-identical, right after itself', async () => {
    const result = await fates({ dropRate: 0.25, duplicateRate: 0.25, seed: 7 }, 24);
    const log = bench.sb.sentWebhooks();
    const received = bench.receiver.deliveries;
    // Every POST the receiver saw is one non-dropped log entry, in order.
    const posted = log.filter((d) => d.fault !== 'dropped');
    expect(received).toHaveLength(posted.length);
    const dropped = log.filter((d) => d.fault === 'dropped');
    expect(dropped.every((d) => d.attempts === 0 && d.status === 'dropped')).toBe(true);
    posted.forEach((delivery, i) => {
      if (delivery.fault !== 'duplicate') return;
      expect(posted[i - 1]?.eventId).toBe(delivery.eventId);
      expect(received[i]?.raw.equals(received[i - 1]!.raw)).toBe(true);
      expect(received[i]?.headers['x-ghl-signature']).toBe(received[i - 1]?.headers['x-ghl-signature']);
    });
    const bodies = new Set(received.map((r) => r.body.body as string));
    expect(bodies.size).toBe(24 - dropped.length);
    expect(bench.sb.webhookStats()).toMatchObject({
      faultDropped: dropped.length,
      duplicated: result.filter((f) => f === 'duplicate').length,
      sent: posted.length,
      delivered: posted.length,
    });
  });

  it('dropRate 1 loses everything; duplicateRate 1 sends everything twice; 0 is off', async () => {
    expect(await fates({ dropRate: 1 }, 3)).toEqual(['dropped', 'dropped', 'dropped']);
    expect(bench.receiver.deliveries).toHaveLength(0);
    expect(await fates({ duplicateRate: 1 }, 2)).toEqual(['sent', 'duplicate', 'sent', 'duplicate']);
    expect(bench.receiver.deliveries).toHaveLength(4);
    expect(await fates({ dropRate: 0, duplicateRate: 0 }, 3)).toEqual(['sent', 'sent', 'sent']);
  });

  it('PUT /__sandbox/faults sets them over HTTP, validates them, and leaves the other kind alone', async () => {
    const put = (body: unknown) => bench.control('PUT', '/faults', body);
    expect((await put({ webhooks: { dropRate: 2 } })).status).toBe(400);
    expect((await put({ webhooks: { dropRate: 0.5, colour: 'red' } })).status).toBe(400);
    expect((await put({})).status).toBe(400);
    const set = await put({ webhooks: { dropRate: 0.5, seed: 9 } });
    expect(set).toMatchObject({
      status: 200,
      body: { rules: [], webhooks: { dropRate: 0.5, duplicateRate: 0, seed: 9 } },
    });
    // Setting API fault rules keeps the webhook faults, and the other way round.
    await put({ rules: [{ kind: 'error500', route: 'GET /contacts/{contactId}', count: 1 }] });
    expect((await bench.control('GET', '/faults')).body).toMatchObject({
      rules: [{ kind: 'error500' }],
      webhooks: { dropRate: 0.5, seed: 9 },
    });
    await put({ webhooks: null });
    expect((await bench.control('GET', '/faults')).body).toMatchObject({
      rules: [{ kind: 'error500' }],
      webhooks: null,
    });
    expect(() => bench.sb.setWebhookFaults({ duplicateRate: -0.1 })).toThrow(/duplicateRate/);
  });
});
