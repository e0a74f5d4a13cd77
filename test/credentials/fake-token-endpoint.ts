// A stand-in for GHL's POST /oauth/token on 127.0.0.1:0 that behaves like GHL where it matters
// here: refresh tokens are single use (a spent one answers 400 invalid_grant), every call is
// counted, and faults can be switched on (dropped connection, 500, hang, bad client, or any answer).
// Agency installs are tested against the sandbox instead (agency-installs.test.ts).
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const CLIENT_ID = 'client-id-123';
export const CLIENT_SECRET = 'client-secret-very-secret-456';
export const REDIRECT_URI = 'https://gateway.example/oauth/callback';

/** A canned answer: status, JSON body and headers. */
export interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export type Fault = 'network' | 'server' | 'hang' | 'invalid_client' | 'malformed' | 'echo_secret' | Answer;

export interface TokenCall {
  grantType: string;
  form: Record<string, string>;
  headers: IncomingMessage['headers'];
}

interface Grant {
  locationId: string;
  spent: boolean;
}

export interface FakeTokenEndpoint {
  baseUrl: string;
  calls: TokenCall[];
  /** Every refresh token presented, in order (spent or not). */
  presentedRefreshTokens: string[];
  /** "issued:<refresh token>" when a response leaves; tests add their own events to order them. */
  events: string[];
  refreshCount(): number;
  /** Registers a live grant and returns its refresh token. */
  grant(locationId: string): string;
  /** Registers an authorization code for a location. */
  code(locationId: string): string;
  /** Spends a refresh token as if someone else had used it. */
  spend(refreshToken: string): void;
  /** The next `times` calls fail this way (undefined clears); a fault answers before any grant is touched. */
  fault(fault: Fault | undefined, times?: number): void;
  delayMs: number;
  scope: string;
  close(): Promise<void>;
}

export async function startFakeTokenEndpoint(): Promise<FakeTokenEndpoint> {
  const grants = new Map<string, Grant>();
  const codes = new Map<string, string>();
  let currentFault: Fault | undefined;
  let faultTimes = 0;
  const hanging: ServerResponse[] = [];
  let counter = 0;

  const state = {
    calls: [] as TokenCall[],
    presentedRefreshTokens: [] as string[],
    events: [] as string[],
    delayMs: 0,
    scope: 'contacts.readonly contacts.write',
  };

  const mint = (prefix: string) => `${prefix}-${++counter}-${randomBytes(6).toString('hex')}`;

  function issue(res: ServerResponse, locationId: string): void {
    const refresh = mint('rt');
    grants.set(refresh, { locationId, spent: false });
    state.events.push(`issued:${refresh}`);
    send(res, 200, {
      access_token: mint('at'),
      token_type: 'Bearer',
      expires_in: 86399,
      refresh_token: refresh,
      scope: state.scope,
      userType: 'Location',
      locationId,
      companyId: 'comp1',
      userId: 'user1',
    });
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const form = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
      const call: TokenCall = { grantType: form.grant_type ?? '', form, headers: req.headers };
      state.calls.push(call);
      if (call.grantType === 'refresh_token') state.presentedRefreshTokens.push(form.refresh_token ?? '');
      setTimeout(() => handle(req, res, form), state.delayMs);
    });
  });

  function handle(req: IncomingMessage, res: ServerResponse, form: Record<string, string>): void {
    if (req.method !== 'POST' || req.url !== '/oauth/token')
      return send(res, 404, { statusCode: 404, message: 'Not found' });
    const fault = currentFault;
    if (fault !== undefined) {
      faultTimes -= 1;
      if (faultTimes <= 0) currentFault = undefined;
      if (typeof fault === 'object') return send(res, fault.status, fault.body, fault.headers);
      if (fault === 'network') return void req.socket.destroy();
      if (fault === 'server') return send(res, 500, { statusCode: 500, message: 'Internal server error' });
      if (fault === 'hang') return void hanging.push(res);
      if (fault === 'invalid_client')
        return send(res, 401, { error: 'invalid_client', error_description: 'Client authentication failed' });
      if (fault === 'malformed') return send(res, 200, { hello: 'world' });
      if (fault === 'echo_secret') {
        return send(res, 400, {
          error: 'invalid_grant',
          error_description: `bad token ${form.refresh_token} for ${form.client_secret}`,
        });
      }
    }
    if (form.client_id !== CLIENT_ID || form.client_secret !== CLIENT_SECRET) {
      return send(res, 401, { error: 'invalid_client', error_description: 'Client authentication failed' });
    }
    if (
      form.redirect_uri !== REDIRECT_URI ||
      (form.user_type !== undefined && !['Location', 'Company'].includes(form.user_type))
    ) {
      return send(res, 422, {
        statusCode: 422,
        message: ['user_type must be one of the following values: Company, Location'],
        error: 'Unprocessable Entity',
      });
    }
    if (form.grant_type === 'refresh_token') {
      const grant = grants.get(form.refresh_token ?? '');
      if (grant === undefined || grant.spent) {
        return send(res, 400, { error: 'invalid_grant', error_description: 'Invalid grant: refresh token is invalid' });
      }
      grant.spent = true; // single use: spent the moment it is answered
      return issue(res, grant.locationId);
    }
    if (form.grant_type === 'authorization_code') {
      const locationId = codes.get(form.code ?? '');
      if (locationId === undefined)
        return send(res, 400, { error: 'invalid_grant', error_description: 'Invalid code' });
      codes.delete(form.code ?? '');
      return issue(res, locationId);
    }
    return send(res, 400, { error: 'unsupported_grant_type' });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return Object.assign(state, {
    baseUrl: `http://127.0.0.1:${port}`,
    refreshCount: () => state.calls.filter((c) => c.grantType === 'refresh_token').length,
    grant(locationId: string) {
      const refresh = mint('rt');
      grants.set(refresh, { locationId, spent: false });
      return refresh;
    },
    code(locationId: string) {
      const code = mint('code');
      codes.set(code, locationId);
      return code;
    },
    spend(refreshToken: string) {
      const grant = grants.get(refreshToken);
      if (grant !== undefined) grant.spent = true;
    },
    fault(fault: Fault | undefined, times = 1) {
      currentFault = fault;
      faultTimes = times;
    },
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...headers, 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
