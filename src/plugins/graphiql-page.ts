// The GraphiQL page: the one @graphql-yoga/render-graphiql renders (GraphiQL bundled in the
// package, no CDN), plus our script graphiql-page.browser.js, which makes GraphiQL follow the
// token (the schema is refetched when the headers change, a new tab keeps the active tab's
// headers) and, given tokens, shows the token picker. Yoga's GraphiQL options are JSON, so
// they cannot carry GraphiQL's callback props; the script is the one place that reaches in.
import { readFileSync } from 'node:fs';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import type { GraphiQLOptions } from 'graphql-yoga';

/** One entry of the token picker: shown as "<location> · <access>", sets `headers`. */
export interface GraphiqlToken {
  location: string;
  access: string;
  headers: Record<string, string>;
}

const BROWSER_SCRIPT = readFileSync(new URL('./graphiql-page.browser.js', import.meta.url), 'utf8');
if (/<\/script/i.test(BROWSER_SCRIPT)) throw new Error('graphiql-page.browser.js must not contain "</script"');

/** Yoga's `renderGraphiQL` option. With no tokens (always so on real GHL) there is no picker. */
export function graphiqlRenderer(tokens: readonly GraphiqlToken[] = []): (options: GraphiQLOptions) => string {
  const additions =
    `<script type="application/json" id="gateway-graphiql-tokens">${scriptSafeJson(tokens)}</script>\n` +
    `<script>${BROWSER_SCRIPT}</script>\n`;
  return (options) => {
    const page = renderGraphiQL(options);
    // GraphiQL's own script (in the page) has rendered by the time ours runs.
    const end = page.lastIndexOf('</body>');
    if (end < 0) throw new Error('renderGraphiQL returned a page without </body>');
    return page.slice(0, end) + additions + page.slice(end);
  };
}

/** JSON that cannot end the <script> element it sits in, whatever a token's name holds. */
function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}
