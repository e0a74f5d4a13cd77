// Reads a request body into memory up to a limit, and not a byte further: a larger body (declared
// or streamed) is refused before it is all read, so a client cannot make the gateway hold more
// than the limit. Used by the GraphQL endpoint and the webhook receiver.

/** The body's bytes, or undefined when it is over `maxBytes` (its reader is then cancelled). */
export async function readBodyWithin(request: Request, maxBytes: number): Promise<Buffer<ArrayBuffer> | undefined> {
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) return undefined;
  if (request.body === null) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
}
