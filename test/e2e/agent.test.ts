import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { TestEnv } from '../harness.js';
import { createAgent, createCustomer, createOrganization, formsOf, technicalRequest, uniq, type Actor } from '../factories.js';
import { newPage, screenshot, withBrowserApp } from './browser.js';

let env: TestEnv;
let browser: Browser;
withBrowserApp((e, b) => {
  env = e;
  browser = b;
});

type TestPage = Page & { errors: string[] };

/** Opens `path` signed out, signs in through the workspace's form as a person would, and stays there. */
async function signedIn(path: string, who: Actor, options: { withoutLive?: boolean } = {}): Promise<TestPage> {
  const page = await newPage(browser, env.url);
  // Simulates a lost live connection: the safe update must still catch concurrent changes.
  if (options.withoutLive) await page.route('**/api/v2/live/**', (route) => route.abort());
  await page.goto(path);
  await page.getByLabel(/^Email/).fill(who.user.email);
  await page.getByLabel(/^Password/).fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  return page;
}

/** Picks an option of a Mantine Select by its label. */
async function choose(page: Page, label: string, option: string | RegExp) {
  await page.getByRole('combobox', { name: label, exact: true }).click();
  await page.getByRole('option', { name: option }).first().click();
}

/** The shown value of a Mantine Select, polled until it matches. */
const valueOf = (page: Page, name: string) => expect.poll(() => page.getByRole('combobox', { name, exact: true }).inputValue());

const comment = (page: Page, kind: 'Public reply' | 'Internal note', text: string) => page.getByRole('article').filter({ hasText: text }).and(page.locator(`[aria-label^="${kind} by"]`));
const background = (page: Page, text: string) => page.getByRole('article').filter({ hasText: text }).evaluate((el) => getComputedStyle(el).backgroundColor);

const PIXEL_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

async function technicalTicket(subject: string, options: { withFiles?: boolean } = {}) {
  const org = await createOrganization(env, { plan: 'premier', timeZone: 'Europe/Berlin' });
  const customer = await createCustomer(env, org, { name: `Cora ${uniq()}` });
  const uploads = options.withFiles
    ? [(await customer.api.upload('mattermost.log', 'level=error msg="push proxy unreachable"\n', 'text/plain')).body.upload.token, (await customer.api.upload('screen.png', PIXEL_PNG, 'image/png')).body.upload.token]
    : [];
  const body = 'Since upgrading to 9.11 no push notifications arrive on iOS. Logs attached.';
  const request = (await customer.api.post('/api/v2/requests', await technicalRequest(customer.api, { subject, comment: { body, uploads } }))).body.request;
  return { org, customer, id: request.id as number };
}

async function salesTicket(subject: string) {
  const customer = await createCustomer(env, await createOrganization(env, { plan: 'professional' }));
  const f = await formsOf(customer.api);
  const res = await customer.api.post('/api/v2/requests', {
    request: { ticket_form_id: f.sales.id, subject, comment: { body: 'Please send a renewal quote.' }, custom_fields: [{ id: f.field.sales('Category').id, value: 'sales_renewals' }] },
  });
  return res.body.request.id as number;
}

