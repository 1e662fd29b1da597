import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent, createOrganization, uniq, type Actor } from '../factories.js';
import { startTestApp, type TestEnv } from '../harness.js';

/*
 * zendesk-node-api (npm, 1.3.0), the second client of issue 8, runs here unmodified over real HTTP.
 * What it does, read from its source: `url` is any base URL (no subdomain is built in); it calls
 * `${url}/api/v2//<resource>.json` (a doubled slash, which Sundial collapses); Basic
 * `email/token:<token>` or, with `oauth: true`, `Bearer <token>`; `list(params)` takes a raw query
 * string and returns only the array (no next_page or cursor), so paging is by `page`/`per_page`;
 * `show` returns `data[single]`; `create`/`update` return the whole body; `delete` resolves true
 * whatever the answer; it never rejects on an HTTP error (it parses the error body and returns it).
 * It has tickets, ticketFields, users, userFields, organizations, macros and search, and nothing for
 * comments, uploads, incremental export or bulk jobs.
 */
interface Accessor {
  list(params?: string): Promise<any>;
  showMany(ids: (number | string)[]): Promise<any>;
  show(id: number | string): Promise<any>;
  create(data: object): Promise<any>;
  createOrUpdate(data: object): Promise<any>;
  update(id: number | string, data: object): Promise<any>;
  delete(id: number | string): Promise<boolean>;
}
type Client = Record<'tickets' | 'ticketFields' | 'users' | 'userFields' | 'organizations' | 'macros' | 'search', Accessor>;
const Zendesk = createRequire(import.meta.url)('zendesk-node-api') as (config: { url: string; email?: string; token: string; oauth?: boolean }) => Client;

let env: TestEnv;
let admin: Actor & { token: string };
let zendesk: Client;
beforeAll(async () => {
  env = await startTestApp({}, { listen: true });
  admin = await createAgent(env, { admin: true, groups: ['technical'] });
  zendesk = Zendesk({ url: env.url, email: admin.user.email, token: admin.token });
});
afterAll(() => env?.close());

const commentsOf = async (id: number) => (await admin.api.get(`/api/v2/tickets/${id}/comments`)).body.comments as { body: string; public: boolean }[];

/** Every page of a list, as a caller of this client pages: page=1,2,… until a short page. */
async function allPages(accessor: Accessor, perPage: number, extra = '') {
  const seen: { id: number }[][] = [];
  for (let page = 1; page < 1000; page++) {
    const items = (await accessor.list(`per_page=${perPage}&page=${page}${extra}`)) as { id: number }[];
    seen.push(items);
    if (items.length < perPage) break;
  }
  return seen;
}

