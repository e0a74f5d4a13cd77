// The vocabulary shared by the REST client, the transport and the upstream budget that sits
// between them: one GHL call described as data, and the reply as it came back.
import type { CacheTag } from './changes.js';

export type GhlVersion = '2021-07-28' | '2021-04-15';
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface GhlCall {
  /** Stable name of the operation, e.g. `tasks.list`; used in errors, metrics and logs. */
  operation: string;
  method: HttpMethod;
  /** Path with every parameter already validated and encoded, e.g. `/contacts/abc/tasks`. */
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  version: GhlVersion;
  /**
   * A read changes nothing in GHL (a search is a read, though it is a POST): reads alone are
   * cached, coalesced and retried. A write is sent once and evicts what it changes. The budget
   * decides from this alone and knows no GHL route.
   */
  access: 'read' | 'write';
  /**
   * What this call reads (for reads) or changes (for writes), as location-independent cache tags
   * (`changes.ts`); a write evicts cached reads sharing a tag.
   */
  tags: CacheTag[];
  /**
   * Whether a 2xx body is one the caller can read (its envelope parses). The budget shares and
   * caches only readable replies, so one unreadable answer is not served again for the cache's
   * lifetime. Set by GhlCore from the envelope schema; absent means any JSON will do.
   */
  isReadable?: (body: unknown) => boolean;
}

/** Who a call is made for. `tenant` keys every shared cache entry; `token` never leaves the transport. */
export interface GhlCaller {
  token: string;
  /** A verified identity for cross-request sharing (a hash of the token in pass-through mode). */
  tenant: string;
  /** The location the caller claims, when known: used for rate budgets and eviction only. */
  locationId: string | undefined;
}

/**
 * The tenant of a location's own credential (managed mode, automation): every caller of that
 * location shares its cache entries, because the gateway itself holds the one credential.
 */
export function locationTenant(locationId: string): string {
  return `location:${locationId}`;
}

export interface GhlReply {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON, or undefined for an empty body. */
  body: unknown;
}

export type GhlSend = (call: GhlCall, caller: GhlCaller, signal?: AbortSignal) => Promise<GhlReply>;

/** Every contacts operation, appointments of a contact included, speaks this version. */
export const CONTACTS_VERSION: GhlVersion = '2021-07-28';

export function read(operation: string, path: string, tags: CacheTag[], method: 'GET' | 'POST' = 'GET'): GhlCall {
  return { operation, method, path, version: CONTACTS_VERSION, access: 'read', tags };
}

export function write(
  operation: string,
  method: 'POST' | 'PUT' | 'DELETE',
  path: string,
  tags: CacheTag[],
  body?: unknown,
): GhlCall {
  // PUT and DELETE are idempotent in HTTP terms, but a blind retry of a write whose first attempt
  // may have landed can still surprise (a second DELETE answers 404): writes are never retried.
  return { operation, method, path, version: CONTACTS_VERSION, access: 'write', tags, body };
}