describe('agent workspace', () => {
  it('an agent signs in, finds a new technical request, replies, adds an internal note and sets Pending', async () => {
    const subject = `Push notifications stopped ${uniq()}`;
    const { org, customer, id } = await technicalTicket(subject, { withFiles: true });
    const agent = await createAgent(env, { name: 'Maya Agent' });

    const page = await signedIn('/agent', agent);
    await page.waitForURL('**/agent/views/1');
    await page.getByRole('heading', { name: 'Unassigned new technical' }).waitFor();
    const row = page.getByTestId(`ticket-row-${id}`);
    await row.waitFor();
    for (const text of [subject, customer.user.name, org.name, 'Premier', 'High', 'New', 'Unassigned', 'Technical Support']) await expect(row.textContent()).resolves.toContain(text);
    // The sidebar counts the view's tickets.
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: /Unassigned new technical/ }).getByText(/^\d+$/).waitFor();
    // Sorting by a header is kept in the URL.
    await page.getByRole('button', { name: /^ID/ }).click();
    await page.waitForURL(/sort_by=id&sort_order=desc/);
    await page.getByRole('columnheader', { name: /^ID/ }).and(page.locator('[aria-sort="descending"]')).waitFor();
    await screenshot(page, 'agent-view');

    // Filter down to the ticket, leave the field, and open it from the keyboard.
    await page.getByLabel('Filter this page').fill(subject);
    await page.getByRole('heading', { name: 'Unassigned new technical' }).click();
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/agent/tickets/${id}`);
    await page.getByRole('heading', { name: subject }).waitFor();
    const requester = page.getByRole('region', { name: 'Requester' });
    await requester.getByText('Premier').waitFor();
    await requester.getByText(/Europe\/Berlin/).waitFor();
    await page.getByText('Since upgrading to 9.11').waitFor();
    // The form's Category shows by its option name.
    await valueOf(page, 'Category').toBe('Notifications & Status');

    // Attachments: the image inline, the log previewed in a dialog.
    const image = page.getByRole('img', { name: 'screen.png' });
    await expect.poll(() => image.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(1);
    await page.getByRole('button', { name: 'Preview' }).click();
    const preview = page.getByRole('dialog', { name: 'mattermost.log' });
    await preview.getByText('push proxy unreachable').waitFor();
    await page.keyboard.press('Escape');
    await preview.waitFor({ state: 'detached' });
    await page.keyboard.press('?');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).getByText('Write an internal note').waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor({ state: 'detached' });

    // "r" goes to a public reply.
    await page.keyboard.press('r');
    const reply = 'Could you send the push proxy logs?';
    await page.getByRole('textbox', { name: 'Public reply' }).fill(reply);
    await page.getByRole('button', { name: 'Submit as New' }).click();
    await comment(page, 'Public reply', reply).waitFor();

    // "n" goes to an internal note; the status picked in the fields panel names the submit button.
    await page.keyboard.press('n');
    const note = 'Probably the proxy certificate expired';
    await page.getByRole('textbox', { name: 'Internal note' }).fill(note);
    await choose(page, 'Status', 'Pending');
    await page.getByRole('button', { name: 'Submit as Pending' }).click();
    await comment(page, 'Internal note', note).getByText('Internal note', { exact: true }).waitFor();
    await valueOf(page, 'Status').toBe('Pending');

    const noteColor = await background(page, note);
    expect(noteColor).not.toBe(await background(page, reply));
    expect(noteColor).toMatch(/^rgb\(2\d\d, 2\d\d, 2\d\d\)$/); // light yellow, not white
    expect(noteColor).not.toBe('rgb(255, 255, 255)');
    await expect.poll(() => page.locator('.mantine-Notification-root').count(), { timeout: 10_000 }).toBe(0); // a clean picture
    await screenshot(page, 'agent-ticket');

    const shown = (await agent.api.get(`/api/v2/tickets/${id}`)).body.ticket;
    expect(shown.status).toBe('pending');
    const comments = (await agent.api.get(`/api/v2/tickets/${id}/comments`)).body.comments;
    expect(comments.map((c: { body: string; public: boolean }) => [c.body, c.public])).toEqual(expect.arrayContaining([[reply, true], [note, false]]));
    expect(JSON.stringify((await customer.api.get(`/api/v2/requests/${id}/comments`)).body)).not.toContain(note);

    // The history tells it in words.
    await page.getByRole('tab', { name: 'History' }).click();
    await page.getByText('changed status from New to Pending').waitFor();
    await page.locator('[aria-label="Ticket history"]').getByText('Maya Agent', { exact: true }).first().waitFor();
    expect(page.errors).toEqual([]);
  });

  it('a Sales agent takes a Billing Queue ticket and it opens; others get a per-ticket refusal', async () => {
    const first = await salesTicket(`Renewal quote ${uniq()}`);
    const second = await salesTicket(`Seat upgrade ${uniq()}`);
    const techOnly = await createAgent(env, { name: 'Tim Tech' });
    const sales = await createAgent(env, { groups: ['sales'], name: 'Sol Sales' });

    // Bulk "assign to me" by someone outside Sales: every ticket is refused and listed.
    const techPage = await signedIn('/agent/views/5', techOnly);
    await techPage.getByRole('heading', { name: 'Billing Queue' }).waitFor();
    await techPage.getByRole('checkbox', { name: `Select ticket #${first}` }).check();
    await techPage.getByRole('checkbox', { name: `Select ticket #${second}` }).check();
    const bulk = techPage.getByRole('region', { name: 'Bulk actions' });
    await bulk.getByText('2 selected').waitFor();
    await bulk.getByRole('button', { name: 'Assign to me' }).click();
    const refusal = bulk.getByRole('alert');
    await refusal.getByText('2 tickets not updated').waitFor();
    await refusal.getByText(new RegExp(`^#${first}: `)).waitFor();
    await refusal.getByText(new RegExp(`^#${second}: `)).waitFor();
    expect((await sales.api.get(`/api/v2/tickets/${first}`)).body.ticket.status).toBe('new');
    expect(techPage.errors).toEqual([]);

    // A Sales agent opens it from the queue and takes it: it becomes Open and leaves the queue.
    const page = await signedIn('/agent/views/5', sales);
    // j/k move the highlight through the rows.
    await page.getByTestId(`ticket-row-${second}`).waitFor();
    const rows = page.locator('tbody tr');
    await expect.poll(() => rows.nth(0).getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('j');
    await expect.poll(() => rows.nth(1).getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('k');
    await expect.poll(() => rows.nth(0).getAttribute('aria-selected')).toBe('true');
    await page.getByTestId(`ticket-row-${first}`).getByRole('link').click();
    await page.waitForURL(`**/agent/tickets/${first}`);
    await page.getByRole('button', { name: 'Take it' }).click();
    await page.getByText(`You took ticket #${first}`).waitFor();
    await valueOf(page, 'Status').toBe('Open');
    await valueOf(page, 'Assignee').toBe('Sol Sales');
    await expect(page.getByRole('button', { name: 'Take it' }).count()).resolves.toBe(0);
    expect((await sales.api.get(`/api/v2/tickets/${first}`)).body.ticket).toMatchObject({ status: 'open', assignee_id: sales.user.id });

    await page.keyboard.press('u');
    await page.getByRole('heading', { name: 'Billing Queue' }).waitFor();
    await page.getByTestId(`ticket-row-${second}`).waitFor();
    await page.getByTestId(`ticket-row-${first}`).waitFor({ state: 'detached' }); // after the list refreshes

    // A bulk status change that is allowed: the ticket leaves the queue.
    await page.getByRole('checkbox', { name: `Select ticket #${second}` }).check();
    await page.getByRole('region', { name: 'Bulk actions' }).getByRole('button', { name: 'Change status' }).click();
    await page.getByRole('menuitem', { name: 'Pending' }).click();
    await page.getByText('Status: 1 of 1 ticket updated').waitFor();
    await page.getByTestId(`ticket-row-${second}`).waitFor({ state: 'detached' });
    expect((await sales.api.get(`/api/v2/tickets/${second}`)).body.ticket.status).toBe('pending');
    expect(page.errors).toEqual([]);
  });

  it('tells a signed-in customer the workspace is for agents', async () => {
    const customer = await createCustomer(env, await createOrganization(env));
    const page = await signedIn('/agent', customer);
    await page.getByRole('heading', { name: 'This area is for support agents' }).waitFor();
    await expect(page.getByRole('navigation', { name: 'Views' }).count()).resolves.toBe(0);
    expect(page.errors).toEqual([]);
  });

  it('refuses a submit over a change made meanwhile, keeps the typed reply, and submits after reload', async () => {
    const subject = `Login loop ${uniq()}`;
    const { id } = await technicalTicket(subject);
    const agent = await createAgent(env);
    const page = await signedIn(`/agent/tickets/${id}`, agent, { withoutLive: true });
    await page.getByRole('heading', { name: subject }).waitFor();
    const typed = 'We are looking into the login loop.';
    await page.getByRole('textbox', { name: 'Public reply' }).fill(typed);

    const other = await createAgent(env);
    expect((await other.api.put(`/api/v2/tickets/${id}`, { ticket: { priority: 'urgent' } })).status).toBe(200);

    await page.getByRole('button', { name: 'Submit as New' }).click();
    const conflict = page.getByRole('alert').filter({ hasText: 'This ticket changed since you opened it' });
    await conflict.waitFor();
    await expect(page.getByRole('textbox', { name: 'Public reply' }).inputValue()).resolves.toBe(typed);
    expect((await agent.api.get(`/api/v2/tickets/${id}/comments`)).body.comments).toHaveLength(1);

    await conflict.getByRole('button', { name: 'Reload ticket' }).click();
    await conflict.waitFor({ state: 'detached' });
    await valueOf(page, 'Priority').toBe('Urgent');
    await expect(page.getByRole('textbox', { name: 'Public reply' }).inputValue()).resolves.toBe(typed);
    await page.getByRole('button', { name: 'Submit as New' }).click();
    await comment(page, 'Public reply', typed).waitFor();
    expect((await agent.api.get(`/api/v2/tickets/${id}`)).body.ticket.priority).toBe('urgent');

    // A refused change says why, in the server's words.
    await page.getByRole('button', { name: 'Submit as another status' }).click();
    await page.getByRole('menuitem', { name: 'Submit as Solved' }).click();
    await page.getByRole('alert').filter({ hasText: 'The ticket was not updated' }).getByText('Assignee: is required when solving a ticket').waitFor();
    expect(page.errors).toEqual([]);
  });

  it('shows another agent\'s reply without a reload, and warns who else is viewing', async () => {
    const subject = `Slow search ${uniq()}`;
    const { id } = await technicalTicket(subject);
    const maya = await createAgent(env, { name: 'Maya Live' });
    const bo = await createAgent(env, { name: 'Bo Live' });

    const page = await signedIn(`/agent/tickets/${id}`, maya);
    await page.getByRole('heading', { name: subject }).waitFor();
    const boPage = await signedIn(`/agent/tickets/${id}`, bo);
    await boPage.getByRole('heading', { name: subject }).waitFor();
    await page.getByText('Also viewing: Bo Live').waitFor();
    await boPage.getByText('Also viewing: Maya Live').waitFor();

    const answer = `Reindexing fixed it ${uniq()}`;
    expect((await bo.api.put(`/api/v2/tickets/${id}`, { ticket: { comment: { body: answer, public: true }, status: 'pending' } })).status).toBe(200);
    await comment(page, 'Public reply', answer).waitFor();
    await page.getByText('Bo Live updated this ticket just now').waitFor();
    await valueOf(page, 'Status').toBe('Pending');

    await boPage.close();
    await page.getByText('Also viewing: Bo Live').waitFor({ state: 'detached' });
    expect(page.errors).toEqual([]);
  });
});
