import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import type { TestEnv } from '../harness.js';
import { createAgent, createCustomer, createOrganization, technicalRequest, uniq, type Actor } from '../factories.js';
import { screenshot, withBrowserApp } from './browser.js';
import { choose, signedIn } from './ui.js';

let env: TestEnv;
let browser: Browser;
withBrowserApp((e, b) => {
  env = e;
  browser = b;
});

/** A customer's request of the given plan and priority; returns its id and the customer. */
async function request(plan: 'premier' | 'enterprise', priority: 'urgent' | 'high' | 'normal', subject: string): Promise<{ id: number; customer: Actor }> {
  const customer = await createCustomer(env, await createOrganization(env, { plan }));
  const res = await customer.api.post('/api/v2/requests', await technicalRequest(customer.api, { subject, priority }));
  expect(res.status).toBe(201);
  return { id: res.body.request.id as number, customer };
}

const reply = (agent: Actor, id: number, body: string, extra: Record<string, unknown> = {}) =>
  agent.api.put(`/api/v2/tickets/${id}`, { ticket: { assignee_id: agent.user.id, comment: { body, public: true }, ...extra } });

type Totals = Record<string, any>;

/** The last `days` UTC days ending today, as the dashboard's period picker sends them. */
function lastDays(days: number): { from: string; to: string } {
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return { from: day(Date.now() - (days - 1) * 86_400_000), to: day(Date.now()) };
}

async function summary(agent: Actor, query: Record<string, string>): Promise<Totals> {
  const res = await agent.api.get(`/api/v2/reports/summary?${new URLSearchParams(query)}`);
  expect(res.status).toBe(200);
  return res.body.report.totals;
}

const stat = (page: Page, id: string) => page.getByTestId(`stat-${id}`);
/** The figure of a summary card as shown (the label comes first in its line). */
const statValue = async (page: Page, id: string) => ((await stat(page, id).locator('p, span, button').last().textContent()) ?? '').trim();

/** What every card figure stands for (data-field, a path into the API's totals) and the number behind it (data-value). */
const cardNumbers = (page: Page) =>
  page.getByRole('region', { name: 'Summary' }).locator('[data-field]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-field')!, e.getAttribute('data-value')!] as const));

/** Every card figure is the API's: the same number at the same place of the totals (mismatches listed until they agree). */
async function expectCards(page: Page, totals: Totals) {
  const expected = (path: string) => {
    const value = path.split('.').reduce((o, k) => o?.[k], totals);
    return value === null || value === undefined ? '' : String(value);
  };
  await expect
    .poll(async () => {
      const shown = await cardNumbers(page);
      if (shown.length < 20) return `only ${shown.length} figures shown`;
      return shown.filter(([field, value]) => value !== expected(field)).map(([field, value]) => `${field}: shown ${value}, API ${expected(field)}`).join('; ');
    })
    .toBe('');
}

/** Clicks a download link and returns the downloaded file's lines. */
async function download(page: Page, link: Locator): Promise<{ name: string; lines: string[] }> {
  const [file] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const path = await file.path();
  return { name: file.suggestedFilename(), lines: readFileSync(path, 'utf8').trim().split(/\r?\n/) };
}

