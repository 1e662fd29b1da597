import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestApp, type TestEnv } from '../harness.js';
import { launchBrowser, newPage } from './browser.js';

let env: TestEnv;
let browser: Browser;
beforeAll(async () => {
  env = await startTestApp({}, { listen: true });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await env?.close();
});

describe('the web app is served by Sundial', () => {
  it('renders on a deep link without script errors, with security headers', async () => {
    const page = await newPage(browser, env.url);
    const res = await page.goto('/requests/12345');
    expect(res?.status()).toBe(200);
    expect(res?.headers()['content-security-policy']).toMatch(/script-src 'self'/);
    await page.getByText('Sundial Support').first().waitFor();
    expect(page.errors).toEqual([]);
  });

  it('keeps unknown API paths as JSON 404s', async () => {
    const res = await fetch(`${env.url}/api/v2/nope`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
  });
});
