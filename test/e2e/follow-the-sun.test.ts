import { beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import type { TestEnv } from '../harness.js';
import { ManualClock } from '../../src/platform/clock.js';
import { runRoutingTick } from '../../src/modules/shifts/handovers.js';
import { createAgent, createCustomer, createOrganization, technicalRequest, uniq, type Actor } from '../factories.js';
import { screenshot, withBrowserApp } from './browser.js';
import { choose, closeNotifications, notification, signedIn as signedInAs } from './ui.js';

// Tuesday 2025-03-04 12:00 UTC: EMEA (06:00–13:00 UTC by default) is on shift, AMER starts at 13:00.
const clock = new ManualClock(new Date('2025-03-04T12:00:00Z'));
let env: TestEnv;
let browser: Browser;
let admin: Actor;
let emma: Actor;
let alex: Actor;
const region: Record<string, number> = {};

withBrowserApp(
  (e, b) => {
    env = e;
    browser = b;
  },
  {},
  { clock },
);
beforeAll(async () => {
  admin = await createAgent(env, { admin: true, name: 'Ada Admin' });
  emma = await createAgent(env, { name: 'Emma Outgoing', groups: ['technical'] });
  alex = await createAgent(env, { name: 'Alex Incoming', groups: ['technical'] });
  for (const r of (await admin.api.get('/api/v2/regions')).body.regions) region[r.name] = r.id;
});

const signedIn = (path: string, who: Actor) => signedInAs(browser, env.url, path, who);
/** A MultiSelect keeps its options open after a pick; a click on the dialog's title closes them. */
async function pickMember(page: Page, dialog: Locator, name: string) {
  await choose(page, 'Members', name);
  await dialog.getByRole('heading').first().click();
  await page.getByRole('listbox').waitFor({ state: 'hidden' });
}
const userOf = async (a: Actor) => (await admin.api.get(`/api/v2/users/${a.user.id}`)).body.user;

describe('follow-the-sun in the admin area and the agent workspace', () => {
  it('lets an admin edit a region’s shift, weekdays and members, and the routing strategy', async () => {
    const page = await signedIn('/admin/regions', admin);
    await page.getByRole('heading', { name: 'Regions & routing' }).waitFor();
    const table = page.getByRole('table', { name: 'Regions' });
    await expect(table.getByRole('row', { name: /^APAC/ }).textContent()).resolves.toMatch(/21:00–06:00 UTC \(\+1 day\) · 9 h.*Sun–Thu.*No agents/);
    await expect(table.getByRole('row', { name: /^EMEA/ }).textContent()).resolves.toMatch(/06:00–13:00 UTC · 7 h.*Mon–Fri.*On shift/);

    await table.getByRole('button', { name: 'Edit EMEA' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit EMEA' });
    const start = dialog.getByLabel('Shift start (UTC)');
    await start.fill('25:00');
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await dialog.getByText('Enter a time as HH:MM in UTC, e.g. 06:00').waitFor();
    await start.fill('07:00');
    // The chip's checkbox is visually hidden behind its label, as in any Mantine Chip.
    await dialog.getByText('Sat', { exact: true }).click();
    await expect(dialog.getByRole('checkbox', { name: 'Saturday' }).isChecked()).resolves.toBe(true);
    await pickMember(page, dialog, 'Emma Outgoing');
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await notification(page, 'EMEA was updated').waitFor();
    await expect.poll(() => table.getByRole('row', { name: /^EMEA/ }).textContent()).toMatch(/07:00–13:00 UTC · 6 h.*Mon–Sat.*Emma Outgoing/);
    expect((await admin.api.get(`/api/v2/regions/${region.EMEA}`)).body.region).toMatchObject({ shift_start: '07:00', shift_end: '13:00', shift_days: [1, 2, 3, 4, 5, 6], member_ids: [emma.user.id], on_shift: true });
    expect((await userOf(emma)).region_id).toBe(region.EMEA);

    // AMER's members through the same dialog; the staff list shows the region too.
    await table.getByRole('button', { name: 'Edit AMER' }).click();
    const amer = page.getByRole('dialog', { name: 'Edit AMER' });
    await pickMember(page, amer, 'Alex Incoming');
    await amer.getByRole('button', { name: 'Save changes' }).click();
    await notification(page, 'AMER was updated').waitFor();
    expect((await userOf(alex)).region_id).toBe(region.AMER);

    const routing = page.getByRole('region', { name: 'Routing' });
    await expect(routing.getByRole('switch', { name: /Route new technical tickets/ }).isChecked()).resolves.toBe(true);
    await routing.getByRole('radio', { name: 'Round robin' }).click();
    await notification(page, 'Routing is on: round robin').waitFor();
    await expect.poll(() => routing.getByRole('radio', { name: 'Round robin' }).isChecked()).toBe(true);
    expect((await admin.api.get('/api/v2/routing/settings')).body.routing).toEqual({ enabled: true, strategy: 'round_robin' });
    await closeNotifications(page);
    await screenshot(page, 'admin-regions');

    await page.getByRole('link', { name: /^Users/ }).click();
    await expect(page.getByRole('table', { name: 'Staff' }).getByRole('row', { name: /Emma Outgoing/ }).textContent()).resolves.toMatch(/Agent.*EMEA/);
    expect(page.errors).toEqual([]);
  });

  it('shows on-call and shifts to an agent, who sets themselves away and back', async () => {
    const page = await signedIn('/agent/on-call', alex);
    await page.getByRole('heading', { name: 'On call & shifts' }).waitFor();
    await page.getByText('No on-call schedules').waitFor();
    const regions = page.getByRole('table', { name: 'Regions' });
    await expect(page.getByTestId('on-shift-now').textContent()).resolves.toMatch(/^On shift now: EMEA \(EMEA until Tue 4 Mar, 13:00\)$/);
    await expect(regions.getByTestId('region-EMEA').textContent()).resolves.toMatch(/07:00–13:00 UTC.*Starts Mon–Sat.*07:00–13:00, Mon–Sat.*On shift.*until Tue 4 Mar, 13:00.*Emma Outgoing/);
    await expect(regions.getByTestId('region-AMER').textContent()).resolves.toMatch(/AMERYour region.*13:00–21:00 UTC.*Off shift.*next Tue 4 Mar, 13:00.*Alex Incoming/);
    await expect(regions.getByTestId('region-APAC').textContent()).resolves.toMatch(/21:00–06:00 UTC \(\+1 day\).*Starts Sun–Thu/);
    await page.getByRole('region', { name: 'Regions and shifts' }).getByText(/by round robin, skipping agents who are away/).waitFor();

    const away = page.getByRole('switch', { name: 'Away' });
    await away.check();
    await notification(page, 'You are away: routing gives you no new tickets').waitFor();
    expect((await userOf(alex)).away).toBe(true);
    await expect.poll(() => regions.getByTestId('region-AMER').textContent()).toContain('Alex Incoming (away)');
    await closeNotifications(page);
    await screenshot(page, 'agent-on-call');

    // Back through the current-agent menu, where the on-call page is also linked.
    await page.getByRole('button', { name: 'Account menu for Alex Incoming' }).click();
    await page.getByRole('menuitem', { name: 'On call & shifts' }).waitFor();
    await page.getByRole('menuitem', { name: 'Set yourself available' }).click();
    await notification(page, 'You are back: routing gives you tickets again').waitFor();
    await expect.poll(() => away.isChecked()).toBe(false);
    expect((await userOf(alex)).away).toBe(false);
    expect(page.errors).toEqual([]);
  });

  it('writes a handover at the shift change that the outgoing region annotates and the incoming region acknowledges', async () => {
    // An urgent ticket of Emma's, with the customer waiting for a first reply.
    const customer = await createCustomer(env, await createOrganization(env));
    const subject = `Message delivery stalled ${uniq()}`;
    const { request } = (await customer.api.post('/api/v2/requests', await technicalRequest(customer.api, { subject, priority: 'urgent' }))).body;
    expect((await admin.api.put(`/api/v2/tickets/${request.id}`, { ticket: { assignee_id: emma.user.id } })).status).toBe(200);

    // EMEA's shift ends at 13:00; half an hour later AMER is on shift and the routing tick writes the handover.
    clock.set('2025-03-04T13:30:00Z');
    await runRoutingTick(env.ctx);
    const { handovers } = (await admin.api.get(`/api/v2/handovers?from_region_id=${region.EMEA}`)).body;
    expect(handovers).toHaveLength(1);
    const handover = handovers[0];
    expect(handover).toMatchObject({ to_region_id: region.AMER, shift_ended_at: '2025-03-04T13:00:00Z', acknowledged: false });
    expect(handover.items.find((i: { ticket_id: number }) => i.ticket_id === request.id)).toMatchObject({ reasons: expect.arrayContaining(['urgent_high', 'customer_waiting']), assignee_id: emma.user.id });
    expect(handover.reassigned).toEqual([{ ticket_id: request.id, from_assignee_id: emma.user.id, to_assignee_id: alex.user.id }]);

    // Emma (outgoing) leaves notes; only the incoming region acknowledges.
    const outgoing = await signedIn(`/agent/handovers/${handover.id}`, emma);
    await outgoing.getByRole('heading', { name: 'Handover EMEA → AMER' }).waitFor();
    await outgoing.getByText('Only agents of AMER acknowledge this handover.').waitFor();
    const notes = 'Customer is restarting their push proxy; call them back at 15:00 UTC.';
    await outgoing.getByLabel('Notes for the incoming region').fill(notes);
    await outgoing.getByRole('button', { name: 'Save notes' }).click();
    await notification(outgoing, 'Handover notes saved').waitFor();
    expect((await admin.api.get(`/api/v2/handovers/${handover.id}`)).body.handover.notes).toBe(notes);
    expect(outgoing.errors).toEqual([]);

    // Alex (incoming) finds it waiting in the list, reads it and acknowledges.
    const page = await signedIn('/agent/handovers', alex);
    await page.getByRole('heading', { name: 'Handovers' }).waitFor();
    await expect.poll(() => page.getByRole('navigation', { name: 'Shifts' }).getByRole('link', { name: /Handovers/ }).textContent()).toBe('Handovers1');
    const row = page.getByTestId(`handover-${handover.id}`);
    await expect(row.textContent()).resolves.toMatch(/Tue 4 Mar, 13:00.*EMEA → AMER.*11.*Waiting for your region/);
    await row.getByRole('link').click();
    await page.waitForURL(`**/agent/handovers/${handover.id}`);
    const item = page.getByTestId(`handover-item-${request.id}`);
    await expect(item.textContent()).resolves.toMatch(new RegExp(`#${request.id} ${subject}.*Urgent.*Alex Incoming.*was Emma Outgoing.*Urgent/high.*Customer waiting`));
    await expect(page.getByTestId(`reassigned-${request.id}`).textContent()).resolves.toBe(`#${request.id} from Emma Outgoing to Alex Incoming`);
    await expect(page.getByTestId('handover-notes').textContent()).resolves.toBe(notes);
    await screenshot(page, 'agent-handover');

    await page.getByRole('button', { name: 'Acknowledge handover' }).click();
    await notification(page, 'You acknowledged the handover for AMER').waitFor();
    await page.getByText(/Alex Incoming took this handover over for AMER at Tue 4 Mar, 13:30/).waitFor();
    expect((await admin.api.get(`/api/v2/handovers/${handover.id}`)).body.handover).toMatchObject({ acknowledged: true, acknowledged_by: alex.user.id, acknowledged_at: '2025-03-04T13:30:00Z' });

    await page.getByRole('link', { name: '← All handovers' }).click();
    await expect.poll(() => row.textContent()).toMatch(/Acknowledged by Alex Incoming/);
    expect(page.errors).toEqual([]);
  });
});
