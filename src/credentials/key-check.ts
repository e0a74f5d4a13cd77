// Which key a credentials file belongs to, and whether the configured keys open it. The file keeps
// a key check value: a constant sealed with the key, under its own AAD. Opening it proves the key
// before any record is needed, so a gateway started with a key nobody saved refuses to start
// instead of failing every call later, and a CLI run with another key refuses to write values the
// gateway could not open. Files written before the check existed are judged by their records.
import type { Sealer, SealedSecret } from './crypto.js';
import { UnsealError } from './errors.js';
import {
  openCompanyGrant,
  openCredential,
  sealedKeyIds,
  type StoredCompanyGrant,
  type StoredCredential,
} from './sealed-credential.js';

const KEY_CHECK_AAD = 'leadpops-gateway|key-check|v1';
const KEY_CHECK_TEXT = 'leadpops-gateway credentials key check';

export function sealKeyCheck(sealer: Sealer): SealedSecret {
  return sealer.seal(KEY_CHECK_TEXT, KEY_CHECK_AAD);
}

export function opensKeyCheck(sealed: SealedSecret, sealer: Sealer): boolean {
  try {
    return sealer.open(sealed, KEY_CHECK_AAD) === KEY_CHECK_TEXT;
  } catch (error) {
    if (error instanceof UnsealError) return false;
    throw error;
  }
}

/** The parts of a credentials file the check reads. */
export interface SealedContents {
  keyCheck?: SealedSecret | undefined;
  credentials: Record<string, StoredCredential>;
  companies: Record<string, StoredCompanyGrant>;
}

export interface UnopenableRecord {
  kind: 'location' | 'company';
  id: string;
  /** Why it does not open (names the key id, never a secret). */
  reason: string;
}

export interface KeyCheck {
  /**
   * `empty`: nothing sealed and no check yet, any key will do; `ok`: the configured keys open the
   * file (some records may still not, see `unopenable`); `wrong_key`: the check does not open, or
   * records exist and not one of them opens.
   */
  verdict: 'empty' | 'ok' | 'wrong_key';
  /** Ids of the keys the file's values are sealed with. */
  sealedWith: string[];
  /** Ids of the configured keys, the current one first. */
  configured: string[];
  /** Records the configured keys do not open. */
  unopenable: UnopenableRecord[];
  /** Whether the check value is missing or sealed with a key other than the current one. */
  checkIsStale: boolean;
}

/** Opens every sealed record once (a few microseconds each) and discards what it opened. */
export function checkContents(contents: SealedContents, sealer: Sealer): KeyCheck {
  const unopenable: UnopenableRecord[] = [];
  const sealedWith = new Set<string>();
  const attempt = (kind: UnopenableRecord['kind'], id: string, open: () => unknown) => {
    try {
      open();
    } catch (error) {
      if (!(error instanceof UnsealError)) throw error;
      unopenable.push({ kind, id, reason: error.message });
    }
  };
  for (const stored of Object.values(contents.credentials)) {
    for (const kid of sealedKeyIds(stored)) sealedWith.add(kid);
    attempt('location', stored.locationId, () => openCredential(stored, sealer));
  }
  for (const stored of Object.values(contents.companies)) {
    for (const kid of sealedKeyIds(stored)) sealedWith.add(kid);
    attempt('company', stored.companyId, () => openCompanyGrant(stored, sealer));
  }
  const records = Object.keys(contents.credentials).length + Object.keys(contents.companies).length;
  const check = contents.keyCheck;
  if (check !== undefined) sealedWith.add(check.kid);
  const checkOpens = check !== undefined && opensKeyCheck(check, sealer);
  const noneOpens = records > 0 && unopenable.length === records;
  const verdict =
    (check !== undefined && !checkOpens) || noneOpens
      ? 'wrong_key'
      : records === 0 && check === undefined
        ? 'empty'
        : 'ok';
  return {
    verdict,
    sealedWith: [...sealedWith].sort(),
    configured: [...sealer.keyIds],
    unopenable,
    checkIsStale: check === undefined || check.kid !== sealer.keyId,
  };
}
