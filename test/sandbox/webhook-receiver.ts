// A webhook receiver for the sandbox tests: a node:http server on 127.0.0.1 that keeps every
// delivery's raw body and headers, and answers with the statuses it is told to (then 200); and
// useWebhookBench(), a sandbox wired to one, reset before each test.

import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startSandbox } from '../../src/sandbox/server.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { DEFAULT_WEBHOOK_QUIRKS } from '../../src/sandbox/webhook-payloads.js';

export interface Delivery {
  raw: Buffer;
  headers: IncomingHttpHeaders;
  body: any;
  /** What the receiver answered. */
  status: number;
}

export interface Receiver {
  url: string;
  deliveries: Delivery[];
  /** Answer the next deliveries with these statuses, in order; 200 after them. */
  answer(...statuses: number[]): void;
  /** Forget what was received and any planned answers. */
  clear(): void;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const deliveries: Delivery[] = [];
  let planned: number[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const status = planned.shift() ?? 200;
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        body = undefined;
      }
      deliveries.push({ raw, headers: req.headers, body, status });
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/ghl`,
    deliveries,
    answer: (...statuses) => {
      planned.push(...statuses);
    },
    clear: () => {
      deliveries.length = 0;
      planned = [];
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A sandbox that sends its webhooks to a receiver, for one test file. */
export interface WebhookBench {
  readonly sb: Sandbox;
  readonly receiver: Receiver;
  /** Everything delivered since the test began, once the sandbox's queue is empty. */
  delivered(): Promise<Delivery[]>;
  /** A call to /__sandbox/<path>, JSON both ways. */
  control(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
}

/** Short waits between 429 retries, so retry tests take milliseconds. */
export const FAST_RETRIES = [10, 10, 10];

/**
 * Starts a sandbox and a receiver for the file's tests. Before each test the webhook settings go
 * back to the defaults (but with FAST_RETRIES), and data, faults, log and receiver are cleared.
 */
export function useWebhookBench(): WebhookBench {
  let sb: Sandbox | undefined;
  let receiver: Receiver | undefined;
  const need = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the webhook bench is used before beforeAll ran');
    return value;
  };
  beforeAll(async () => {
    receiver = await startReceiver();
    sb = await startSandbox({ rateLimit: 0, webhooks: { url: receiver.url, retryDelaysMs: FAST_RETRIES } });
  });
  afterAll(async () => {
    await sb?.close();
    await receiver?.close();
  });
  beforeEach(() => {
    const { url } = need(receiver);
    need(sb).configure({
      webhooks: {
        url,
        retryDelaysMs: FAST_RETRIES,
        envelope: 'documented-examples',
        legacyRsaSignature: false,
        quirks: { ...DEFAULT_WEBHOOK_QUIRKS },
      },
    });
    need(sb).reset();
    need(receiver).clear();
  });
  return {
    get sb() {
      return need(sb);
    },
    get receiver() {
      return need(receiver);
    },
    async delivered() {
      await need(sb).flushWebhooks();
      return [...need(receiver).deliveries];
    },
    async control(method, path, body) {
      const res = await fetch(`${need(sb).url}/__sandbox${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: await res.json() };
    },
  };
}

export function types(deliveries: Delivery[]): string[] {
  return deliveries.map((d) => d.body.type as string);
}
