// Events end to end against the sandbox: a contact edited in the simulated GHL UI reaches a live
// subscription through a signed webhook, the next query returns the new data (the webhook evicted
// the cached read), and an automation rule has created its task, once, across redeliveries.
import { writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxFixtures } from '../../src/sandbox/fixtures.js';
import { subscribe } from '../support/sse.js';
import { startStack, type Stack } from '../support/stack.js';

const { sunrise, harbor } = sandboxFixtures;
let stack: Stack;
let recorder: Server;
/** Every webhook as the sandbox sent it: raw bytes and signature headers, for replaying. */
const recorded: Array<{ body: string; headers: Record<string, string> }> = [];

const RULES = {
  rules: [
    {
      id: 'hot-lead',
      on: 'contact.tagAdded',
      when: { tagAdded: 'hot-lead' },
      task: { title: 'Hot lead: call {{contact.firstName || "them"}} today', dueIn: '4h' },
    },
  ],
};

async function waitFor<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 5_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > until) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  const rulesFile = path.join(tmpdir(), `automation-rules-${process.pid}.json`);
  await writeFile(rulesFile, JSON.stringify(RULES));
  stack = await startStack({ managed: true, events: true, env: { AUTOMATION_RULES_FILE: rulesFile } });
  // Install the app for Sunrise, so automation has the location's credential.
  const start = await fetch(`${stack.base}/oauth/install`, { redirect: 'manual' });
  const chooser = new URL(start.headers.get('location')!);
  chooser.searchParams.set('location_id', sunrise.locationId);
  const approved = await fetch(chooser, { redirect: 'manual' });
  expect((await fetch(approved.headers.get('location')!)).status).toBe(200);
  // A recording hop between the sandbox and the gateway, so a test can redeliver a webhook
  // byte for byte, as GHL does.
  recorder = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      // GHL sends UTF-8 JSON: the string re-encodes to the very bytes that were signed.
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = Object.fromEntries(
        ['content-type', 'x-ghl-signature', 'x-wh-signature'].flatMap((h) =>
          req.headers[h] ? [[h, String(req.headers[h])]] : [],
        ),
      );
      recorded.push({ body, headers });
      const forwarded = await fetch(`${stack.base}/webhooks/ghl`, { method: 'POST', headers, body });
      res.writeHead(forwarded.status).end(await forwarded.text());
    });
  });
  await new Promise<void>((resolve) => recorder.listen(0, '127.0.0.1', resolve));
  stack.sandbox.configure({ webhooks: { url: `http://127.0.0.1:${(recorder.address() as AddressInfo).port}/` } });
});
afterAll(async () => {
  await stack.close();
  recorder.close();
});

const CONTACT = `query($id: ID!) { contact(id: $id) { id city tags tasks { id title } } }`;
type ContactResult = {
  contact: { id: string; city: string | null; tags: string[]; tasks: Array<{ id: string; title: string }> };
};

