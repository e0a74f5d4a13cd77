// Which calls are shared reads, and the key two identical reads of one tenant have in common.
import type { GhlCall, GhlCaller } from '../ghl/call.js';

/** A read whose reply may be cached and shared by identical concurrent reads of one tenant. */
export function isSharedRead(call: GhlCall): boolean {
  return call.access === 'read';
}

/**
 * The tenant comes first and is the verified identity, never the location claim: two tokens that
 * claim the same location still never share a key. Undefined query values are dropped, exactly as
 * the transport drops them, so `{a: 1}` and `{a: 1, b: undefined}` are one request.
 */
export function readKey(call: GhlCall, caller: GhlCaller): string {
  const query = Object.entries(call.query ?? {})
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([name, value]) => [name, String(value)])
    .sort(([a], [b]) => (a! < b! ? -1 : a! > b! ? 1 : 0));
  return stableJson([caller.tenant, call.method, call.path, call.version, query, call.body ?? null]);
}

/** JSON with object keys sorted at every depth, so key order in a body never splits the cache. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (inner === null || typeof inner !== 'object' || Array.isArray(inner)) return inner;
    const sorted: Record<string, unknown> = {};
    for (const name of Object.keys(inner).sort()) sorted[name] = (inner as Record<string, unknown>)[name];
    return sorted;
  });
}

/**
 * Where a caller's reads are indexed for eviction and whose rate budget they spend: the location
 * when the caller names one, otherwise the tenant itself.
 */
export function scopeOf(caller: Pick<GhlCaller, 'tenant' | 'locationId'>): string {
  return caller.locationId ?? caller.tenant;
}
