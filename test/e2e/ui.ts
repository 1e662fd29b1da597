import { expect } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Actor } from '../factories.js';
import { newPage } from './browser.js';

export type TestPage = Page & { errors: string[] };

/** Opens `path` signed out and signs in through the page's own form (admin and agent forms are alike). */
export async function signedIn(browser: Browser, baseURL: string, path: string, who: Actor): Promise<TestPage> {
  const page = await newPage(browser, baseURL);
  await page.goto(path);
  await page.getByLabel(/^Email/).fill(who.user.email);
  await page.getByLabel(/^Password/).fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // /agent goes on to its first view once the views load: a click on the page before that races the redirect.
  if (path === '/agent') await page.waitForURL(/\/agent\/views\/\d+/);
  return page;
}

/** Picks an option of a Mantine Select (a combobox) or MultiSelect (a textbox) by the field's label. */
export async function choose(page: Page, label: string, option: string | RegExp) {
  await page.getByRole('textbox', { name: label, exact: true }).or(page.getByRole('combobox', { name: label, exact: true })).first().click();
  await page.getByRole('option', { name: option }).first().click();
}

export const notification = (page: Page, text: string | RegExp) => page.locator('.mantine-Notification-root').filter({ hasText: text });

/** Closes every notification, for a screenshot without toasts over the header. */
export async function closeNotifications(page: Page) {
  for (const close of await page.locator('.mantine-Notification-closeButton').all()) await close.click().catch(() => {});
  await expect.poll(() => page.locator('.mantine-Notification-root').count(), { timeout: 10_000 }).toBe(0);
}
