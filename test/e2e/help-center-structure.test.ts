import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { createAgent, uniq } from '../factories.js';
import type { TestEnv } from '../harness.js';
import { newPage, screenshot, withBrowserApp } from './browser.js';
import { choose, closeNotifications, notification, signedIn } from './ui.js';

let env: TestEnv;
let browser: Browser;
withBrowserApp((e, b) => {
  env = e;
  browser = b;
});

const sectionsOf = (categoryId: number) => env.ctx.db.selectFrom('help_sections').select(['id', 'name', 'position']).where('category_id', '=', categoryId).orderBy('position').orderBy('id').execute();

describe('help center structure', () => {
  it('an admin builds a category with sections, orders them, publishes into one; readers find it; deleting is confirmed', { timeout: 180_000 }, async () => {
    const id = uniq();
    const category = `Integrations ${id}`;
    const first = `Webhooks ${id}`;
    const renamed = `Outgoing webhooks ${id}`;
    const second = `Single sign-on ${id}`;
    const title = `Connecting SAML single sign-on ${id}`;
    const admin = await createAgent(env, { admin: true, name: 'Hana Admin' });

    // The page is reached from the help-center navigation of the agent workspace.
    const page = await signedIn(browser, env.url, '/agent/help', admin);
    await page.getByRole('heading', { name: 'Help center articles' }).waitFor();
    await page.getByRole('navigation', { name: 'Help center' }).getByRole('link', { name: 'Categories & sections' }).click();
    await page.getByRole('heading', { name: 'Categories & sections' }).waitFor();

    // An empty name is refused by the API, and its message shows at the field.
    await page.getByRole('button', { name: 'New category' }).click();
    const newCategory = page.getByRole('dialog', { name: 'New category' });
    await newCategory.getByRole('button', { name: 'Create category' }).click();
    await newCategory.getByText(/Name: cannot be blank/).waitFor();
    await expect(newCategory.getByRole('textbox', { name: 'Name' }).getAttribute('aria-invalid')).resolves.toBe('true');
    await newCategory.getByRole('textbox', { name: 'Name' }).fill(category);
    await newCategory.getByRole('textbox', { name: 'Description' }).fill('Connecting Sundial to the tools you already use.');
    await newCategory.getByRole('button', { name: 'Create category' }).click();
    await notification(page, `${category} was created`).waitFor();
    const saved = await env.ctx.db.selectFrom('help_categories').selectAll().where('name', '=', category).executeTakeFirstOrThrow();
    expect(saved.description).toBe('Connecting Sundial to the tools you already use.');

    // Two sections in it, then the first renamed.
    const card = page.getByRole('region', { name: category });
    for (const name of [first, second]) {
      await card.getByRole('button', { name: `New section in ${category}` }).click();
      const dialog = page.getByRole('dialog', { name: `New section in ${category}` });
      await dialog.getByRole('textbox', { name: 'Name' }).fill(name);
      await dialog.getByRole('button', { name: 'Create section' }).click();
      await notification(page, `${name} was created`).waitFor();
    }
    await card.getByRole('button', { name: `Edit ${first}` }).click();
    const edit = page.getByRole('dialog', { name: `Edit ${first}` });
    await edit.getByRole('textbox', { name: 'Name' }).fill(renamed);
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await notification(page, `${renamed} was saved`).waitFor();
    const rows = card.getByRole('table', { name: `Sections in ${category}` }).getByRole('row');
    await expect.poll(() => rows.allTextContents()).toEqual([expect.stringContaining(renamed), expect.stringContaining(second)]);

    // Reordered: the second section moves above the first.
    await card.getByRole('button', { name: `Move ${second} up` }).click();
    await notification(page, `${second} moved up`).waitFor();
    await expect.poll(() => rows.allTextContents()).toEqual([expect.stringContaining(second), expect.stringContaining(renamed)]);
    expect((await sectionsOf(saved.id)).map((s) => s.name)).toEqual([second, renamed]);
    expect(page.errors).toEqual([]);

    // The article editor's section picker offers the new section; the article is published there.
    await page.goto('/agent/help/articles/new');
    await page.getByRole('heading', { name: 'New article' }).waitFor();
    await page.getByRole('textbox', { name: 'Title' }).fill(title);
    await page.getByRole('textbox', { name: /^Body/ }).fill('## Before you start\n\nAsk your identity provider for its metadata URL.');
    await choose(page, 'Section', second);
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByTestId('article-state').filter({ hasText: 'Published' }).waitFor();
    const article = await env.ctx.db.selectFrom('help_articles').select(['id', 'section_id', 'published_at']).where('title', '=', title).executeTakeFirstOrThrow();
    const [secondRow] = await sectionsOf(saved.id);
    expect(article.section_id).toBe(secondRow.id);
    expect(article.published_at).not.toBeNull();

    // The structure page counts it.
    await page.goto('/agent/help/structure');
    await expect.poll(() => rows.first().textContent()).toMatch(new RegExp(`${second}.*1 article`));
    await card.scrollIntoViewIfNeeded();
    await closeNotifications(page);
    await screenshot(page, 'help-center-structure');

    // An anonymous reader finds the article under the new category and section; the empty section is not shown.
    const reader = await newPage(browser, env.url);
    await reader.goto('/help');
    const shown = reader.getByRole('region', { name: category });
    await shown.getByRole('link', { name: second, exact: true }).waitFor();
    await shown.getByRole('link', { name: title }).waitFor();
    expect(await shown.getByText(renamed).count()).toBe(0);
    await shown.getByRole('link', { name: second, exact: true }).click();
    await reader.getByRole('heading', { name: second, level: 1 }).waitFor();
    await reader.getByRole('link', { name: title }).click();
    await reader.getByRole('heading', { name: title, level: 1 }).waitFor();
    await reader.getByRole('heading', { name: 'Before you start' }).waitFor();
    expect(reader.errors).toEqual([]);

    // Deleting says what goes with it and waits for the confirmation.
    await card.getByRole('button', { name: `Delete ${renamed}` }).click();
    const confirmSection = page.getByRole('dialog', { name: `Delete ${renamed}?` });
    await confirmSection.getByText('The section is empty.').waitFor();
    await confirmSection.getByRole('button', { name: 'Delete section' }).click();
    await notification(page, `${renamed} was deleted`).waitFor();
    await expect.poll(() => rows.count()).toBe(1);

    await card.getByRole('button', { name: `Delete ${category}` }).click();
    const confirmCategory = page.getByRole('dialog', { name: `Delete ${category}?` });
    await confirmCategory.getByText(/1 section and 1 article/).waitFor();
    await confirmCategory.getByRole('button', { name: 'Cancel' }).click();
    await confirmCategory.waitFor({ state: 'detached' });
    expect(await env.ctx.db.selectFrom('help_categories').select('id').where('id', '=', saved.id).executeTakeFirst()).toBeDefined();
    await card.getByRole('button', { name: `Delete ${category}` }).click();
    await confirmCategory.getByRole('button', { name: 'Delete category' }).click();
    await notification(page, `${category} was deleted`).waitFor();
    await card.waitFor({ state: 'detached' });
    expect(await env.ctx.db.selectFrom('help_categories').select('id').where('id', '=', saved.id).executeTakeFirst()).toBeUndefined();
    expect(await env.ctx.db.selectFrom('help_articles').select('id').where('id', '=', article.id).executeTakeFirst()).toBeUndefined();
    await reader.goto(`/help/articles/${article.id}`);
    await reader.getByText('Article not found').waitFor();
    expect(page.errors).toEqual([]);
  });
});
