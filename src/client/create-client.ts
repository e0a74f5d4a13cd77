// The typed client the leadPops frontend (or any TypeScript service) uses: graphql-request with
// the SDK that codegen.ts generates from src/client/operations.
import { GraphQLClient } from 'graphql-request';
import { getSdk } from './sdk.js';

export type GatewaySdk = ReturnType<typeof getSdk>;

export interface GatewayClientOptions {
  /** e.g. http://localhost:4000/graphql */
  url: string;
  /** The bearer token the gateway expects (a GHL location token in pass-through mode). */
  token: string;
  /** For opaque tokens (private integration tokens): the GHL location to work in. */
  locationId?: string;
  fetch?: typeof fetch;
}

export function createGatewayClient(options: GatewayClientOptions): GatewaySdk {
  const headers: Record<string, string> = { authorization: `Bearer ${options.token}` };
  if (options.locationId) headers['x-ghl-location-id'] = options.locationId;
  return getSdk(new GraphQLClient(options.url, { headers, ...(options.fetch ? { fetch: options.fetch } : {}) }));
}
