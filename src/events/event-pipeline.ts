// Assembles the webhook pipeline: verifier → route → durable inbox → processor → handlers. The
// app mounts `plugin` on its Yoga server and calls `close()` on shutdown (after the server has
// stopped taking requests, so no webhook is acknowledged into a closed inbox).
import type { Plugin } from 'graphql-yoga';
import type { Logger } from '../log.js';
import { DEFAULT_RETAIN_SEEN_MS, openInbox, type Inbox, type InboxOptions } from './inbox.js';
import { createProcessor, type EventHandler, type Processor, type ProcessorOptions } from './processor.js';
import { createSignatureVerifier, type WebhookPublicKeys } from './verify-signature.js';
import {
  DEFAULT_FUTURE_SKEW_MS,
  DEFAULT_STALE_AFTER_MS,
  webhookRoute,
  type WebhookRouteOptions,
} from './webhook-route.js';

export const DEFAULT_MAX_PENDING = 1_000;

export interface EventPipelineOptions {
  /** Directory of the inbox file (e.g. `.data/webhooks`). */
  dir: string;
  /** GHL's public keys, PEM; at least one. */
  publicKeys: WebhookPublicKeys;
  /** Events stored but not yet processed before the receiver answers 429; default 1,000. */
  maxPending?: number;
  /** Oldest event timestamp accepted; default 2 h (webhook-route.ts says why). */
  staleAfterMs?: number;
  futureSkewMs?: number;
  handlers?: EventHandler[];
  logger: Logger;
  now?: () => number;
  /** How long processed ids are remembered to refuse duplicates; default 3 days. */
  retainSeenMs?: number;
  maxSeen?: number;
  maxBodyBytes?: number;
  /** This app's id: other apps' events are ignored (webhook-payload.ts). */
  appId?: string;
  /** Retry, timeout and concurrency settings of the processor. */
  processing?: Omit<ProcessorOptions, 'inbox' | 'handlers' | 'logger'>;
  /** Test hooks of the inbox file. */
  onWritePoint?: InboxOptions['onWritePoint'];
}

export interface EventPipeline {
  plugin: Plugin;
  inbox: Inbox;
  processor: Processor;
  /** Stops processing (running events finish; waiting retries stay pending), then closes the inbox. */
  close(): Promise<void>;
}

export async function createEventPipeline(options: EventPipelineOptions): Promise<EventPipeline> {
  const staleAfterMs = options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
  const futureSkewMs = options.futureSkewMs ?? DEFAULT_FUTURE_SKEW_MS;
  const retainSeenMs = options.retainSeenMs ?? DEFAULT_RETAIN_SEEN_MS;
  // A forgotten id must already be refused as stale, or a replayed webhook would run twice. An
  // event may arrive up to futureSkewMs before its own timestamp, hence the sum.
  if (retainSeenMs < staleAfterMs + futureSkewMs) {
    throw new Error(
      `Webhook ids must be remembered (${retainSeenMs} ms) at least as long as events are accepted (${staleAfterMs + futureSkewMs} ms).`,
    );
  }
  // Built before the inbox is opened, so a bad key fails without touching the directory.
  const verify = createSignatureVerifier(options.publicKeys);
  const inbox = await openInbox({
    dir: options.dir,
    maxPending: options.maxPending ?? DEFAULT_MAX_PENDING,
    retainSeenMs,
    maxSeen: options.maxSeen,
    now: options.now,
    logger: options.logger,
    onWritePoint: options.onWritePoint,
  });
  const processor = createProcessor({
    ...options.processing,
    inbox,
    handlers: options.handlers,
    logger: options.logger,
  });
  const route: WebhookRouteOptions = {
    inbox,
    verify,
    processor,
    logger: options.logger,
    staleAfterMs,
    futureSkewMs,
    maxBodyBytes: options.maxBodyBytes,
    now: options.now,
    appId: options.appId,
  };
  let closing: Promise<void> | undefined;
  return {
    plugin: webhookRoute(route),
    inbox,
    processor,
    close() {
      closing ??= (async () => {
        await processor.close();
        await inbox.close();
      })();
      return closing;
    },
  };
}
