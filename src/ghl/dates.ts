// GHL's dates come in many shapes: ISO 8601 with or without a zone, "2021-07-16 11:00:00",
// epoch milliseconds, and dates of birth in eight separator/order variants. These readers turn
// what can be read into one form and return null for the rest, so one odd value never fails a
// record.

/**
 * A point in time as an ISO 8601 UTC string. A zone-less time is read as UTC: GHL does not say
 * which zone it meant (the location's, usually), and UTC is the one reading that never shifts
 * between servers.
 */
export function readInstant(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return toIso(value);
  if (typeof value !== 'string') return null;
  const s = value.trim();
  if (s === '') return null;
  if (/^\d{12,14}$/.test(s)) return toIso(Number(s));
  const zoneless = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)$/.exec(s);
  if (zoneless) return toIso(Date.parse(`${zoneless[1]}T${zoneless[2]}Z`));
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return toIso(Date.parse(`${s}T00:00:00Z`));
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i.test(s)) return toIso(Date.parse(s));
  return null;
}

/**
 * A calendar date as YYYY-MM-DD. Accepts the formats GHL documents for dateOfBirth (YYYY/MM/DD,
 * MM/DD/YYYY, YYYY-MM-DD, MM-DD-YYYY, YYYY.MM.DD, MM.DD.YYYY, YYYY_MM_DD, MM_DD_YYYY) and a full
 * ISO timestamp, which GHL returns for dates it stored itself.
 */
export function readCalendarDate(value: unknown): string | null {
  if (typeof value !== 'string') {
    const instant = readInstant(value);
    return instant === null ? null : instant.slice(0, 10);
  }
  const s = value.trim();
  let y: string | undefined;
  let m: string | undefined;
  let d: string | undefined;
  const yearFirst = /^(\d{4})([-/._])(\d{1,2})\2(\d{1,2})$/.exec(s);
  const yearLast = /^(\d{1,2})([-/._])(\d{1,2})\2(\d{4})$/.exec(s);
  if (yearFirst) [y, m, d] = [yearFirst[1], yearFirst[3], yearFirst[4]];
  else if (yearLast) [m, d, y] = [yearLast[1], yearLast[3], yearLast[4]];
  else {
    const instant = readInstant(s);
    return instant === null ? null : instant.slice(0, 10);
  }
  const iso = `${y}-${m!.padStart(2, '0')}-${d!.padStart(2, '0')}`;
  // Reject 02/31 and friends: Date rolls them over instead of failing.
  const parsed = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(iso) ? iso : null;
}

function toIso(ms: number): string | null {
  if (!Number.isFinite(ms)) return null;
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
