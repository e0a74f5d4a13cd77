// Reading request bodies and writing JSON responses on node:http.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { httpErrors } from './http-error.js';

const MAX_BODY_BYTES = 1_000_000;

export async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buf.length;
    if (size > MAX_BODY_BYTES) throw httpErrors.payloadTooLarge();
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The JSON body, or undefined when there is none. A body sent with a non-JSON content type is
 * ignored, as GHL's (NestJS/express) JSON parser ignores it; unparseable JSON is a 400.
 */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const text = await readText(req);
  if (text.trim().length === 0) return undefined;
  const type = req.headers['content-type'];
  if (type !== undefined && !/json/i.test(type)) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw httpErrors.badRequest(err instanceof Error ? err.message : 'Invalid JSON body');
  }
}

/**
 * The body of an OAuth token request: form fields (what oauth.json's requestBody names,
 * `application/x-www-form-urlencoded`) or JSON (what GHL's own OAuth guide sends in its code
 * exchange example, and GHL answers it). Other content types are ignored, as by readJsonBody.
 * A form field given twice counts once, first value first.
 */
export async function readFormOrJsonBody(req: IncomingMessage): Promise<unknown> {
  const type = req.headers['content-type'] ?? '';
  if (/^\s*application\/x-www-form-urlencoded/i.test(type)) {
    const text = await readText(req);
    const fields: Record<string, string> = {};
    for (const [key, value] of new URLSearchParams(text)) if (!(key in fields)) fields[key] = value;
    return text.trim().length === 0 ? undefined : fields;
  }
  return readJsonBody(req);
}

export function sendRedirect(res: ServerResponse, location: string): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(302, { Location: location, 'Content-Length': '0', 'Cache-Control': 'no-store' });
  res.end();
}

export function sendHtml(res: ServerResponse, status: number, html: string): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(html)),
  });
  res.end(html);
}

export function sendRaw(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  sendRaw(res, status, JSON.stringify(body), headers);
}
