import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api } from '../api.js';
import { createAgent, createCustomer } from '../factories.js';
import { startTestApp, type TestEnv } from '../harness.js';

let nodeA: TestEnv;
let nodeB: TestEnv;
beforeAll(async () => {
  nodeA = await startTestApp({ AUTO_CLOSE_AFTER: '1s' });
  // Same database and same mail server: a second stateless node of one deployment.
  nodeB = await startTestApp({ AUTO_CLOSE_AFTER: '1s', SMTP_URL: nodeA.mail.url }, { databaseUrl: nodeA.databaseUrl });
});
afterAll(async () => {
  await nodeB?.close();
  await nodeA?.close();
});

describe('several nodes on one PostgreSQL', () => {
  it('serves any request on any node: a session from node A works on node B', async () => {
    const customer = await createCustomer(nodeA, null);
    const onB = new Api(nodeB.app).withSession((customer.api as any).auth.cookie, (customer.api as any).auth.csrf);
    expect((await onB.get('/api/portal/session')).body.user.email).toBe(customer.user.email);
  });

  it('delivers each mail exactly once although both nodes run mail workers', async () => {
    const customers = await Promise.all(Array.from({ length: 20 }, () => createCustomer(nodeA, null)));
    await Promise.all(customers.map((c, i) => new Api(i % 2 ? nodeA.app : nodeB.app).post('/api/portal/password-reset', { email: c.user.email })));
    for (const c of customers) await nodeA.mail.waitFor((m) => m.to.includes(c.user.email), 30_000);
    await new Promise((r) => setTimeout(r, 2000));
    for (const c of customers) expect(nodeA.mail.to(c.user.email), c.user.email).toHaveLength(1);
    const ids = nodeA.mail.messages.map((m) => m.messageId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('closes each solved ticket exactly once', async () => {
    const agent = await createAgent(nodeA);
    const tickets = await Promise.all(
      Array.from({ length: 10 }, (_, i) => agent.api.post('/api/v2/tickets', { ticket: { subject: `close ${i}`, comment: { body: 'x' }, assignee_id: agent.user.id } })),
    );
    const apiB = Api.basicToken(nodeB.app, agent.user.email, agent.token);
    await Promise.all(tickets.map((t, i) => (i % 2 ? agent.api : apiB).put(`/api/v2/tickets/${t.body.ticket.id}`, { ticket: { status: 'solved' } })));
    const deadline = Date.now() + 30_000;
    for (const t of tickets) {
      while ((await agent.api.get(`/api/v2/tickets/${t.body.ticket.id}`)).body.ticket.status !== 'closed') {
        if (Date.now() > deadline) throw new Error('not closed in time');
        await new Promise((r) => setTimeout(r, 200));
      }
      const audits = (await apiB.get(`/api/v2/tickets/${t.body.ticket.id}/audits`)).body.audits;
      expect(audits.filter((a: { via: { channel: string } }) => a.via.channel === 'rule')).toHaveLength(1);
    }
  });
});
