// The HTTP surface besides GraphQL: health, readiness, and a GraphiQL page that needs no CDN.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';

let stack: Stack;
let base: string;

beforeAll(async () => {
  stack = await startStack();
  base = stack.url.replace(/\/graphql$/, '');
});
afterAll(() => stack.close());

describe('server', () => {
  it('GET /healthz answers ok', async () => {
    const response = await fetch(`${base}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('GET /readyz answers ready while the upstream is reachable', async () => {
    const response = await fetch(`${base}/readyz`);
    expect(response.status).toBe(200);
  });

  it('GraphiQL is served from the package itself, with the example query', async () => {
    const response = await fetch(stack.url, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('leadPops GHL gateway');
    expect(html).toContain('query Dashboard');
    // No script or stylesheet from a CDN: the page must work with no internet.
    expect(html).not.toMatch(/<script[^>]+src="https?:\/\//);
    expect(html).not.toMatch(/unpkg|jsdelivr|cdnjs/);
  });
});

describe('readiness without an upstream', () => {
  it('GET /readyz answers 503 once the upstream is gone', async () => {
    const other = await startStack();
    await other.sandbox.close();
    const response = await fetch(other.url.replace(/\/graphql$/, '/readyz'));
    expect(response.status).toBe(503);
    await other.close().catch(() => undefined);
  });
});
