// A tiny HTTP client for the sandbox tests: real fetch, GHL's headers by default.

import type { Sandbox } from '../../src/sandbox/server.js';

export interface ApiResponse {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON, or undefined when the body is not JSON. */
  body: any;
}

export interface ApiOptions {
  token?: string | null;
  body?: unknown;
  /** The Version header; null leaves it out. */
  version?: string | null;
  headers?: Record<string, string>;
}

export async function api(sandbox: Sandbox, method: string, path: string, opts: ApiOptions = {}): Promise<ApiResponse> {
  const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers };
  const token = opts.token === undefined ? sandbox.tokens[0]?.readWrite : opts.token;
  if (token) headers.Authorization = `Bearer ${token}`;
  if (opts.version !== null) headers.Version = opts.version ?? '2021-07-28';
  let payload: string | undefined;
  if (opts.body !== undefined) {
    headers['Content-Type'] ??= 'application/json';
    payload = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
  }
  const res = await fetch(`${sandbox.url}${path}`, { method, headers, body: payload });
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: res.headers, text, body };
}

export function tokensOf(sandbox: Sandbox, index = 0): Sandbox['tokens'][number] {
  const t = sandbox.tokens[index];
  if (!t) throw new Error(`sandbox has no location ${index}`);
  return t;
}
