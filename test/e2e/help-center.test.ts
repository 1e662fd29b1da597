import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { createAgent, createCustomer, createOrganization, formsOf, technicalRequest, uniq } from '../factories.js';
import type { TestEnv } from '../harness.js';
import { newPage, withBrowserApp } from './browser.js';
import { choose, signedIn } from './ui.js';

let env: TestEnv;
let browser: Browser;
withBrowserApp((e, b) => {
  env = e;
  browser = b;
});

const articleByTitle = (title: string) => env.ctx.db.selectFrom('help_articles').selectAll().where('title', '=', title).executeTakeFirst();

describe('help center', () => {
  it('an author publishes, a customer finds it, it deflects a request; an internal article never reaches the customer', { timeout: 180_000 }, async () => {
    const word = `zircon${uniq()}`;
    const publicTitle = `Rebuilding the ${word} index after an upgrade`;
    const internalTitle = `Internal ${word} runbook for on-call`;
    const author = await createAgent(env, { groups: ['technical'] });
    const section = await env.ctx.db.selectFrom('help_sections').select('id').where('name', '=', 'Before you open a request').executeTakeFirstOrThrow();

    // The author writes and publishes a public article, then an internal one, in the editor.
    const page = await signedIn(browser, env.url, `/agent/help/articles/new?section=${section.id}`, author);
    await page.getByRole('heading', { name: 'New article' }).waitFor();
    const write = async (title: string, body: string, internal: boolean) => {
      await page.goto(`/agent/help/articles/new?section=${section.id}`);
      await page.getByRole('textbox', { name: 'Title' }).fill(title);
      await page.getByRole('textbox', { name: /^Body/ }).fill(body);
      // The live preview renders the markdown on the server.
      await page.getByRole('region', { name: 'Preview' }).getByRole('heading', { name: 'Steps' }).waitFor();
      if (internal) await choose(page, 'Who can read it', 'Agents only (internal)');
      await page.getByRole('button', { name: 'Publish' }).click();
      await page.getByTestId('article-state').filter({ hasText: 'Published' }).waitFor();
    };
    await write(publicTitle, `When search stops finding ${word} results after an upgrade:\n\n## Steps\n\n1. Open the System Console.\n2. Purge and **rebuild** the ${word} index.`, false);
    await write(internalTitle, `## Steps\n\nPage the ${word} on-call engineer before purging.`, true);
    const published = (await articleByTitle(publicTitle))!;
    const internal = (await articleByTitle(internalTitle))!;
    expect(published.published_at).not.toBeNull();
    expect(published.visibility).toBe('public');
    expect(internal.visibility).toBe('agents_only');
    expect(page.errors).toEqual([]);

    // The author sees both in the list, the internal one marked.
    await page.goto('/agent/help');
    await page.getByRole('link', { name: publicTitle }).waitFor();
    await page.getByRole('row').filter({ hasText: internalTitle }).getByText('Agents only (internal)').waitFor();

    // A customer finds the public article by search, highlighted; the internal one is not there.
    const org = await createOrganization(env);
    const customer = await createCustomer(env, org);
    const reader = await newPage(browser, env.url);
    await reader.goto('/login');
    await reader.getByRole('textbox', { name: 'Email' }).fill(customer.user.email);
    await reader.getByLabel(/^Password/).fill(customer.password);
    await reader.getByRole('button', { name: 'Sign in' }).click();
    await reader.getByRole('heading', { name: 'How can we help?' }).waitFor();
    await reader.getByRole('link', { name: 'Help center' }).first().click();
    await reader.getByRole('heading', { name: 'Help center', level: 1 }).waitFor();
    await reader.getByRole('textbox', { name: 'Search articles' }).fill(word);
    await reader.getByRole('button', { name: 'Search' }).click();
    const results = reader.getByRole('list', { name: 'Search results' });
    await results.getByRole('link', { name: publicTitle }).waitFor();
    expect(await results.locator('em').first().textContent()).toBe(word);
    expect(await results.getByText(internalTitle).count()).toBe(0);
    expect(await results.getByRole('listitem').count()).toBe(1);

    // Reading it, the customer says it helped.
    await results.getByRole('link', { name: publicTitle }).click();
    await reader.getByRole('heading', { name: publicTitle, level: 1 }).waitFor();
    await reader.getByRole('heading', { name: 'Steps' }).waitFor();
    await reader.getByRole('button', { name: 'Yes' }).click();
    await reader.getByLabel(/Anything we could add/).fill('Clear steps, thanks');
    await reader.getByRole('button', { name: 'Send feedback' }).click();
    await reader.getByText('Thank you for your feedback.').waitFor();
    const feedback = await env.ctx.db.selectFrom('help_article_feedback').selectAll().where('article_id', '=', published.id).execute();
    expect(feedback.map((f) => [f.user_id, f.helpful, f.comment])).toEqual([[customer.user.id, true, 'Clear steps, thanks']]);

    // The internal article's page is "not found" for the customer.
    await reader.goto(`/help/articles/${internal.id}`);
    await reader.getByText('Article not found').waitFor();

    // Writing a request, the article is suggested beside the form; the internal one is not.
    const forms = await formsOf(customer.api);
    await reader.goto(`/requests/new?form=${forms.technical.id}`);
    const subject = `Search no longer finds ${word} results`;
    await reader.getByLabel(/^Subject/).fill(subject);
    const suggestions = reader.getByRole('complementary', { name: 'These articles may answer your question' });
    await suggestions.getByRole('link', { name: publicTitle }).waitFor();
    expect(await suggestions.getByText(internalTitle).count()).toBe(0);

    // "This answered my question" ends the request: recorded, and no ticket is created.
    await suggestions.getByRole('group', { name: publicTitle }).getByRole('button', { name: 'This answered my question' }).click();
    await reader.getByRole('heading', { name: 'Glad that helped' }).waitFor();
    const events = await env.ctx.db.selectFrom('help_deflection_events').selectAll().where('user_id', '=', customer.user.id).orderBy('id').execute();
    expect(events.filter((e) => e.kind === 'answered').map((e) => [e.article_id, e.subject, e.form_id])).toEqual([[published.id, subject, forms.technical.id]]);
    expect(events.some((e) => e.kind === 'suggested' && e.article_ids.includes(published.id) && !e.article_ids.includes(internal.id))).toBe(true);
    expect(events.every((e) => !e.article_ids.includes(internal.id))).toBe(true);
    const tickets = await env.ctx.db.selectFrom('tickets').select('id').where('requester_id', '=', customer.user.id).execute();
    expect(tickets).toEqual([]);
    expect((await customer.api.get('/api/v2/requests')).body.requests).toEqual([]);
    expect(reader.errors).toEqual([]);

    // The customer's API sees the same: the internal article is in no list, search or suggestion.
    const listed = (await customer.api.get('/api/v2/help_center/articles?per_page=100')).body.articles.map((a: { id: number }) => a.id);
    expect(listed).toContain(published.id);
    expect(listed).not.toContain(internal.id);
    expect((await customer.api.get(`/api/v2/help_center/articles/${internal.id}`)).status).toBe(404);

    // An agent answering a ticket links the article into the reply.
    const ticket = await customer.api.post('/api/v2/requests', await technicalRequest(customer.api));
    await page.goto(`/agent/tickets/${ticket.body.request.id}`);
    await page.getByRole('button', { name: 'Link an article' }).click();
    await page.getByRole('textbox', { name: 'Search help center articles' }).fill(word);
    await page.getByRole('option', { name: new RegExp(publicTitle) }).click();
    await expect.poll(() => page.getByRole('region', { name: 'Composer' }).getByRole('textbox').first().inputValue()).toContain(`/help/articles/${published.id}`);
    expect(page.errors).toEqual([]);
  });
});
