// Error bodies in GHL's shape: `{statusCode, message, error?, traceId}`, with `message` an
// array of strings on 422 (NestJS class-validator style). Handlers throw SandboxHttpError;
// the server turns it into the response.

import { randomUUID } from 'node:crypto';
import type { TokenRefusal } from './tokens.js';

export class SandboxHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body.message === 'string' ? body.message : `HTTP ${status}`);
  }
}

export function errorBody(status: number, message: string | string[], error?: string): Record<string, unknown> {
  const body: Record<string, unknown> = { statusCode: status, message };
  if (error !== undefined) body.error = error;
  // GHL puts a traceId on its error bodies; it is random here too (not part of the seeded data).
  body.traceId = randomUUID();
  return body;
}

const fail = (status: number, message: string | string[], error?: string): SandboxHttpError =>
  new SandboxHttpError(status, errorBody(status, message, error));

export const httpErrors = {
  invalidJwt: () => fail(401, 'Invalid JWT'),
  /**
   * A well-formed, unexpired access token GHL no longer accepts (revoked early: a re-install, an
   * uninstall, GHL invalidating it). The wording is oauth.json's own 401 example (UnauthorizedDTO).
   */
  invalidToken: () => fail(401, 'Invalid token: access token is invalid', 'Unauthorized'),
  missingVersion: () => fail(401, 'version header was not found.'),
  scope: () => fail(401, 'The token is not authorized for this scope.'),
  location: () => fail(403, 'The token does not have access to this location.'),
  notFound: (what: 'Contact' | 'Task' | 'Note' | 'Appointment' | 'Location' | 'Company') =>
    fail(404, `${what} not found`),
  routeNotFound: (method: string, path: string) => fail(404, `Cannot ${method} ${path}`, 'Not Found'),
  badRequest: (message: string) => fail(400, message, 'Bad Request'),
  unprocessable: (messages: string[]) => fail(422, messages, 'Unprocessable Entity'),
  tooManyRequests: () => fail(429, 'Too Many Requests'),
  payloadTooLarge: () => fail(413, 'request entity too large', 'Payload Too Large'),
  // OAuth: the wording is node-oauth2-server's ("Invalid client: client is invalid", "Invalid
  // grant: …"), which GHL's token service evidently runs on: oauth.json's own 401 example,
  // "Invalid token: access token is invalid", is that library's message verbatim.
  invalidClient: () => fail(401, 'Invalid client: client is invalid', 'Unauthorized'),
  invalidGrant: (message: string) => fail(400, `Invalid grant: ${message}`, 'Bad Request'),
  invalidRequest: (message: string) => fail(400, `Invalid request: ${message}`, 'Bad Request'),
  /** A sub-account token on an agency-only route (Agency-Access-Only in the spec). */
  authClass: () => fail(401, 'This authClass type is not allowed to access this scope. Please reach out to support.'),
  forbidden: (message: string) => fail(403, message),
  notImplemented: (route: string) =>
    fail(
      501,
      `The GHL sandbox does not implement ${route}. It is a real GHL endpoint; use a GHL account to try it.`,
      'Not Implemented',
    ),
};

/**
 * GHL's 401 for a refused token: `Invalid JWT` for a missing, malformed, forged or expired one (or
 * an agency token on a sub-account route), oauth.json's `Invalid token: access token is invalid`
 * for one GHL revoked before it expired.
 */
export function refusedToken(refusal: TokenRefusal): SandboxHttpError {
  return refusal === 'revoked' ? httpErrors.invalidToken() : httpErrors.invalidJwt();
}
