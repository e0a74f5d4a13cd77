// Where credentials and API key records live. The interface speaks plaintext records; an
// implementation seals secrets before they reach its medium (file-store.ts does). Every write
// method resolves only once the change is durable, because the token manager relies on that:
// a refresh token GHL has just issued must be on disk before the old one is forgotten. A store
// belongs to one key: values sealed with another are never written into it.
import type { KeyCheck } from './key-check.js';
import type { ApiKeyRecord, CompanyGrant, Credential, CredentialSummary } from './records.js';

export interface RemovedLocation {
  credential: boolean;
  apiKeys: number;
}

export interface CredentialStore {
  getCredential(locationId: string): Promise<Credential | undefined>;
  /** Inserts or replaces the location's credential. */
  putCredential(credential: Credential): Promise<void>;
  /** Resolves true when there was one to remove. */
  removeCredential(locationId: string): Promise<boolean>;
  /** Every credential without its secrets, ordered by location; `cannot_open` for one the keys do not open. */
  listCredentials(): Promise<CredentialSummary[]>;

  /** Whether the configured keys open what is stored (the gateway's start-up check; the CLI's too). */
  checkKey(): Promise<KeyCheck>;
  /** Marks the store as sealed with the current key, if it is not yet; refused when the keys do not open it. */
  recordKey(): Promise<void>;
  /**
   * Hands the store to the current key: removes the credentials and agency grants the configured
   * keys do not open (their tokens are lost with the old key) and keeps everything else.
   */
  startOver(): Promise<{ locations: string[]; companies: string[] }>;

  /** Agency grants (agency-level installs), by company id. */
  getCompanyGrant(companyId: string): Promise<CompanyGrant | undefined>;
  /** Inserts or replaces the company's grant. */
  putCompanyGrant(grant: CompanyGrant): Promise<void>;
  /** Resolves true when there was one to remove. */
  removeCompanyGrant(companyId: string): Promise<boolean>;

  getApiKey(id: string): Promise<ApiKeyRecord | undefined>;
  /** Inserts or replaces the records in one durable write (a rotation changes two at once). */
  putApiKeys(records: readonly ApiKeyRecord[]): Promise<void>;
  /** Ordered by creation time. */
  listApiKeys(filter?: { locationId?: string }): Promise<ApiKeyRecord[]>;
  /** Sets revokedAt (keeping an earlier one); resolves the record, or undefined for an unknown id. */
  revokeApiKey(id: string, at: number): Promise<ApiKeyRecord | undefined>;

  /** Removes the location's credential and every API key naming it, in one durable write. */
  removeLocation(locationId: string): Promise<RemovedLocation>;
}
