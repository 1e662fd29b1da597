import { beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { TestEnv } from '../harness.js';
import { createAgent, type Actor } from '../factories.js';
import { withBrowserApp } from './browser.js';
import { notification, signedIn } from './ui.js';
import { Authenticator } from '../int/two-factor-helpers.js';

let env: TestEnv;
let browser: Browser;
let admin: Actor;
withBrowserApp((e, b) => {
  env = e;
  browser = b;
});
beforeAll(async () => {
  admin = await createAgent(env, { admin: true, name: 'Tess Totp' });
});

describe('two-factor authentication in the browser', () => {
  it('enrolls from the admin area, signs out, and signs in again with a code computed from the secret', async () => {
    const page = await signedIn(browser, env.url, '/admin', admin);
    await page.waitForURL('**/admin/users');
    await page.getByRole('link', { name: /^Security/ }).click();
    await page.getByRole('button', { name: 'Set up two-factor authentication' }).click();

    // The secret is shown as text and as an otpauth:// link (no QR image).
    const secret = (await page.getByTestId('two-factor-secret').textContent())!.replace(/\s/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const uri = await page.getByTestId('two-factor-uri').getAttribute('href');
    expect(uri).toContain(`secret=${secret}`);
    const auth = new Authenticator(secret);
    await page.getByLabel('Code from the app').fill(await auth.code());
    await page.getByRole('button', { name: 'Turn on two-factor authentication' }).click();

    await page.getByTestId('recovery-codes').locator('li').nth(9).waitFor();
    const codes = (await page.getByTestId('recovery-codes').locator('li').allTextContents()).map((c) => c.trim());
    expect(codes).toHaveLength(10);
    await page.getByRole('button', { name: 'I have saved my recovery codes' }).click();
    await page.getByText(/10 of 10 recovery codes left/).waitFor();

    // Sign out, then the password alone is not enough: the dialog asks for a code.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel(/^Email/).fill(admin.user.email);
    await page.getByLabel(/^Password/).fill(admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const dialog = page.getByRole('dialog', { name: 'Two-factor authentication' });
    await dialog.getByLabel('Authentication code').fill(auth.wrong());
    await dialog.getByRole('button', { name: 'Verify' }).click();
    await dialog.getByText(/That code is not correct/).waitFor();
    await dialog.getByLabel('Authentication code').fill(await auth.code());
    await dialog.getByRole('button', { name: 'Verify' }).click();
    await dialog.waitFor({ state: 'hidden' });
    // Signed in again, on the page where the session ended.
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await page.getByText(/recovery codes left/).waitFor();

    // Requiring two-factor for staff shows up in the audit log with who did it.
    await page.getByRole('link', { name: /^Security/ }).click();
    await page.getByRole('switch', { name: /Require two-factor authentication for agents and admins/ }).click({ force: true });
    await notification(page, 'Agents and admins now need two-factor authentication').waitFor();
    await page.getByRole('link', { name: /^Audit log/ }).click();
    const row = page.getByRole('row', { name: /Two-factor required/ });
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain(admin.user.email);
    const exportHref = await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href');
    expect(exportHref).toMatch(/^\/api\/v2\/audit_logs\/export/);

    const saved = await env.ctx.db.selectFrom('user_two_factor').select('enabled_at').where('user_id', '=', admin.user.id).executeTakeFirstOrThrow();
    expect(saved.enabled_at).not.toBeNull();
    expect(page.errors).toEqual([]);
  });
});
