// GraphiQL as a person uses it: a real headless Chromium opens the page with no internet, runs
// the example query with the pre-filled read-only token, switches tokens with the sandbox's
// token bar or by pasting one, and sees the schema follow (mutations in the docs) with no click
// on GraphiQL's re-fetch button; a new tab keeps the token. Screenshots go to
// test/browser/screenshots/ (their paths are printed).
// Needs Debian's chromium (.ci/run installs it); elsewhere the suite says it skipped.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available) console.warn(`GraphiQL browser test skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`);
const SCREENSHOTS = 'test/browser/screenshots';

describe.runIf(available)('GraphiQL in a browser', () => {
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    stack = await startStack({ graphiqlToken: 'readOnly', graphiqlTokens: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    });
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  /** A fresh page (its own storage) that records introspections and any request leaving 127.0.0.1. */
  async function open(): Promise<{ page: Page; external: string[]; introspections: string[] }> {
    // The clipboard, to paste a token as a person does (typed JSON gets Monaco's auto-closing).
    const context = await browser.newContext({
      viewport: { width: 1400, height: 900 },
      permissions: ['clipboard-read', 'clipboard-write'],
    });
    const page = await context.newPage();
    const external: string[] = [];
    const introspections: string[] = [];
    page.on('request', (request) => {
      const url = request.url();
      if (!url.startsWith('http://127.0.0.1') && !url.startsWith('data:') && !url.startsWith('blob:'))
        external.push(url);
      if (request.postData()?.includes('IntrospectionQuery'))
        introspections.push(request.headers()['authorization'] ?? '');
    });
    await page.goto(stack.url);
    return { page, external, introspections };
  }

  async function screenshot(page: Page, name: string): Promise<void> {
    const file = path.join(SCREENSHOTS, name);
    await page.screenshot({ path: file });
    console.log(`screenshot: ${path.resolve(file)}`);
  }

  const activeToken = (page: Page) => page.locator('.gateway-token-active').innerText();
  const docs = (page: Page) => page.locator('.graphiql-doc-explorer');
  const showDocs = (page: Page) => page.locator('[aria-label="Show Documentation Explorer"]').click();

  it('runs the example query and shows contacts with their tasks, notes and appointments', async () => {
    const { page, external } = await open();
    const answered = page.waitForResponse(
      (r) => r.request().method() === 'POST' && (r.request().postData() ?? '').includes('query Dashboard'),
    );
    await page.locator('.graphiql-execute-button').click();
    // The answer is longer than the result pane, which renders only the lines in view: the whole
    // of it is read from the network, the pane shows its beginning.
    const body = (await (await answered).json()) as {
      errors?: unknown;
      data: { contacts: { nodes: { tasks: { status: string }[]; notes: unknown[]; appointments: unknown[] }[] } };
    };
    expect(body.errors).toBeUndefined();
    const nodes = body.data.contacts.nodes;
    expect(nodes).toHaveLength(5);
    for (const node of nodes) {
      expect(node.notes.length).toBeGreaterThan(0);
      expect(node.appointments.length).toBeGreaterThan(0);
    }
    expect(new Set(nodes.flatMap((n) => n.tasks.map((t) => t.status)))).toEqual(
      new Set(['PENDING', 'OVERDUE', 'COMPLETED']),
    );
    const response = page.locator('.result-window');
    await expect.poll(() => response.innerText(), { timeout: 15_000 }).toContain('"tasks"');
    const text = await response.innerText();
    expect(text).toContain('"totalCount"');
    expect(text).not.toContain('"errors"');
    expect(await activeToken(page)).toBe('Active: Sunrise Realty · read-only');
    await screenshot(page, 'graphiql-query.png');

    await showDocs(page);
    await expect.poll(() => docs(page).innerText(), { timeout: 10_000 }).toContain('Query');
    expect(await docs(page).innerText()).not.toMatch(/mutation/i);
    await screenshot(page, 'graphiql-docs.png');
    expect(external).toEqual([]);
    await page.context().close();
  }, 30_000);

  it('the token bar switches to the read-write token: mutations appear at once, and a new tab keeps it', async () => {
    const { page, external, introspections } = await open();
    await showDocs(page);
    await expect.poll(() => docs(page).innerText(), { timeout: 10_000 }).toContain('query: Query');
    expect(await docs(page).innerText()).not.toMatch(/mutation/i);
    expect(introspections).toEqual([`Bearer ${stack.readOnly}`]);

    await page.getByRole('button', { name: 'Sunrise Realty · read-write' }).click();
    await expect.poll(() => docs(page).innerText(), { timeout: 10_000 }).toMatch(/mutation:\s*Mutation/);
    expect(introspections).toEqual([`Bearer ${stack.readOnly}`, `Bearer ${stack.readWrite}`]);
    expect(await activeToken(page)).toBe('Active: Sunrise Realty · read-write');
    expect(await page.getByRole('button', { name: 'Sunrise Realty · read-write' }).getAttribute('aria-pressed')).toBe(
      'true',
    );
    expect(await page.getByRole('button', { name: 'Sunrise Realty · read-only' }).getAttribute('aria-pressed')).toBe(
      'false',
    );
    await page.getByText('Mutation', { exact: true }).click();
    await expect.poll(() => docs(page).innerText(), { timeout: 10_000 }).toContain('createTask');
    expect(await docs(page).innerText()).toContain('completeTask');
    await screenshot(page, 'graphiql-token-read-write.png');

    // A new tab: the same token, and its requests carry it (a read-only token answers false).
    await page.locator('.graphiql-tab-add').click();
    await expect.poll(() => page.locator('.graphiql-tab').count()).toBe(2);
    await expect.poll(() => activeToken(page)).toBe('Active: Sunrise Realty · read-write');
    await page.locator('.graphiql-query-editor .monaco-editor').click();
    // A new tab may open with the default query: replace whatever the editor holds.
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.insertText('{ viewer { canWrite } }');
    await page.locator('.graphiql-execute-button').click();
    await expect
      .poll(() => page.locator('.result-window').innerText(), { timeout: 10_000 })
      .toMatch(/"canWrite":\s*true/);
    await screenshot(page, 'graphiql-new-tab.png');
    // Same headers in the new tab: the schema is not fetched again.
    expect(introspections).toHaveLength(2);
    expect(external).toEqual([]);
    await page.context().close();
  }, 30_000);

  it('a pasted token refetches the schema too, and the bar names it; picking read-only hides the mutations again', async () => {
    const { page, introspections } = await open();
    await showDocs(page);
    await expect.poll(() => docs(page).innerText(), { timeout: 10_000 }).toContain('query: Query');
    await page.locator('section[aria-label="Headers"] .graphiql-editor:not(.hidden) .monaco-editor').click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.evaluate(
      (text) => navigator.clipboard.writeText(text),
      JSON.stringify({ Authorization: `Bearer ${stack.readWrite}` }),
    );
    await page.keyboard.press('ControlOrMeta+V');
    await expect.poll(() => docs(page).innerText(), { timeout: 10_000 }).toMatch(/mutation:\s*Mutation/);
    expect(await activeToken(page)).toBe('Active: Sunrise Realty · read-write');

    await page.getByRole('button', { name: 'Sunrise Realty · read-only' }).click();
    await expect.poll(() => docs(page).innerText(), { timeout: 10_000 }).not.toMatch(/mutation/i);
    expect(introspections).toEqual([
      `Bearer ${stack.readOnly}`,
      `Bearer ${stack.readWrite}`,
      `Bearer ${stack.readOnly}`,
    ]);

    await page
      .getByRole('button', { name: 'Harbor Dental · private integration token (with X-GHL-Location-Id)' })
      .click();
    await expect
      .poll(() => activeToken(page))
      .toBe('Active: Harbor Dental · private integration token (with X-GHL-Location-Id)');
    await screenshot(page, 'graphiql-token-private-integration.png');
    await page.context().close();
  }, 30_000);
});
