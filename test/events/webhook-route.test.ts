// The receiver as the app will use it: the pipeline's plugin inside a real Yoga server, driven
// with yoga.fetch, bodies signed the way GHL signs them.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createEventPipeline, type EventPipeline, type EventPipelineOptions } from '../../src/events/event-pipeline.js';
import type { GhlChange } from '../../src/ghl/changes.js';
import { INBOX_FILE } from '../../src/events/inbox.js';
import {
  eventBody,
  generateSigningKeys,
  ghlHeaders,
  postWebhook,
  recordingLogger,
  signEd25519,
  testClock,
  withTempDir,
  yogaWith,
  type Clock,
  type SigningKeys,
  type TestYoga,
} from './helpers.js';

let keys: SigningKeys;
let forger: SigningKeys;
beforeAll(() => {
  keys = generateSigningKeys();
  forger = generateSigningKeys();
});

let dir: string;
let cleanup: () => Promise<void>;
let clock: Clock;
let seen: GhlChange[];
const pipelines: EventPipeline[] = [];

beforeEach(async () => {
  ({ dir, cleanup } = await withTempDir());
  clock = testClock();
  seen = [];
});
afterEach(async () => {
  for (const p of pipelines.splice(0)) await p.close();
  await cleanup();
});

const record = async (event: GhlChange) => void seen.push(event);

async function start(
  extra: Partial<EventPipelineOptions> = {},
): Promise<{ pipeline: EventPipeline; yoga: TestYoga; lines: string[] }> {
  const { logger, lines } = recordingLogger();
  const pipeline = await createEventPipeline({
    dir,
    publicKeys: { ed25519: keys.ed25519.publicPem, rsa: keys.rsa.publicPem },
    maxPending: 10,
    staleAfterMs: 2 * 60 * 60_000,
    handlers: [record],
    logger,
    now: clock.now,
    processing: { baseDelayMs: 1, maxDelayMs: 5 },
    ...extra,
  });
  pipelines.push(pipeline);
  return { pipeline, yoga: yogaWith(pipeline.plugin), lines };
}

async function stop(pipeline: EventPipeline): Promise<void> {
  await pipeline.close();
  pipelines.splice(pipelines.indexOf(pipeline), 1);
}

function signed(type: string, fields: Record<string, unknown> = {}, which: 'both' | 'ed25519' | 'rsa' = 'both') {
  const body = JSON.stringify(eventBody(type, fields, clock.now()));
  return {
    body,
    headers: ghlHeaders(body, keys, which),
    webhookId: (JSON.parse(body) as { webhookId: string }).webhookId,
  };
}

async function inboxFile(): Promise<string> {
  return readFile(join(dir, INBOX_FILE), 'utf8');
}

