// Subscriptions over server-sent events: a subscriber receives its own location's changes, never
// another location's, and only with contacts.readonly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordChange } from '../../src/ghl/changes.js';
import { sandboxFixtures } from '../../src/sandbox/fixtures.js';
import { mintSandboxToken } from '../../src/sandbox/tokens.js';
import { subscribe } from '../support/sse.js';
import { startStack, type Stack } from '../support/stack.js';

const { sunrise, harbor } = sandboxFixtures;
let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());

const task = (locationId: string, contactId: string, title: string): RecordChange => ({
  kind: 'task',
  change: 'created',
  eventType: 'TaskCreate',
  locationId,
  contactId,
  recordId: `t${title.replace(/\W/g, '')}`,
  record: { id: `t${title.replace(/\W/g, '')}`, title, contactId, completed: false, dueDate: '2031-01-01T00:00:00Z' },
  at: Date.now(),
  webhookId: `wh-${title}`,
});

describe('subscriptions', () => {
  it("a subscriber receives its own location's changes and never another's", async () => {
    const sub = await subscribe<{
      data: { taskChanged: { change: string; contactId: string; task: { title: string } } };
    }>(
      stack.url,
      stack.readOnly,
      'subscription { taskChanged { change contactId eventType task { id title status } } }',
    );
    try {
      await new Promise((r) => setTimeout(r, 200));
      stack.live.publish(task(harbor.locationId, harbor.richContactId, 'Other location'));
      stack.live.publish({ ...task(sunrise.locationId, sunrise.richContactId, 'Note, not task'), kind: 'note' });
      stack.live.publish(task(sunrise.locationId, sunrise.richContactId, 'Mine'));
      const event = await sub.next();
      expect(event.data.taskChanged).toMatchObject({
        change: 'CREATED',
        contactId: sunrise.richContactId,
        task: { title: 'Mine' },
      });
    } finally {
      sub.close();
    }
  });

  it('a token without contacts.readonly cannot subscribe', async () => {
    const token = mintSandboxToken({
      locationId: sunrise.locationId,
      scopes: ['contacts.write'],
      expiresInSeconds: 600,
    });
    const sub = await subscribe<{ errors?: Array<{ extensions?: { code?: string } }> }>(
      stack.url,
      token,
      'subscription { contactChanged { change } }',
    );
    try {
      const first = await sub.next();
      expect(first.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    } finally {
      sub.close();
    }
  });
});
