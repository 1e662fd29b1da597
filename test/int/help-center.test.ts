import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api } from '../api.js';
import { createAgent, createCustomer, createOrganization, technicalRequest, uniq, type Actor } from '../factories.js';
import { startTestApp, type TestEnv } from '../harness.js';
import { seedStarterArticles } from '../../src/modules/helpcenter/starter-seed.service.js';

let env: TestEnv;
let admin: Actor & { token: string };
let agent: Actor & { token: string };
let anonymous: Api;
let sectionId: number;

beforeAll(async () => {
  env = await startTestApp();
  await env.app.ready();
  admin = await createAgent(env, { admin: true });
  agent = await createAgent(env, { groups: ['technical'] });
  anonymous = new Api(env.app);
  const category = await admin.api.post('/api/v2/help_center/categories', { category: { name: `Tests ${uniq()}` } });
  const section = await admin.api.post(`/api/v2/help_center/categories/${category.body.category.id}/sections`, { section: { name: 'Test section' } });
  sectionId = section.body.section.id;
});
afterAll(async () => {
  await env?.close();
});

/** An article written by the agent in the test section; published unless `draft: true`. */
async function writeArticle(article: Record<string, unknown>) {
  const res = await agent.api.post(`/api/v2/help_center/sections/${sectionId}/articles`, { article: { title: `Article ${uniq()}`, body: 'Body', ...article } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.article as { id: number; title: string; draft: boolean };
}

const idsOf = (list: { id: number }[]) => list.map((a) => a.id);
const searchIds = async (api: Api, query: string) => idsOf((await api.get(`/api/v2/help_center/articles/search?query=${encodeURIComponent(query)}`)).body.results);
const suggestionIds = async (api: Api, subject: string, description = '') =>
  idsOf((await api.post('/api/v2/help_center/deflection/suggestions', { deflection: { subject, description } })).body.articles);

describe('starter articles', () => {
  it('ships the support guides, published and public, linked to each other', async () => {
    const res = await anonymous.get('/api/v2/help_center/articles?per_page=100');
    expect(res.status).toBe(200);
    const titles = res.body.articles.map((a: { title: string }) => a.title);
    for (const t of ['How to submit a request, and which form to use', 'Priority levels and their business impact', 'Response-time targets by support plan', 'Troubleshooting checklist: what to include in a technical request', 'How to generate a Support Packet', 'What Sales Support handles']) {
      expect(titles).toContain(t);
    }
    const priority = res.body.articles.find((a: { title: string }) => a.title.startsWith('Priority levels'));
    expect(priority.body).toContain('<table>');
    expect(priority.body).toMatch(/href="\/help\/articles\/\d+"/);
    const categories = (await anonymous.get('/api/v2/help_center/categories')).body.categories.map((c: { name: string }) => c.name);
    expect(categories).toEqual(expect.arrayContaining(['Getting support', 'Troubleshooting']));
    expect(idsOf((await anonymous.get('/api/v2/help_center/articles/search?query=support%20packet')).body.results)[0]).toBe(
      res.body.articles.find((a: { title: string }) => a.title === 'How to generate a Support Packet').id,
    );
  });

  it('an admin edits or deletes them, and a later boot does not bring them back', async () => {
    const list = (await admin.api.get('/api/v2/help_center/articles?per_page=100')).body.articles;
    const sales = list.find((a: { title: string }) => a.title === 'What Sales Support handles');
    expect(sales.starter).toBe(true);
    const edited = await admin.api.put(`/api/v2/help_center/articles/${sales.id}`, { article: { title: 'Billing and licensing questions', body: 'Use the **Sales Support** form.' } });
    expect(edited.status).toBe(200);
    expect((await anonymous.get(`/api/v2/help_center/articles/${sales.id}`)).body.article.title).toBe('Billing and licensing questions');
    const packet = list.find((a: { title: string }) => a.title === 'How to generate a Support Packet');
    expect((await admin.api.delete(`/api/v2/help_center/articles/${packet.id}`)).status).toBe(204);
    await seedStarterArticles(env.ctx);
    const after = await env.ctx.db.selectFrom('help_articles').select(['id', 'title']).where('starter_key', 'is not', null).execute();
    expect(after).toHaveLength(5);
    expect(after.map((a) => a.title)).toContain('Billing and licensing questions');
  });
});

describe('authoring', () => {
  it('categories and sections are the admins’; articles the agents’; customers and anonymous get 403 and 401', async () => {
    const org = await createOrganization(env);
    const customer = await createCustomer(env, org);
    expect((await agent.api.post('/api/v2/help_center/categories', { category: { name: 'Nope' } })).status).toBe(403);
    expect((await customer.api.post(`/api/v2/help_center/sections/${sectionId}/articles`, { article: { title: 'x', body: 'y' } })).status).toBe(403);
    expect((await anonymous.post(`/api/v2/help_center/sections/${sectionId}/articles`, { article: { title: 'x', body: 'y' } })).status).toBe(401);
    const category = await admin.api.post('/api/v2/help_center/categories', { category: { name: 'Temporary', description: 'd' } });
    expect(category.status).toBe(201);
    expect(category.headers.location).toMatch(/\/api\/v2\/help_center\/categories\/\d+\.json$/);
    const id = category.body.category.id;
    expect((await admin.api.put(`/api/v2/help_center/categories/${id}`, { category: { name: 'Renamed' } })).body.category.name).toBe('Renamed');
    const section = await admin.api.post(`/api/v2/help_center/categories/${id}/sections`, { section: { name: 'S' } });
    const article = await agent.api.post(`/api/v2/help_center/sections/${section.body.section.id}/articles`, { article: { title: 'Inside', body: 'x' } });
    expect((await admin.api.delete(`/api/v2/help_center/categories/${id}`)).status).toBe(204);
    expect((await agent.api.get(`/api/v2/help_center/articles/${article.body.article.id}`)).status).toBe(404);
    expect((await admin.api.post('/api/v2/help_center/categories', { category: { name: '' } })).status).toBe(422);
  });

  it('a draft is invisible to readers until published; saving a draft keeps the published copy; history records both', async () => {
    const draft = await writeArticle({ title: 'Rotating the signing key', body: 'First text', draft: true });
    expect(draft.draft).toBe(true);
    expect((await anonymous.get(`/api/v2/help_center/articles/${draft.id}`)).status).toBe(404);
    expect((await agent.api.get(`/api/v2/help_center/articles/${draft.id}`)).body.article.draft).toBe(true);

    const published = await agent.api.post(`/api/v2/help_center/articles/${draft.id}/publish`);
    expect(published.body.article.draft).toBe(false);
    expect((await anonymous.get(`/api/v2/help_center/articles/${draft.id}`)).body.article.body).toBe('<p>First text</p>\n');

    const saved = await agent.api.put(`/api/v2/help_center/articles/${draft.id}/draft`, { draft: { title: 'Rotating the signing key (v2)', body: 'Second text' } });
    expect(saved.body.article.unpublished_changes).toBe(true);
    expect(saved.body.article.working_copy.title).toBe('Rotating the signing key (v2)');
    const reader = (await anonymous.get(`/api/v2/help_center/articles/${draft.id}`)).body.article;
    expect([reader.title, reader.body]).toEqual(['Rotating the signing key', '<p>First text</p>\n']);
    expect(reader).not.toHaveProperty('working_copy');

    await agent.api.post(`/api/v2/help_center/articles/${draft.id}/publish`);
    expect((await anonymous.get(`/api/v2/help_center/articles/${draft.id}`)).body.article.title).toBe('Rotating the signing key (v2)');

    const versions = (await agent.api.get(`/api/v2/help_center/articles/${draft.id}/versions`)).body.versions;
    expect(versions.map((v: { number: number; kind: string }) => [v.number, v.kind])).toEqual([
      [4, 'published'],
      [3, 'draft'],
      [2, 'published'],
      [1, 'draft'],
    ]);
    const restored = await agent.api.post(`/api/v2/help_center/articles/${draft.id}/versions/1/restore`);
    expect(restored.body.article.working_copy).toMatchObject({ title: 'Rotating the signing key', body_markdown: 'First text' });
    expect((await anonymous.get(`/api/v2/help_center/articles/${draft.id}`)).body.article.title).toBe('Rotating the signing key (v2)');
    expect((await anonymous.get(`/api/v2/help_center/articles/${draft.id}/versions`)).status).toBe(401);

    // Zendesk's PUT with draft: true unpublishes.
    await agent.api.put(`/api/v2/help_center/articles/${draft.id}`, { article: { draft: true } });
    expect((await anonymous.get(`/api/v2/help_center/articles/${draft.id}`)).status).toBe(404);
  });

  it('renders markdown to sanitized HTML: no script, no event handlers, no javascript: links', async () => {
    const a = await writeArticle({
      body: '# Title\n\nSome **bold** text.\n\n<script>alert(1)</script>\n\n<img src="x.png" onerror="alert(2)">\n\n[click](javascript:alert(3)) <a href="javascript:alert(4)">x</a>',
    });
    const body = (await anonymous.get(`/api/v2/help_center/articles/${a.id}`)).body.article.body as string;
    expect(body).toContain('<h1>Title</h1>');
    expect(body).toContain('<strong>bold</strong>');
    expect(body).not.toMatch(/<script|onerror|href="javascript:|alert\(1\)/i);
    expect(body).toContain('<a>x</a>');
    const preview = await agent.api.post('/api/v2/help_center/preview', { body: '*hi*<script>x()</script>' });
    expect(preview.body.html).toBe('<p><em>hi</em></p>\n');
  });

  it('validates visibility audiences', async () => {
    const res = await agent.api.post(`/api/v2/help_center/sections/${sectionId}/articles`, { article: { title: 't', body: 'b', visibility: 'organizations' } });
    expect(res.status).toBe(422);
    expect(res.body.details.organization_ids).toBeDefined();
    const bad = await agent.api.post(`/api/v2/help_center/sections/${sectionId}/articles`, { article: { title: 't', body: 'b', visibility: 'everyone' } });
    expect(bad.status).toBe(422);
  });
});

describe('visibility', () => {
  it('each audience reads exactly its articles, in show, list, search and suggestions; the rest is 404', async () => {
    const word = `zq${uniq()}`;
    const orgA = await createOrganization(env, { plan: 'enterprise' });
    const orgB = await createOrganization(env, { plan: 'premier' });
    const inA = await createCustomer(env, orgA);
    const inB = await createCustomer(env, orgB);
    const noOrg = await createCustomer(env, null);
    const article = (visibility: string, extra: Record<string, unknown> = {}) => writeArticle({ title: `${word} ${visibility}`, body: `About ${word}.`, visibility, ...extra });
    const pub = await article('public');
    const signedIn = await article('signed_in');
    const orgOnly = await article('organizations', { organization_ids: [orgA.id] });
    const premier = await article('plans', { plans: ['premier'] });
    const internal = await article('agents_only');
    const draft = await writeArticle({ title: `${word} draft`, body: word, draft: true });
    const all = [pub, signedIn, orgOnly, premier, internal, draft].map((a) => a.id);

    const expected: [string, Api, number[]][] = [
      ['anonymous', anonymous, [pub.id]],
      ['signed in without organization', noOrg.api, [pub.id, signedIn.id]],
      ['enterprise org A', inA.api, [pub.id, signedIn.id, orgOnly.id]],
      ['premier org B', inB.api, [pub.id, signedIn.id, premier.id]],
    ];
    for (const [who, api, visible] of expected) {
      for (const id of all) expect([who, id, (await api.get(`/api/v2/help_center/articles/${id}`)).status]).toEqual([who, id, visible.includes(id) ? 200 : 404]);
      const listed = idsOf((await api.get(`/api/v2/help_center/sections/${sectionId}/articles?per_page=100`)).body.articles).filter((id) => all.includes(id));
      expect([who, listed.sort()]).toEqual([who, [...visible].sort()]);
      expect([who, (await searchIds(api, word)).sort()]).toEqual([who, [...visible].sort()]);
      expect([who, (await suggestionIds(api, `Help with ${word}`)).sort()]).toEqual([who, [...visible].sort()]);
    }
    // Agents read everything, drafts included; search covers published copies only.
    for (const id of all) expect((await agent.api.get(`/api/v2/help_center/articles/${id}`)).status).toBe(200);
    expect((await searchIds(agent.api, word)).sort()).toEqual([pub.id, signedIn.id, orgOnly.id, premier.id, internal.id].sort());
    // Feedback and deflection cannot probe an internal article either.
    expect((await inA.api.post(`/api/v2/help_center/articles/${internal.id}/feedback`, { feedback: { helpful: true } })).status).toBe(404);
    expect((await inA.api.post('/api/v2/help_center/deflection/answered', { deflection: { article_id: internal.id, subject: 's' } })).status).toBe(404);
  });

  it('a section holding only internal articles is hidden from customers, its article list too', async () => {
    const category = await admin.api.post('/api/v2/help_center/categories', { category: { name: `Internal ${uniq()}` } });
    const section = await admin.api.post(`/api/v2/help_center/categories/${category.body.category.id}/sections`, { section: { name: 'Runbooks' } });
    const article = await agent.api.post(`/api/v2/help_center/sections/${section.body.section.id}/articles`, { article: { title: 'Restart the pager', body: 'x', visibility: 'agents_only' } });
    const customer = await createCustomer(env, await createOrganization(env));
    for (const api of [anonymous, customer.api]) {
      expect((await api.get(`/api/v2/help_center/sections/${section.body.section.id}`)).status).toBe(404);
      expect((await api.get(`/api/v2/help_center/categories/${category.body.category.id}`)).status).toBe(404);
      // Lists under a hidden section or category answer as the section or category does, not with an empty page.
      expect((await api.get(`/api/v2/help_center/categories/${category.body.category.id}/sections`)).status).toBe(404);
      expect((await api.get(`/api/v2/help_center/sections/${section.body.section.id}/articles`)).status).toBe(404);
      expect((await api.get(`/api/v2/help_center/en-us/sections/${section.body.section.id}/articles`)).status).toBe(404);
      expect((await api.get(`/api/v2/help_center/categories/${category.body.category.id}/articles`)).status).toBe(404);
      expect(idsOf((await api.get('/api/v2/help_center/sections')).body.sections)).not.toContain(section.body.section.id);
    }
    expect((await agent.api.get(`/api/v2/help_center/sections/${section.body.section.id}`)).status).toBe(200);
    expect(idsOf((await agent.api.get(`/api/v2/help_center/sections/${section.body.section.id}/articles`)).body.articles)).toEqual([article.body.article.id]);
    expect(idsOf((await agent.api.get(`/api/v2/help_center/categories/${category.body.category.id}/articles`)).body.articles)).toEqual([article.body.article.id]);
    // An id that names no section is "not found" to everyone.
    expect((await agent.api.get('/api/v2/help_center/sections/999999999/articles')).status).toBe(404);
  });
});

describe('search', () => {
  it('ranks title matches first and highlights matches in an escaped snippet', async () => {
    const word = `kw${uniq()}`;
    const inBody = await writeArticle({ title: 'Something else entirely', body: `Long text. The ${word} appears here once, next to <b>markup</b> & "quotes".` });
    const inTitle = await writeArticle({ title: `Configuring ${word}`, body: `How to configure ${word} on a cluster.` });
    const res = await anonymous.get(`/api/v2/help_center/articles/search?query=${word}`);
    expect(res.status).toBe(200);
    expect(idsOf(res.body.results)).toEqual([inTitle.id, inBody.id]);
    expect(res.body.count).toBe(2);
    const snippet = res.body.results.find((r: { id: number }) => r.id === inBody.id).snippet as string;
    expect(snippet).toContain(`<em>${word}</em>`);
    expect(snippet).not.toMatch(/<b>/);
    expect(res.body.results[0].result_type).toBe('article');
    expect((await anonymous.get('/api/v2/help_center/articles/search')).status).toBe(400);
    expect(await searchIds(anonymous, `"${word} appears"`)).toEqual([inBody.id]);
  });
});

describe('feedback', () => {
  it('readers say whether an article helped, with a comment; authors read it; votes count once per signed-in reader', async () => {
    const org = await createOrganization(env);
    const customer = await createCustomer(env, org);
    const a = await writeArticle({ body: 'Helpful?' });
    expect((await customer.api.post(`/api/v2/help_center/articles/${a.id}/feedback`, { feedback: { helpful: false, comment: 'Step 3 is missing' } })).status).toBe(201);
    expect((await customer.api.post(`/api/v2/help_center/articles/${a.id}/feedback`, { feedback: { helpful: false, comment: 'Step 3 is still missing' } })).status).toBe(201);
    expect((await anonymous.post(`/api/v2/help_center/articles/${a.id}/feedback`, { feedback: { helpful: true } })).status).toBe(201);
    const up = await agent.api.post(`/api/v2/help_center/articles/${a.id}/up`);
    expect(up.body.vote).toMatchObject({ value: 1, item_id: a.id, item_type: 'Article', user_id: agent.user.id });
    const shown = (await anonymous.get(`/api/v2/help_center/articles/${a.id}`)).body.article;
    expect([shown.vote_sum, shown.vote_count]).toEqual([1, 3]);
    const list = await agent.api.get(`/api/v2/help_center/articles/${a.id}/feedback`);
    expect(list.body.feedback.map((f: { comment: string | null }) => f.comment)).toContain('Step 3 is still missing');
    expect(list.body.count).toBe(3);
    expect((await customer.api.get(`/api/v2/help_center/articles/${a.id}/feedback`)).status).toBe(403);
    expect((await anonymous.post(`/api/v2/help_center/articles/${a.id}/up`)).status).toBe(401);
  });
});

describe('deflection', () => {
  it('suggests matching articles and records "this answered my question" without creating a ticket', async () => {
    const word = `dfl${uniq()}`;
    const org = await createOrganization(env);
    const customer = await createCustomer(env, org);
    const a = await writeArticle({ title: `Fixing ${word} errors`, body: `When ${word} fails, restart the job server.` });
    const suggested = await customer.api.post('/api/v2/help_center/deflection/suggestions', { deflection: { subject: `Getting ${word} failures`, description: 'since yesterday the whole team sees it' } });
    expect(suggested.status).toBe(200);
    expect(suggested.body.articles[0]).toMatchObject({ id: a.id, title: `Fixing ${word} errors`, html_url: expect.stringMatching(new RegExp(`/help/articles/${a.id}$`)) });
    expect(suggested.body.articles[0].snippet).toContain(`<em>${word}</em>`);

    const before = await env.ctx.db.selectFrom('tickets').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    const answered = await customer.api.post('/api/v2/help_center/deflection/answered', { deflection: { article_id: a.id, subject: `Getting ${word} failures` } });
    expect(answered.status).toBe(201);
    const events = await env.ctx.db.selectFrom('help_deflection_events').selectAll().where('subject', '=', `Getting ${word} failures`).orderBy('id').execute();
    expect(events.map((e) => [e.kind, e.user_id])).toEqual([
      ['suggested', customer.user.id],
      ['answered', customer.user.id],
    ]);
    expect(events[0].article_ids).toContain(a.id);
    expect(events[1].article_id).toBe(a.id);
    const after = await env.ctx.db.selectFrom('tickets').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
    expect((await customer.api.get('/api/v2/requests')).body.requests).toHaveLength(0);
  });

  it('reports the deflection rate: deflections ÷ (deflections + web requests)', async () => {
    const rate = async () => (await agent.api.get('/api/v2/reports/deflection')).body.deflection;
    const start = await rate();
    const org = await createOrganization(env);
    const customer = await createCustomer(env, org);
    const a = await writeArticle({ body: 'Answer' });
    await customer.api.post('/api/v2/help_center/deflection/answered', { deflection: { article_id: a.id, subject: 'one' } });
    await customer.api.post('/api/v2/help_center/deflection/answered', { deflection: { article_id: a.id, subject: 'two' } });
    const created = await customer.api.post('/api/v2/requests', await technicalRequest(customer.api));
    expect(created.status).toBe(201);
    const end = await rate();
    expect(end.deflections - start.deflections).toBe(2);
    expect(end.web_requests - start.web_requests).toBe(1);
    expect(end.deflection_rate_pct).toBe(Math.round((end.deflections / (end.deflections + end.web_requests)) * 1000) / 10);
    expect((await customer.api.get('/api/v2/reports/deflection')).status).toBe(403);
    const csv = await agent.api.get('/api/v2/reports/deflection?format=csv');
    expect(csv.raw.body.split(/\r?\n/)[0]).toBe('from,to,deflections,web_requests,deflection_rate_pct');
  });
});

describe('Zendesk shapes', () => {
  it('articles, sections and categories carry Zendesk’s keys, with and without a locale segment', async () => {
    const a = await writeArticle({ body: 'Shape' });
    const plain = await anonymous.get(`/api/v2/help_center/articles/${a.id}.json`);
    const localized = await anonymous.get(`/api/v2/help_center/en-us/articles/${a.id}`);
    expect(localized.body).toEqual(plain.body);
    expect(Object.keys(plain.body.article)).toEqual(
      expect.arrayContaining(['id', 'url', 'html_url', 'author_id', 'comments_disabled', 'draft', 'promoted', 'position', 'vote_sum', 'vote_count', 'section_id', 'created_at', 'updated_at', 'name', 'title', 'source_locale', 'locale', 'outdated', 'outdated_locales', 'edited_at', 'user_segment_id', 'permission_group_id', 'content_tag_ids', 'label_names', 'body']),
    );
    expect(plain.body.article.url).toMatch(new RegExp(`/api/v2/help_center/en-us/articles/${a.id}\\.json$`));
    expect(plain.body.article.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const sections = await anonymous.get('/api/v2/help_center/en-us/sections');
    expect(Object.keys(sections.body.sections[0])).toEqual(expect.arrayContaining(['id', 'url', 'html_url', 'category_id', 'position', 'sorting', 'name', 'description', 'locale', 'source_locale', 'outdated', 'parent_section_id', 'theme_template']));
    expect(sections.body).toHaveProperty('next_page');
    const categories = await anonymous.get('/api/v2/help_center/en-us/categories');
    expect(Object.keys(categories.body.categories[0])).toEqual(expect.arrayContaining(['id', 'url', 'html_url', 'position', 'name', 'description', 'locale', 'source_locale', 'outdated']));
    expect((await anonymous.get('/api/v2/help_center/fr/articles')).status).toBe(404);
    const page = await anonymous.get('/api/v2/help_center/articles?per_page=2');
    expect(page.body.articles).toHaveLength(2);
    expect(page.body.next_page).toContain('page=2');
    const cursor = await anonymous.get('/api/v2/help_center/articles?page[size]=2');
    expect(cursor.body.meta.has_more).toBe(true);
    const docs = await anonymous.get('/api/docs');
    expect(Object.keys(docs.body.paths)).toEqual(expect.arrayContaining(['/api/v2/help_center/articles/search', '/api/v2/help_center/{locale}/articles/{id}', '/api/v2/help_center/deflection/answered']));
  });
});

describe('attachments', () => {
  it('images are shown in place to whoever reads the article; other files download; internal ones stay hidden', async () => {
    const pub = await writeArticle({ body: 'Has a picture' });
    const internal = await writeArticle({ body: 'Internal picture', visibility: 'agents_only' });
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    const up = await agent.api.request('POST', `/api/v2/help_center/articles/${pub.id}/attachments?filename=diagram.png`, png, { 'content-type': 'application/binary' });
    expect(up.status).toBe(201);
    expect(up.body.article_attachment).toMatchObject({ file_name: 'diagram.png', content_type: 'image/png', inline: true, size: png.length });
    const content = await anonymous.get(up.body.article_attachment.relative_path);
    expect(content.status).toBe(200);
    expect(content.headers['content-type']).toBe('image/png');
    expect(content.raw.rawPayload.equals(png)).toBe(true);

    const svg = await agent.api.request('POST', `/api/v2/help_center/articles/${pub.id}/attachments?filename=x.svg`, '<svg onload="alert(1)"/>', { 'content-type': 'image/svg+xml' });
    const svgContent = await anonymous.get(svg.body.article_attachment.relative_path);
    expect(svgContent.headers['content-type']).toBe('application/octet-stream');
    expect(svgContent.headers['content-disposition']).toMatch(/^attachment/);

    const hidden = await agent.api.request('POST', `/api/v2/help_center/articles/${internal.id}/attachments?filename=secret.png`, png, { 'content-type': 'image/png' });
    expect((await anonymous.get(hidden.body.article_attachment.relative_path)).status).toBe(404);
    const customer = await createCustomer(env, await createOrganization(env));
    expect((await customer.api.request('POST', `/api/v2/help_center/articles/${pub.id}/attachments?filename=a.png`, png)).status).toBe(403);
    expect((await anonymous.get(`/api/v2/help_center/articles/${pub.id}/attachments`)).body.article_attachments).toHaveLength(2);
    expect((await agent.api.delete(`/api/v2/help_center/articles/attachments/${svg.body.article_attachment.id}`)).status).toBe(204);
    expect((await anonymous.get(svg.body.article_attachment.relative_path)).status).toBe(404);
  });
});
