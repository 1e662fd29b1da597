import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { TestEnv } from '../harness.js';
import { createAgent, createCustomer, createOrganization, technicalRequest, uniq, type Actor } from '../factories.js';
import { WebhookReceiver } from '../webhook-receiver.js';
import { screenshot, withBrowserApp } from './browser.js';
import { choose, closeNotifications, notification, signedIn as signedInAs } from './ui.js';

let env: TestEnv;
let browser: Browser;
let receiver: WebhookReceiver;
let admin: Actor;
let primary: Actor;
let backup: Actor;

// The receiver listens on 127.0.0.1, which Sundial refuses to post to unless allowed.
withBrowserApp(
  (e, b) => {
    env = e;
    browser = b;
  },
  { WEBHOOK_ALLOW_PRIVATE: 'true' },
);
beforeAll(async () => {
  receiver = await new WebhookReceiver().start();
  admin = await createAgent(env, { admin: true, name: 'Ada Admin' });
  primary = await createAgent(env, { name: 'Pat Primary' });
  backup = await createAgent(env, { name: 'Bo Backup' });
});
afterAll(() => receiver?.stop());

const signedIn = (path: string, who: Actor) => signedInAs(browser, env.url, path, who);

/** A datetime-local value `offsetMs` from now, in the browser's own time zone. */
const localInput = (page: Page, offsetMs: number) =>
  page.evaluate((offset) => {
    const d = new Date(Date.now() + offset);
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
  }, offsetMs);

const pagesOf = async (ticketId: number) => (await admin.api.get(`/api/v2/tickets/${ticketId}/pages`)).body.pages as any[];

/** Waits until every delivery of the ticket's pages has been attempted (the paging.deliver job ran). */
async function delivered(ticketId: number) {
  await expect.poll(async () => (await pagesOf(ticketId)).flatMap((p) => p.deliveries).every((d: { status: string }) => d.status !== 'queued'), { timeout: 15_000 }).toBe(true);
}

async function premierRequest(subject: string, priority: 'urgent' | 'high') {
  const customer = await createCustomer(env, await createOrganization(env, { plan: 'premier' }));
  const res = await customer.api.post('/api/v2/requests', await technicalRequest(customer.api, { subject, priority }));
  expect(res.status).toBe(201);
  return res.body.request.id as number;
}

