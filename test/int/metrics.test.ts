import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api } from '../api.js';
import { createAgent, createCustomer, createOrganization, technicalRequest } from '../factories.js';
import { startTestApp, type TestEnv } from '../harness.js';

const TOKEN = 'metrics-token-for-tests-0123456789';

describe('GET /metrics', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await startTestApp({ METRICS_TOKEN: TOKEN });
  });
  afterAll(() => env?.close());

  it('needs the bearer token', async () => {
    const anonymous = new Api(env.app);
    expect((await anonymous.get('/metrics')).status).toBe(401);
    const wrong = await anonymous.request('GET', '/metrics', undefined, { authorization: 'Bearer not-the-token-at-all-000000' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers['www-authenticate']).toContain('Bearer');
    // An agent's API credentials are not the metrics token.
    const agent = await createAgent(env);
    expect((await agent.api.get('/metrics')).status).toBe(401);
  });

  it('exposes request rates and latencies, queues, job lag, SLA breaches, mail failures and pages', async () => {
    const customer = await createCustomer(env, await createOrganization(env, { plan: 'enterprise' }));
    const created = await customer.api.post('/api/v2/requests', await technicalRequest(customer.api));
    expect(created.status).toBe(201);
    await customer.api.get(`/api/v2/requests/${created.body.request.id}`);
    await env.ctx.db.insertInto('mail_outbox').values({ to_address: 'x@example.test', subject: 's', text_body: 't', message_id: `<m-${Date.now()}@test>`, kind: 'test', attempts: 2, last_error: 'connection refused' }).execute();
    const res = await new Api(env.app).request('GET', '/metrics', undefined, { authorization: `Bearer ${TOKEN}` });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = String(res.body);
    expect(text).toContain('# TYPE sundial_http_requests_total counter');
    expect(text).toMatch(/sundial_http_requests_total\{method="POST",route="\/api\/v2\/requests",status="201"\} 1/);
    expect(text).toMatch(/sundial_http_requests_total\{method="GET",route="\/api\/v2\/requests\/:id",status="200"\} 1/);
    expect(text).toContain('# TYPE sundial_http_request_duration_seconds histogram');
    expect(text).toMatch(/sundial_http_request_duration_seconds_bucket\{method="POST",route="\/api\/v2\/requests",le="\+Inf"\} 1/);
    expect(text).toMatch(/sundial_http_request_duration_seconds_count\{method="POST",route="\/api\/v2\/requests"\} 1/);
    expect(text).toMatch(/sundial_job_queue_depth\{queue="mail.send",state="created"\} \d+/);
    expect(text).toMatch(/sundial_job_lag_seconds\{queue="sla.breach-check"\} [\d.]+/);
    expect(text).toContain('# TYPE sundial_sla_breaches_total counter');
    expect(text).toMatch(/^sundial_mail_failing [1-9]\d*$/m);
    expect(text).toMatch(/^sundial_pages_open\{status="open"\} \d+$/m);
    // Every sample line is "name{labels} value".
    for (const line of text.trim().split('\n').filter((l) => !l.startsWith('#'))) expect(line).toMatch(/^[a-z_]+(\{[^}]*\})? [-+\dInfNa.e]+$/);
  });
});

describe('GET /metrics without METRICS_TOKEN', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await startTestApp();
  });
  afterAll(() => env?.close());

  it('does not exist', async () => {
    expect((await new Api(env.app).request('GET', '/metrics', undefined, { authorization: `Bearer ${TOKEN}` })).status).toBe(404);
  });
});