describe('webhooks, subscriptions and automation', () => {
  it('a UI edit reaches the subscriber, the next query is fresh, and the rule creates its task once', async () => {
    const contactId = sunrise.bareContactId;
    // Warm the shared cache with the contact as it is now.
    const before = await stack.gql<ContactResult>(CONTACT, { id: contactId }, stack.readOnly);
    expect(before.body.data?.contact.tags).not.toContain('hot-lead');

    const sub = await subscribe<{
      data: { contactChanged: { change: string; contactId: string; contact: { city: string; tags: string[] } } };
    }>(
      stack.url,
      stack.readOnly,
      'subscription { contactChanged { change contactId eventType contact { city tags } } }',
    );
    const otherSub = await subscribe<unknown>(
      stack.url,
      stack.other.readOnly,
      'subscription { contactChanged { contactId } }',
    );
    try {
      await new Promise((r) => setTimeout(r, 200));
      stack.sandbox.simulate({
        action: 'updateContact',
        locationId: sunrise.locationId,
        contactId,
        changes: { city: 'Flagstaff' },
      });
      stack.sandbox.simulate({ action: 'addTags', locationId: sunrise.locationId, contactId, tags: ['hot-lead'] });

      const updated = await sub.next();
      expect(updated.data.contactChanged).toMatchObject({
        change: 'UPDATED',
        contactId,
        contact: { city: 'Flagstaff' },
      });
      const tagged = await sub.next();
      expect(tagged.data.contactChanged).toMatchObject({ change: 'TAGS', contactId });
      expect(tagged.data.contactChanged.contact.tags).toContain('hot-lead');
      // Harbor's subscriber hears nothing of Sunrise.
      await expect(otherSub.next(500)).rejects.toThrow(/no subscription event/);
    } finally {
      sub.close();
      otherSub.close();
    }

    // The webhook evicted the cached contact: the next query returns the new data.
    const after = await waitFor(
      () => stack.gql<ContactResult>(CONTACT, { id: contactId }, stack.readOnly),
      (r) => (r.body.data?.contact.tasks.length ?? 0) > 0,
    );
    expect(after.body.data?.contact.city).toBe('Flagstaff');
    expect(after.body.data?.contact.tags).toContain('hot-lead');
    expect(after.body.data?.contact.tasks.map((t) => t.title)).toEqual(['Hot lead: call Derek today']);

    // GHL redelivers the tag event twice more, byte for byte: acknowledged, and still one task.
    await stack.sandbox.flushWebhooks();
    const tagEvent = recorded.find((r) => JSON.parse(r.body).type === 'ContactTagUpdate');
    expect(tagEvent).toBeDefined();
    // In GHL's documented shape: no webhookId and no timestamp, so the body itself is the id.
    expect(JSON.parse(tagEvent!.body)).not.toHaveProperty('webhookId');
    expect(JSON.parse(tagEvent!.body)).not.toHaveProperty('timestamp');
    for (let i = 0; i < 2; i += 1) {
      const again = await fetch(`${stack.base}/webhooks/ghl`, {
        method: 'POST',
        headers: tagEvent!.headers,
        body: tagEvent!.body,
      });
      expect(again.status).toBe(200);
      expect(await again.json()).toEqual({ status: 'duplicate' });
    }
    await stack.events!.pipeline.processor.drain();
    const final = await stack.gql<ContactResult>(CONTACT, { id: contactId }, stack.readOnly);
    expect(final.body.data?.contact.tasks.map((t) => t.title)).toEqual(['Hot lead: call Derek today']);
    const runs = await stack.gql<{ automationRuns: Array<{ ruleId: string; status: string; contactId: string }> }>(
      '{ automationRuns { ruleId status contactId taskId } }',
      {},
      stack.readOnly,
    );
    expect(runs.body.data?.automationRuns.filter((r) => r.status === 'created' && r.contactId === contactId)).toEqual([
      expect.objectContaining({ ruleId: 'hot-lead', contactId }),
    ]);
  });

  it('a GHL redelivery of the same signed event is acknowledged and changes nothing', async () => {
    const contactId = sunrise.richContactId;
    const before = stack.sandbox.webhookStats().delivered;
    stack.sandbox.simulate({ action: 'addTags', locationId: sunrise.locationId, contactId, tags: ['hot-lead'] });
    await stack.sandbox.flushWebhooks();
    expect(stack.sandbox.webhookStats().delivered).toBe(before + 1);
    const tasks = async () =>
      (await stack.gql<ContactResult>(CONTACT, { id: contactId }, stack.readOnly)).body.data!.contact.tasks.filter(
        (t) => t.title.startsWith('Hot lead'),
      ).length;
    expect(await waitFor(tasks, (n) => n === 1)).toBe(1);
  });

  it('a forged webhook is refused with 401 and nothing happens', async () => {
    const body = JSON.stringify({
      type: 'ContactTagUpdate',
      locationId: harbor.locationId,
      id: harbor.richContactId,
      tags: ['hot-lead'],
      timestamp: new Date().toISOString(),
      webhookId: 'forged-0001',
    });
    const response = await fetch(`${stack.base}/webhooks/ghl`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-ghl-signature': Buffer.from('not a signature').toString('base64'),
      },
      body,
    });
    expect(response.status).toBe(401);
  });

  it("UNINSTALL removes the location's stored credential: its API keys get 401 naming the install", async () => {
    const { key } = await stack.managed!.apiKeys.create({
      locationId: sunrise.locationId,
      scopes: ['contacts.readonly'],
    });
    expect((await stack.gql('{ viewer { locationId } }', {}, key)).status).toBe(200);
    stack.sandbox.simulate({ action: 'uninstall', locationId: sunrise.locationId });
    await stack.sandbox.flushWebhooks();
    await stack.events!.pipeline.processor.drain();
    expect(await stack.managed!.store.getCredential(sunrise.locationId)).toBeUndefined();
    const after = await stack.gql('{ viewer { locationId } }', {}, key);
    expect(after.status).toBe(401);
    expect(after.body.errors?.[0]?.message).toMatch(/No GHL credential is installed/);
  });
});
