// A webhook receiver for the sandbox tests: a node:http server on 127.0.0.1 that keeps every
// delivery's raw body and headers, and answers with the statuses it is told to (then 200).

import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

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
