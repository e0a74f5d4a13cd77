// Runs the GHL sandbox on its own: `npm run sandbox`. Prints the tokens and the OAuth client.
// Env: SANDBOX_PORT (default 4010), SANDBOX_RATE_LIMIT (requests per 10 s per location,
// 0 = off; default 100 as GHL), SANDBOX_LATENCY_MS (default 0), SANDBOX_WEBHOOK_URL (where to
// POST signed webhooks; default none).

import { startSandbox } from './server.js';

function intFromEnv(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    console.error(`${name} must be a whole number from ${min} to ${max}; got "${raw}".`);
    process.exit(1);
  }
  return value;
}

const port = intFromEnv('SANDBOX_PORT', 4010, 0, 65_535);
const perTenSeconds = intFromEnv('SANDBOX_RATE_LIMIT', 100, 0, 1_000_000);
const latencyMs = intFromEnv('SANDBOX_LATENCY_MS', 0, 0, 600_000);
const webhookUrl = process.env.SANDBOX_WEBHOOK_URL?.trim() || null;

const sandbox = await startSandbox({
  port,
  latencyMs,
  rateLimit: perTenSeconds === 0 ? 0 : { max: perTenSeconds, intervalMs: 10_000 },
  webhooks: { url: webhookUrl },
}).catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  console.error(`Could not start the GHL sandbox on port ${port}: ${message}`);
  process.exit(1);
});

const lines = [
  `GHL contacts sandbox listening on ${sandbox.url}`,
  `  rate limit: ${perTenSeconds === 0 ? 'off' : `${perTenSeconds} requests / 10 s per location`}; latency: ${latencyMs} ms`,
  '',
];
for (const t of sandbox.tokens) {
  lines.push(
    `${t.name} (locationId ${t.locationId})`,
    `  read-only token:           ${t.readOnly}`,
    `  read-write token:          ${t.readWrite}`,
    `  private integration token: ${t.privateIntegration}  (read-only)`,
    '',
  );
}
const first = sandbox.tokens[0];
if (first) {
  lines.push(
    'Try:',
    `  curl -s '${sandbox.url}/contacts/?locationId=${first.locationId}&limit=2' \\`,
    `    -H 'Authorization: Bearer ${first.readOnly}' \\`,
    `    -H 'Version: 2021-07-28'`,
    '',
  );
}
const oauth = sandbox.oauth;
const redirectUri = 'http://localhost:3000/oauth/callback';
lines.push(
  'OAuth app (install flow as GHL: chooser → code → POST /oauth/token; refresh tokens are single use)',
  `  client_id:     ${oauth.clientId}`,
  `  client_secret: ${oauth.clientSecret}`,
  '  redirect URIs: any http://127.0.0.1… or http://localhost… URI',
  `  install URL:   ${oauth.chooseLocationUrl}?response_type=code&client_id=${oauth.clientId}&redirect_uri=${encodeURIComponent(redirectUri)}&scope=contacts.readonly%20contacts.write&state=xyz`,
  `  then:          curl -s ${oauth.tokenUrl} -d client_id=${oauth.clientId} -d client_secret=${oauth.clientSecret} \\`,
  `                   -d grant_type=authorization_code -d user_type=Location -d redirect_uri=${redirectUri} -d code=PASTE_THE_CODE_FROM_THE_REDIRECT`,
  '',
  `Webhooks: ${webhookUrl === null ? 'off (set SANDBOX_WEBHOOK_URL, or PUT /__sandbox/config {"webhooks":{"url":"…"}})' : `POSTed to ${webhookUrl}`}`,
  `  public keys: ${sandbox.url}/__sandbox/webhook-keys; deliveries: ${sandbox.url}/__sandbox/webhooks; UI edits: POST ${sandbox.url}/__sandbox/simulate`,
  '',
  `Controls (no auth): ${sandbox.url}/__sandbox/tokens, /__sandbox/stats, POST /__sandbox/reset, PUT /__sandbox/faults, PUT /__sandbox/config`,
);
console.log(lines.join('\n'));

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: closing the sandbox`);
    sandbox.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  });
}
