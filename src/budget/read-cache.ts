// The cross-request read cache: 2xx replies of shared reads, keyed by tenant (see cache-key.ts),
// and indexed by scope and tag so a write can drop exactly the reads it may have changed.
import { LRUCache } from 'lru-cache';
import type { GhlReply } from '../ghl/call.js';
import type { Clock } from './clock.js';

interface Entry {
  reply: GhlReply;
  scope: string;
  tags: readonly string[];
}

export class ReadCache {
  private readonly entries: LRUCache<string, Entry>;
  /** scope → tag → keys; kept in step with `entries` by the dispose hook. */
  private readonly index = new Map<string, Map<string, Set<string>>>();

  constructor(config: { ttlMs: number; maxEntries: number }, clock: Clock) {
    this.entries = new LRUCache<string, Entry>({
      max: config.maxEntries,
      ttl: config.ttlMs,
      // The budget's clock, so tests can expire entries; no resolution caching, since that would
      // read the clock through a real timer.
      perf: clock,
      ttlResolution: 0,
      dispose: (entry, key) => this.unindex(key, entry),
    });
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string): GhlReply | undefined {
    return this.entries.get(key)?.reply;
  }

  set(key: string, reply: GhlReply, scope: string, tags: readonly string[]): void {
    this.entries.set(key, { reply, scope, tags });
    let byTag = this.index.get(scope);
    if (byTag === undefined) this.index.set(scope, (byTag = new Map()));
    for (const tag of tags) {
      let keys = byTag.get(tag);
      if (keys === undefined) byTag.set(tag, (keys = new Set()));
      keys.add(key);
    }
  }

  /** Drops the scope's entries that carry any of the tags, whichever tenant read them. */
  evict(scope: string, tags: readonly string[]): void {
    const byTag = this.index.get(scope);
    if (byTag === undefined) return;
    const keys = new Set<string>();
    for (const tag of tags) for (const key of byTag.get(tag) ?? []) keys.add(key);
    for (const key of keys) this.entries.delete(key);
  }

  evictScope(scope: string): void {
    const keys = new Set<string>();
    for (const tagged of this.index.get(scope)?.values() ?? []) for (const key of tagged) keys.add(key);
    for (const key of keys) this.entries.delete(key);
  }

  private unindex(key: string, entry: Entry): void {
    const byTag = this.index.get(entry.scope);
    if (byTag === undefined) return;
    for (const tag of entry.tags) {
      const keys = byTag.get(tag);
      keys?.delete(key);
      if (keys?.size === 0) byTag.delete(tag);
    }
    if (byTag.size === 0) this.index.delete(entry.scope);
  }
}
