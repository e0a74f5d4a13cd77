// One GHL API request, in the order GHL answers: route → token (401 Invalid JWT, or Invalid
// token for a revoked one) → rate limit (429) →
// Version header (401) → scope (401) → injected fault → handler (body 400/422, 403, 404).
// Latency is added first, so every API call pays it, whatever its answer.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { badShapeBody, deepJsonText, malformedJsonText } from './faults.js';
import type { FaultRule } from './faults.js';
import { SandboxHttpError, errorBody, httpErrors, refusedToken } from './http-error.js';
import { readJsonBody, sendJson, sendRaw } from './http-io.js';
import { matchRoute } from './router.js';
import { routeKey } from './routes.js';
import type { RouteDefinition } from './routes.js';
import type { SandboxRuntime } from './runtime.js';

/** Answers with a fault, or returns false to go on (after `slow`'s delay). */
export async function applyFault(
  rt: SandboxRuntime,
  rule: FaultRule,
  envelope: RouteDefinition['envelope'],
  res: ServerResponse,
  headers: Record<string, string>,
): Promise<boolean> {
  switch (rule.kind) {
    case 'error500':
      sendJson(res, 500, errorBody(500, 'Internal Server Error'), headers);
      return true;
    case 'rate429': {
      rt.stats.rateLimited();
      const out: Record<string, string> = { ...headers };
      if (rule.retryAfterSeconds !== undefined) out['Retry-After'] = String(rule.retryAfterSeconds);
      sendJson(res, 429, errorBody(429, 'Too Many Requests'), out);
      return true;
    }
    case 'slow':
      await rt.sleep(rule.delayMs ?? 1000);
      return false;
    case 'hang':
      // Never answered; close() destroys the socket.
      return true;
    case 'malformedJson':
      sendRaw(res, 200, malformedJsonText(envelope), headers);
      return true;
    case 'badShape':
      sendJson(res, 200, badShapeBody(envelope), headers);
      return true;
    case 'emptyBody':
      sendRaw(res, 200, '', headers);
      return true;
    case 'deepJson':
      sendRaw(res, 200, deepJsonText(envelope), headers);
      return true;
  }
}

export async function handleApiRequest(
  rt: SandboxRuntime,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  baseUrl: string,
): Promise<void> {
  const method = (req.method ?? 'GET').toUpperCase();
  const match = matchRoute(method, url.pathname);
  const key = match ? routeKey(match.route) : `${method} (no route)`;
  rt.stats.request(key);
  const headers: Record<string, string> = {};
  try {
    if (rt.latencyMs > 0) await rt.sleep(rt.latencyMs);
    if (!match) throw httpErrors.routeNotFound(method, url.pathname);

    const resolved = rt.tokens.resolve(req.headers.authorization);
    if (!resolved.ok) throw refusedToken(resolved.refusal);
    const { caller } = resolved;
    rt.stats.location(caller.locationId);

    const rate = rt.limiter.consume(caller.locationId, Date.now());
    Object.assign(headers, rate.headers);
    if (!rate.allowed) {
      rt.stats.rateLimited();
      throw httpErrors.tooManyRequests();
    }
    if (!req.headers.version) throw httpErrors.missingVersion();
    if (match.route.scope !== null && !caller.scopes.has(match.route.scope)) throw httpErrors.scope();

    const fault = rt.faults.pick(key);
    if (fault && (await applyFault(rt, fault, match.route.envelope, res, headers))) return;

    if (!match.route.handler) throw httpErrors.notImplemented(key);
    const body = await readJsonBody(req);
    const result = match.route.handler({
      caller,
      params: match.params,
      query: url.searchParams,
      body,
      store: rt.store,
      baseUrl,
      now: new Date(),
      webhooks: rt.webhooks,
    });
    sendJson(res, result.status, result.body, headers);
  } catch (err) {
    if (err instanceof SandboxHttpError) {
      sendJson(res, err.status, err.body, { ...headers, ...err.headers });
      return;
    }
    // The client went away (or close() dropped it): nothing to answer, nothing to report.
    if (req.destroyed || res.destroyed) return;
    // A sandbox bug: say so in the log, answer like GHL's 500.
    console.error(`[ghl-sandbox] ${method} ${url.pathname} failed:`, err);
    sendJson(res, 500, errorBody(500, 'Internal Server Error'), headers);
  }
}
