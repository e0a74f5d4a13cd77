// How the credentials CLI prints listings: aligned text tables with times both absolute and
// relative. Built only from summaries and key records, which hold no secret.
import { formatDuration } from '../credentials/duration.js';
import type { ApiKeyRecord, CredentialSummary } from '../credentials/records.js';

export function credentialTable(summaries: readonly CredentialSummary[], now: number): string {
  if (summaries.length === 0) return 'No credentials.\n';
  const rows = summaries.map((s) => [
    s.locationId,
    s.kind,
    s.status,
    s.scopes.join(' ') || '-',
    s.expiresAt === undefined ? '-' : when(s.expiresAt, now),
    when(s.updatedAt, now),
    s.statusReason ?? '',
  ]);
  return table(['LOCATION', 'KIND', 'STATUS', 'SCOPES', 'ACCESS TOKEN EXPIRES', 'UPDATED', 'REASON'], rows);
}

export function apiKeyState(record: ApiKeyRecord, now: number): string {
  if (record.revokedAt !== null) return 'revoked';
  if (record.expiresAt !== null && now >= record.expiresAt) return 'expired';
  if (record.replacedBy !== undefined) return `rotating → ${record.replacedBy}`;
  return 'active';
}

export function apiKeyTable(records: readonly ApiKeyRecord[], now: number): string {
  if (records.length === 0) return 'No API keys.\n';
  const rows = records.map((r) => [
    r.id,
    r.locationId,
    r.scopes.join(' '),
    apiKeyState(r, now),
    r.expiresAt === null ? 'never' : when(r.expiresAt, now),
    when(r.createdAt, now),
    r.label ?? '',
  ]);
  return table(['ID', 'LOCATION', 'SCOPES', 'STATE', 'EXPIRES', 'CREATED', 'LABEL'], rows);
}

export function when(at: number, now: number): string {
  const iso = new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const delta = at - now;
  const relative =
    Math.abs(delta) < 1_000 ? 'now' : delta > 0 ? `in ${formatDuration(delta)}` : `${formatDuration(-delta)} ago`;
  return `${iso} (${relative})`;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}
