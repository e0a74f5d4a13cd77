// Date helpers for seeding. Contact dates are fixed (the same every run for a seed); task due
// dates and appointment times are relative to the day the sandbox starts, so "overdue",
// "pending" and "upcoming" keep meaning something whenever it runs.

export const DAY_MS = 86_400_000;

export function startOfUtcDay(now: Date): number {
  return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** Wall-clock parts of `ms` seen at a fixed UTC offset (minutes). */
function wallClock(
  ms: number,
  offsetMinutes: number,
): { y: number; mo: string; d: string; h: string; mi: string; s: string } {
  const t = new Date(ms + offsetMinutes * 60_000);
  return {
    y: t.getUTCFullYear(),
    mo: pad(t.getUTCMonth() + 1),
    d: pad(t.getUTCDate()),
    h: pad(t.getUTCHours()),
    mi: pad(t.getUTCMinutes()),
    s: pad(t.getUTCSeconds()),
  };
}

/** "2024-05-01T10:00:00-07:00": how calendar events often carry times. */
export function isoWithOffset(ms: number, offsetMinutes: number): string {
  const w = wallClock(ms, offsetMinutes);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${w.y}-${w.mo}-${w.d}T${w.h}:${w.mi}:${w.s}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** "2021-07-16 11:00:00": GHL's zone-less format (the spec's own example). */
export function zoneless(ms: number, offsetMinutes: number): string {
  const w = wallClock(ms, offsetMinutes);
  return `${w.y}-${w.mo}-${w.d} ${w.h}:${w.mi}:${w.s}`;
}

/** The six date-of-birth spellings seen in live GHL data. */
export function dateOfBirthIn(format: number, y: number, m: number, d: number): string {
  const mm = pad(m);
  const dd = pad(d);
  switch (format) {
    case 0:
      return `${y}-${mm}-${dd}T00:00:00.000Z`;
    case 1:
      return `${y}-${mm}-${dd}`;
    case 2:
      return `${mm}/${dd}/${y}`;
    case 3:
      return `${y}/${mm}/${dd}`;
    case 4:
      return `${mm}-${dd}-${y}`;
    default:
      return `${y}.${mm}.${dd}`;
  }
}
