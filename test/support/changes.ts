// Record changes for handler tests, decoded from payloads exactly as the webhook receiver decodes them.
import type { GhlChange } from '../../src/ghl/changes.js';
import { decodeWebhook } from '../../src/events/webhook-payload.js';

export function changeOf(payload: Record<string, unknown>): GhlChange {
  const decoded = decodeWebhook(JSON.stringify(payload));
  if (!decoded.ok || decoded.change === undefined)
    throw new Error(`not a change: ${JSON.stringify(payload).slice(0, 200)}`);
  return decoded.change;
}
