// GraphiQL as a person uses it: a real headless Chromium opens the page with no internet, runs
// the example query with the pre-filled read-only token, and finds no mutations in the docs.
// Needs Debian's chromium (.ci/run installs it); elsewhere the suite says it skipped.
import { existsSync, mkdirSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available) console.warn(`GraphiQL browser test skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`);

describe.runIf(available)('GraphiQL in a browser', () => {
  let stack: Stack;
  let writerStack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    stack = await startStack({ graphiqlToken: 'readOnly' });
    writerStack = await startStack({ graphiqlToken: 'readWrite' });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    await writerStack?.close();
  });

  it('runs the example query and shows contacts with their tasks, notes and appointments', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const external: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith('http://127.0.0.1') && !request.url().startsWith('data:') && !request.url().startsWith('blob:')) {
        external.push(request.url());
      }
    });
    await page.goto(stack.url);
    await page.locator('.graphiql-execute-button').click();
    const response = page.locator('.result-window');
    await expect.poll(() => response.innerText(), { timeout: 15_000 }).toContain('appointments');
    const text = await response.innerText();
    expect(text).toContain('"totalCount"');
    expect(text).toContain('"tasks"');
    expect(text).not.toContain('"errors"');
    expect(external).toEqual([]);
    mkdirSync('test/browser/screenshots', { recursive: true });
    await page.screenshot({ path: 'test/browser/screenshots/graphiql-query.png' });

    await page.locator('[aria-label="Show Documentation Explorer"]').click();
    const docs = page.locator('.graphiql-doc-explorer');
    await expect.poll(() => docs.innerText(), { timeout: 10_000 }).toContain('Query');
    expect(await docs.innerText()).not.toMatch(/mutation/i);
    await page.screenshot({ path: 'test/browser/screenshots/graphiql-docs.png' });
    await page.close();
  }, 60_000);

  it('with a read-write token the docs show the mutations', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(writerStack.url);
    await page.locator('[aria-label="Show Documentation Explorer"]').click();
    const docs = page.locator('.graphiql-doc-explorer');
    await expect.poll(() => docs.innerText(), { timeout: 10_000 }).toMatch(/mutation:\s*Mutation/);
    await page.getByText('Mutation', { exact: true }).click();
    await expect.poll(() => docs.innerText(), { timeout: 10_000 }).toContain('createTask');
    expect(await docs.innerText()).toContain('completeTask');
    await page.screenshot({ path: 'test/browser/screenshots/graphiql-mutations.png' });
    await page.close();
  }, 60_000);
});