describe('reports dashboard', () => {
  it('shows the API figures for the period and filters, drills down to the tickets and downloads CSV', { timeout: 120_000 }, async () => {
    const agent = await createAgent(env, { name: 'Rhea Replies' });
    const lead = await createAgent(env, { name: 'Lena Lead' });
    const tag = uniq();

    // Known outcomes: two urgent Premier tickets answered (one solved and rated good), an Enterprise
    // high one solved and rated bad, and an Enterprise normal one nobody answered yet.
    const solvedGood = await request('premier', 'urgent', `Cluster down ${tag}`);
    await reply(agent, solvedGood.id, 'Failing over now.');
    await reply(agent, solvedGood.id, 'Back up; the root cause was the load balancer.', { status: 'solved' });
    const answered = await request('premier', 'urgent', `Login loops ${tag}`);
    await reply(agent, answered.id, 'Looking into the SAML settings.');
    const solvedBad = await request('enterprise', 'high', `Exports fail ${tag}`);
    await reply(agent, solvedBad.id, 'Exports work again after the upgrade.', { status: 'solved' });
    const waiting = await request('enterprise', 'normal', `Question about limits ${tag}`);
    for (const [t, score, comment] of [
      [solvedGood, 'good', 'Quick and clear, thanks!'],
      [solvedBad, 'bad', 'Took too long.'],
    ] as const) {
      const rated = await t.customer.api.post(`/api/v2/tickets/${t.id}/satisfaction_rating`, { satisfaction_rating: { score, comment } });
      expect(rated.status).toBe(200);
    }

    // The API agrees with what happened.
    const month = lastDays(30);
    const totals = await summary(lead, month);
    expect(totals).toMatchObject({ tickets_created: 4, tickets_solved: 2, csat: { good: 1, bad: 1, responses: 2, score_pct: 50 } });
    expect(totals.first_reply).toMatchObject({ count: 3 });

    // The lead opens the reports from the sidebar: every card figure is the API's.
    const page = await signedIn(browser, env.url, '/agent', lead);
    await page.getByRole('navigation', { name: 'Reports' }).getByRole('link', { name: 'Reports' }).click();
    await page.waitForURL('**/agent/reports');
    await page.getByRole('heading', { name: 'Reports' }).waitFor();
    await expectCards(page, totals);
    expect(await statValue(page, 'created')).toBe('4');
    expect(await statValue(page, 'csat_score')).toBe('50%');
    // Trends chart the same period, day by day.
    await page.getByRole('img', { name: 'Chart: tickets created and solved' }).waitFor();
    await page.getByRole('img', { name: /Chart: first reply median/ }).waitFor();
    await page.getByRole('table', { name: 'Figures by Day' }).getByTestId(`breakdown-row-${month.to}`).waitFor();
    await expect.poll(() => page.locator('.mantine-Notification-root').count(), { timeout: 10_000 }).toBe(0);
    await screenshot(page, 'agent-reports');

    // Trends week by week: the table follows (weeks start on Monday).
    await page.getByRole('radiogroup', { name: 'Trend interval' }).getByText('Week', { exact: true }).click();
    await page.waitForURL(/interval=week/);
    await page.getByRole('table', { name: 'Figures by Week' }).getByTestId('breakdown-total').getByText('4', { exact: true }).first().waitFor();

    // Another period: the last 7 days, in the URL and in the figures.
    await page.getByRole('radiogroup', { name: 'Period' }).getByText('Last 7 days', { exact: true }).click();
    await page.waitForURL(/period=7d/);
    const week = lastDays(7);
    await expect.poll(() => page.getByLabel('From').inputValue()).toBe(week.from);
    await expectCards(page, await summary(lead, week));

    // A filter: urgent only (two tickets created, one solved), kept in the URL.
    await choose(page, 'Priority', 'Urgent');
    await page.waitForURL(/priority=urgent/);
    const urgent = await summary(lead, { ...week, priority: 'urgent' });
    expect(urgent).toMatchObject({ tickets_created: 2, tickets_solved: 1 });
    await expectCards(page, urgent);

    // A reload keeps period and filter.
    await page.reload();
    await expect.poll(() => statValue(page, 'created')).toBe('2');
    expect(new URL(page.url()).searchParams.get('period')).toBe('7d');

    // Drill-down: the tickets behind "created", each linking to its page.
    await stat(page, 'created').getByRole('button', { name: 'Tickets created: 2' }).click();
    const drawer = page.getByRole('region', { name: 'Tickets: Tickets created' });
    await drawer.getByTestId(`drill-ticket-${solvedGood.id}`).waitFor();
    await drawer.getByTestId(`drill-ticket-${answered.id}`).waitFor();
    expect(await drawer.getByTestId(`drill-ticket-${waiting.id}`).count()).toBe(0);
    expect(await drawer.getByLabel('Ticket count').textContent()).toBe('2 tickets');
    const link = drawer.getByRole('link', { name: `#${answered.id} Login loops ${tag}` });
    expect(await link.getAttribute('href')).toBe(`/agent/tickets/${answered.id}`);

    // Its CSV: a header and one line per ticket.
    const tickets = await download(page, drawer.getByRole('link', { name: 'Download CSV: Tickets: Tickets created' }));
    expect(tickets.lines[0]).toBe('id,subject,status,priority,organization_name,assignee_name,created_at,solved_at,first_reply_minutes,resolution_minutes');
    expect(tickets.lines.slice(1).map((l) => Number(l.split(',')[0])).sort()).toEqual([solvedGood.id, answered.id].sort());
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'detached' });

    // The breakdown by plan, filtered to urgent: one row (Premier) and the totals, in the table and its CSV.
    await page.getByRole('tab', { name: 'Breakdown' }).click();
    await page.getByRole('radiogroup', { name: 'Break down by' }).getByText('Plan', { exact: true }).click();
    await page.waitForURL(/group_by=plan/);
    const byPlan = page.getByRole('table', { name: 'Figures by Plan' });
    await byPlan.getByTestId('breakdown-row-premier').waitFor();
    expect(await byPlan.locator('tbody tr').count()).toBe(1);
    const csv = await download(page, page.getByRole('link', { name: 'Download CSV: By plan' }));
    expect(csv.lines[0].split(',').slice(0, 4)).toEqual(['key', 'label', 'tickets_created', 'tickets_solved']);
    expect(csv.lines.slice(1).map((l) => l.split(',').slice(0, 4).join(','))).toEqual(['premier,Premier,2,1', 'total,Total,2,1']);

    // A row's figure drills down too: the solved urgent Premier ticket.
    await byPlan.getByRole('button', { name: 'Tickets solved · Premier: 1' }).click();
    const solvedDrawer = page.getByRole('region', { name: 'Tickets: Tickets solved · Premier' });
    await solvedDrawer.getByTestId(`drill-ticket-${solvedGood.id}`).waitFor();
    await solvedDrawer.getByRole('link', { name: new RegExp(`^#${solvedGood.id} `) }).click();
    await page.waitForURL(`**/agent/tickets/${solvedGood.id}`);
    await page.getByRole('heading', { name: `Cluster down ${tag}` }).waitFor();

    // Satisfaction: the score and both comments, without filters.
    await page.goto('/agent/reports?tab=csat');
    const csat = page.getByRole('region', { name: 'Customer satisfaction' });
    await csat.getByText('Quick and clear, thanks!').waitFor();
    await csat.getByText('Took too long.').waitFor();
    expect(await csat.getByTestId('csat-figures').textContent()).toContain('50%');
    expect(page.errors).toEqual([]);
  });
});
