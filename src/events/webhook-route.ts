// POST /webhooks/ghl: GHL's webhooks come in here, as a Yoga plugin (like plugins/health.ts).
//
// GHL redelivers only what was answered 429; every other answer is final. So the answers are:
//   200  stored durably (or already stored: a duplicate; or nothing for us: another event type
//        or another app's event, not stored)                   → GHL forgets it
//   429  cannot store it now (inbox full, disk failing)         → GHL sends it again later
//   401  no valid signature; 400 unreadable, without a location, or stale; 413 too large; 405
// Nothing is stored unless it is signed, readable and fresh. What a readable event may lack
// (webhookId, timestamp, locationId at agency level) is webhook-payload.ts's to decide. Processing happens afterwards, in the
// processor, so GHL's wait does not include our handlers or any GHL call they make.
//
// Staleness bounds replays: a captured request replayed later is refused as stale, and inside the
// window it is a duplicate. An event without a timestamp (GHL's own examples carry none) cannot be
// aged: it is deduplicated by its id for as long as the inbox remembers ids (3 days), and a replay
// after that would run again; its signature still proves GHL sent it. The window must cover GHL's own redeliveries, which resend the same
// signed body (same timestamp) ten minutes apart, six times: a window shorter than about 70
// minutes turns a 429 into a lost event. Hence the default of two hours.
import type { Plugin } from 'graphql-yoga';
import type { Logger } from '../log.js';
import type { GhlChange } from '../ghl/changes.js';
import { decodeWebhook, type DecodeOptions } from './webhook-payload.js';
import { InboxWriteError, type Inbox } from './inbox.js';
import type { Processor } from './processor.js';
import type { VerifySignature } from './verify-signature.js';
import { readBodyWithin } from '../plugins/read-body.js';

export const WEBHOOK_PATH = '/webhooks/ghl';
export const DEFAULT_STALE_AFTER_MS = 2 * 60 * 60_000;
export const DEFAULT_FUTURE_SKEW_MS = 5 * 60_000;
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
// GHL retries on its own ten-minute schedule; the header is for any other sender.
const DEFAULT_RETRY_AFTER_SECONDS = 600;

export interface WebhookRouteOptions {
  inbox: Pick<Inbox, 'accept' | 'seen'>;
  verify: VerifySignature;
  processor: Pick<Processor, 'kick'>;
  logger: Logger;
  /** Events whose timestamp is older than this are refused (400); default 2 h. */
  staleAfterMs?: number;
  /** Events whose timestamp is further ahead than this are refused (400); default 5 min. */
  futureSkewMs?: number;
  /** Larger bodies are refused (413) without reading them all; default 1 MiB. */
  maxBodyBytes?: number;
  retryAfterSeconds?: number;
  now?: () => number;
  path?: string;
  /** This app's id: events of other apps are ignored (webhook-payload.ts). */
  appId?: DecodeOptions['appId'];
}

export function webhookRoute(options: WebhookRouteOptions): Plugin {
  const { inbox, verify, processor, logger } = options;
  const path = options.path ?? WEBHOOK_PATH;
  const now = options.now ?? Date.now;
  const staleAfterMs = options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
  const futureSkewMs = options.futureSkewMs ?? DEFAULT_FUTURE_SKEW_MS;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const retryAfter = String(options.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS);

  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== path) return;
      const answer = (status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
        endResponse(fetchAPI.Response.json(body, { status, headers: { 'cache-control': 'no-store', ...headers } }));

      if (request.method !== 'POST') return answer(405, { error: 'Use POST.' }, { allow: 'POST' });

      const bytes = await readBodyWithin(request, maxBodyBytes);
      if (bytes === undefined) return answer(413, { error: `The body is larger than ${maxBodyBytes} bytes.` });

      // The signature is checked over the bytes as received, before anything reads them.
      const verdict = verify(bytes, request.headers);
      if (!verdict.ok) {
        logger.warn('webhook refused: signature', { reason: verdict.reason, bytes: bytes.length });
        return answer(401, { error: 'Missing or invalid webhook signature.' });
      }

      const parsed = parseEvent(bytes, options.appId);
      if (!parsed.ok) {
        logger.warn('webhook refused: payload', { problem: parsed.problem });
        return answer(400, { error: parsed.problem });
      }
      if (parsed.change === undefined) {
        logger.debug('webhook ignored', { reason: parsed.ignored });
        return answer(200, { status: 'ignored' });
      }
      const { change, text } = parsed;
      const ids = { webhookId: change.webhookId, type: change.eventType, locationId: change.locationId };

      // Before the staleness check: a late redelivery of something already stored is still "done".
      if (inbox.seen(change.webhookId)) return answer(200, { status: 'duplicate' });

      const age = change.at === undefined ? 0 : now() - change.at;
      if (!(age <= staleAfterMs && age >= -futureSkewMs)) {
        logger.warn('webhook refused: stale', { ...ids, ageMs: age });
        return answer(400, { error: 'The event timestamp is outside the accepted window.' });
      }

      let result;
      try {
        result = await inbox.accept(change, text);
      } catch (error) {
        // Never 200 for what is not stored: 429 makes GHL send it again.
        logger.error('webhook not stored; asked GHL to redeliver', {
          ...ids,
          error: error instanceof InboxWriteError ? error.message : 'unexpected inbox failure',
        });
        return answer(
          429,
          { error: 'The event could not be stored; send it again later.' },
          { 'retry-after': retryAfter },
        );
      }
      if (result === 'full') {
        logger.warn('webhook inbox full; asked GHL to redeliver', ids);
        return answer(429, { error: 'Too many events waiting; send it again later.' }, { 'retry-after': retryAfter });
      }
      if (result === 'accepted') {
        logger.debug('webhook stored', ids);
        processor.kick();
      }
      return answer(200, { status: result });
    },
  };
}

type Parsed =
  | { ok: true; change: GhlChange; text: string }
  | { ok: true; change: undefined; ignored: string }
  | { ok: false; problem: string };

function parseEvent(bytes: Uint8Array, appId: string | undefined): Parsed {
  let text: string;
  try {
    // fatal: a body that is not UTF-8 is not GHL's JSON; storing a lossy copy would hide that.
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, problem: 'The body is not UTF-8 text.' };
  }
  const decoded = decodeWebhook(text, appId === undefined ? {} : { appId });
  if (!decoded.ok || decoded.change === undefined) return decoded;
  return { ok: true, change: decoded.change, text };
}
