// Changes GHL told us about (by webhook), fanned out to GraphQL subscriptions. One channel per
// location: a subscriber only ever listens on its own caller's location.
import { createPubSub } from 'graphql-yoga';

export type LiveKind = 'contact' | 'task' | 'note' | 'appointment';
export type LiveChange = 'created' | 'updated' | 'deleted' | 'completed' | 'tags' | 'dnd';

export interface LiveEvent {
  kind: LiveKind;
  change: LiveChange;
  locationId: string;
  contactId: string | null;
  /** The record as GHL's webhook carried it (loose; parsed by the subscription's type). */
  record: Record<string, unknown>;
  /** GHL's event type, e.g. TaskComplete. */
  type: string;
  webhookId: string;
  timestamp: string;
}

export interface LiveEvents {
  publish(event: LiveEvent): void;
  subscribe(locationId: string): AsyncIterable<LiveEvent>;
}

export function createLiveEvents(): LiveEvents {
  const pubsub = createPubSub<{ location: [locationId: string, event: LiveEvent] }>();
  return {
    publish: (event) => pubsub.publish('location', event.locationId, event),
    subscribe: (locationId) => pubsub.subscribe('location', locationId),
  };
}
