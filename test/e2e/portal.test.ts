import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createAgent, createCustomer, createOrganization, formsOf, technicalRequest, uniq } from '../factories.js';
import type { TestEnv } from '../harness.js';
import { linkIn } from '../mail-catcher.js';
import { newPage, screenshot, withBrowserApp } from './browser.js';

let env: TestEnv;
let browser: Browser;
withBrowserApp((e, b) => {
  env = e;
  browser = b;
}, { AUTO_CLOSE_AFTER: '3s' });

const MAIL_BASE = 'http://sundial.test';
const pathOf = (link: string) => link.replace(MAIL_BASE, '');

const waitUntil = async (check: () => Promise<boolean>, timeoutMs = 20_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 200));
  }
};

async function signIn(page: Page, email: string, password: string) {
  await page.goto('/login');
  await page.getByRole('textbox', { name: 'Email' }).fill(email);
  await page.getByLabel(/^Password/).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'How can we help?' }).waitFor();
}

/** Picks an option of a Mantine Select, typing first when the select is searchable. */
async function choose(page: Page, label: string, option: string, typed?: string) {
  const input = page.getByRole('combobox', { name: label, exact: true }).or(page.getByRole('textbox', { name: label, exact: true }));
  await input.click();
  if (typed) await input.fill(typed);
  await page.getByRole('option', { name: new RegExp(`^${option.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) }).click();
}

const activeElementId = (page: Page) => page.evaluate(() => (document.activeElement as HTMLElement | null)?.getAttribute('id') ?? '');
const labelFor = (page: Page, id: string) => page.evaluate((i) => document.querySelector(`label[for="${i}"]`)?.textContent ?? '', id);

describe('customer portal', () => {
  it('takes a customer from sign-up to a follow-up request, all through the UI', { timeout: 120_000 }, async () => {
    const org = await createOrganization(env);
    const email = `ana.${uniq()}@${org.domain}`;
    const password = 'a-strong-password-1';
    const page = await newPage(browser, env.url);

    // Sign up, then open the mailed verification link in the browser.
    await page.goto('/signup');
    await page.getByLabel('Name').fill('Ana Lyst');
    await page.getByRole('textbox', { name: 'Email' }).fill(email);
    await page.getByLabel(/^Password/).fill(password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();
    const verifyMail = await env.mail.waitFor((m) => m.to.includes(email) && /verify/i.test(m.subject));
    await page.goto(pathOf(linkIn(verifyMail, `${MAIL_BASE}/api/portal/verify`)));
    await page.getByText('Your email address is verified').waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');

    await page.getByRole('textbox', { name: 'Email' }).fill(email);
    await page.getByLabel(/^Password/).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'How can we help?' }).waitFor();
    expect(await page.getByText('Verify your email address').count()).toBe(0);

    // Choose Technical Support and fill the form rendered from the API's fields.
    await page.getByRole('link', { name: 'Submit a request' }).first().click();
    await page.getByRole('link', { name: /Technical Support/ }).click();
    await page.getByLabel(/^Subject/).fill('Push notifications stopped after upgrade');
    await page.getByRole('radio', { name: 'High', exact: true }).check();
    await choose(page, 'Category', 'Notifications & Status', 'notif');
    await page.getByLabel(/^Description/).fill('Since upgrading to 9.11 no push notifications arrive on iOS.');
    await choose(page, 'Environment', 'Production');
    await page.getByLabel(/^Mattermost Version/).fill('9.11.2');
    expect(await page.getByLabel(/^Mattermost Mobile Version/).count()).toBe(0);
    await choose(page, 'Mobile Device', 'iOS');
    await page.getByLabel(/^Mattermost Mobile Version/).fill('2.20.0');
    const cc = `boss.${uniq()}@${org.domain}`;
    await page.getByRole('combobox', { name: 'CC', exact: true }).fill(cc);
    await page.getByRole('combobox', { name: 'CC', exact: true }).press('Enter');
    // High priority without files: a warning that does not block.
    await page.getByText('Add logs or a support packet?').waitFor();
    await page.locator('input[type=file]').setInputFiles({ name: 'mattermost.log', mimeType: 'text/plain', buffer: Buffer.from('level=error msg="push proxy unreachable"\n') });
    await page.getByText('Uploaded').waitFor();
    expect(await page.getByText('Add logs or a support packet?').count()).toBe(0);
    // Tall enough to show the whole form, guidance and warning in one picture.
    await page.setViewportSize({ width: 1280, height: 2000 });
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'portal-new-request');
    await page.setViewportSize({ width: 1280, height: 860 });
    await page.getByRole('button', { name: 'Submit request' }).click();
    await page.waitForURL(/\/requests\/\d+$/);
    const id = Number(new URL(page.url()).pathname.split('/').pop());
    await page.getByText(`Request #${id} submitted`).waitFor();
    await page.getByRole('link', { name: 'mattermost.log' }).waitFor();

    // The API kept what was typed, CC included.
    const agent = await createAgent(env);
    const ticket = (await agent.api.get(`/api/v2/tickets/${id}.json?include=users`)).body;
    expect(ticket.ticket).toMatchObject({ priority: 'high', subject: 'Push notifications stopped after upgrade' });
    expect(ticket.users.map((u: { email: string }) => u.email)).toContain(cc);

    // My requests lists it as Open; search finds it.
    await page.goto('/requests');
    const row = page.getByRole('row', { name: /Push notifications stopped after upgrade/ });
    await row.waitFor();
    expect(await row.textContent()).toContain('Open');
    await screenshot(page, 'portal-requests');
    await page.getByLabel('Search requests').fill('notifications stopped');
    await page.getByText('Results for “notifications stopped”').waitFor();
    await page.getByRole('row', { name: /Push notifications stopped after upgrade/ }).waitFor();
    // A server without the search endpoint (404): the box still filters the loaded page, and says so.
    await page.route('**/api/v2/requests/search**', (route) => route.fulfill({ status: 404, contentType: 'application/json', body: '{"error":"RecordNotFound","description":"Not found"}' }));
    await page.getByLabel('Search requests').fill('upgrade');
    await page.getByText('Search looks through the requests on this page only').waitFor();
    await page.getByRole('row', { name: /Push notifications stopped after upgrade/ }).waitFor();
    await page.unroute('**/api/v2/requests/search**');

    // An agent answers (API); the customer reads and replies in the portal.
    const reply = await agent.api.put(`/api/v2/tickets/${id}.json`, { ticket: { assignee_id: agent.user.id, comment: { body: 'Could you send the push proxy logs?', public: true }, status: 'pending' } });
    expect(reply.status).toBe(200);
    await page.goto(`/requests/${id}`);
    await page.getByText('Could you send the push proxy logs?').waitFor();
    await page.getByText('Awaiting your reply').first().waitFor();
    await screenshot(page, 'portal-request');
    await page.getByLabel('Your reply').fill('Logs attached above, thanks');
    await page.getByRole('button', { name: 'Send reply' }).click();
    await page.getByRole('listitem').filter({ hasText: 'Logs attached above, thanks' }).waitFor();
    await page.getByText('Open', { exact: true }).first().waitFor();

    // "This solved my problem", then the auto-close job closes it.
    await page.getByRole('button', { name: 'This solved my problem' }).click();
    await page.getByText('Solved', { exact: true }).first().waitFor();
    await waitUntil(async () => (await agent.api.get(`/api/v2/tickets/${id}.json`)).body.ticket.status === 'closed');
    await page.reload();
    await page.getByText('Closed', { exact: true }).first().waitFor();

    // A reply to a closed request becomes a linked follow-up.
    await page.getByLabel('Reply (opens a follow-up)').fill('It broke again today');
    await page.getByRole('button', { name: 'Send and open follow-up' }).click();
    await page.waitForURL((url) => /^\/requests\/\d+$/.test(url.pathname) && url.pathname !== `/requests/${id}`);
    const followUp = Number(new URL(page.url()).pathname.split('/').pop());
    await page.getByText(`Your request was closed, so we opened follow-up #${followUp}`).waitFor();
    await page.getByRole('region', { name: 'Request details' }).getByRole('link', { name: `#${id}`, exact: true }).waitFor();
    expect((await agent.api.get(`/api/v2/tickets/${followUp}.json`)).body.ticket.via.followup_source_id ?? id).toBe(id);
    expect(page.errors).toEqual([]);
  });

  it('shows every problem inline and keeps what the customer typed', async () => {
    const org = await createOrganization(env);
    const customer = await createCustomer(env, org);
    const forms = await formsOf(customer.api);
    const page = await newPage(browser, env.url);
    await signIn(page, customer.user.email, customer.password);
    await page.goto(`/requests/new?form=${forms.technical.id}`);

    // Blank required fields and a bad CC, caught before sending.
    await page.getByLabel(/^Description/).fill('Typed words that must survive');
    await page.getByRole('combobox', { name: 'CC', exact: true }).fill('not-an-email');
    await page.getByRole('combobox', { name: 'CC', exact: true }).press('Enter');
    await page.getByRole('button', { name: 'Submit request' }).click();
    for (const text of ['Subject is required', 'Priority is required', 'Category is required', 'Environment is required', 'Mattermost Version is required', 'not-an-email is not a valid email address']) {
      await page.getByText(text, { exact: true }).waitFor();
    }
    expect(await page.getByLabel(/^Subject/).getAttribute('aria-invalid')).toBe('true');
    expect(await labelFor(page, await activeElementId(page))).toMatch(/^Subject/); // focus moved to the first problem
    expect(await page.getByLabel(/^Description/).inputValue()).toBe('Typed words that must survive');

    // 49 CCs: one too many.
    await page.getByRole('button', { name: 'Remove all CCs' }).click();
    const many = Array.from({ length: 49 }, (_, i) => `cc${i}@${org.domain}`).join(',');
    await page.getByRole('combobox', { name: 'CC', exact: true }).fill(many);
    await page.getByRole('combobox', { name: 'CC', exact: true }).press('Enter');
    await page.getByRole('button', { name: 'Submit request' }).click();
    await page.getByText('You can add at most 48 CCs (you added 49)').waitFor();

    // A file over 50 MB is refused before any byte is uploaded.
    const uploadsStarted: string[] = [];
    page.on('request', (r) => r.url().includes('/api/v2/uploads') && uploadsStarted.push(r.url()));
    const big = join(mkdtempSync(join(tmpdir(), 'portal-e2e-')), 'huge.log');
    writeFileSync(big, '');
    truncateSync(big, 51 * 1024 * 1024);
    await page.locator('input[type=file]').setInputFiles(big);
    await page.getByText('huge.log is 51 MB; files can be at most 50 MB', { exact: false }).waitFor();
    expect(uploadsStarted).toEqual([]);
    await page.getByRole('button', { name: 'Remove huge.log' }).click();
    rmSync(dirname(big), { recursive: true, force: true });

    // A problem only the server knows (subject over 150 characters) lands beside its field too.
    await page.getByRole('button', { name: 'Remove all CCs' }).click();
    await page.getByLabel(/^Subject/).fill('S'.repeat(151));
    await page.getByRole('radio', { name: 'Normal', exact: true }).check();
    await choose(page, 'Category', 'Database', 'datab');
    await choose(page, 'Environment', 'Staging');
    await page.getByLabel(/^Mattermost Version/).fill('9.11.2');
    await page.getByRole('button', { name: 'Submit request' }).click();
    await page.getByText('Subject: is too long (maximum is 150 characters)').waitFor();
    expect(new URL(page.url()).pathname).toBe('/requests/new');
    expect(await page.getByLabel(/^Description/).inputValue()).toBe('Typed words that must survive');
    expect(await page.getByLabel(/^Mattermost Version/).inputValue()).toBe('9.11.2');
    expect(await page.getByRole('radio', { name: 'Normal', exact: true }).isChecked()).toBe(true);
    expect(page.errors).toEqual([]);
  });

  it('fits a 375 px phone screen without sideways scrolling', async () => {
    const org = await createOrganization(env);
    const customer = await createCustomer(env, org);
    const forms = await formsOf(customer.api);
    await customer.api.post('/api/v2/requests', await technicalRequest(customer.api));
    const page = await newPage(browser, env.url, { width: 375, height: 812 });
    await signIn(page, customer.user.email, customer.password);
    for (const path of [`/requests/new?form=${forms.technical.id}`, '/requests', '/requests/new']) {
      await page.goto(path);
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      await page.waitForLoadState('networkidle');
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width, path).toBeLessThanOrEqual(375);
    }
    expect(page.errors).toEqual([]);
  });

  it('resets a forgotten password from the mailed link, then changes it', async () => {
    const org = await createOrganization(env);
    const customer = await createCustomer(env, org);
    const email = customer.user.email;
    const page = await newPage(browser, env.url);
    await page.goto('/login');
    await page.getByRole('link', { name: 'Forgot password?' }).click();
    await page.getByRole('textbox', { name: 'Email' }).fill(email);
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await page.getByText('Check your inbox').waitFor();
    const mail = await env.mail.waitFor((m) => m.to.includes(email) && /reset/i.test(m.subject));
    const link = pathOf(linkIn(mail, `${MAIL_BASE}/reset-password`));

    await page.goto(link);
    await page.getByLabel(/^New password/).fill('a-brand-new-password-2');
    await page.getByLabel(/^Confirm new password/).fill('a-brand-new-password-2');
    await page.getByRole('button', { name: 'Set password' }).click();
    await page.getByText('Your password is set. Sign in with it now.').waitFor();
    await signIn(page, email, 'a-brand-new-password-2');

    // The link works once, and says so.
    await page.goto(link);
    await page.getByLabel(/^New password/).fill('another-password-3');
    await page.getByLabel(/^Confirm new password/).fill('another-password-3');
    await page.getByRole('button', { name: 'Set password' }).click();
    await page.getByText('This reset link has already been used').waitFor();

    await page.goto('/account/password');
    await page.getByLabel(/^Current password/).fill('wrong-password-9');
    await page.getByLabel(/^New password/).fill('a-third-password-4');
    await page.getByLabel(/^Confirm new password/).fill('a-third-password-4');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Current password: is incorrect').waitFor();
    await page.getByLabel(/^Current password/).fill('a-brand-new-password-2');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Password changed').waitFor();
    expect(page.errors).toEqual([]);
  });

  it('tells a customer of another organization that a request does not exist', async () => {
    const alice = await createCustomer(env, await createOrganization(env));
    const mallory = await createCustomer(env, await createOrganization(env));
    const created = await alice.api.post('/api/v2/requests', await technicalRequest(alice.api, { subject: 'Alice private outage' }));
    expect(created.status).toBe(201);
    const page = await newPage(browser, env.url);
    await signIn(page, mallory.user.email, mallory.password);
    await page.goto(`/requests/${created.body.request.id}`);
    await page.getByText('Request not found').waitFor();
    expect(await page.getByText('Alice private outage').count()).toBe(0);
    await page.goto('/requests');
    await page.getByText('No requests here yet').waitFor();
    expect(page.errors).toEqual([]);
  });

  it('asks unverified customers to verify and resends the link', async () => {
    const customer = await createCustomer(env, await createOrganization(env), { verified: false });
    const page = await newPage(browser, env.url);
    await signIn(page, customer.user.email, customer.password);
    await page.getByText('Verify your email address').first().waitFor();
    await page.getByRole('button', { name: 'Resend verification email' }).click();
    await page.getByText('a new link is on its way').waitFor();
    await env.mail.waitFor((m) => m.to.includes(customer.user.email) && /verify/i.test(m.subject));
    expect(page.errors).toEqual([]);
  });
});
