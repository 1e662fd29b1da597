import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createAgent, createCustomer, createOrganization, technicalRequest, uniq, type Actor } from '../factories.js';
import type { TestEnv } from '../harness.js';
import { linkIn } from '../mail-catcher.js';
import { newPage, screenshot, withBrowserApp } from './browser.js';
import { signedIn } from './ui.js';

let env: TestEnv;
let browser: Browser;
withBrowserApp((e, b) => {
  env = e;
  browser = b;
}, { CSAT_AFTER: '1s' });

const MAIL_BASE = 'http://sundial.test';
const surveySubject = (id: number) => `[Request #${id}] How would you rate the support you received?`;

async function signIn(page: Page, email: string, password: string) {
  await page.goto('/login');
  await page.getByRole('textbox', { name: 'Email' }).fill(email);
  await page.getByLabel(/^Password/).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'How can we help?' }).waitFor();
}

/** A customer's request, answered and solved by an agent; resolves once the survey mail arrived. */
async function solvedRequest(): Promise<{ customer: Actor; id: number; agent: Actor }> {
  const agent = await createAgent(env);
  const customer = await createCustomer(env, await createOrganization(env), { name: 'Rita Rater' });
  const created = await customer.api.post('/api/v2/requests', await technicalRequest(customer.api, { subject: `Push stopped ${uniq()}` }));
  const id = created.body.request.id as number;
  const solved = await agent.api.put(`/api/v2/tickets/${id}`, { ticket: { assignee_id: agent.user.id, status: 'solved', comment: { body: 'Restart the push proxy, then it works again.', public: true } } });
  expect(solved.body.ticket.status).toBe('solved');
  await env.mail.waitFor((m) => m.subject === surveySubject(id));
  return { customer, id, agent };
}

const ratingOf = async (agent: Actor, id: number) => (await agent.api.get(`/api/v2/tickets/${id}`)).body.ticket.satisfaction_rating;

describe('customer satisfaction in the portal', () => {
  it('lets the requester rate a solved request on its page, and change the rating', { timeout: 90_000 }, async () => {
    const { customer, id, agent } = await solvedRequest();
    const page = await newPage(browser, env.url);
    await signIn(page, customer.user.email, customer.password);
    await page.goto(`/requests/${id}`);

    const panel = page.getByRole('region', { name: 'Rate our support' });
    await panel.getByText('How would you rate the support you received?').waitFor();
    const send = panel.getByRole('button', { name: 'Send rating' });
    expect(await send.isDisabled()).toBe(true);
    await panel.getByRole('button', { name: 'Good, I’m satisfied' }).click();
    expect(await panel.getByRole('button', { name: 'Good, I’m satisfied' }).getAttribute('aria-pressed')).toBe('true');
    await panel.getByLabel('Comment (optional)').fill('Fixed within the hour, thank you!');
    await send.click();
    await page.getByText('Thank you! Your rating was saved.').waitFor();
    await panel.getByText('Your rating: Good, I’m satisfied — “Fixed within the hour, thank you!”', { exact: false }).waitFor();
    expect(await ratingOf(agent, id)).toMatchObject({ score: 'good', comment: 'Fixed within the hour, thank you!' });
    await screenshot(page, 'portal-csat');

    // Changed while the request is still solved.
    await panel.getByRole('button', { name: 'Bad, I’m unsatisfied' }).click();
    await panel.getByRole('button', { name: 'Update rating' }).click();
    await panel.getByText('Your rating: Bad, I’m unsatisfied', { exact: false }).waitFor();
    expect(await ratingOf(agent, id)).toMatchObject({ score: 'bad', comment: 'Fixed within the hour, thank you!' });

    // After a reload the page shows the saved rating.
    await page.reload();
    await panel.getByText('Your rating: Bad, I’m unsatisfied', { exact: false }).waitFor();
    expect(await panel.getByRole('button', { name: 'Bad, I’m unsatisfied' }).getAttribute('aria-pressed')).toBe('true');
    expect(page.errors).toEqual([]);

    // The agent sees the rating on the ticket.
    const workspace = await signedIn(browser, env.url, `/agent/tickets/${id}`, agent);
    await workspace.getByLabel('Rated bad').waitFor();
    expect(workspace.errors).toEqual([]);
  });

  it('follows the Bad link of the survey mail without signing in, and the portal shows that rating', { timeout: 90_000 }, async () => {
    const { customer, id, agent } = await solvedRequest();
    const mail = env.mail.messages.find((m) => m.subject === surveySubject(id))!;
    expect(mail.to).toEqual([customer.user.email.toLowerCase()]);
    const link = linkIn(mail, `${MAIL_BASE}/satisfaction/`);
    const bad = mail.text.split('\n').find((l) => l.startsWith('Bad, I’m unsatisfied: '))!.slice('Bad, I’m unsatisfied: '.length);
    expect(bad).toContain('score=bad');
    expect(link).toContain('score=good');

    const page = await newPage(browser, env.url);
    await page.goto(bad.replace(MAIL_BASE, ''));
    await page.getByRole('heading', { name: 'How would you rate the support you received?' }).waitFor();
    // Opening the link records nothing; the answer it stands for is preselected.
    expect(await page.getByRole('radio', { name: 'Bad, I’m unsatisfied' }).isChecked()).toBe(true);
    expect(await ratingOf(agent, id)).toEqual({ score: 'offered' });

    await page.getByLabel('Comment (optional)').fill('Took three days to get an answer.');
    await screenshot(page, 'csat-survey');
    await page.getByRole('button', { name: 'Send rating' }).click();
    await page.getByText('Thank you! Your rating was saved.').waitFor();
    expect(await ratingOf(agent, id)).toMatchObject({ score: 'bad', comment: 'Took three days to get an answer.' });

    // Changed on the same page: Good instead.
    await page.getByRole('radio', { name: 'Good, I’m satisfied' }).check();
    await page.getByRole('button', { name: 'Update rating' }).click();
    await page.getByText('Your rating: Good, I’m satisfied', { exact: false }).waitFor();
    expect(await ratingOf(agent, id)).toMatchObject({ score: 'good', comment: 'Took three days to get an answer.' });
    expect(page.errors).toEqual([]);

    // The requester sees it on the request page.
    const portal = await newPage(browser, env.url);
    await signIn(portal, customer.user.email, customer.password);
    await portal.goto(`/requests/${id}`);
    await portal.getByRole('region', { name: 'Rate our support' }).getByText('Your rating: Good, I’m satisfied — “Took three days to get an answer.”', { exact: false }).waitFor();
    expect(portal.errors).toEqual([]);
  });
});
