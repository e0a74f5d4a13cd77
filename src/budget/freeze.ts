// A shared reply is one object handed to every request that reads it (from the cache or a
// coalesced call); freezing it turns an accidental mutation by one reader into a loud error
// instead of a silent change to what every other reader sees.
import type { GhlReply } from '../ghl/call.js';

export function freezeReply(reply: GhlReply): GhlReply {
  deepFreeze(reply.body);
  Object.freeze(reply.headers);
  return Object.freeze(reply);
}

function deepFreeze(value: unknown): void {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const inner of Object.values(value)) deepFreeze(inner);
}
