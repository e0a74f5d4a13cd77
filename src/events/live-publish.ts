// The pubsub handler: every record change is published to the subscribers of its location. The
// inbox drops duplicates first; a subscriber may still see a change twice after a crash, when
// the processor runs an event again.
import { isRecordChange } from '../ghl/changes.js';
import type { LiveChanges } from '../storage/pubsub.js';
import type { EventHandler } from './processor.js';

export function livePublishHandler(live: LiveChanges): EventHandler {
  return async function livePublish(change) {
    if (isRecordChange(change)) live.publish(change);
  };
}