describe('zendesk-node-api 1.3, unchanged, against Sundial', () => {
  it('creates, shows, updates (with public and private comments), shows many and deletes tickets', async () => {
    const org = await createOrganization(env);
    const created = await zendesk.tickets.create({
      subject: 'From zendesk-node-api',
      comment: { body: 'A ticket created with zendesk-node-api' },
      priority: 'high',
      requester: { email: `zna@${org.domain}`, name: 'ZNA Requester' },
    });
    expect(created.ticket).toMatchObject({ subject: 'From zendesk-node-api', status: 'new', priority: 'high', organization_id: org.id });
    expect(created.audit.events.map((e: { type: string }) => e.type)).toContain('Comment');
    const id = created.ticket.id as number;

    const shown = await zendesk.tickets.show(id);
    expect(shown).toMatchObject({ id, subject: 'From zendesk-node-api', description: 'A ticket created with zendesk-node-api' });

    const updated = await zendesk.tickets.update(id, { status: 'open', assignee_id: admin.user.id, comment: { body: 'On it', public: true } });
    expect(updated.ticket).toMatchObject({ id, status: 'open', assignee_id: admin.user.id });
    await zendesk.tickets.update(id, { comment: { body: 'Internal: check the logs', public: false }, tags: ['zna'] });
    // The client has no comments call; the comments it wrote are read back through the API.
    expect((await commentsOf(id)).map((c) => [c.body, c.public])).toEqual([
      ['A ticket created with zendesk-node-api', true],
      ['On it', true],
      ['Internal: check the logs', false],
    ]);
    expect((await zendesk.tickets.show(id)).tags).toEqual(['zna']);

    const other = (await zendesk.tickets.create({ subject: 'Second', comment: { body: 'x' }, requester: { email: `zna2@${org.domain}` } })).ticket.id as number;
    const many = (await zendesk.tickets.showMany([id, other])) as { id: number }[];
    expect(many.map((t) => t.id).sort()).toEqual([id, other].sort());

    await expect(zendesk.tickets.delete(other)).resolves.toBe(true);
    // Its get never rejects: a 404 body has no `ticket`.
    await expect(zendesk.tickets.show(other)).resolves.toBeUndefined();
    expect((await admin.api.get(`/api/v2/tickets/${other}`)).status).toBe(404);
  });

  it('lists tickets page by page with page and per_page, and sorted newest first', async () => {
    const org = await createOrganization(env);
    const made: number[] = [];
    for (let i = 0; i < 5; i++) made.push((await zendesk.tickets.create({ subject: `Paged ${i}`, comment: { body: 'p' }, requester: { email: `p${i}@${org.domain}` } })).ticket.id);
    const pages = await allPages(zendesk.tickets, 2);
    const ids = pages.flat().map((t) => t.id);
    expect(pages.slice(0, -1).every((p) => p.length === 2)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(made));
    const all = (await zendesk.tickets.list()) as { id: number }[];
    expect(all.map((t) => t.id).sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
    const newest = (await zendesk.tickets.list('per_page=1&sort_order=desc')) as { id: number }[];
    expect(newest.map((t) => t.id)).toEqual([Math.max(...ids)]);
  });

  it('creates, shows, updates, pages through, shows many and deletes users', async () => {
    const org = await createOrganization(env);
    const email = `zna-user-${uniq()}@${org.domain}`;
    const created = await zendesk.users.create({ name: 'ZNA User', email, role: 'end-user' });
    expect(created.user).toMatchObject({ name: 'ZNA User', email, role: 'end-user', organization_id: org.id });
    const id = created.user.id as number;
    expect(await zendesk.users.show(id)).toMatchObject({ id, email });
    expect((await zendesk.users.update(id, { name: 'ZNA Renamed', phone: '+1 555 0100' })).user).toMatchObject({ id, name: 'ZNA Renamed', phone: '+1 555 0100' });

    const pages = await allPages(zendesk.users, 1);
    const ids = pages.flat().map((u) => u.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining([id, admin.user.id]));
    expect(((await zendesk.users.showMany([id, admin.user.id])) as { id: number }[]).map((u) => u.id).sort()).toEqual([id, admin.user.id].sort());

    await expect(zendesk.users.delete(id)).resolves.toBe(true);
    // Zendesk keeps a deleted user, inactive; so does Sundial.
    expect(await zendesk.users.show(id)).toMatchObject({ id, active: false });
  });

  it('creates, shows, updates, lists, shows many and deletes organizations', async () => {
    const name = `ZNA Org ${uniq()}`;
    const created = await zendesk.organizations.create({ name, domain_names: [`${uniq('zna')}.test`], tags: ['zna'] });
    expect(created.organization).toMatchObject({ name, tags: ['zna'] });
    const id = created.organization.id as number;
    expect(await zendesk.organizations.show(id)).toMatchObject({ id, name });
    expect((await zendesk.organizations.update(id, { notes: 'Key account' })).organization).toMatchObject({ id, notes: 'Key account' });
    const listed = (await allPages(zendesk.organizations, 2)).flat().map((o) => o.id);
    expect(listed).toContain(id);
    expect(((await zendesk.organizations.showMany([id])) as { id: number }[]).map((o) => o.id)).toEqual([id]);
    await expect(zendesk.organizations.delete(id)).resolves.toBe(true);
    await expect(zendesk.organizations.show(id)).resolves.toBeUndefined();
  });

  it('searches with Zendesk query syntax, page by page', async () => {
    const org = await createOrganization(env);
    const word = `znasearch${uniq()}`;
    const made: number[] = [];
    for (let i = 0; i < 3; i++) made.push((await zendesk.tickets.create({ subject: `${word} ${i}`, comment: { body: 'x' }, priority: 'urgent', requester: { email: `s${i}@${org.domain}` } })).ticket.id);
    await zendesk.tickets.update(made[2], { status: 'solved', assignee_id: admin.user.id });
    const query = (q: string) => `query=${encodeURIComponent(q)}`;
    const open = (await zendesk.search.list(query(`type:ticket status<solved priority:urgent ${word}`))) as { id: number; result_type: string }[];
    expect(open.map((r) => [r.id, r.result_type]).sort()).toEqual(made.slice(0, 2).map((id) => [id, 'ticket']).sort());
    const pages = await allPages(zendesk.search, 1, `&${query(`${word} type:ticket`)}`);
    expect(pages.flat().map((r) => r.id).sort()).toEqual([...made].sort());
    const users = (await zendesk.search.list(query(`type:user ${admin.user.email}`))) as { id: number; result_type: string }[];
    expect(users.map((r) => [r.id, r.result_type])).toEqual([[admin.user.id, 'user']]);
  });

  it('creates, shows, updates, lists and deletes macros, and reads ticket fields', async () => {
    const created = await zendesk.macros.create({ title: `ZNA macro ${uniq()}`, actions: [{ field: 'status', value: 'pending' }, { field: 'comment_value', value: 'Waiting on you' }] });
    expect(created.macro.actions).toEqual([{ field: 'status', value: 'pending' }, { field: 'comment_value', value: 'Waiting on you' }]);
    const id = created.macro.id as number;
    expect(await zendesk.macros.show(id)).toMatchObject({ id, title: created.macro.title });
    expect((await zendesk.macros.update(id, { active: false })).macro).toMatchObject({ id, active: false });
    expect(((await zendesk.macros.list()) as { id: number }[]).map((m) => m.id)).toContain(id);
    await expect(zendesk.macros.delete(id)).resolves.toBe(true);
    await expect(zendesk.macros.show(id)).resolves.toBeUndefined();

    const fields = (await zendesk.ticketFields.list()) as { id: number; title: string }[];
    const category = fields.find((f) => f.title === 'Category')!;
    expect(await zendesk.ticketFields.show(category.id)).toMatchObject({ id: category.id, type: 'tagger' });
  });

  it('authenticates with an OAuth token (oauth: true sends a Bearer token)', async () => {
    const client = await admin.api.post('/api/v2/oauth/clients', { client: { name: 'ZNA', identifier: uniq('zna') } });
    expect(client.status, JSON.stringify(client.body)).toBe(201);
    const token = await admin.api.post('/api/v2/oauth/tokens', { token: { client_id: client.body.client.id, scopes: ['read', 'write'] } });
    expect(token.status, JSON.stringify(token.body)).toBe(201);
    const viaOAuth = Zendesk({ url: env.url, token: token.body.token.full_token, oauth: true });
    expect(await viaOAuth.users.show(admin.user.id)).toMatchObject({ id: admin.user.id });
    const org = await createOrganization(env);
    const created = await viaOAuth.tickets.create({ subject: 'Via OAuth', comment: { body: 'y' }, requester: { email: `oauth@${org.domain}` } });
    expect(created.ticket).toMatchObject({ subject: 'Via OAuth', submitter_id: admin.user.id });
  });

  it('gets Zendesk error bodies back for a wrong token and a missing record (the client never rejects)', async () => {
    const wrong = Zendesk({ url: env.url, email: admin.user.email, token: 'wrong' });
    await expect(wrong.tickets.list()).resolves.toBeUndefined();
    await expect(wrong.tickets.create({ subject: 'x', comment: { body: 'x' } })).resolves.toEqual({ error: "Couldn't authenticate you" });
    await expect(zendesk.tickets.show(99999999)).resolves.toBeUndefined();
    await expect(zendesk.tickets.update(99999999, { status: 'open' })).resolves.toMatchObject({ error: 'RecordNotFound' });
  });

  it('lists user fields (Sundial has none: an empty list)', async () => {
    expect(Array.isArray(await zendesk.userFields.list())).toBe(true);
  });
  it('creates or updates a user by email', async () => {
    const org = await createOrganization(env);
    const res = await zendesk.users.createOrUpdate({ name: 'Upsert', email: `upsert@${org.domain}` });
    expect(res.user).toMatchObject({ name: 'Upsert' });
    const again = await zendesk.users.createOrUpdate({ name: 'Upsert Renamed', email: `upsert@${org.domain}` });
    expect(again.user).toMatchObject({ id: res.user.id, name: 'Upsert Renamed' });
  });
  it('creates or updates an organization', async () => {
    const name = `Upsert ${uniq()}`;
    const res = await zendesk.organizations.createOrUpdate({ name });
    expect(res.organization).toMatchObject({ name });
    const again = await zendesk.organizations.createOrUpdate({ name, details: 'Updated by upsert' });
    expect(again.organization).toMatchObject({ id: res.organization.id, details: 'Updated by upsert' });
  });
});
