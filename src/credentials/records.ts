// What the gateway keeps per location: one GHL credential (an OAuth grant or a private integration
// token) and the gateway API keys that let a frontend act for that location. These are the
// plaintext, in-memory shapes; on disk the secrets are sealed (see sealed-credential.ts).
import { z } from 'zod';

/** GHL location ids are short alphanumerics; the pattern also keeps them safe inside AAD strings. */
export const locationIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, { message: 'must be a GHL location id (letters, digits, - and _)' })
  // Records are keyed by location id in plain JSON objects; these names would reach the prototype.
  .refine((id) => !['__proto__', 'constructor', 'prototype'].includes(id), { message: 'is a reserved name' });

export const scopeSchema = z
  .string()
  .regex(/^[A-Za-z0-9._/-]{1,100}$/, { message: 'must be a scope name like contacts.readonly' });

export const scopeListSchema = z.array(scopeSchema);

export const credentialStatusSchema = z.enum(['active', 'needs_reinstall']);
export type CredentialStatus = z.infer<typeof credentialStatusSchema>;

const epochMs = z.number().int().nonnegative();

export const oauthCredentialSchema = z.object({
  kind: z.literal('oauth'),
  locationId: locationIdSchema,
  /** The agency of the location: when the gateway holds its grant, it can mint this location a new token. */
  companyId: z.string().optional(),
  userId: z.string().optional(),
  accessToken: z.string().min(1),
  /**
   * Single use (each refresh returns the next one). A location token minted from an agency token
   * may come without one (oauth.json's GetLocationAccessTokenSuccessfulResponseDto lists none);
   * it is then minted again from the agency grant.
   */
  refreshToken: z.string().min(1).optional(),
  /** When the access token stops working, epoch ms. */
  expiresAt: epochMs,
  scopes: scopeListSchema,
  status: credentialStatusSchema,
  /** Why the credential is not active, in words an operator can act on. Never holds a secret. */
  statusReason: z.string().optional(),
  updatedAt: epochMs,
});
export type OAuthCredential = z.infer<typeof oauthCredentialSchema>;

export const pitCredentialSchema = z.object({
  kind: z.literal('pit'),
  locationId: locationIdSchema,
  token: z.string().min(1),
  /** GHL keeps a PIT's scopes; these are the ones the operator said were chosen in GHL's UI. */
  scopes: scopeListSchema,
  status: credentialStatusSchema,
  statusReason: z.string().optional(),
  updatedAt: epochMs,
});
export type PitCredential = z.infer<typeof pitCredentialSchema>;

export const credentialSchema = z.discriminatedUnion('kind', [oauthCredentialSchema, pitCredentialSchema]);
export type Credential = z.infer<typeof credentialSchema>;

/**
 * An agency (Company) grant: what an agency-level install yields. It cannot call the contacts API
 * itself; it mints location tokens (POST /oauth/locationToken) for the locations where the app is
 * installed, and lists them (GET /oauth/installedLocations). Its refresh token is single use too.
 */
export const companyGrantSchema = z.object({
  companyId: locationIdSchema,
  userId: z.string().optional(),
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1),
  expiresAt: epochMs,
  scopes: scopeListSchema,
  status: credentialStatusSchema,
  statusReason: z.string().optional(),
  updatedAt: epochMs,
});
export type CompanyGrant = z.infer<typeof companyGrantSchema>;

/**
 * What a listing says of a credential: its stored status, or `cannot_open` when the configured keys
 * do not open its secrets (it is then unusable, whatever was stored).
 */
export const summaryStatusSchema = z.enum([...credentialStatusSchema.options, 'cannot_open']);
export type SummaryStatus = z.infer<typeof summaryStatusSchema>;

/** A credential without its secrets: what listings show. */
export const credentialSummarySchema = z.object({
  kind: z.enum(['oauth', 'pit']),
  locationId: locationIdSchema,
  companyId: z.string().optional(),
  userId: z.string().optional(),
  scopes: scopeListSchema,
  status: summaryStatusSchema,
  statusReason: z.string().optional(),
  /** Access token expiry (OAuth only). */
  expiresAt: epochMs.optional(),
  updatedAt: epochMs,
});
export type CredentialSummary = z.infer<typeof credentialSummarySchema>;

/** The non-secret fields of a credential, plain or sealed: summaries never need to decrypt. */
export interface SummarySource {
  kind: 'oauth' | 'pit';
  locationId: string;
  companyId?: string | undefined;
  userId?: string | undefined;
  scopes: readonly string[];
  status: CredentialStatus;
  statusReason?: string | undefined;
  expiresAt?: number | undefined;
  updatedAt: number;
}

export function summarize(source: SummarySource): CredentialSummary {
  const summary: CredentialSummary = {
    kind: source.kind,
    locationId: source.locationId,
    scopes: [...source.scopes],
    status: source.status,
    updatedAt: source.updatedAt,
  };
  // Copied field by field, never spread, so a secret can never ride along into a listing.
  if (source.statusReason !== undefined) summary.statusReason = source.statusReason;
  if (source.expiresAt !== undefined) summary.expiresAt = source.expiresAt;
  if (source.companyId !== undefined) summary.companyId = source.companyId;
  if (source.userId !== undefined) summary.userId = source.userId;
  return summary;
}

/** Key ids are hex so a presented key splits unambiguously and never starts with "-" in a shell. */
export const apiKeyIdSchema = z
  .string()
  .regex(/^[0-9a-f]{16}$/, { message: 'must be an API key id (16 hex characters)' });

export const apiKeyRecordSchema = z.object({
  id: apiKeyIdSchema,
  locationId: locationIdSchema,
  scopes: scopeListSchema,
  /** sha256 of the whole presented key, hex. The key itself is never stored. */
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: epochMs,
  expiresAt: epochMs.nullable(),
  revokedAt: epochMs.nullable(),
  label: z.string().max(200).optional(),
  /** Set on the old key by a rotation: the id of the key that replaces it. */
  replacedBy: apiKeyIdSchema.optional(),
});
export type ApiKeyRecord = z.infer<typeof apiKeyRecordSchema>;
