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

/** Picks an option of a Mantine Select by its label. */
async function choose(page: Page, label: string, option: string | RegExp) {
  await page.getByRole('combobox', { name: label, exact: true }).click();
  await page.getByRole('option', { name: option }).first().click();
}

const comment = (page: Page, kind: 'Public reply' | 'Internal note', text: string) => page.getByRole('article').filter({ hasText: text }).and(page.locator(`[aria-label^="${kind} by"]`));
const noNotifications = (page: Page) => expect.poll(() => page.locator('.mantine-Notification-root').count(), { timeout: 10_000 }).toBe(0);

describe('engineering escalation in the agent workspace', () => {
  it('escalates with an edited update, links a PR, moves the stage, shows it on the board, and guards solving', async () => {
    const subject = `iOS push tokens dropped after upgrade ${uniq()}`;
    const org = await createOrganization(env, { plan: 'premier' });
    const customer = await createCustomer(env, org);
    const agent = await createAgent(env, { name: 'Esme Escalator' });
    const id: number = (await customer.api.post('/api/v2/requests', await technicalRequest(customer.api, { subject, priority: 'normal' }))).body.request.id;
    await agent.api.put(`/api/v2/tickets/${id}`, { ticket: { assignee_id: agent.user.id } });

    const page = await signedIn(`/agent/tickets/${id}`, agent);
    await page.getByRole('heading', { name: subject }).waitFor();
    const panel = page.getByRole('region', { name: 'Engineering escalation' });
    await panel.getByText('Not escalated', { exact: true }).waitFor();

    // The modal starts from the server's template for the customer update.
    await panel.getByRole('button', { name: 'Escalate to engineering' }).click();
    const dialog = page.getByRole('dialog', { name: 'Escalate to engineering' });
    const update = dialog.getByRole('textbox', { name: 'Customer update' });
    await expect.poll(() => update.inputValue()).toMatch(/escalated your request to our Sustained Engineering Team/);
    // Sent incomplete, the API's field errors land on their fields.
    await dialog.getByRole('button', { name: 'Escalate', exact: true }).click();
    await dialog.getByText('Classification: cannot be blank').waitFor();
    await dialog.getByText('Summary: cannot be blank').waitFor();

    await choose(page, 'Classification', 'Bug');
    await dialog.getByRole('textbox', { name: 'Summary for engineering' }).fill('Push proxy drops iOS device tokens after the 9.11 upgrade; reproduced on staging.');
    await dialog.getByRole('combobox', { name: 'Teams involved' }).fill('Prod');
    await page.getByRole('option', { name: 'Product' }).click();
    await page.keyboard.press('Escape'); // closes the teams dropdown, not the modal
    const edited = `Our Sustained Engineering team is now looking at the dropped iOS push tokens (ref ${uniq()}). Your ticket is on hold meanwhile.`;
    await update.fill(edited);
    await dialog.getByRole('button', { name: 'Escalate', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });

    // On hold, with the edited update as a public reply.
    await comment(page, 'Public reply', edited).waitFor();
    await page.getByText('On-hold', { exact: true }).first().waitFor();
    expect((await agent.api.get(`/api/v2/tickets/${id}`)).body.ticket.status).toBe('hold');
    const current = panel.locator('[aria-current="step"]');
    await expect.poll(() => current.textContent()).toContain('Escalated');
    for (const team of ['Support', 'Sustained Engineering', 'Product']) await panel.getByText(team, { exact: true }).waitFor();
    const [escalation] = (await agent.api.get(`/api/v2/tickets/${id}/escalations`)).body.escalations;
    expect(escalation).toMatchObject({ classification: 'bug', stage: 'escalated', open: true, teams: ['support', 'sustained_engineering', 'product'] });

    // Links: a bad URL is refused on the field; a GitHub PR shows as a PR.
    const linkInput = panel.getByRole('textbox', { name: 'Add link' });
    await linkInput.fill('not a link');
    await panel.getByRole('button', { name: 'Add link' }).click();
    await panel.getByText(/^Url: /).waitFor();
    await linkInput.fill('https://github.com/mattermost/mattermost-mobile/pull/8123');
    await panel.getByRole('button', { name: 'Add link' }).click();
    const links = panel.getByRole('list', { name: 'Linked issues and pull requests' });
    await links.getByRole('link', { name: 'mattermost/mattermost-mobile#8123' }).waitFor();
    await links.getByText('PR', { exact: true }).waitFor();
    await expect.poll(() => linkInput.inputValue()).toBe('');

    // An internal note for the team: the customer must never see it.
    await page.keyboard.press('n');
    const note = `SET on-call looked at the proxy logs ${uniq()}`;
    await page.getByRole('textbox', { name: 'Internal note' }).fill(note);
    await page.getByRole('button', { name: 'Submit as On-hold' }).click();
    await comment(page, 'Internal note', note).waitFor();

    // Move to "action plan created" (skipping a stage is allowed: forward only), with its template.
    await panel.getByRole('button', { name: 'Move to next stage' }).click();
    const move = page.getByRole('dialog', { name: 'Move escalation to the next stage' });
    await expect.poll(() => move.getByRole('combobox', { name: 'Move to', exact: true }).inputValue()).toBe('Confirmed product issue');
    await choose(page, 'Move to', 'Action plan created');
    await expect.poll(() => move.getByRole('textbox', { name: 'Customer update' }).inputValue()).toMatch(/We have an action plan to address the issue/);
    await move.getByRole('button', { name: 'Move to Action plan created' }).click();
    await move.waitFor({ state: 'detached' });
    await expect.poll(() => current.textContent()).toContain('Action plan created');
    await comment(page, 'Public reply', 'We have an action plan to address the issue').waitFor();
    expect((await agent.api.get(`/api/v2/escalations/${escalation.id}`)).body.escalation.stage).toBe('action_plan_created');
    await noNotifications(page);
    await panel.scrollIntoViewIfNeeded();
    await screenshot(page, 'agent-escalation');

    // The board: the card is in its stage's column with the plan; filters hide and show it.
    await page.getByRole('navigation', { name: 'Engineering' }).getByRole('link', { name: 'Engineering escalations' }).click();
    await page.getByRole('heading', { name: 'Engineering escalations' }).waitFor();
    const column = page.getByRole('region', { name: 'Action plan created' });
    const card = column.getByRole('article', { name: `Escalation #${escalation.id}` });
    await card.waitFor();
    for (const text of [`#${id} ${subject}`, org.name, 'Premier', 'Normal', 'Bug', '1 PR']) await expect(card.textContent()).resolves.toContain(text);
    await expect.poll(() => card.getByLabel(/^Age /).textContent()).toMatch(/^\d+ (min|h|d)$/);
    expect(await page.getByRole('region', { name: 'Escalated' }).getByRole('article', { name: `Escalation #${escalation.id}` }).count()).toBe(0);
    await choose(page, 'Plan', 'Professional');
    await card.waitFor({ state: 'detached' });
    await choose(page, 'Plan', 'Premier');
    await card.waitFor();
    await page.waitForURL(/plan=premier/);
    await noNotifications(page);
    await screenshot(page, 'agent-escalation-board');

    // Solving is refused while the escalation is open, until the agent gives a reason.
    await card.getByRole('link', { name: new RegExp(`^#${id} `) }).click();
    await page.waitForURL(`**/agent/tickets/${id}`);
    await page.getByRole('heading', { name: subject }).waitFor();
    await page.getByRole('button', { name: 'Submit as another status' }).click();
    await page.getByRole('menuitem', { name: 'Submit as Solved' }).click();
    const override = page.getByRole('dialog', { name: 'Solve despite the open escalation?' });
    await override.getByText(/escalation #\d+ to Sustained Engineering is still open/).waitFor();
    expect((await agent.api.get(`/api/v2/tickets/${id}`)).body.ticket.status).toBe('hold');
    await override.getByRole('button', { name: 'Solve anyway' }).click();
    await override.getByText('Explain why the ticket can be solved while engineering is still on it').waitFor();
    const reason = 'Customer applied the workaround and asked us to close';
    await override.getByRole('textbox', { name: 'Reason for solving anyway' }).fill(reason);
    await override.getByRole('button', { name: 'Solve anyway' }).click();
    await override.waitFor({ state: 'detached' });
    await page.getByText('Solved', { exact: true }).first().waitFor();
    await expect.poll(async () => (await agent.api.get(`/api/v2/tickets/${id}`)).body.ticket.status).toBe('solved');
    const audits = (await agent.api.get(`/api/v2/tickets/${id}/audits`)).body.audits;
    expect(audits.filter((a: { metadata: { custom?: object } }) => a.metadata.custom && 'solve_override_reason' in a.metadata.custom).map((a: { metadata: { custom: object } }) => a.metadata.custom)).toEqual([
      expect.objectContaining({ solve_override_reason: reason }),
    ]);

    // The customer saw each update, publicly and in order, and never the internal note.
    const bodies: string[] = (await customer.api.get(`/api/v2/requests/${id}/comments`)).body.comments.map((c: { body: string }) => c.body);
    expect(bodies.slice(1)).toEqual([edited, expect.stringMatching(/^We have an action plan to address the issue/)]);
    expect(bodies.join('\n')).not.toContain(note);
    expect(page.errors).toEqual([]);
  });
});
