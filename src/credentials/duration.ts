// Durations as operators type them ("90d", "24h", "15m", "30s", "500ms"), for the CLI and config.
const UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Milliseconds, or undefined when the text is not a duration. A bare number is milliseconds. */
export function parseDuration(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)?\s*$/i.exec(text);
  if (match?.[1] === undefined) return undefined;
  const unit = UNITS[(match[2] ?? 'ms').toLowerCase()];
  if (unit === undefined) return undefined;
  const ms = Math.round(Number(match[1]) * unit);
  return Number.isSafeInteger(ms) ? ms : undefined;
}

/** The largest whole unit that fits, e.g. 90d, 36h, 15m; for listings. */
export function formatDuration(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  const abs = Math.abs(ms);
  for (const [unit, size] of [
    ['d', UNITS.d],
    ['h', UNITS.h],
    ['m', UNITS.m],
    ['s', UNITS.s],
  ] as const) {
    if (size !== undefined && abs >= size) return `${sign}${Math.floor(abs / size)}${unit}`;
  }
  return `${sign}${abs}ms`;
}
