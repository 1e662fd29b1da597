import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent, createCustomer, createOrganization, formsOf, type Actor } from '../factories.js';
import { startTestApp, type TestEnv } from '../harness.js';

let env: TestEnv;
let agent: Actor;
let ids: number[] = [];
beforeAll(async () => {
  env = await startTestApp();
  agent = await createAgent(env);
  const org = await createOrganization(env);
  const requester = await createCustomer(env, org);
  for (let i = 0; i < 7; i++) {
    const res = await agent.api.post('/api/v2/tickets', { ticket: { subject: `Paged ${i}`, comment: { body: `body ${i}` }, requester_id: requester.user.id, external_id: `ext-${i}` } });
    ids.push(res.body.ticket.id);
  }
  ids = ids.sort((a, b) => a - b);
});
afterAll(() => env?.close());

describe('Zendesk wire conventions', () => {
  it('serves paths with and without .json, and with repeated slashes', async () => {
    for (const path of [`/api/v2/tickets/${ids[0]}`, `/api/v2/tickets/${ids[0]}.json`, `/api/v2//tickets/${ids[0]}.json`, `//api/v2/tickets/${ids[0]}`]) {
      const res = await agent.api.get(path);
      expect(res.status, path).toBe(200);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.body.ticket.id).toBe(ids[0]);
    }
  });

  it('emits seconds-precision timestamps and absolute urls on the base the client used', async () => {
    const res = await agent.api.request('GET', `/api/v2/tickets/${ids[0]}.json`, undefined, { host: 'help.example.org:8443' });
    expect(res.body.ticket.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(res.body.ticket.url).toBe(`http://help.example.org:8443/api/v2/tickets/${ids[0]}.json`);
    expect(res.body.ticket).toHaveProperty('satisfaction_rating', null);
    expect(res.body.ticket).toHaveProperty('collaborator_ids');
  });

  it('pages by offset with absolute next/previous links and a count', async () => {
    const first = await agent.api.get('/api/v2/tickets.json?per_page=3');
    expect(first.body.tickets.map((t: { id: number }) => t.id)).toEqual(ids.slice(0, 3));
    expect(first.body.count).toBe(7);
    expect(first.body.previous_page).toBeNull();
    expect(first.body.next_page).toMatch(/^http:\/\/localhost(:80)?\/api\/v2\/tickets\.json\?.*page=2/);
    const third = await agent.api.get(new URL(first.body.next_page).pathname + new URL(first.body.next_page).search.replace('page=2', 'page=3'));
    expect(third.body.tickets.map((t: { id: number }) => t.id)).toEqual(ids.slice(6));
    expect(third.body.next_page).toBeNull();
  });

  it('pages by cursor until links.next is null, and back with page[before]', async () => {
    const seen: number[] = [];
    let url: string | null = "/api/v2/tickets.json?page[size]=3";
    let pages = 0;
    let lastBody: any;
    while (url && pages < 10) {
      const res: { status: number; body: any } = await agent.api.get(url);
      expect(res.status).toBe(200);
      seen.push(...res.body.tickets.map((t: { id: number }) => t.id));
      lastBody = res.body;
      url = res.body.links.next ? new URL(res.body.links.next).pathname + new URL(res.body.links.next).search : null;
      if (url) expect(res.body.meta.has_more).toBe(true);
      pages++;
    }
    expect(seen).toEqual(ids);
    expect(lastBody.meta.has_more).toBe(false);
    expect(lastBody.links.next).toBeNull();
    const back = await agent.api.get(new URL(lastBody.links.prev).pathname + new URL(lastBody.links.prev).search);
    expect(back.body.tickets.map((t: { id: number }) => t.id)).toEqual(ids.slice(3, 6));
    const desc = await agent.api.get('/api/v2/tickets.json?page[size]=2&sort=-id');
    expect(desc.body.tickets.map((t: { id: number }) => t.id)).toEqual([ids[6], ids[5]]);
  });

  it('side-loads users, groups and organizations as top-level arrays', async () => {
    const res = await agent.api.get(`/api/v2/tickets/show_many.json?ids=${ids[0]},${ids[1]}&include=users,groups,organizations`);
    expect(res.body.tickets).toHaveLength(2);
    expect(res.body.users.map((u: { id: number }) => u.id)).toEqual(expect.arrayContaining([agent.user.id]));
    expect(res.body.organizations).toHaveLength(1);
    expect(res.body.groups[0]).toMatchObject({ name: 'Technical Support', default: true });
  });

  it('filters by external_id and returns 201 with Location on create, 204 on delete', async () => {
    const found = await agent.api.get('/api/v2/tickets.json?external_id=ext-4');
    expect(found.body.tickets.map((t: { id: number }) => t.id)).toEqual([ids[4]]);
    const created = await agent.api.post('/api/v2/tickets.json', { ticket: { subject: 'Temp', comment: { body: 'x' } } });
    expect(created.status).toBe(201);
    expect(created.headers.location).toBe(`http://localhost:80/api/v2/tickets/${created.body.ticket.id}.json`);
    const del = await agent.api.delete(`/api/v2/tickets/${created.body.ticket.id}.json`);
    expect(del.status).toBe(204);
    expect(del.raw.body).toBe('');
    expect((await agent.api.get(`/api/v2/tickets/${created.body.ticket.id}.json`)).status).toBe(404);
  });

  it('describes both request forms exactly as the handbook lists them', async () => {
    const f = await formsOf(agent.api);
    const techCategory = f.field.technical('Category');
    expect(techCategory.type).toBe('tagger');
    expect(techCategory.custom_field_options).toHaveLength(27);
    expect(techCategory.custom_field_options!.map((o) => o.name)).toEqual(expect.arrayContaining(['General inquiry', 'AD/LDAP', 'User, Team & Channel Management', 'User issue', 'DevOps Command Center']));
    expect(f.field.sales('Category').custom_field_options!.map((o) => o.name)).toEqual(['Credit Card Issues', 'General', 'Licensing', 'Pricing', 'Product', 'Renewals']);
    for (const title of ['Environment', 'Mattermost Version', 'Mattermost Mobile Version', 'Mobile Device']) expect(f.field.technical(title), title).toBeTruthy();
    for (const title of ['Environment', 'Mattermost Version', 'Priority']) expect(f.field.sales(title), title).toBeUndefined();
    const form = (await agent.api.get(`/api/v2/ticket_forms/${f.technical.id}.json`)).body.ticket_form;
    expect(form.end_user_conditions[0]).toMatchObject({ parent_field_id: techCategory.id, value: 'mobile', child_fields: [{ id: f.field.technical('Mattermost Mobile Version').id, is_required: true }] });
  });

  it('publishes an OpenAPI document listing every API route', async () => {
    const doc = (await agent.api.get('/api/docs')).body;
    expect(doc.openapi).toBe('3.1.0');
    for (const path of ['/api/v2/tickets', '/api/v2/tickets/{id}', '/api/v2/requests', '/api/v2/uploads', '/api/portal/signup', '/api/v2/api_tokens']) expect(Object.keys(doc.paths), path).toContain(path);
    expect(doc.paths['/api/v2/tickets'].post.requestBody).toBeTruthy();
  });
});
