// Sends the sandbox's webhook events to the configured URL, the way GHL delivers its own:
// - the body is serialised once and both signatures are made over exactly those bytes;
// - only a 429 is retried (GHL's "Automated Webhook Retries": 429 only, every other status is
//   final), with the same body and webhookId, after each of `retryDelaysMs` in turn; any other
//   status, a network error or a timeout drops the event;
// - one queue per sandbox, so a receiver sees events in the order the changes happened (a 429
//   holds back the events behind it until its retries end).
// Without a URL nothing is queued or sent. reset() and close() cancel what is pending.

import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { ClientRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { WebhooksOption } from './options.js';
import type { WebhookPayload, WebhookSink, WebhookType } from './webhook-events.js';
import type { WebhookSigner } from './webhook-keys.js';

export interface WebhookSettings {
  url: string | null;
  retryDelaysMs: number[];
  timeoutMs: number;
}

const DEFAULT_WEBHOOK_SETTINGS: Readonly<WebhookSettings> = Object.freeze({
  url: null,
  // GHL waits about 10 minutes (plus jitter) between up to six retries; a local sandbox is
  // for quick feedback, so it waits seconds. Configure GHL's schedule to rehearse it.
  retryDelaysMs: [1_000, 5_000, 30_000],
  timeoutMs: 10_000,
});

export interface SandboxWebhookStats {
  /** Events POSTed at least once. */
  sent: number;
  /** Events answered 2xx. */
  delivered: number;
  /** Redeliveries after a 429 (an event retried twice counts 2). */
  retried: number;
  /** Events given up: a non-2xx other than 429, a network error, a timeout, or 429 after the last retry. */
  dropped: number;
  /** Events queued or in flight. */
  pending: number;
}

export interface SandboxWebhookDelivery {
  webhookId: string;
  type: WebhookType;
  locationId: string;
  url: string;
  status: 'pending' | 'delivered' | 'dropped';
  /** POSTs made so far (1 + redeliveries). */
  attempts: number;
  /** The receiver's last HTTP status; null before an answer or after a network error. */
  httpStatus: number | null;
  /** Why the last attempt got no HTTP answer (connection refused, timeout). */
  error?: string;
}

/** How many deliveries `sentWebhooks()` remembers. */
const LOG_SIZE = 200;

interface Job {
  record: SandboxWebhookDelivery;
  body: Buffer;
  headers: Record<string, string>;
}

type Outcome = { status: number } | { error: string };

export class WebhookDelivery implements WebhookSink {
  settings: WebhookSettings = { ...DEFAULT_WEBHOOK_SETTINGS, retryDelaysMs: [...DEFAULT_WEBHOOK_SETTINGS.retryDelaysMs] };
  private queue: Job[] = [];
  private active: Job | undefined;
  private draining = false;
  /** Bumped by reset/close: work started before it must not touch the new state. */
  private epoch = 0;
  private closed = false;
  private idleWaiters: (() => void)[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly requests = new Set<ClientRequest>();
  private counts = { sent: 0, delivered: 0, retried: 0, dropped: 0 };
  private log: SandboxWebhookDelivery[] = [];

  constructor(
    private readonly signer: WebhookSigner,
    option: WebhooksOption = {},
  ) {
    this.configure(option);
  }

  /** Fields left out stay; `url: null` stops sending (events already queued still go out). */
  configure(option: WebhooksOption): void {
    if (option.url !== undefined) this.settings.url = option.url;
    if (option.retryDelaysMs !== undefined) this.settings.retryDelaysMs = [...option.retryDelaysMs];
    if (option.timeoutMs !== undefined) this.settings.timeoutMs = option.timeoutMs;
  }

  emit(type: WebhookType, locationId: string, fields: Record<string, unknown>, now: Date): WebhookPayload {
    const payload: WebhookPayload = { type, locationId, ...fields, timestamp: now.toISOString(), webhookId: randomUUID() };
    const url = this.settings.url;
    if (url === null || this.closed) return payload;
    // Serialised once: the signatures, every attempt and the receiver all see these bytes.
    const body = Buffer.from(JSON.stringify(payload), 'utf8');
    const signatures = this.signer.sign(body);
    const record: SandboxWebhookDelivery = { webhookId: payload.webhookId, type, locationId, url, status: 'pending', attempts: 0, httpStatus: null };
    this.log.push(record);
    if (this.log.length > LOG_SIZE) this.log.splice(0, this.log.length - LOG_SIZE);
    this.queue.push({
      record,
      body,
      headers: {
        'content-type': 'application/json',
        'content-length': String(body.length),
        'x-ghl-signature': signatures.ed25519,
        'x-wh-signature': signatures.rsa,
      },
    });
    void this.drain();
    return payload;
  }

  stats(): SandboxWebhookStats {
    return { ...this.counts, pending: this.queue.length + (this.active ? 1 : 0) };
  }

  /** Oldest first; copies. */
  deliveries(): SandboxWebhookDelivery[] {
    return this.log.map((r) => ({ ...r }));
  }

  /** Resolves once every queued event was delivered or dropped. */
  idle(): Promise<void> {
    if (!this.draining) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Cancels pending deliveries and forgets counts and log; settings stay. */
  reset(): void {
    this.cancel();
    this.counts = { sent: 0, delivered: 0, retried: 0, dropped: 0 };
    this.log = [];
  }

  close(): void {
    this.closed = true;
    this.cancel();
  }

  private cancel(): void {
    this.epoch++;
    this.queue = [];
    this.active = undefined;
    this.draining = false;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const req of this.requests) req.destroy();
    this.requests.clear();
    this.wakeIdle();
  }

  private wakeIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const wake of waiters) wake();
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    const epoch = this.epoch;
    // The epoch is checked before taking a job: after a reset, the queue belongs to a new drain.
    while (epoch === this.epoch) {
      const job = this.queue.shift();
      if (job === undefined) break;
      this.active = job;
      await this.deliver(job, epoch);
    }
    if (epoch !== this.epoch) return;
    this.active = undefined;
    this.draining = false;
    this.wakeIdle();
  }

  private async deliver(job: Job, epoch: number): Promise<void> {
    const { record } = job;
    for (let retry = 0; ; retry++) {
      if (retry === 0) this.counts.sent++;
      else this.counts.retried++;
      record.attempts++;
      const outcome = await this.post(record.url, job);
      if (epoch !== this.epoch) return;
      if ('status' in outcome) {
        record.httpStatus = outcome.status;
        delete record.error;
      } else {
        record.httpStatus = null;
        record.error = outcome.error;
      }
      if ('status' in outcome && outcome.status >= 200 && outcome.status < 300) {
        record.status = 'delivered';
        this.counts.delivered++;
        return;
      }
      const delay = 'status' in outcome && outcome.status === 429 ? this.settings.retryDelaysMs[retry] : undefined;
      if (delay === undefined) {
        record.status = 'dropped';
        this.counts.dropped++;
        return;
      }
      await this.sleep(delay);
      if (epoch !== this.epoch) return;
    }
  }

  /** One POST; resolves (never rejects) with the status or why there was none. Redirects are not followed. */
  private post(url: string, job: Job): Promise<Outcome> {
    return new Promise((resolve) => {
      let target: URL;
      try {
        target = new URL(url);
      } catch {
        resolve({ error: `invalid URL ${url}` });
        return;
      }
      const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
      const timeoutMs = this.settings.timeoutMs;
      const req = send(target, { method: 'POST', headers: job.headers, timeout: timeoutMs }, (res) => {
        // The body is not read for anything; drain it so the socket is freed.
        res.resume();
        this.requests.delete(req);
        resolve({ status: res.statusCode ?? 0 });
      });
      this.requests.add(req);
      req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      req.on('error', (err) => {
        this.requests.delete(req);
        resolve({ error: err.message });
      });
      req.end(job.body);
    });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }
}
