// Changes GHL told us about, fanned out to GraphQL subscriptions. One channel per location: a
// subscriber only ever listens on its own caller's location.
import { createPubSub } from 'graphql-yoga';
import type { RecordChange } from '../ghl/changes.js';

export interface LiveChanges {
  publish(change: RecordChange): void;
  subscribe(locationId: string): AsyncIterable<RecordChange>;
}

export function createLiveChanges(): LiveChanges {
  const pubsub = createPubSub<{ location: [locationId: string, change: RecordChange] }>();
  return {
    publish: (change) => pubsub.publish('location', change.locationId, change),
    subscribe: (locationId) => pubsub.subscribe('location', locationId),
  };
}
