// The vocabulary shared by the REST client, the transport and the upstream budget that sits
// between them: one GHL call described as data, and the reply as it came back.

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
  /** Safe to repeat: reads, and writes GHL treats as idempotent. Only these are retried or cached. */
  idempotent: boolean;
  /**
   * What this call reads (for reads) or changes (for writes), as location-independent resource
   * tags such as `contact:abc` or `tasks:abc`; a write evicts cached reads sharing a tag.
   */
  tags: string[];
}

/** Who a call is made for. `tenant` keys every shared cache entry; `token` never leaves the transport. */
export interface GhlCaller {
  token: string;
  /** A verified identity for cross-request sharing (a hash of the token in pass-through mode). */
  tenant: string;
  /** The location the caller claims, when known: used for rate budgets and eviction only. */
  locationId: string | undefined;
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

export function read(operation: string, path: string, tags: string[]): GhlCall {
  return { operation, method: 'GET', path, version: CONTACTS_VERSION, idempotent: true, tags };
}

export function write(
  operation: string,
  method: 'POST' | 'PUT' | 'DELETE',
  path: string,
  tags: string[],
  body?: unknown,
): GhlCall {
  // PUT and DELETE are idempotent in HTTP terms, but a blind retry of a write whose first attempt
  // may have landed can still surprise (a second DELETE answers 404): writes are never retried.
  return { operation, method, path, version: CONTACTS_VERSION, idempotent: false, tags, body };
}
