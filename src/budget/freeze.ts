// A shared reply is one object handed to every request that reads it (from the cache or a
// coalesced call); freezing it turns an accidental mutation by one reader into a loud error
// instead of a silent change to what every other reader sees.
import type { GhlReply } from '../ghl/call.js';

export function freezeReply(reply: GhlReply): GhlReply {
  deepFreeze(reply.body);
  Object.freeze(reply.headers);
  return Object.freeze(reply);
}

/**
 * With an explicit stack rather than recursion: the transport already bounds how deep a body may
 * nest, but freezing must not be the thing that overflows if a deep value arrives another way.
 */
function deepFreeze(root: unknown): void {
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const value = pending.pop();
    if (value === null || typeof value !== 'object' || Object.isFrozen(value)) continue;
    Object.freeze(value);
    for (const inner of Object.values(value)) pending.push(inner);
  }
}
