// What the gateway accepts as a reply body from GHL: at most REPLY_LIMITS.maxBytes of JSON nested
// at most REPLY_LIMITS.maxDepth levels deep. A body past either limit is refused here, before it
// is parsed, frozen, cached or passed through to a response: 10,000 levels of nesting would
// overflow the stack of everything recursive after this point (freezing, zod, JSON.stringify of
// the GraphQL response), and an unbounded body is unbounded memory per call.
import { GhlBadJsonError } from './errors.js';

export interface ReplyLimits {
  /** Largest body read, in bytes; a 2xx past it is an error, the rest of it is not read. */
  maxBytes: number;
  /** Deepest nesting of objects and arrays accepted; the reply envelope itself is level 1. */
  maxDepth: number;
}

export const REPLY_LIMITS: ReplyLimits = { maxBytes: 10 * 1024 * 1024, maxDepth: 32 };

/** A body as read off the wire: its text, or the fact that it passed the size limit. */
export type RawBody = { text: string } | { tooLarge: true };

/**
 * Reads a body up to `maxBytes`. Past the limit it stops reading and destroys the stream (the
 * connection is not reused), so a huge reply costs at most the limit in memory.
 */
export async function readBodyText(
  body: AsyncIterable<Uint8Array> & { destroy(): unknown },
  maxBytes: number,
  contentLength: string | undefined,
): Promise<RawBody> {
  if (contentLength !== undefined && Number(contentLength) > maxBytes) {
    body.destroy();
    return { tooLarge: true };
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > maxBytes) {
      body.destroy();
      return { tooLarge: true };
    }
    chunks.push(chunk);
  }
  return { text: Buffer.concat(chunks).toString('utf8') };
}

/**
 * The parsed JSON of a reply. A 2xx that cannot be read (empty, not JSON, too deep, too large)
 * throws GhlBadJsonError, so it never reaches the cache. An error status keeps whatever can be
 * read of its body (GHL's message), and only its status when nothing can: the status alone
 * decides how the error is mapped and whether it is retried.
 */
export function decodeReplyBody(
  operation: string,
  status: number,
  raw: RawBody,
  limits: ReplyLimits = REPLY_LIMITS,
): unknown {
  const ok = status >= 200 && status < 300;
  if ('tooLarge' in raw) {
    if (ok) throw new GhlBadJsonError(operation, status, 'too_large', limits.maxBytes);
    return undefined;
  }
  const { text } = raw;
  if (text.trim() === '') {
    // 204 says "no content" by definition; the envelope check downstream still refuses to cache it.
    if (ok && status !== 204) throw new GhlBadJsonError(operation, status, 'empty');
    return undefined;
  }
  if (nestingExceeds(text, limits.maxDepth)) {
    if (ok) throw new GhlBadJsonError(operation, status, 'too_deep', limits.maxDepth);
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // An error status with an HTML or text body (a proxy's 502 page) still maps to its status.
    if (ok) throw new GhlBadJsonError(operation, status, 'not_json');
    return { message: text.slice(0, 200) };
  }
}

/**
 * Whether JSON text nests objects and arrays deeper than `maxDepth`, found in one pass over the
 * characters without recursion (brackets inside strings do not count). Text that is not JSON at
 * all is left for JSON.parse to refuse.
 */
export function nestingExceeds(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > maxDepth) return true;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      depth--;
    }
  }
  return false;
}
