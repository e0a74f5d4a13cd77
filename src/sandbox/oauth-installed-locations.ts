// GET /oauth/installedLocations (oauth.json's get-installed-location): an agency token
// (Agency-Access-Only, scope oauth.readonly, Version header) lists its company's locations and
// whether the app is installed at each. `companyId` and `appId` are required; `isInstalled`,
// `locationId` and `query` (name) filter; `skip` and `limit` (default 0 and 20, strings) page.
// The answer is GetInstalledLocationsSuccessfulResponseDto: `{locations: [{_id, name, address,
// isInstalled, versionId?, installedAt?}], count, installToFutureLocations}` plus GHL's traceId.
//
// Sandbox choices, as GHL does not document them: `count` is the number of matching locations
// before paging; an appId that is not the sandbox app's is installed nowhere (the filter finds
// nothing to report installed); a companyId other than the token's is a 403; locations have no
// address in the seed, so `address` is "".

import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { parseBody } from './body-validation.js';
import { httpErrors } from './http-error.js';
import type { SandboxRuntime } from './runtime.js';
import type { SandboxTokenClaims } from './tokens.js';

const required = (field: string) =>
  z.string({ error: `${field} must be a string` }).min(1, { error: `${field} should not be empty` });
const numeric = (field: string) =>
  z
    .string()
    .regex(/^\d+$/, { error: `${field} must be a number string` })
    .optional();
// NestJS's message for a query boolean: `isInstalled must be a boolean value`.
const booleanString = (field: string) =>
  z
    .string()
    .refine((v) => v === 'true' || v === 'false', { error: `${field} must be a boolean value` })
    .optional();

export const installedLocationsQuerySchema = z.object({
  companyId: required('companyId'),
  appId: required('appId'),
  skip: numeric('skip'),
  limit: numeric('limit'),
  query: z.string().optional(),
  isInstalled: booleanString('isInstalled'),
  locationId: z.string().optional(),
  versionId: z.string().optional(),
  onTrial: booleanString('onTrial'),
  planId: z.string().optional(),
});

export function listInstalledLocations(
  rt: SandboxRuntime,
  claims: SandboxTokenClaims,
  searchParams: URLSearchParams,
): Record<string, unknown> {
  const query = parseBody(installedLocationsQuerySchema, Object.fromEntries(searchParams));
  const oauth = rt.oauth;
  if (query.companyId !== claims.authClassId)
    throw httpErrors.forbidden('The token does not have access to this company.');
  const ofApp = query.appId === oauth.appId;
  const needle = query.query?.toLowerCase();
  const rows = oauth.locations
    .map((location) => {
      const installation = ofApp ? oauth.installation(location.id) : undefined;
      return {
        _id: location.id,
        name: location.name,
        address: '',
        isInstalled: installation !== undefined,
        ...(installation ? { versionId: installation.versionId, installedAt: installation.installedAt } : {}),
      };
    })
    .filter((row) => query.isInstalled === undefined || row.isInstalled === (query.isInstalled === 'true'))
    .filter((row) => query.locationId === undefined || row._id === query.locationId)
    .filter((row) => query.versionId === undefined || row.versionId === query.versionId)
    .filter((row) => needle === undefined || row.name.toLowerCase().includes(needle))
    // The sandbox app has no trials and no paid plans.
    .filter(() => query.onTrial !== 'true' && query.planId === undefined);
  const skip = Number(query.skip ?? '0');
  const limit = Number(query.limit ?? '20');
  return {
    locations: rows.slice(skip, skip + limit),
    count: rows.length,
    installToFutureLocations: false,
    traceId: randomUUID(),
  };
}
