import { beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { TestEnv } from '../harness.js';
import { createAgent, uniq, type Actor } from '../factories.js';
import { screenshot, withBrowserApp } from './browser.js';
import { signedIn as openSignedIn } from './ui.js';

let env: TestEnv;
let browser: Browser;
let admin: Actor;
withBrowserApp((e, b) => {
  env = e;
  browser = b;
});
beforeAll(async () => {
  admin = await createAgent(env, { admin: true, name: 'Sam SLA' });
});

const signedIn = (path: string) => openSignedIn(browser, env.url, path, admin);

const notification = (page: Page, text: string | RegExp) => page.locator('.mantine-Notification-root').filter({ hasText: text });

async function premierTarget(metric: string, priority: string) {
  const { sla_policies } = (await admin.api.get('/api/v2/slas/policies')).body;
  const premier = sla_policies.find((p: { title: string }) => p.title === 'Premier');
  return premier.policy_metrics.find((m: { metric: string; priority: string }) => m.metric === metric && m.priority === priority);
}

describe('admin SLA policies', () => {
  it('shows the targets per plan, edits one, refuses 0 inline, and manages holidays', async () => {
    const page = await signedIn('/admin/users');
    await page.getByRole('heading', { name: 'Users' }).waitFor();
    await page.getByRole('link', { name: /^SLA policies/ }).click();
    await page.waitForURL('**/admin/sla');
    await page.getByRole('heading', { name: 'SLA policies' }).waitFor();
    await page.getByText(/Mon–Fri 09:00–17:00 in the customer organization’s time zone/).waitFor();

    for (const plan of ['Professional', 'Enterprise', 'Premier']) await page.getByRole('table', { name: `${plan} targets` }).waitFor();
    const premier = page.getByRole('region', { name: 'Premier policy' });
    const table = premier.getByRole('table', { name: 'Premier targets' });
    const firstReplyRow = table.getByRole('row', { name: /^First reply/ });
    // Columns: metric, Urgent, High, Normal, Low.
    const urgentCell = firstReplyRow.getByRole('cell').nth(0);
    await expect(urgentCell.textContent()).resolves.toMatch(/^1 h.*Calendar/);
    await expect(table.getByRole('row', { name: /^Next reply/ }).textContent()).resolves.toMatch(/Internal target/);
    await expect(page.getByRole('table', { name: 'Professional targets' }).getByRole('row', { name: /^First reply/ }).getByRole('cell').nth(3).textContent()).resolves.toMatch(/^2 business days.*Business/);

    // Edit Premier urgent first reply to 30 minutes.
    await premier.getByRole('button', { name: 'Edit Premier targets' }).click();
    const input = premier.getByLabel('Premier, Urgent, First reply target in minutes');
    await input.fill('30');
    await premier.getByRole('button', { name: 'Save Premier targets' }).click();
    await notification(page, 'Premier targets were saved').waitFor();
    await urgentCell.getByText('30 min').waitFor();
    expect(await premierTarget('first_reply_time', 'urgent')).toMatchObject({ target: 30, business_hours: false });
    // Everything else went back unchanged.
    expect(await premierTarget('pausable_update_time', 'low')).toMatchObject({ target: 2880, business_hours: true, internal: true });

    // 0 minutes is refused by the server, next to the cell.
    await premier.getByRole('button', { name: 'Edit Premier targets' }).click();
    await input.fill('0');
    await premier.getByRole('button', { name: 'Save Premier targets' }).click();
    await premier.getByText(/at least 1 minute/).waitFor();
    await expect(input.getAttribute('aria-invalid')).resolves.toBe('true');
    expect(await premierTarget('first_reply_time', 'urgent')).toMatchObject({ target: 30 });
    await premier.getByRole('button', { name: 'Cancel' }).click();

    // Holidays of the default schedule.
    const holidays = page.getByRole('region', { name: 'Holidays' });
    const name = `Founders day ${uniq()}`;
    await holidays.getByLabel('Holiday name').fill(name);
    await holidays.getByLabel('Start date').fill('2030-12-24');
    await holidays.getByLabel('End date').fill('2030-12-26');
    await holidays.getByRole('button', { name: 'Add holiday' }).click();
    const row = holidays.getByRole('row', { name: new RegExp(name) });
    await row.waitFor();
    await expect(row.textContent()).resolves.toMatch(/24 Dec 2030.*26 Dec 2030/);
    const { schedules } = (await admin.api.get('/api/v2/business_hours/schedules')).body;
    const schedule = schedules.find((s: { default: boolean }) => s.default) ?? schedules[0];
    const listed = async () => (await admin.api.get(`/api/v2/business_hours/schedules/${schedule.id}/holidays`)).body.holidays as { name: string; start_date: string; end_date: string }[];
    expect((await listed()).find((h) => h.name === name)).toMatchObject({ start_date: '2030-12-24', end_date: '2030-12-26' });
    await notification(page, `“${name}” was added`).locator('.mantine-Notification-closeButton').click();
    await notification(page, 'Premier targets were saved').locator('.mantine-Notification-closeButton').click().catch(() => {});
    await page.locator('.mantine-Notification-root').first().waitFor({ state: 'detached' }).catch(() => {});
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'admin-sla');

    await row.getByRole('button', { name: `Delete ${name}` }).click();
    const dialog = page.getByRole('dialog', { name: `Delete ${name}?` });
    await dialog.getByRole('button', { name: 'Delete holiday' }).click();
    await row.waitFor({ state: 'detached' });
    expect((await listed()).some((h) => h.name === name)).toBe(false);
    expect(page.errors).toEqual([]);
  });
});
