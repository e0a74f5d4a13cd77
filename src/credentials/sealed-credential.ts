// A credential as it lies on disk: the same record with every secret field sealed. The AAD of a
// sealed field is the record's identity (location, kind, field), so a ciphertext only opens in the
// place it was sealed for.
import { z } from 'zod';
import { sealedSecretSchema, type Sealer } from './crypto.js';
import { oauthCredentialSchema, pitCredentialSchema, type Credential } from './records.js';

export const storedOAuthCredentialSchema = oauthCredentialSchema.extend({
  accessToken: sealedSecretSchema,
  refreshToken: sealedSecretSchema,
});
export const storedPitCredentialSchema = pitCredentialSchema.extend({ token: sealedSecretSchema });
export const storedCredentialSchema = z.discriminatedUnion('kind', [storedOAuthCredentialSchema, storedPitCredentialSchema]);
export type StoredCredential = z.infer<typeof storedCredentialSchema>;

type SecretField = 'accessToken' | 'refreshToken' | 'token';

/** Location ids cannot contain "|" (records.ts), so this string is unambiguous. */
export function credentialAad(locationId: string, kind: Credential['kind'], field: SecretField): string {
  return `leadpops-gateway|credential|v1|${locationId}|${kind}|${field}`;
}

export function sealCredential(credential: Credential, sealer: Sealer): StoredCredential {
  const aad = (field: SecretField) => credentialAad(credential.locationId, credential.kind, field);
  if (credential.kind === 'oauth') {
    return {
      ...credential,
      accessToken: sealer.seal(credential.accessToken, aad('accessToken')),
      refreshToken: sealer.seal(credential.refreshToken, aad('refreshToken')),
    };
  }
  return { ...credential, token: sealer.seal(credential.token, aad('token')) };
}

export function openCredential(stored: StoredCredential, sealer: Sealer): Credential {
  const aad = (field: SecretField) => credentialAad(stored.locationId, stored.kind, field);
  if (stored.kind === 'oauth') {
    return {
      ...stored,
      accessToken: sealer.open(stored.accessToken, aad('accessToken')),
      refreshToken: sealer.open(stored.refreshToken, aad('refreshToken')),
    };
  }
  return { ...stored, token: sealer.open(stored.token, aad('token')) };
}