describe('POST /webhooks/ghl', () => {
  it('stores a valid Ed25519-signed event, answers 200, then runs the handlers', async () => {
    const { pipeline, yoga } = await start();
    const { body, headers, webhookId } = signed('ContactCreate', { email: 'ann@example.com' }, 'ed25519');
    const response = await postWebhook(yoga, body, headers);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'accepted' });
    expect(await inboxFile()).toContain(webhookId);
    await pipeline.processor.drain();
    expect(seen.map((e) => [e.eventType, e.webhookId, 'record' in e ? e.record['email'] : undefined])).toEqual([
      ['ContactCreate', webhookId, 'ann@example.com'],
    ]);
  });

  it('accepts an event signed with the legacy RSA signature only', async () => {
    const { pipeline, yoga } = await start();
    const { body, headers } = signed('TaskCreate', { contactId: 'c1' }, 'rsa');
    expect(headers['x-ghl-signature']).toBeUndefined();
    expect((await postWebhook(yoga, body, headers)).status).toBe(200);
    await pipeline.processor.drain();
    expect(seen).toHaveLength(1);
  });

  it('answers before the handlers run', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { pipeline, yoga } = await start({ handlers: [() => gate] });
    const { body, headers } = signed('ContactUpdate');
    expect((await postWebhook(yoga, body, headers)).status).toBe(200);
    expect(pipeline.inbox.stats().pending).toBe(1);
    release();
    await pipeline.processor.drain();
    expect(pipeline.inbox.stats().pending).toBe(0);
  });

  it('refuses forged, modified and unsigned bodies with 401 and stores nothing', async () => {
    const { pipeline, yoga, lines } = await start();
    const { body, headers } = signed('ContactDelete', { email: 'secret@example.com' });
    const forged = ghlHeaders(body, forger);
    const modified = body.replace('ContactDelete', 'ContactCreate');
    const attempts: [string, Record<string, string>][] = [
      [body, forged],
      [modified, headers],
      [body, { 'content-type': 'application/json' }],
      [body, { 'x-ghl-signature': 'AAAA' }],
    ];
    for (const [text, h] of attempts) {
      const response = await postWebhook(yoga, text, h);
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: 'Missing or invalid webhook signature.' });
    }
    await pipeline.processor.drain();
    expect(seen).toEqual([]);
    expect(pipeline.inbox.stats()).toEqual({ pending: 0, remembered: 0, writing: 0 });
    expect(await inboxFile()).toBe('');
    expect(lines.join('')).not.toContain('secret@example.com');
  });

  it('refuses stale and future events with 400 and stores nothing', async () => {
    const { pipeline, yoga } = await start({ staleAfterMs: 5 * 60_000, retainSeenMs: 60 * 60_000 });
    const old = signed('ContactUpdate');
    clock.advance(5 * 60_000 + 1);
    expect((await postWebhook(yoga, old.body, old.headers)).status).toBe(400);
    clock.advance(-(5 * 60_000 + 1) - 10 * 60_000);
    const response = await postWebhook(yoga, old.body, old.headers);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'The event timestamp is outside the accepted window.' });
    expect(pipeline.inbox.stats().pending).toBe(0);
    expect(await inboxFile()).toBe('');
  });

  it('refuses bad JSON and an event without its location with 400', async () => {
    const { pipeline, yoga } = await start();
    const notJson = '{"type": "ContactCreate",';
    expect((await postWebhook(yoga, notJson, ghlHeaders(notJson, keys))).status).toBe(400);
    const array = '[1,2]';
    expect((await postWebhook(yoga, array, ghlHeaders(array, keys))).status).toBe(400);
    const noLocation = JSON.stringify({ ...eventBody('ContactCreate', {}, clock.now()), locationId: undefined });
    const response = await postWebhook(yoga, noLocation, ghlHeaders(noLocation, keys));
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(/locationId/);
    const latin1 = Buffer.from([0x7b, 0xff, 0x7d]);
    expect(
      (await postWebhook(yoga, latin1, { 'x-ghl-signature': signEd25519(latin1, keys.ed25519.privateKey) })).status,
    ).toBe(400);
    expect(pipeline.inbox.stats().pending).toBe(0);
  });

  it("takes GHL's documented shape (no webhookId, no timestamp): a body delivered three times runs once", async () => {
    const { pipeline, yoga } = await start();
    const body = JSON.stringify({
      type: 'ContactCreate',
      locationId: 'locA0000000000000001',
      id: 'contact0000000000001',
    });
    const answers = [];
    for (let i = 0; i < 3; i += 1)
      answers.push(await (await postWebhook(yoga, body, ghlHeaders(body, keys, 'ed25519'))).json());
    expect(answers).toEqual([{ status: 'accepted' }, { status: 'duplicate' }, { status: 'duplicate' }]);
    // No timestamp, so nothing to age: a day later it is still a duplicate, never re-run.
    clock.advance(24 * 60 * 60_000);
    expect(await (await postWebhook(yoga, body, ghlHeaders(body, keys, 'ed25519'))).json()).toEqual({
      status: 'duplicate',
    });
    await pipeline.processor.drain();
    expect(seen).toHaveLength(1);
    expect(seen[0]!.webhookId).toMatch(/^b-[0-9a-f]{32}$/);
  });

  it('stores an agency-level UNINSTALL (companyId, no locationId); ignores other types and other apps', async () => {
    const { pipeline, yoga } = await start({ appId: 'ourApp' });
    const agency = JSON.stringify({ type: 'UNINSTALL', appId: 'ourApp', companyId: 'company0000000000001' });
    expect(await (await postWebhook(yoga, agency, ghlHeaders(agency, keys))).json()).toEqual({ status: 'accepted' });
    for (const other of [
      JSON.stringify({ type: 'OpportunityCreate', locationId: 'locA0000000000000001', id: 'o1' }),
      JSON.stringify({ type: 'ContactCreate', appId: 'theirApp', locationId: 'locA0000000000000001', id: 'c1' }),
    ]) {
      expect(await (await postWebhook(yoga, other, ghlHeaders(other, keys))).json()).toEqual({ status: 'ignored' });
    }
    await pipeline.processor.drain();
    expect(seen.map((e) => [e.eventType, 'companyId' in e ? e.companyId : null])).toEqual([
      ['UNINSTALL', 'company0000000000001'],
    ]);
    expect(pipeline.inbox.stats().remembered).toBe(1);
  });

  it('answers 200 to a duplicate and runs the handlers once', async () => {
    const { pipeline, yoga } = await start();
    const { body, headers } = signed('NoteCreate', { contactId: 'c1' });
    const [first, second] = await Promise.all([postWebhook(yoga, body, headers), postWebhook(yoga, body, headers)]);
    expect([first.status, second.status]).toEqual([200, 200]);
    await pipeline.processor.drain();
    const third = await postWebhook(yoga, body, headers);
    expect(await third.json()).toEqual({ status: 'duplicate' });
    // Even hours later, past the staleness window, a copy of a processed event is still "done".
    clock.advance(3 * 60 * 60_000);
    expect((await postWebhook(yoga, body, headers)).status).toBe(200);
    await pipeline.processor.drain();
    expect(seen).toHaveLength(1);
  });

  it('answers 429 when the inbox is full; GHL redelivering later gets it processed once', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { pipeline, yoga } = await start({ maxPending: 1, handlers: [async (e) => (await gate, record(e))] });
    const first = signed('ContactCreate');
    const second = signed('ContactUpdate');
    expect((await postWebhook(yoga, first.body, first.headers)).status).toBe(200);
    const refused = await postWebhook(yoga, second.body, second.headers);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('600');
    expect(pipeline.inbox.seen(second.webhookId)).toBe(false);

    release();
    await pipeline.processor.drain();
    // GHL's first retry, ten minutes later, with the same signed body.
    clock.advance(10 * 60_000);
    expect(await (await postWebhook(yoga, second.body, second.headers)).json()).toEqual({ status: 'accepted' });
    await pipeline.processor.drain();
    clock.advance(10 * 60_000);
    expect(await (await postWebhook(yoga, second.body, second.headers)).json()).toEqual({ status: 'duplicate' });
    await pipeline.processor.drain();
    expect(seen.map((e) => e.webhookId)).toEqual([first.webhookId, second.webhookId]);
  });

  it('answers 429 when the store cannot write, and stores the redelivery', async () => {
    let failing = true;
    const { pipeline, yoga } = await start({
      onWritePoint: () => {
        if (failing) throw Object.assign(new Error('no space left'), { code: 'ENOSPC' });
      },
    });
    const { body, headers, webhookId } = signed('TaskComplete', { contactId: 'c1' });
    const response = await postWebhook(yoga, body, headers);
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('600');
    expect(pipeline.inbox.seen(webhookId)).toBe(false);
    failing = false;
    expect((await postWebhook(yoga, body, headers)).status).toBe(200);
    await pipeline.processor.drain();
    expect(seen).toHaveLength(1);
  });

  it('after a restart, runs what was pending and still knows the ids it saw', async () => {
    const first = await start({
      handlers: [async () => Promise.reject(new Error('not yet'))],
      processing: { baseDelayMs: 60_000 },
    });
    const a = signed('ContactCreate');
    const b = signed('AppointmentCreate', { appointment: { id: 'ap1', contactId: 'c1' } });
    for (const e of [a, b]) expect((await postWebhook(first.yoga, e.body, e.headers)).status).toBe(200);
    await stop(first.pipeline);

    const second = await start();
    await second.pipeline.processor.drain();
    expect(seen.map((e) => e.webhookId)).toEqual([a.webhookId, b.webhookId]);
    for (const e of [a, b])
      expect(await (await postWebhook(second.yoga, e.body, e.headers)).json()).toEqual({ status: 'duplicate' });
    await stop(second.pipeline);

    const third = await start();
    await third.pipeline.processor.drain();
    expect(seen).toHaveLength(2);
    expect((await postWebhook(third.yoga, a.body, a.headers)).status).toBe(200);
    await third.pipeline.processor.drain();
    expect(seen).toHaveLength(2);
  });

  it('retries a failing handler until it succeeds, once', async () => {
    let calls = 0;
    const { pipeline, yoga } = await start({
      handlers: [
        async (e) => {
          calls += 1;
          if (calls < 3) throw new Error('GHL answered 502');
          await record(e);
        },
      ],
    });
    const { body, headers } = signed('TaskDelete', { contactId: 'c1' });
    expect((await postWebhook(yoga, body, headers)).status).toBe(200);
    await pipeline.processor.drain();
    expect(calls).toBe(3);
    expect(seen).toHaveLength(1);
  });

  it('refuses a 2 MB body with 413, declared or streamed', async () => {
    const { pipeline, yoga } = await start();
    const big = JSON.stringify({
      ...eventBody('ContactCreate', {}, clock.now()),
      padding: 'x'.repeat(2 * 1024 * 1024),
    });
    const declared = await postWebhook(yoga, big, {
      ...ghlHeaders(big, keys, 'ed25519'),
      'content-length': String(Buffer.byteLength(big)),
    });
    expect(declared.status).toBe(413);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        const chunk = new Uint8Array(256 * 1024).fill(0x20);
        for (let i = 0; i < 8; i += 1) controller.enqueue(chunk);
        controller.close();
      },
    });
    const streamed = await yoga.fetch('http://gateway/webhooks/ghl', {
      method: 'POST',
      headers: { 'x-ghl-signature': 'AAAA' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(pipeline.inbox.stats().pending).toBe(0);
  });

  it('answers 405 to other methods and leaves other paths to Yoga', async () => {
    const { yoga } = await start();
    const get = await yoga.fetch('http://gateway/webhooks/ghl');
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    const graphql = await yoga.fetch('http://gateway/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ ok }' }),
    });
    expect(await graphql.json()).toEqual({ data: { ok: true } });
  });

  it('refuses a retention shorter than the staleness window', async () => {
    await expect(start({ staleAfterMs: 60 * 60_000, retainSeenMs: 30 * 60_000 })).rejects.toThrow(/remembered/);
  });
});
