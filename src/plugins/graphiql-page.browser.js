// @ts-check
// Runs in the GraphiQL page after GraphiQL's own script (graphiql-page.ts adds it). The gateway
// serves a different schema per token, so GraphiQL must follow the headers:
// - when the active tab's headers change (typed, pasted, picked, or another tab chosen), the
//   schema is introspected again with them, as GraphiQL's re-fetch button would;
// - a new tab starts with the headers of the tab that was active, not GraphiQL's defaults;
// - given tokens (only on the embedded sandbox), a toolbar picks one in a click and names the
//   active one.
// Yoga renders GraphiQL from a bundle that exports nothing but its render function, so GraphiQL's
// state store (the one its own `useGraphiQL` hook reads: `tabs`, `activeTabIndex`,
// `headerEditor`, `actions.introspect`) is found through React's fiber of a GraphiQL element.
// The browser test (test/browser/graphiql.test.ts) fails if a GraphiQL upgrade moves it.
(() => {
  'use strict';
  /** Typing a token makes a valid header JSON at every keystroke: introspect once typing pauses. */
  const REFETCH_AFTER_MS = 300;
  const STORE_WAIT_MS = 60_000;
  const PICKER_CSS = `
    body.gateway-with-token-bar { display: flex; flex-direction: column; height: 100vh; }
    body.gateway-with-token-bar #root { flex: 1; min-height: 0; }
    body.gateway-with-token-bar #root .graphiql-container { height: 100%; width: 100%; }
    .graphiql-container.gateway-token-bar {
      height: auto; width: auto; flex: none; flex-wrap: wrap; align-items: center; gap: var(--px-6) var(--px-16);
      padding: var(--px-6) var(--px-16); font-family: var(--font-family); font-size: var(--font-size-inline-code);
      color: hsl(var(--color-neutral)); border-bottom: 1px solid hsla(var(--color-neutral), var(--alpha-background-heavy));
    }
    .gateway-token-title, .gateway-token-active { font-weight: var(--font-weight-medium); }
    .gateway-token-group { display: inline-flex; align-items: center; gap: var(--px-4); }
    .gateway-token-location { color: hsla(var(--color-neutral), var(--alpha-secondary)); margin-right: var(--px-2); }
    .gateway-token-bar .graphiql-button {
      padding: var(--px-2) var(--px-8); font-size: var(--font-size-hint); border: 1px solid transparent;
    }
    .gateway-token-bar .graphiql-button[aria-pressed="true"] {
      background-color: hsla(var(--color-primary), var(--alpha-background-medium)); color: hsl(var(--color-primary));
      border-color: hsl(var(--color-primary)); font-weight: var(--font-weight-medium);
    }
    /* Room for the longest name, so the bar does not grow a row when another token is picked. */
    .gateway-token-active { margin-left: auto; min-width: 33em; text-align: right; }
  `;

  /** @typedef {{ location: string, access: string, headers: Record<string, string> }} Token */
  /** @typedef {{ id: string, headers: string | null }} Tab */
  /** @typedef {{ getValue(): string, setValue(value: string): void }} Editor */
  /** @typedef {{ tabs: Tab[], activeTabIndex: number, headerEditor?: Editor | null, actions: { introspect(): Promise<void> } }} GraphiQLState */
  /** @typedef {{ getState(): GraphiQLState, subscribe(listener: (state: GraphiQLState, previous: GraphiQLState) => void): () => void }} GraphiQLStore */
  /** @typedef {{ update(headers: Record<string, string> | undefined): void, enable(pick: (token: Token) => void): void }} Picker */

  const tokens = readTokens();
  const picker = tokens.length > 0 ? mountPicker(tokens) : undefined;
  waitForStore(Date.now() + STORE_WAIT_MS, (store) => follow(store, picker));

  /** @param {GraphiQLStore} store @param {Picker | undefined} picker */
  function follow(store, picker) {
    let shown = currentHeaders(store.getState());
    // GraphiQL has introspected with the headers it started with.
    let introspected = headerKey(shown);
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    let timer;
    const refetchIfChanged = () => {
      const state = store.getState();
      const key = headerKey(currentHeaders(state));
      // Half-typed JSON is not a change yet; GraphiQL would only report it as an error.
      if (key === undefined || key === introspected) return;
      introspected = key;
      void state.actions.introspect();
    };
    // Every edit of the header editor reaches the store (GraphiQL saves it into the active tab),
    // and so does every tab change.
    store.subscribe((state, previous) => {
      keepHeadersInNewTab(state, previous);
      const headers = currentHeaders(state);
      if (headers === shown) return;
      shown = headers;
      picker?.update(parseHeaders(headers));
      clearTimeout(timer);
      timer = setTimeout(refetchIfChanged, REFETCH_AFTER_MS);
    });
    picker?.update(parseHeaders(shown));
    picker?.enable((token) => {
      const editor = store.getState().headerEditor;
      if (!editor) return;
      editor.setValue(JSON.stringify(withToken(parseHeaders(editor.getValue()), token), null, 2));
      // A click is not typing: no reason to wait.
      clearTimeout(timer);
      refetchIfChanged();
    });
  }

  /**
   * GraphiQL gives a new tab its default headers (the read-only token); the active tab's are
   * what the person is working with. addTab has saved the editors into the previous tab first.
   * @param {GraphiQLState} state @param {GraphiQLState} previous
   */
  function keepHeadersInNewTab(state, previous) {
    const tab = state.tabs[state.activeTabIndex];
    const before = previous.tabs[previous.activeTabIndex];
    if (!tab || !before || tab.id === before.id || previous.tabs.some((old) => old.id === tab.id)) return;
    const headers = state.tabs.find((candidate) => candidate.id === before.id)?.headers;
    const editor = state.headerEditor;
    if (headers == null || !editor || editor.getValue() === headers) return;
    editor.setValue(headers);
  }

  /** @param {GraphiQLState} state */
  function currentHeaders(state) {
    return state.headerEditor?.getValue() ?? state.tabs[state.activeTabIndex]?.headers ?? '';
  }

  /** @param {string} text @returns {Record<string, string> | undefined} */
  function parseHeaders(text) {
    if (text.trim() === '') return {};
    try {
      const value = JSON.parse(text);
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
      /** @type {Record<string, string>} */
      const headers = {};
      for (const [name, header] of Object.entries(value)) headers[name] = String(header);
      return headers;
    } catch {
      return undefined;
    }
  }

  /** Header names are case-insensitive; the order they are written in means nothing. @param {string} text */
  function headerKey(text) {
    const headers = parseHeaders(text);
    if (headers === undefined) return undefined;
    const entries = Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]);
    return JSON.stringify(entries.sort(([a = ''], [b = '']) => a.localeCompare(b)));
  }

  /** @param {Record<string, string> | undefined} headers @param {string} name */
  function headerValue(headers, name) {
    const found = Object.entries(headers ?? {}).find(([key]) => key.toLowerCase() === name.toLowerCase());
    return found?.[1];
  }

  /** Every header a token sets, so picking one drops the previous token's X-GHL-Location-Id. */
  function tokenHeaderNames() {
    return new Set(tokens.flatMap((token) => Object.keys(token.headers).map((name) => name.toLowerCase())));
  }

  /**
   * The token's headers over the current ones, keeping any other header the person added.
   * @param {Record<string, string> | undefined} current @param {Token} token
   */
  function withToken(current, token) {
    const names = tokenHeaderNames();
    const kept = Object.entries(current ?? {}).filter(([name]) => !names.has(name.toLowerCase()));
    return { ...Object.fromEntries(kept), ...token.headers };
  }

  /** "Harbor Dental · private integration token (with X-GHL-Location-Id)" @param {Token} token */
  function nameOf(token) {
    const extra = Object.keys(token.headers).filter((name) => name.toLowerCase() !== 'authorization');
    return `${token.location} · ${token.access}${extra.length > 0 ? ` (with ${extra.join(', ')})` : ''}`;
  }

  /** @param {Record<string, string> | undefined} headers @param {Token} token */
  function isActive(headers, token) {
    for (const name of tokenHeaderNames()) {
      if (headerValue(headers, name) !== headerValue(token.headers, name)) return false;
    }
    return true;
  }

  /** @returns {Token[]} */
  function readTokens() {
    const element = document.getElementById('gateway-graphiql-tokens');
    return element?.textContent ? JSON.parse(element.textContent) : [];
  }

  /** @param {(store: GraphiQLStore) => void} found @param {number} deadline */
  function waitForStore(deadline, found) {
    const store = findStore();
    // The header editor exists once Monaco has loaded; before that there is nothing to follow.
    if (store?.getState().headerEditor) return found(store);
    if (Date.now() > deadline) {
      console.warn('GraphiQL store not found: after changing headers, use the re-fetch schema button.');
      return;
    }
    setTimeout(() => waitForStore(deadline, found), 50);
  }

  /** @returns {GraphiQLStore | undefined} */
  function findStore() {
    const element = document.querySelector('#root .graphiql-sessions');
    if (!element) return undefined;
    const fiberKey = Object.keys(element).find((key) => key.startsWith('__reactFiber$'));
    /** @type {any} */
    let fiber = fiberKey === undefined ? undefined : /** @type {any} */ (element)[fiberKey];
    for (; fiber; fiber = fiber.return) {
      const candidate = fiber.memoizedProps?.value?.current;
      if (typeof candidate?.getState === 'function' && typeof candidate.getState().actions?.introspect === 'function') {
        return candidate;
      }
    }
    return undefined;
  }

  /** @param {Token[]} tokens @returns {Picker} */
  function mountPicker(tokens) {
    const style = document.createElement('style');
    style.textContent = PICKER_CSS;
    document.head.append(style);
    document.body.classList.add('gateway-with-token-bar');

    // graphiql-container gives the bar GraphiQL's colours, fonts and dark theme.
    const bar = element('div', 'graphiql-container gateway-token-bar');
    bar.setAttribute('role', 'toolbar');
    bar.setAttribute('aria-label', 'Sandbox tokens');
    bar.append(element('span', 'gateway-token-title', 'Sandbox token'));
    /** @type {Array<{ token: Token, button: HTMLButtonElement }>} */
    const buttons = [];
    for (const location of new Set(tokens.map((token) => token.location))) {
      const group = element('span', 'gateway-token-group');
      group.append(element('span', 'gateway-token-location', location));
      for (const token of tokens.filter((candidate) => candidate.location === location)) {
        const button = /** @type {HTMLButtonElement} */ (element('button', 'graphiql-button', token.access));
        button.type = 'button';
        button.disabled = true;
        button.setAttribute('aria-label', nameOf(token));
        button.title = nameOf(token);
        button.setAttribute('aria-pressed', 'false');
        buttons.push({ token, button });
        group.append(button);
      }
      bar.append(group);
    }
    const active = element('span', 'gateway-token-active');
    active.setAttribute('aria-live', 'polite');
    bar.append(active);
    document.body.insertBefore(bar, document.getElementById('root'));

    return {
      update(headers) {
        const current = buttons.find(({ token }) => isActive(headers, token))?.token;
        for (const { token, button } of buttons) button.setAttribute('aria-pressed', String(token === current));
        const authorization = headerValue(headers, 'authorization');
        active.textContent = current
          ? `Active: ${nameOf(current)}`
          : `Active: ${headers === undefined ? 'headers are not valid JSON' : authorization ? `custom (${shorten(authorization)})` : 'no Authorization header'}`;
      },
      enable(pick) {
        for (const { token, button } of buttons) {
          button.disabled = false;
          button.addEventListener('click', () => pick(token));
        }
      },
    };
  }

  /** Enough of a header value to tell two apart, not enough to use. @param {string} value */
  function shorten(value) {
    const [scheme, credential] = value.includes(' ') ? value.split(/ (.*)/s) : ['', value];
    const tail = (credential ?? '').slice(-6);
    return `${scheme ? `${scheme} ` : ''}…${tail}`;
  }

  /** @param {string} tag @param {string} className @param {string} [text] */
  function element(tag, className, text) {
    const node = document.createElement(tag);
    node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }
})();
