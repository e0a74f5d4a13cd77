// Parsing of the loosely formatted values GHL accepts on writes.

const ISO_8601 = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

export function isIso8601(value: string): boolean {
  return ISO_8601.test(value) && !Number.isNaN(Date.parse(value.replace(' ', 'T')));
}

/** Loose but useful: something@something.tld. */
export function isEmail(value: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);
}

/**
 * GHL stores phones in E.164. "+1 888-888-8888" → "+18888888888"; ten US digits get +1.
 * Anything without enough digits is kept as given (GHL keeps odd input too).
 */
export function normalizePhone(value: string): string {
  const digits = value.replace(/\D/g, '');
  if (value.trim().startsWith('+') && digits.length >= 8) return `+${digits}`;
  if (digits.length === 10) return `+1${digits}`;
  if (digits.length === 11 && digits.startsWith('1')) return `+${digits}`;
  return value;
}

const DOB_FORMATS: readonly { re: RegExp; order: 'ymd' | 'mdy' }[] = [
  { re: /^(\d{4})[-/._](\d{1,2})[-/._](\d{1,2})$/, order: 'ymd' },
  { re: /^(\d{1,2})[-/._](\d{1,2})[-/._](\d{4})$/, order: 'mdy' },
];

/**
 * The birth-date spellings the spec lists (YYYY/MM/DD, MM/DD/YYYY, YYYY-MM-DD, MM-DD-YYYY,
 * YYYY.MM.DD, MM.DD.YYYY, YYYY_MM_DD, MM_DD_YYYY) → "YYYY-MM-DDT00:00:00.000Z", as GHL stores
 * them. Undefined when the value is none of those.
 */
export function parseDateOfBirth(value: string): string | undefined {
  const trimmed = value.trim();
  if (/^\d{4}-\d{2}-\d{2}T/.test(trimmed) && !Number.isNaN(Date.parse(trimmed))) {
    return `${trimmed.slice(0, 10)}T00:00:00.000Z`;
  }
  for (const { re, order } of DOB_FORMATS) {
    const m = re.exec(trimmed);
    if (!m) continue;
    const [a, b, c] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const [y, mo, d] = order === 'ymd' ? [a, b, c] : [c, a, b];
    const date = new Date(Date.UTC(y, mo - 1, d));
    if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return undefined;
    return date.toISOString();
  }
  return undefined;
}
