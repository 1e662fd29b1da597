import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { TestEnv } from '../harness.js';
import { createAgent, createCustomer, createOrganization, technicalRequest, uniq, type Actor } from '../factories.js';
import { screenshot, withBrowserApp } from './browser.js';
import { signedIn as openSignedIn, type TestPage } from './ui.js';

let env: TestEnv;
let browser: Browser;
withBrowserApp((e, b) => {
  env = e;
  browser = b;
});


const signedIn = (path: string, who: Actor): Promise<TestPage> => openSignedIn(browser, env.url, path, who);

async function request(plan: 'premier' | 'free', subject: string) {
  const customer = await createCustomer(env, await createOrganization(env, { plan }));
  const res = await customer.api.post('/api/v2/requests', await technicalRequest(customer.api, { subject, priority: 'urgent' }));
  return res.body.request.id as number;
}

const slaRow = (page: Page, metric: string, instance = 1) => page.getByTestId(`sla-${metric}-${instance}`);
const textOf = async (page: Page, testId: string) => (await page.getByTestId(testId).textContent()) ?? '';

describe('SLAs in the agent workspace', () => {
  it('counts down to the next target in the lists and shows every clock with its ledger on the ticket', async () => {
    const subject = `Database failover broke login ${uniq()}`;
    const urgent = await request('premier', subject);
    const untargeted = await request('free', `Free plan question ${uniq()}`);
    const agent = await createAgent(env, { name: 'Sam SLA' });

    // "Breaching soon" lists the Premier urgent ticket with under an hour left, in orange.
    const page = await signedIn('/agent/views/8', agent);
    await page.getByRole('heading', { name: 'Breaching soon' }).waitFor();
    await page.getByTestId(`ticket-row-${urgent}`).waitFor();
    await expect(page.getByTestId(`ticket-row-${untargeted}`).count()).resolves.toBe(0);
    const badge = page.getByTestId(`sla-cell-${urgent}`).getByText(/^\d+m$/);
    await badge.waitFor();
    expect(Number((await badge.textContent())!.replace('m', ''))).toBeLessThan(60);
    await expect(page.getByTestId(`sla-cell-${urgent}`).locator('[data-sla]').getAttribute('data-sla')).resolves.toBe('soon');
    // The view's own order is soonest due first: the SLA header is marked before any click.
    await page.getByRole('columnheader', { name: /^SLA/ }).and(page.locator('[aria-sort="ascending"]')).waitFor();

    // In another view the SLA header sorts soonest first on the first click; no running target sorts last.
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: /All open/ }).click();
    await page.getByRole('heading', { name: 'All open' }).waitFor();
    await page.getByTestId(`ticket-row-${untargeted}`).waitFor();
    await page.getByRole('button', { name: /^SLA/ }).click();
    await page.waitForURL(/sort_by=sla_next_breach_at&sort_order=asc/);
    const ids = async () => page.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-testid')));
    await expect.poll(async () => (await ids()).indexOf(`ticket-row-${urgent}`)).toBe(0);
    expect((await ids()).indexOf(`ticket-row-${untargeted}`)).toBeGreaterThan(0);
    expect((await textOf(page, `sla-cell-${untargeted}`)).trim()).toBe('');

    // A free-plan ticket has no targets.
    await page.getByTestId(`ticket-row-${untargeted}`).getByRole('link').click();
    await page.waitForURL(`**/agent/tickets/${untargeted}`);
    await page.getByRole('tab', { name: /^SLA/ }).click();
    await page.getByText('No SLA applies to this ticket').waitFor();

    // The Premier ticket: first reply is due within an hour of calendar time.
    await page.goto(`/agent/tickets/${urgent}`);
    await page.getByRole('heading', { name: subject }).waitFor();
    await page.getByRole('tab', { name: /^SLA/ }).getByText(/^\d+m$/).waitFor();
    await page.getByRole('tab', { name: /^SLA/ }).click();
    const firstReply = slaRow(page, 'first_reply_time');
    await firstReply.waitFor();
    for (const text of ['First reply', '1 h, calendar hours', 'Active', 'due in']) await expect(firstReply.textContent()).resolves.toContain(text);

    // The agent replies publicly through the composer.
    await page.getByRole('tab', { name: 'Conversation' }).click();
    const reply = 'We are failing the database back over now.';
    await page.getByRole('textbox', { name: 'Public reply' }).fill(reply);
    await page.getByRole('button', { name: 'Submit as New' }).click();
    await page.getByRole('article').filter({ hasText: reply }).waitFor();

    // The reply met the first-reply target and started the regular-update clock (4 h for Premier urgent).
    await page.getByRole('tab', { name: /^SLA/ }).click();
    await expect.poll(() => firstReply.textContent()).toContain('Achieved');
    const update = slaRow(page, 'pausable_update_time');
    await update.waitFor();
    for (const text of ['Regular update', '4 h, calendar hours', 'Active', 'due in']) await expect(update.textContent()).resolves.toContain(text);
    await expect.poll(() => page.getByRole('tab', { name: /^SLA/ }).textContent()).toMatch(/^SLA\s*(3h \d+m|4h)$/);

    // The first-reply ledger, in words.
    await page.getByRole('button', { name: 'Show First reply timeline' }).click();
    const timeline = page.getByLabel('First reply timeline', { exact: true });
    for (const step of ['Started', 'Target applied: 1 h, calendar hours', 'Fulfilled']) await timeline.getByText(step, { exact: true }).waitFor();
    await expect(page.getByRole('button', { name: 'Hide First reply timeline' }).getAttribute('aria-expanded')).resolves.toBe('true');

    const metrics = (await agent.api.get(`/api/v2/tickets/${urgent}?include=slas`)).body.ticket.slas.policy_metrics;
    expect(metrics.find((m: { metric: string }) => m.metric === 'first_reply_time').stage).toBe('achieved');
    await expect.poll(() => page.locator('.mantine-Notification-root').count(), { timeout: 10_000 }).toBe(0); // a clean picture
    await screenshot(page, 'agent-sla');
    expect(page.errors).toEqual([]);
  });
});

describe('in-app SLA warnings', () => {
  it('lists my tickets past 75 % of a target in the header menu', async () => {
    const { checkBreach } = await import('../../src/modules/sla/engine.js');
    const agent = await createAgent(env);
    const customer = await createCustomer(env, await createOrganization(env, { plan: 'premier' }));
    const { request } = (await customer.api.post('/api/v2/requests', await technicalRequest(customer.api, { priority: 'urgent', subject: 'Chat is down for everyone' }))).body;
    await agent.api.put(`/api/v2/tickets/${request.id}`, { ticket: { assignee_id: agent.user.id } });
    await env.ctx.db.updateTable('ticket_audits').set({ created_at: new Date(Date.now() - 50 * 60_000) }).where('ticket_id', '=', request.id).execute();
    await checkBreach(env.ctx, request.id);
    expect((await agent.api.get('/api/v2/sla/warnings')).body.sla_warnings.map((w: { ticket_id: number }) => w.ticket_id)).toEqual([request.id]);

    const page = await signedIn('/agent', agent);
    await page.getByRole('button', { name: '1 SLA warnings' }).click();
    await page.getByText(`#${request.id} Chat is down for everyone`).click();
    await page.waitForURL(`**/agent/tickets/${request.id}`);
    expect(page.errors).toEqual([]);
  });
});
