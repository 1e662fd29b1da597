import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent, createOrganization, type Actor } from '../factories.js';
import { startTestApp, type TestEnv } from '../harness.js';

// node-zendesk is the most used Zendesk client on npm; it runs here unmodified, over real HTTP.
const { createClient } = createRequire(import.meta.url)('node-zendesk') as { createClient: (o: object) => any };

let env: TestEnv;
let agent: Actor & { token: string };
let client: any;
beforeAll(async () => {
  env = await startTestApp({}, { listen: true });
  agent = await createAgent(env, { admin: true });
  client = createClient({ username: agent.user.email, token: agent.token, endpointUri: `${env.url}/api/v2`, debug: false });
});
afterAll(() => env?.close());

describe('node-zendesk 6, unchanged, against Sundial', () => {
  it('reads the current user', async () => {
    const { result } = await client.users.me();
    expect(result).toMatchObject({ id: agent.user.id, email: agent.user.email, role: 'admin' });
  });

  it('creates, shows, updates and lists tickets, following cursor pages to the end', async () => {
    const org = await createOrganization(env);
    const created = [];
    for (let i = 0; i < 3; i++) {
      const { result } = await client.tickets.create({ ticket: { subject: `From node-zendesk ${i}`, comment: { body: 'Created by an unmodified Zendesk client' }, priority: 'high', requester: { email: `zd${i}@${org.domain}`, name: `ZD ${i}` } } });
      created.push(result);
    }
    expect(created[0]).toMatchObject({ subject: 'From node-zendesk 0', status: 'new', priority: 'high' });
    const shown = await client.tickets.show(created[1].id);
    expect(shown.result.id).toBe(created[1].id);
    const updated = await client.tickets.update(created[2].id, { ticket: { status: 'open', assignee_id: agent.user.id, comment: { body: 'On it', public: true } } });
    expect(updated.result.status).toBe('open');
    const all = await client.tickets.list();
    expect(all.map((t: { id: number }) => t.id)).toEqual(expect.arrayContaining(created.map((t) => t.id)));
    const comments = await client.tickets.getComments(created[2].id);
    expect(comments.map((c: { body: string }) => c.body)).toEqual(['Created by an unmodified Zendesk client', 'On it']);
  });

  it('uploads an attachment and attaches it to a comment', async () => {
    const upload = await client.attachments.upload(Readable.from([Buffer.from('log line\n')]), { filename: 'server.log', binary: true });
    const token = upload.result?.token ?? upload.upload?.token ?? upload.token;
    expect(token).toBeTruthy();
    const { result } = await client.tickets.create({ ticket: { subject: 'With file', comment: { body: 'see file', uploads: [token] } } });
    const comments = await client.tickets.getComments(result.id);
    expect(comments[0].attachments[0]).toMatchObject({ file_name: 'server.log', size: 9 });
  });

  it('manages organizations and reads forms and fields', async () => {
    const { result: org } = await client.organizations.create({ organization: { name: `ZD Org ${Date.now()}` } });
    expect((await client.organizations.show(org.id)).result.name).toBe(org.name);
    const orgs = await client.organizations.list();
    expect(orgs.map((o: { id: number }) => o.id)).toContain(org.id);
    await client.organizations.delete(org.id);
    await expect(client.organizations.show(org.id)).rejects.toThrow();
    const forms = await client.ticketforms.list();
    expect(forms.map((f: { name: string }) => f.name)).toEqual(['Technical Support', 'Sales Support']);
    const fields = await client.ticketfields.list();
    expect(fields.filter((f: { title: string }) => f.title === 'Category')).toHaveLength(2);
  });

  it('surfaces Zendesk errors the way clients expect', async () => {
    const bad = createClient({ username: agent.user.email, token: 'wrong', endpointUri: `${env.url}/api/v2` });
    await expect(bad.tickets.list()).rejects.toThrow();
    await expect(client.tickets.show(99999999)).rejects.toThrow();
  });

  it('searches with Zendesk query syntax, following every page with queryAll', async () => {
    const org = await createOrganization(env);
    const word = `zdsearch${Date.now()}`;
    const made: number[] = [];
    for (let i = 0; i < 3; i++) {
      const { result } = await client.tickets.create({ ticket: { subject: `${word} ${i}`, comment: { body: 'x' }, priority: 'urgent', requester: { email: `s${i}@${org.domain}` } } });
      made.push(result.id);
    }
    const { result } = await client.search.query(`type:ticket status<solved priority:urgent ${word}`);
    expect(result.map((r: { id: number }) => r.id).sort()).toEqual([...made].sort());
    const all = await client.search.queryAll(`${word} type:ticket`);
    expect(all.map((r: { id: number; result_type: string }) => [r.id, r.result_type]).sort()).toEqual(made.map((id) => [id, 'ticket']).sort());
  });
});
