// The GraphiQL page as served: the sandbox's token picker entries on the sandbox, none of its
// tokens when the gateway is on real GHL, and names that cannot break out of the page's script.
// test/browser/graphiql.test.ts drives the page itself in Chromium.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphiqlRenderer, type GraphiqlToken } from '../../src/plugins/graphiql-page.js';
import { startStack, type Stack } from '../support/stack.js';

/** The picker's entries as the page carries them. */
function tokensIn(page: string): unknown {
  const match = /<script type="application\/json" id="gateway-graphiql-tokens">(.*?)<\/script>/s.exec(page);
  if (!match?.[1]) throw new Error('no token picker data in the page');
  return JSON.parse(match[1]);
}

async function graphiqlPage(stack: Stack): Promise<string> {
  const response = await fetch(stack.url, { headers: { accept: 'text/html' } });
  expect(response.status).toBe(200);
  return response.text();
}

function sandboxSecrets(stack: Stack): string[] {
  return stack.sandbox.tokens.flatMap((location) => [
    location.readOnly,
    location.readWrite,
    location.privateIntegration,
  ]);
}

describe('GraphiQL page', () => {
  let onSandbox: Stack;
  let onRealGhl: Stack;

  beforeAll(async () => {
    onSandbox = await startStack({ graphiqlToken: 'readOnly', graphiqlTokens: true });
    // Asked for the sandbox's tokens, yet pointed at another GHL: as `npm start` with GHL_BASE_URL.
    onRealGhl = await startStack({
      env: { GHL_BASE_URL: 'http://127.0.0.1:9' },
      graphiqlToken: 'readOnly',
      graphiqlTokens: true,
    });
  });
  afterAll(async () => {
    await onSandbox?.close();
    await onRealGhl?.close();
  });

  it('on the sandbox offers its three tokens per location, by name', async () => {
    const page = await graphiqlPage(onSandbox);
    const [sunrise, harbor] = onSandbox.sandbox.tokens;
    expect(tokensIn(page)).toEqual([
      { location: 'Sunrise Realty', access: 'read-only', headers: { Authorization: `Bearer ${sunrise?.readOnly}` } },
      { location: 'Sunrise Realty', access: 'read-write', headers: { Authorization: `Bearer ${sunrise?.readWrite}` } },
      {
        location: 'Sunrise Realty',
        access: 'private integration token',
        headers: { Authorization: `Bearer ${sunrise?.privateIntegration}`, 'X-GHL-Location-Id': sunrise?.locationId },
      },
      { location: 'Harbor Dental', access: 'read-only', headers: { Authorization: `Bearer ${harbor?.readOnly}` } },
      { location: 'Harbor Dental', access: 'read-write', headers: { Authorization: `Bearer ${harbor?.readWrite}` } },
      {
        location: 'Harbor Dental',
        access: 'private integration token',
        headers: { Authorization: `Bearer ${harbor?.privateIntegration}`, 'X-GHL-Location-Id': harbor?.locationId },
      },
    ]);
  });

  it('on real GHL shows no sandbox token, neither in the picker nor in the headers', async () => {
    const page = await graphiqlPage(onRealGhl);
    expect(tokensIn(page)).toEqual([]);
    for (const secret of sandboxSecrets(onRealGhl)) expect(page).not.toContain(secret);
    expect(page).toContain('Bearer <GHL location token>');
    // The script that makes GraphiQL follow the headers is there all the same.
    expect(page).toContain('keepHeadersInNewTab');
  });

  it('a name cannot end the script element that carries it', () => {
    const hostile: GraphiqlToken = {
      location: '</script><script>alert(1)</script>',
      access: 'read-only',
      headers: { Authorization: 'Bearer x' },
    };
    const page = graphiqlRenderer([hostile])({ title: 'test' });
    expect(page).not.toContain('<script>alert(1)');
    expect(tokensIn(page)).toEqual([hostile]);
  });
});
