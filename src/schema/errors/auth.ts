// Who is asking, as a client is told it: a request without a caller (401), a read-only caller's
// mutation (403), a field whose scope the caller lacks. Each message says what would work, for the
// kind of token the caller sent; none repeats the token.
import type { GraphQLError } from 'graphql';
import { LOCATION_HEADER, READ_SCOPE, WRITE_SCOPE, type AuthFailure, type Caller } from '../../auth/caller.js';
import { cannotOpenMessage } from '../../credentials/errors.js';
import { clientError, requestError } from './client-error.js';

const TOKEN_KINDS =
  'a GHL OAuth access token (a JWT, "eyJ…"), a private integration token ("pit-…", with an X-GHL-Location-Id ' +
  'header) or a gateway API key ("lpk_…")';
const NEW_KEY = 'npm run credentials -- keys create --location <id> --scopes "<scopes>"';

const CLAIMS: Record<Extract<AuthFailure, { reason: 'missing_claims' }>['claims'][number], string> = {
  authClassId: 'the location it belongs to (authClass "Location" with authClassId)',
  'oauthMeta.scopes': 'the scopes it was granted (oauthMeta.scopes)',
};

function authMessage(failure: AuthFailure): string {
  switch (failure.reason) {
    case 'missing_token':
      return `Missing Authorization header: send "Authorization: Bearer <token>" with ${TOKEN_KINDS}.`;
    case 'malformed_header':
      return `Malformed Authorization header: expected "Bearer <token>" with ${TOKEN_KINDS}.`;
    case 'malformed_token':
      return `Malformed bearer token: expected ${TOKEN_KINDS}, 16 to 4096 characters with no spaces.`;
    case 'unreadable_jwt':
      return `Malformed bearer token: it has the shape of a JWT but its payload is not GHL's claims. Expected ${TOKEN_KINDS}.`;
    case 'expired_token':
      return 'The GHL token has expired: get a new access token (refresh it with its refresh token).';
    case 'missing_claims': {
      const missing = failure.claims.map((claim) => CLAIMS[claim]).join(' and ');
      const fix = failure.company
        ? 'This is an agency (Company) token: get a location token from it (POST /oauth/locationToken).'
        : "Use a location's OAuth access token, as GHL's POST /oauth/token issues it.";
      return `The GHL token does not say ${missing}, which the gateway needs. ${fix}`;
    }
    case 'missing_location_header':
      return `A private integration token does not say which location it belongs to: send "X-GHL-Location-Id: <location id>" with it.`;
    case 'malformed_location_header':
      return `Malformed ${LOCATION_HEADER} header: expected a GHL location id (letters, digits, "-" and "_", at most 64).`;
    case 'api_keys_off':
      return 'This gateway has no managed credentials (CREDENTIALS_KEY is not set), so it accepts no API keys: send a GHL token instead.';
    case 'passthrough_off':
      return 'This gateway accepts gateway API keys only (PASSTHROUGH=off): send "Authorization: Bearer lpk_…".';
    case 'api_key_malformed':
      return `Malformed API key: a gateway API key is "lpk_", 16 hex digits, "_" and 43 more characters, as \`${NEW_KEY}\` prints it; check that it was copied whole.`;
    case 'api_key_unknown':
      return `Unknown API key: this gateway has no such key. Create one with \`${NEW_KEY}\`.`;
    case 'api_key_revoked':
      return `This API key has been revoked: use the key that replaced it, or create one with \`${NEW_KEY}\`.`;
    case 'api_key_expired':
      return `This API key has expired: use the key that replaced it, or create one with \`${NEW_KEY}\`.`;
    case 'not_installed':
      return `No GHL credential is installed for location ${failure.locationId}: install the app (GET /oauth/install) or add a private integration token.`;
    case 'needs_reinstall':
      return `GHL no longer accepts the credential of location ${failure.locationId}: re-install the app for that location.`;
    case 'cannot_open':
      return cannotOpenMessage(`the GHL credential of location ${failure.locationId}`);
  }
}

/** The 401 for a request without a caller; `extensions.reason` says which failure it was. */
export function fromAuthFailure(failure: AuthFailure): GraphQLError {
  return requestError('UNAUTHENTICATED', authMessage(failure), {
    status: 401,
    headers: { 'WWW-Authenticate': 'Bearer' },
    extra: { reason: failure.reason },
  });
}

/** How this caller could get `scope`, for its kind of token. */
function howToGet(caller: Caller, scope: string): string {
  switch (caller.kind) {
    case 'oauth-jwt':
      return `Use a GHL token with ${scope} (install the app with that scope).`;
    case 'opaque':
      return (
        `The gateway gives private integration tokens the scopes in OPAQUE_TOKEN_SCOPES (now "${caller.scopes.join(' ')}"): ` +
        `if this token has ${scope} in GHL, add it there.`
      );
    case 'api-key':
      return caller.keyScopes?.includes(scope)
        ? `The key has it, but the GHL credential of location ${caller.locationId} does not: re-install the app with ${scope}, or add a private integration token that has it.`
        : `Use an API key with ${scope} (\`${NEW_KEY}\`).`;
  }
}

function tokenNoun(caller: Caller): string {
  return caller.kind === 'api-key' ? 'API key' : 'token';
}

/**
 * A mutation from a caller without contacts.write, whose schema has no Mutation type: refused as a
 * whole with 403 instead of graphql-js's "Schema is not configured to execute mutation operation"
 * (or, for an operation with input variables, "Unknown type CreateTaskInput").
 */
export function readOnlyRefusal(caller: Caller): GraphQLError {
  return requestError(
    'FORBIDDEN',
    `This ${tokenNoun(caller)} is read-only: mutations need the ${WRITE_SCOPE} scope. ${howToGet(caller, WRITE_SCOPE)}`,
    { status: 403, extra: { reason: 'read_only', scope: WRITE_SCOPE } },
  );
}

/** A field the caller's scopes do not cover (scope-auth's refusal), on that field only. */
export function missingScope(caller: Caller, coordinate: string, scopes: readonly string[]): GraphQLError {
  const needed = scopes.length > 0 ? scopes.join(' and ') : READ_SCOPE;
  const claimed = caller.scopes.length > 0 ? caller.scopes.join(', ') : 'none';
  return clientError(
    'FORBIDDEN',
    `${coordinate} needs the ${needed} scope; this ${tokenNoun(caller)} has: ${claimed}. ${howToGet(caller, scopes[0] ?? READ_SCOPE)}`,
    { reason: 'missing_scope', scope: needed },
  );
}
