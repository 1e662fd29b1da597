import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent, createCustomer, createOrganization, technicalRequest } from '../factories.js';
import { startTestApp, type TestEnv } from '../harness.js';

let env: TestEnv;
beforeAll(async () => {
  env = await startTestApp();
});
afterAll(() => env?.close());

describe('the Requests API shortcuts', () => {
  it('lists open and solved requests, and a user\'s requests, to the people allowed to see them', async () => {
    const org = await createOrganization(env);
    const customer = await createCustomer(env, org);
    const colleague = await createCustomer(env, org);
    const agent = await createAgent(env);
    const open = (await customer.api.post('/api/v2/requests', await technicalRequest(customer.api, { subject: 'Still open' }))).body.request.id;
    const done = (await customer.api.post('/api/v2/requests', await technicalRequest(customer.api, { subject: 'Done' }))).body.request.id;
    await agent.api.put(`/api/v2/tickets/${done}`, { ticket: { assignee_id: agent.user.id, status: 'solved', comment: { body: 'Fixed' } } });
    const ids = async (path: string, who = customer) => (await who.api.get(path)).body.requests.map((r: { id: number }) => r.id);

    expect(await ids('/api/v2/requests/open')).toEqual([open]);
    expect(await ids('/api/v2/requests/solved')).toEqual([done]);
    expect((await ids(`/api/v2/users/${customer.user.id}/requests`)).sort()).toEqual([open, done].sort());
    expect((await ids(`/api/v2/users/${customer.user.id}/requests`, agent)).sort()).toEqual([open, done].sort());
    expect((await colleague.api.get(`/api/v2/users/${customer.user.id}/requests`)).status).toBe(404);
    expect(await ids('/api/v2/requests/open', colleague)).toEqual([]);
  });
});
