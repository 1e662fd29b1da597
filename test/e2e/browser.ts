import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startTestApp, type TestEnv } from '../harness.js';
import type { Clock } from '../../src/platform/clock.js';

/** Debian's Chromium (apt-get install chromium); playwright cannot download browsers here. */
const EXECUTABLE = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

export const SCREENSHOTS = join(import.meta.dirname, '..', '..', 'docs', 'screenshots');

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: EXECUTABLE, args: ARGS, headless: true });
}

/**
 * A fresh browser context (its own cookies) on the test server. Page errors and failed script loads
 * fail the test: a page that throws in the browser is a broken page.
 */
export async function newPage(browser: Browser, baseURL: string, viewport = { width: 1280, height: 860 }): Promise<Page & { errors: string[] }> {
  const context = await browser.newContext({ baseURL, viewport });
  const page = (await context.newPage()) as Page & { errors: string[] };
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  page.setDefaultTimeout(15_000);
  return page;
}

/** Saves a screenshot under docs/screenshots (referenced from the README). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: false });
}

/**
 * Starts a listening Sundial and a Chromium for the test file and stops both after it; `use` receives
 * them (the file keeps them in its own variables). `config` overrides environment settings (e.g.
 * WEBHOOK_ALLOW_PRIVATE); `options.clock` drives scheduled rules (shifts, paging) by hand.
 */
export function withBrowserApp(use: (env: TestEnv, browser: Browser) => void, config: Record<string, string> = {}, options: { clock?: Clock } = {}): void {
  let env: TestEnv | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    env = await startTestApp(config, { listen: true, clock: options.clock });
    browser = await launchBrowser();
    use(env, browser);
  });
  afterAll(async () => {
    await browser?.close();
    await env?.close();
  });
}