describe('Premier paging', () => {
  it('lets an admin add a Mattermost target with field errors and an on-call rotation with an override', async () => {
    const page = await signedIn('/admin/paging', admin);
    await page.getByRole('heading', { name: 'Paging' }).waitFor();
    await page.getByText('No paging targets').waitFor();

    await page.getByRole('button', { name: 'New target' }).click();
    const dialog = page.getByRole('dialog', { name: 'New paging target' });
    await dialog.getByLabel('Name').fill('Support on-call channel');
    const url = dialog.getByLabel('Incoming webhook URL');
    await url.fill('ftp://chat.example.com/hooks/abc');
    await dialog.getByRole('button', { name: 'Add target' }).click();
    await dialog.getByText('Url: must be an http or https URL').waitFor();
    await expect(url.getAttribute('aria-invalid')).resolves.toBe('true');
    // PagerDuty asks for a routing key instead of requiring a URL.
    await choose(page, 'Kind', 'PagerDuty');
    await dialog.getByLabel('Routing key').waitFor();
    await dialog.getByLabel('Events API URL').waitFor();
    await choose(page, 'Kind', 'Mattermost');
    await expect(dialog.getByLabel('Routing key').count()).resolves.toBe(0);
    await dialog.getByLabel('Incoming webhook URL').fill(`${receiver.url}/hooks/mattermost`);
    await dialog.getByRole('button', { name: 'Add target' }).click();
    await notification(page, 'Support on-call channel was added').waitFor();
    const row = page.getByRole('table', { name: 'Paging targets' }).getByRole('row', { name: /Support on-call channel/ });
    await expect(row.textContent()).resolves.toMatch(new RegExp(`Mattermost.*${receiver.url.replace(/\./g, '\\.')}/hooks/mattermost.*Active`));
    const { targets } = (await admin.api.get('/api/v2/paging/targets')).body;
    expect(targets).toEqual([expect.objectContaining({ name: 'Support on-call channel', kind: 'mattermost', target_url: `${receiver.url}/hooks/mattermost`, active: true })]);
    await closeNotifications(page);
    await screenshot(page, 'admin-paging');

    // The rotation: Pat then Bo, a week each, starting an hour ago, so Pat is primary now.
    await page.getByRole('link', { name: /^On-call schedules/ }).click();
    await page.waitForURL('**/admin/on-call');
    await page.getByRole('button', { name: 'New schedule' }).click();
    const form = page.getByRole('dialog', { name: 'New on-call schedule' });
    await form.getByLabel('Name').fill('Support on call');
    await form.getByLabel('Rotation start').fill(await localInput(page, -3600_000));
    await form.getByLabel('Each turn lasts').fill('1');
    await choose(page, 'Participants', 'Pat Primary');
    await choose(page, 'Participants', 'Bo Backup');
    await form.getByRole('list', { name: 'Rotation order' }).getByText('Bo Backup').waitFor();
    await form.getByRole('button', { name: 'Create schedule' }).click();
    await notification(page, 'Support on call was created').waitFor();
    const card = page.getByRole('region', { name: 'Support on call schedule' });
    await card.getByText(/Turns of 1 week from .* Pat Primary → Bo Backup/).waitFor();
    const now = card.getByTestId('on-call-now');
    await expect(now.textContent()).resolves.toMatch(/Now.*Pat Primary.*Bo Backup/);
    // Six shifts shown: now and the next five, alternating.
    await expect(card.getByRole('table', { name: 'Shifts of Support on call' }).locator('tbody tr').count()).resolves.toBe(6);
    await expect(card.getByRole('table', { name: 'Shifts of Support on call' }).locator('tbody tr').nth(1).textContent()).resolves.toMatch(/Bo Backup.*Pat Primary/);
    const onCall = (await primary.api.get('/api/v2/on_call/now')).body.on_call;
    expect(onCall).toEqual([expect.objectContaining({ schedule_name: 'Support on call', paging: true, primary: expect.objectContaining({ id: primary.user.id }), backup: expect.objectContaining({ id: backup.user.id }) })]);

    // Ada covers backup for the next two hours, then the override is removed again.
    const overrides = card.getByRole('form', { name: 'Add an override to Support on call' });
    await choose(page, 'Role', 'Backup');
    await choose(page, 'Covered by', 'Ada Admin');
    await overrides.getByLabel('From').fill(await localInput(page, -60_000));
    await overrides.getByLabel('Until').fill(await localInput(page, 2 * 3600_000));
    await overrides.getByRole('button', { name: 'Add override' }).click();
    await notification(page, 'The override was added to Support on call').waitFor();
    await expect.poll(() => now.textContent()).toMatch(/Pat Primary.*Ada Admin \(override\)/);
    expect((await admin.api.get('/api/v2/on_call/now')).body.on_call[0].backup.id).toBe(admin.user.id);
    await closeNotifications(page);
    await screenshot(page, 'admin-on-call');
    await card.getByRole('button', { name: 'Remove the override for Ada Admin' }).click();
    await page.getByRole('dialog', { name: 'Remove this override?' }).getByRole('button', { name: 'Remove override' }).click();
    await expect.poll(() => now.textContent()).toMatch(/Pat Primary.*Bo Backup/);
    expect((await admin.api.get('/api/v2/on_call/now')).body.on_call[0].backup.id).toBe(backup.user.id);
    expect(page.errors).toEqual([]);
  });

  it('pages the on-call agent for a Premier urgent request: pager menu, Pages panel, acknowledgement and history', async () => {
    const subject = `Cluster down in production ${uniq()}`;
    const id = await premierRequest(subject, 'urgent');
    await delivered(id);

    // The receiver got the page in Mattermost's incoming-webhook format.
    const posts = receiver.on('/hooks/mattermost').filter((h) => String(h.body.text).includes(`#${id} `));
    expect(posts).toHaveLength(1);
    expect(posts[0].headers['content-type']).toMatch(/^application\/json/);
    expect(posts[0].body).toEqual({ username: 'Sundial', text: expect.stringMatching(new RegExp(`^#### :rotating_light: Premier urgent ticket #${id} from Org .* was opened\\n\\*\\*${subject}\\*\\*\\nPaging Pat Primary \\(page sent\\)\\n\\[Acknowledge\\]\\(http://sundial\\.test/pages/\\d+/acknowledge\\?signature=[\\w-]+\\) · \\[Open ticket #${id}\\]`)) });

    const page = await signedIn('/agent', primary);
    await page.getByRole('button', { name: '1 open page' }).click();
    const entry = page.getByTestId(`pager-page-${(await pagesOf(id))[0].id}`);
    await entry.getByRole('link', { name: `#${id} ${subject}` }).waitFor();
    await expect(entry.textContent()).resolves.toMatch(/primary.*Pat Primary · send 1/);
    await entry.getByRole('link', { name: `#${id} ${subject}` }).click();
    await page.waitForURL(`**/agent/tickets/${id}`);

    const panel = page.getByRole('region', { name: 'Pages' });
    await panel.waitFor();
    await expect(panel.textContent()).resolves.toMatch(/Open.*primary.*Paging Pat Primary.*Opened as urgent\/high · sent once/);
    await panel.getByText(/Repeats in 1[45] min · goes to the backup in (29|30) min/).waitFor();
    const delivery = panel.getByRole('table', { name: 'Deliveries' }).getByRole('row', { name: /Support on-call channel/ });
    await expect(delivery.textContent()).resolves.toMatch(/Support on-call channel · Mattermost.*Sent.*send 1.*1\/1/);
    await screenshot(page, 'agent-paging');

    await panel.getByRole('button', { name: 'Acknowledge' }).click();
    await notification(page, 'You acknowledged the page; repeats have stopped').waitFor();
    await panel.getByText(/Acknowledged by Pat Primary in the workspace at/).waitFor();
    await expect(panel.getByRole('button', { name: 'Acknowledge' }).count()).resolves.toBe(0);
    await page.getByRole('button', { name: '0 open pages' }).waitFor();
    const [acked] = await pagesOf(id);
    expect(acked).toMatchObject({ status: 'acknowledged', acknowledged_by: primary.user.id, acknowledged_via: 'agent', next_send_at: null });

    // The ticket's history tells the story in words.
    await page.getByRole('tab', { name: 'History' }).click();
    const history = page.getByLabel('Ticket history');
    await history.getByText('Paged Pat Primary (send 1)').waitFor();
    await history.getByText('Page acknowledged by Pat Primary').waitFor();
    expect(page.errors).toEqual([]);
  });

  it('acknowledges from the pager menu in the header', async () => {
    const subject = `Login fails for every user ${uniq()}`;
    const id = await premierRequest(subject, 'high');
    await delivered(id);
    const page = await signedIn('/agent', primary);
    await page.getByRole('button', { name: '1 open page' }).click();
    await page.getByRole('button', { name: `Acknowledge the page on #${id}` }).click();
    await notification(page, `You acknowledged the page on #${id}`).waitFor();
    await page.getByRole('button', { name: '0 open pages' }).waitFor();
    expect((await pagesOf(id))[0]).toMatchObject({ status: 'acknowledged', acknowledged_by: primary.user.id });
    expect(page.errors).toEqual([]);
  });
});
