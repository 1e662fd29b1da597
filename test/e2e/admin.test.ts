import { beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { TestEnv } from '../harness.js';
import { createAgent, createCustomer, createOrganization, formsOf, uniq, type Actor } from '../factories.js';
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
  admin = await createAgent(env, { admin: true, name: 'Ada Admin' });
});

const signedIn = (path: string, who: Actor = admin) => openSignedIn(browser, env.url, path, who);

/** Picks an option of a Mantine Select (searchable or not) by its label. */
async function choose(page: Page, label: string, option: string | RegExp, search?: string) {
  const input = page.getByRole('combobox', { name: label, exact: true });
  await input.click();
  if (search) await input.fill(search);
  await page.getByRole('option', { name: option }).first().click();
}

const notification = (page: Page, text: string | RegExp) => page.locator('.mantine-Notification-root').filter({ hasText: text });

describe('admin area', () => {
  it('signs in and creates an organization with plan, time zone, domain and confirmed sharing', async () => {
    const page = await signedIn('/admin');
    await page.waitForURL('**/admin/users');
    await page.getByRole('heading', { name: 'Users' }).waitFor();
    await page.getByRole('link', { name: /^Organizations/ }).click();
    await page.getByRole('button', { name: 'New organization' }).click();

    const dialog = page.getByRole('dialog', { name: 'New organization' });
    const name = `Tokyo Widgets ${uniq()}`;
    const domain = `${uniq('tw')}.test`;
    await dialog.getByLabel('Name').fill(name);
    await choose(page, 'Support plan', 'Premier');
    await choose(page, 'Time zone', /^Asia\/Tokyo/, 'Asia/Tokyo');
    const domains = dialog.getByRole('combobox', { name: 'Email domains' });
    await domains.fill(domain);
    await domains.press('Enter');
    // Sharing needs an explicit yes before it is saved.
    await dialog.getByRole('radio', { name: 'View organization tickets' }).check();
    await dialog.getByRole('button', { name: 'Create organization' }).click();
    await dialog.getByText('Confirm to turn on sharing').waitFor();
    await dialog.getByRole('checkbox', { name: /members will see each other's tickets/ }).check();
    await dialog.getByRole('button', { name: 'Create organization' }).click();

    await notification(page, `${name} was created`).waitFor();
    const row = page.getByRole('row', { name: new RegExp(name) });
    await row.waitFor();
    await expect(row.textContent()).resolves.toMatch(/Premier.*Asia\/Tokyo.*View organization tickets/);
    await expect(row.textContent()).resolves.toContain(domain);
    const saved = await env.ctx.db.selectFrom('organizations').selectAll().where('name', '=', name).executeTakeFirstOrThrow();
    expect(saved).toMatchObject({ support_plan: 'premier', time_zone: 'Asia/Tokyo', domain_names: [domain], shared_tickets: true, shared_comments: false });
    // The screenshot is for the README: the list itself, not the toast over the header.
    await notification(page, `${name} was created`).locator('.mantine-Notification-closeButton').click();
    await notification(page, `${name} was created`).waitFor({ state: 'detached' });
    await screenshot(page, 'admin-organizations');
    expect(page.errors).toEqual([]);
  });

  it('invites an agent, who appears in staff and gets an invitation email', async () => {
    const page = await signedIn('/admin/users');
    await page.getByRole('tab', { name: 'Staff' }).waitFor();
    await page.getByRole('button', { name: 'Invite user' }).click();
    const dialog = page.getByRole('dialog', { name: 'Invite user' });
    const email = `${uniq('new.agent')}@sundial-staff.test`;
    await dialog.getByLabel('Name').fill('Nadia Newagent');
    await dialog.getByLabel('Email').fill(email);
    await choose(page, 'Region', 'EMEA');
    await dialog.getByRole('button', { name: 'Send invitation' }).click();
    await notification(page, `An invitation email was sent to ${email}`).waitFor();
    const row = page.getByRole('table', { name: 'Staff' }).getByRole('row', { name: new RegExp(email) });
    await expect(row.textContent()).resolves.toMatch(/Nadia Newagent.*Agent.*EMEA.*Not verified/);
    const emea = await env.ctx.db.selectFrom('regions').select('id').where('name', '=', 'EMEA').executeTakeFirstOrThrow();
    expect(await env.ctx.db.selectFrom('users').select(['role', 'region_id']).where('email', '=', email).executeTakeFirstOrThrow()).toEqual({ role: 'agent', region_id: emea.id });
    await env.mail.waitFor((m) => m.to.includes(email) && /invited/i.test(m.subject));

    // A duplicate address is refused next to the field, not in a generic error.
    await page.getByRole('button', { name: 'Invite user' }).click();
    await dialog.getByLabel('Name').fill('Someone Else');
    await dialog.getByLabel('Email').fill(email.toUpperCase());
    await dialog.getByRole('button', { name: 'Send invitation' }).click();
    await dialog.getByText(/already being used/).waitFor();
    expect(page.errors).toEqual([]);
  });

  it("changes a customer's organization, then makes them an agent", async () => {
    const org = await createOrganization(env);
    const customer = await createCustomer(env, null, { name: `Carla ${uniq()}` });
    const page = await signedIn('/admin/users?tab=customers');
    const customers = page.getByRole('table', { name: 'Customers' });
    await customers.getByRole('button', { name: `Edit ${customer.user.name}` }).click();
    const dialog = page.getByRole('dialog', { name: `Edit ${customer.user.name}` });
    await choose(page, 'Organization', org.name, org.name);
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await notification(page, `${customer.user.name} was updated`).waitFor();
    await customers.getByRole('row', { name: new RegExp(customer.user.name) }).filter({ hasText: org.name }).waitFor();

    await customers.getByRole('button', { name: `Edit ${customer.user.name}` }).click();
    await choose(page, 'Role', 'Agent');
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await customers.getByRole('row', { name: new RegExp(customer.user.name) }).waitFor({ state: 'detached' });
    await page.getByRole('tab', { name: 'Staff' }).click();
    await page.getByRole('table', { name: 'Staff' }).getByRole('row', { name: new RegExp(customer.user.name) }).waitFor();
    const saved = await env.ctx.db.selectFrom('users').select(['role', 'organization_id']).where('id', '=', customer.user.id).executeTakeFirstOrThrow();
    expect(saved).toEqual({ role: 'agent', organization_id: org.id });
    expect(page.errors).toEqual([]);
  });

  it('deactivates a user only after confirming', async () => {
    const customer = await createCustomer(env, null, { name: `Dora ${uniq()}` });
    const page = await signedIn('/admin/users?tab=customers');
    const row = page.getByRole('table', { name: 'Customers' }).getByRole('row', { name: new RegExp(customer.user.name) });
    await row.getByRole('button', { name: `Deactivate ${customer.user.name}` }).click();
    const dialog = page.getByRole('dialog', { name: `Deactivate ${customer.user.name}?` });
    await dialog.getByText(/signed out everywhere/).waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect((await env.ctx.db.selectFrom('users').select('active').where('id', '=', customer.user.id).executeTakeFirstOrThrow()).active).toBe(true);

    await row.getByRole('button', { name: `Deactivate ${customer.user.name}` }).click();
    await dialog.getByRole('button', { name: 'Deactivate' }).click();
    await row.getByText('Deactivated').waitFor();
    expect((await env.ctx.db.selectFrom('users').select('active').where('id', '=', customer.user.id).executeTakeFirstOrThrow()).active).toBe(false);
    expect((await customer.api.get('/api/portal/session')).status).toBe(401);
    expect(page.errors).toEqual([]);
  });

  it('adds a Category option to the technical form, renames and deactivates it', async () => {
    const page = await signedIn('/admin/fields');
    const technical = page.getByRole('region', { name: 'Technical Support', exact: true });
    await technical.getByRole('button', { name: /^Category choices/ }).click();
    const editor = page.getByRole('region', { name: 'Technical Support: Category' });
    const name = `Calls ${uniq()}`;
    await editor.getByLabel('New option').fill(name);
    await expect(editor.getByLabel('Tag').inputValue()).resolves.toBe(name.toLowerCase().replace(' ', '_'));
    await editor.getByRole('button', { name: 'Add option' }).click();
    await notification(page, `“${name}” was added to Category`).waitFor();
    await editor.getByRole('button', { name: `Rename ${name}` }).click();
    await editor.getByLabel(`New name for ${name}`).fill(`${name} and meetings`);
    await editor.getByRole('button', { name: 'Save' }).click();
    await notification(page, `was renamed to “${name} and meetings”`).waitFor();

    const categoryOption = async () => {
      const f = await formsOf(admin.api);
      return f.field.technical('Category').custom_field_options!.find((o) => o.value === name.toLowerCase().replace(' ', '_')) as { name: string; active?: boolean } | undefined;
    };
    expect(await categoryOption()).toMatchObject({ name: `${name} and meetings` });

    await editor.getByRole('button', { name: `Deactivate ${name} and meetings` }).click();
    await editor.getByRole('button', { name: `Reactivate ${name} and meetings` }).waitFor();
    expect(await categoryOption()).toMatchObject({ active: false });
    expect(page.errors).toEqual([]);
  });

  it("shows the server's reason when a workflow group cannot be deleted", async () => {
    const page = await signedIn('/admin/groups');
    await page.getByRole('button', { name: 'Delete Technical Support' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete Technical Support?' });
    await dialog.getByRole('button', { name: 'Delete group' }).click();
    await dialog.getByRole('alert').getByText(/cannot be deleted/).waitFor();
    expect(await env.ctx.db.selectFrom('groups').select('deleted_at').where('name', '=', 'Technical Support').executeTakeFirstOrThrow()).toEqual({ deleted_at: null });
  });

  it('returns to the sign-in form when the session ends while the page is open', async () => {
    const other = await createAgent(env, { admin: true });
    const page = await signedIn('/admin/users', other);
    await page.getByRole('table', { name: 'Staff' }).waitFor();
    expect((await admin.api.delete(`/api/v2/users/${other.user.id}`)).status).toBe(200);
    await page.getByRole('link', { name: /^Organizations/ }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(page.errors).toEqual([]);
  });

  it('tells an end user that the admin area is for administrators only', async () => {
    const customer = await createCustomer(env, null);
    const page = await signedIn('/admin/organizations', customer);
    await page.getByRole('heading', { name: 'Administrators only' }).waitFor();
    await expect(page.getByRole('button', { name: 'New organization' }).count()).resolves.toBe(0);
    expect(page.errors).toEqual([]);
  });
});
