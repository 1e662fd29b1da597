import { randomBytes } from 'node:crypto';
import type { Organization, Plan, User } from '../src/platform/db-types.js';
import { digest, newSecret } from '../src/platform/secrets.js';
import { createUser } from '../src/modules/accounts/users.service.js';
import { Api } from './api.js';
import type { TestEnv } from './harness.js';

export const uniq = (prefix = '') => `${prefix}${randomBytes(4).toString('hex')}`;

/** An organization of its own for each test, so tests never share customers. */
export async function createOrganization(
  env: TestEnv,
  o: { plan?: Plan; sharedTickets?: boolean; sharedComments?: boolean; timeZone?: string } = {},
): Promise<Organization & { domain: string }> {
  const domain = `${uniq('org')}.test`;
  const org = await env.ctx.db
    .insertInto('organizations')
    .values({
      name: `Org ${domain}`,
      support_plan: o.plan ?? 'enterprise',
      time_zone: o.timeZone ?? 'America/New_York',
      domain_names: [domain],
      shared_tickets: o.sharedTickets ?? false,
      shared_comments: o.sharedComments ?? false,
      updated_at: new Date(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { ...org, domain };
}

export interface Actor {
  user: User;
  api: Api;
  password: string;
}

/** An agent (or admin) with an API token, in the given workflow groups (default: Technical Support). */
export async function createAgent(env: TestEnv, o: { admin?: boolean; groups?: string[]; name?: string } = {}): Promise<Actor & { token: string }> {
  const password = `pw-${uniq()}-${uniq()}`;
  const user = await createUser(env.ctx.db, {
    name: o.name ?? `Agent ${uniq()}`,
    email: `${uniq('agent')}@sundial-staff.test`,
    role: o.admin ? 'admin' : 'agent',
    password,
    verified: true,
    organizationId: null,
  });
  for (const key of o.groups ?? []) {
    const group = await env.ctx.db.selectFrom('groups').select('id').where('key', '=', key).executeTakeFirstOrThrow();
    await env.ctx.db.insertInto('group_memberships').values({ user_id: user.id, group_id: group.id, updated_at: new Date() }).onConflict((oc) => oc.columns(['user_id', 'group_id']).doNothing()).execute();
  }
  const token = newSecret();
  await env.ctx.db.insertInto('api_tokens').values({ user_id: user.id, description: 'test', token_hash: digest(token) }).execute();
  return { user, password, token, api: Api.basicToken(env.app, user.email, token) };
}

/** A verified customer signed in through the portal login (session cookie + CSRF token). */
export async function createCustomer(env: TestEnv, org: { id: number; domain: string } | null, o: { verified?: boolean; name?: string } = {}): Promise<Actor> {
  const password = `pw-${uniq()}-${uniq()}`;
  const email = `${uniq('cust')}@${org?.domain ?? 'example-free.test'}`;
  const user = await createUser(env.ctx.db, { name: o.name ?? `Customer ${uniq()}`, email, password, verified: o.verified ?? true, organizationId: org?.id ?? null });
  return { user, password, api: await logIn(env, email, password) };
}

export async function logIn(env: TestEnv, email: string, password: string): Promise<Api> {
  const api = new Api(env.app);
  const res = await api.post('/api/portal/login', { email, password });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
  const cookie = String(res.headers['set-cookie']).split(';')[0];
  return api.withSession(cookie, res.body.csrf_token);
}

/** Ids and option values of the seeded request forms, looked up by title as a client would. */
export async function formsOf(api: Api) {
  const forms = (await api.get('/api/v2/ticket_forms')).body.ticket_forms as { id: number; name: string; ticket_field_ids: number[] }[];
  const fields = (await api.get('/api/v2/ticket_fields')).body.ticket_fields as { id: number; title: string; type: string; custom_field_options?: { name: string; value: string }[] }[];
  const technical = forms.find((f) => f.name === 'Technical Support')!;
  const sales = forms.find((f) => f.name === 'Sales Support')!;
  const onForm = (form: { ticket_field_ids: number[] }, title: string) => fields.find((f) => f.title === title && form.ticket_field_ids.includes(f.id))!;
  return {
    technical,
    sales,
    field: { technical: (title: string) => onForm(technical, title), sales: (title: string) => onForm(sales, title) },
  };
}

/** A valid Technical Support request body; `overrides` replace top-level keys. */
export async function technicalRequest(api: Api, overrides: Record<string, unknown> = {}) {
  const f = await formsOf(api);
  return {
    request: {
      ticket_form_id: f.technical.id,
      subject: 'Push notifications stopped after upgrade',
      priority: 'high',
      comment: { body: 'Since upgrading to 9.11 no push notifications arrive on iOS. Logs attached.' },
      custom_fields: [
        { id: f.field.technical('Category').id, value: 'notifications_status' },
        { id: f.field.technical('Environment').id, value: 'production' },
        { id: f.field.technical('Mattermost Version').id, value: '9.11.2' },
      ],
      ...overrides,
    },
  };
}
