// A credential (or an agency grant) as it lies on disk: the same record with every secret field
// sealed. The AAD of a sealed field is the record's identity (location or company, kind, field),
// so a ciphertext only opens in the place it was sealed for.
import { z } from 'zod';
import { sealedSecretSchema, type Sealer } from './crypto.js';
import {
  companyGrantSchema,
  oauthCredentialSchema,
  pitCredentialSchema,
  type CompanyGrant,
  type Credential,
} from './records.js';

export const storedOAuthCredentialSchema = oauthCredentialSchema.extend({
  accessToken: sealedSecretSchema,
  refreshToken: sealedSecretSchema.optional(),
});
export const storedPitCredentialSchema = pitCredentialSchema.extend({ token: sealedSecretSchema });
export const storedCredentialSchema = z.discriminatedUnion('kind', [
  storedOAuthCredentialSchema,
  storedPitCredentialSchema,
]);
export type StoredCredential = z.infer<typeof storedCredentialSchema>;

type SecretField = 'accessToken' | 'refreshToken' | 'token';

/** Location ids cannot contain "|" (records.ts), so this string is unambiguous. */
export function credentialAad(locationId: string, kind: Credential['kind'], field: SecretField): string {
  return `leadpops-gateway|credential|v1|${locationId}|${kind}|${field}`;
}

export function sealCredential(credential: Credential, sealer: Sealer): StoredCredential {
  const aad = (field: SecretField) => credentialAad(credential.locationId, credential.kind, field);
  if (credential.kind === 'oauth') {
    const { refreshToken, ...rest } = credential;
    return {
      ...rest,
      accessToken: sealer.seal(credential.accessToken, aad('accessToken')),
      ...(refreshToken === undefined ? {} : { refreshToken: sealer.seal(refreshToken, aad('refreshToken')) }),
    };
  }
  return { ...credential, token: sealer.seal(credential.token, aad('token')) };
}

export function openCredential(stored: StoredCredential, sealer: Sealer): Credential {
  const aad = (field: SecretField) => credentialAad(stored.locationId, stored.kind, field);
  if (stored.kind === 'oauth') {
    const { refreshToken, ...rest } = stored;
    return {
      ...rest,
      accessToken: sealer.open(stored.accessToken, aad('accessToken')),
      ...(refreshToken === undefined ? {} : { refreshToken: sealer.open(refreshToken, aad('refreshToken')) }),
    };
  }
  return { ...stored, token: sealer.open(stored.token, aad('token')) };
}

export const storedCompanyGrantSchema = companyGrantSchema.extend({
  accessToken: sealedSecretSchema,
  refreshToken: sealedSecretSchema,
});
export type StoredCompanyGrant = z.infer<typeof storedCompanyGrantSchema>;

/** Company ids share the location id alphabet (no "|"); "company" keeps them apart from location AADs. */
export function companyGrantAad(companyId: string, field: 'accessToken' | 'refreshToken'): string {
  return `leadpops-gateway|company|v1|${companyId}|${field}`;
}

export function sealCompanyGrant(grant: CompanyGrant, sealer: Sealer): StoredCompanyGrant {
  return {
    ...grant,
    accessToken: sealer.seal(grant.accessToken, companyGrantAad(grant.companyId, 'accessToken')),
    refreshToken: sealer.seal(grant.refreshToken, companyGrantAad(grant.companyId, 'refreshToken')),
  };
}

export function openCompanyGrant(stored: StoredCompanyGrant, sealer: Sealer): CompanyGrant {
  return {
    ...stored,
    accessToken: sealer.open(stored.accessToken, companyGrantAad(stored.companyId, 'accessToken')),
    refreshToken: sealer.open(stored.refreshToken, companyGrantAad(stored.companyId, 'refreshToken')),
  };
}

/** The ids of the keys a stored record's secrets were sealed with (key ids are not secret). */
export function sealedKeyIds(stored: StoredCredential | StoredCompanyGrant): string[] {
  const secrets =
    !('kind' in stored) || stored.kind === 'oauth' ? [stored.accessToken, stored.refreshToken] : [stored.token];
  return [...new Set(secrets.filter((s) => s !== undefined).map((s) => s.kid))];
}
