// Sends the sandbox's webhook events to the configured URL, the way GHL delivers its own:
// - the body is serialised once and signed over exactly those bytes: Ed25519 in
//   `x-ghl-signature`, plus the legacy RSA `x-wh-signature` only when `legacyRsaSignature` is on;
// - only a 429 is retried (GHL's Webhook Integration Guide, "Automated Webhook Retries": 429 only,
//   every 10 minutes plus jitter, six times, about 70 minutes in all; every other status is
//   final), with the same bytes, so the same `timestamp` and `webhookId` when the envelope has
//   them, after each of `retryDelaysMs` in turn; any other status, a network error or a timeout
//   drops the event;
// - one queue per sandbox, so a receiver sees events in the order the changes happened (a 429
//   holds back the events behind it until its retries end);
// - injected faults (webhook-faults.ts) may drop an event before it is sent or send it twice.
// Without a URL nothing is queued or sent. reset() and close() cancel what is pending.

import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { ClientRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { WebhooksOption } from './options.js';
import type { WebhookEvent, WebhookPayload, WebhookSink } from './webhook-events.js';
import type { WebhookType } from './webhook-event-types.js';
import { WebhookFaultDice } from './webhook-faults.js';
import type { WebhookFaults } from './webhook-faults.js';
import type { WebhookSigner } from './webhook-keys.js';
import { DEFAULT_WEBHOOK_QUIRKS, webhookPayload } from './webhook-payloads.js';
import type { WebhookEnvelope, WebhookQuirks } from './webhook-payloads.js';
import { Timers } from './timers.js';

export interface WebhookSettings {
  url: string | null;
  retryDelaysMs: number[];
  timeoutMs: number;
  envelope: WebhookEnvelope;
  legacyRsaSignature: boolean;
  quirks: WebhookQuirks;
}

function defaultSettings(): WebhookSettings {
  return {
    url: null,
    // GHL waits about 10 minutes (plus jitter) between up to six retries; a local sandbox is
    // for quick feedback, so it waits seconds. Configure GHL_RETRY_DELAYS_MS to rehearse GHL's.
    retryDelaysMs: [1_000, 5_000, 30_000],
    timeoutMs: 10_000,
    envelope: 'documented-examples',
    legacyRsaSignature: false,
    quirks: { ...DEFAULT_WEBHOOK_QUIRKS },
  };
}

/** GHL's own schedule for a 429: six retries, 10 minutes apart (GHL adds a little jitter). */
export const GHL_RETRY_DELAYS_MS: readonly number[] = Object.freeze(Array.from({ length: 6 }, () => 600_000));

export interface SandboxWebhookStats {
  /** POSTs of an event or of its duplicate, first attempts only. */
  sent: number;
  /** Of those, answered 2xx. */
  delivered: number;
  /** Redeliveries after a 429 (an event retried twice counts 2). */
  retried: number;
  /** Given up: a non-2xx other than 429, a network error, a timeout, or 429 after the last retry. */
  dropped: number;
  /** Never sent: lost to the `dropRate` fault. */
  faultDropped: number;
  /** Sent a second time by the `duplicateRate` fault. */
  duplicated: number;
  /** Queued or in flight. */
  pending: number;
}

export interface SandboxWebhookDelivery {
  /** The sandbox's id of the event: the payload's `webhookId` when the envelope carries one. */
  eventId: string;
  type: WebhookType;
  /** Absent on agency-level INSTALL / UNINSTALL. */
  locationId?: string;
  /** Only on agency-level INSTALL / UNINSTALL. */
  companyId?: string;
  url: string;
  status: 'pending' | 'delivered' | 'dropped';
  /** POSTs made so far (1 + redeliveries); 0 for an event the dropRate fault lost. */
  attempts: number;
  /** The receiver's last HTTP status; null before an answer or after a network error. */
  httpStatus: number | null;
  /** Why the last attempt got no HTTP answer (connection refused, timeout). */
  error?: string;
  /** `dropped`: lost by the dropRate fault; `duplicate`: the second, byte-identical copy of the delivery before it. */
  fault?: 'dropped' | 'duplicate';
}

/** How many deliveries `sentWebhooks()` remembers. */
const LOG_SIZE = 200;

interface Job {
  record: SandboxWebhookDelivery;
  body: Buffer;
  headers: Record<string, string>;
}

type Outcome = { status: number } | { error: string };

function emptyCounts(): Omit<SandboxWebhookStats, 'pending'> {
  return { sent: 0, delivered: 0, retried: 0, dropped: 0, faultDropped: 0, duplicated: 0 };
}

export class WebhookDelivery implements WebhookSink {
  settings: WebhookSettings = defaultSettings();
  private dice: WebhookFaultDice | undefined;
  private queue: Job[] = [];
  private active: Job | undefined;
  private draining = false;
  /** Bumped by reset/close: work started before it must not touch the new state. */
  private epoch = 0;
  private closed = false;
  private idleWaiters: (() => void)[] = [];
  private readonly timers = new Timers();
  private readonly requests = new Set<ClientRequest>();
  private counts = emptyCounts();
  private log: SandboxWebhookDelivery[] = [];

  constructor(
    private readonly signer: WebhookSigner,
    /** The app's id as of now: it follows the OAuth client id, which configure() may change. */
    private readonly appId: () => string,
    option: WebhooksOption = {},
  ) {
    this.configure(option);
  }

  /** Fields left out stay; `url: null` stops sending (events already queued still go out). */
  configure(option: WebhooksOption): void {
    if (option.url !== undefined) this.settings.url = option.url;
    if (option.retryDelaysMs !== undefined) this.settings.retryDelaysMs = [...option.retryDelaysMs];
    if (option.timeoutMs !== undefined) this.settings.timeoutMs = option.timeoutMs;
    if (option.envelope !== undefined) this.settings.envelope = option.envelope;
    if (option.legacyRsaSignature !== undefined) this.settings.legacyRsaSignature = option.legacyRsaSignature;
    for (const [name, value] of Object.entries(option.quirks ?? {})) {
      if (value !== undefined) this.settings.quirks[name as keyof WebhookQuirks] = value;
    }
  }

  /** The webhook faults in force; null when none. */
  get faults(): WebhookFaults | null {
    return this.dice ? { ...this.dice.faults } : null;
  }

  /** Replaces the webhook faults (null: none); the dice start again from the seed. */
  setFaults(faults: WebhookFaults | null): void {
    this.dice = faults === null ? undefined : new WebhookFaultDice({ ...faults });
  }

  emit(event: WebhookEvent, now: Date): WebhookPayload {
    const eventId = randomUUID();
    const { envelope, quirks } = this.settings;
    const payload = webhookPayload(event, { envelope, quirks, appId: this.appId() }, now, eventId);
    const url = this.settings.url;
    if (url === null || this.closed) return payload;
    const record: SandboxWebhookDelivery = {
      eventId,
      type: payload.type,
      ...scopeOf(payload),
      url,
      status: 'pending',
      attempts: 0,
      httpStatus: null,
    };
    const fate = this.dice?.roll() ?? 'send';
    if (fate === 'drop') {
      this.counts.faultDropped++;
      this.remember({ ...record, status: 'dropped', fault: 'dropped' });
      return payload;
    }
    // Serialised once: the signatures, every attempt, any duplicate and the receiver all see these bytes.
    const body = Buffer.from(JSON.stringify(payload), 'utf8');
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'content-length': String(body.length),
      'x-ghl-signature': this.signer.signEd25519(body),
    };
    if (this.settings.legacyRsaSignature) headers['x-wh-signature'] = this.signer.signRsa(body);
    this.enqueue({ record, body, headers });
    if (fate === 'duplicate') {
      this.counts.duplicated++;
      this.enqueue({ record: { ...record, fault: 'duplicate' }, body, headers });
    }
    void this.drain();
    return payload;
  }

  private enqueue(job: Job): void {
    this.remember(job.record);
    this.queue.push(job);
  }

  private remember(record: SandboxWebhookDelivery): void {
    this.log.push(record);
    if (this.log.length > LOG_SIZE) this.log.splice(0, this.log.length - LOG_SIZE);
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

  /** Cancels pending deliveries, clears the faults and forgets counts and log; settings stay. */
  reset(): void {
    this.cancel();
    this.dice = undefined;
    this.counts = emptyCounts();
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
    this.timers.cancelAll();
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
    return this.timers.sleep(ms);
  }
}

function scopeOf(payload: WebhookPayload): { locationId: string } | { companyId: string } | Record<string, never> {
  if (payload.locationId !== undefined) return { locationId: payload.locationId };
  if (payload.companyId !== undefined) return { companyId: payload.companyId };
  return {};
}
