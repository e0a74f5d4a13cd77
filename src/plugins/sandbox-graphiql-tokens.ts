// The token picker's entries on the embedded sandbox: its three tokens per location, named for
// what they may do. A private integration token is opaque, so it goes with the location header.
import type { SandboxLocationTokens } from '../sandbox/tokens.js';
import type { GraphiqlToken } from './graphiql-page.js';

export function sandboxGraphiqlTokens(locations: readonly SandboxLocationTokens[]): GraphiqlToken[] {
  return locations.flatMap((location): GraphiqlToken[] => [
    { location: location.name, access: 'read-only', headers: { Authorization: `Bearer ${location.readOnly}` } },
    { location: location.name, access: 'read-write', headers: { Authorization: `Bearer ${location.readWrite}` } },
    {
      location: location.name,
      access: 'private integration token',
      headers: { Authorization: `Bearer ${location.privateIntegration}`, 'X-GHL-Location-Id': location.locationId },
    },
  ]);
}
