// The pubsub handler: every contact, task, note or appointment event is published to the
// subscribers of its location. Publishing is idempotent in effect for a redelivered event only
// in that the inbox drops duplicates first; a subscriber may see a re-run after a crash.
import type { LiveEvent, LiveEvents, LiveKind } from '../storage/pubsub.js';
import { affected, timestampMs, type GhlEvent } from './ghl-event.js';

const ENVELOPE = new Set(['type', 'locationId', 'webhookId', 'timestamp']);

export function livePublishHandler(live: LiveEvents): (event: GhlEvent) => Promise<void> {
  return async (event) => {
    const what = affected(event);
    if (what === undefined || what.kind === 'install' || what.kind === 'uninstall') return;
    const raw = event as Record<string, unknown>;
    const record =
      what.kind === 'appointment'
        ? ((raw['appointment'] as Record<string, unknown> | undefined) ?? {})
        : Object.fromEntries(Object.entries(raw).filter(([key]) => !ENVELOPE.has(key)));
    const published: LiveEvent = {
      kind: what.kind as LiveKind,
      change: what.change,
      locationId: what.locationId,
      contactId: what.contactId ?? null,
      record,
      type: event.type,
      webhookId: event.webhookId,
      timestamp: new Date(timestampMs(event.timestamp) ?? Date.now()).toISOString(),
    };
    live.publish(published);
  };
}
