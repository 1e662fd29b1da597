import type { FastifyInstance } from 'fastify';
import { digest, newSecret } from '../../src/platform/secrets.js';
import { signId } from '../../src/platform/signing.js';
import { createUser } from '../../src/modules/accounts/users.service.js';
import { ulid } from '../../src/modules/rules/ulid.js';
import { confirmEnrollment, startEnrollment } from '../../src/modules/accounts/two-factor.service.js';
import { issueChallenge } from '../../src/modules/accounts/two-factor-login.js';
import { base32Decode, hotp, totpStep } from '../../src/modules/accounts/two-factor-totp.js';
import { createAgent, createCustomer, createOrganization, technicalRequest, uniq, type Actor } from '../factories.js';
import type { TestEnv } from '../harness.js';

/** The callers of the matrix: every way a request can arrive, with what it may expect to see. */
export const ROLES = [
  'anonymous',
  'owner',
  'otherOrg',
  'cc',
  'memberShared',
  'memberUnshared',
  'agent',
  'admin',
  'suspendedAgent',
  'suspendedUser',
  'revokedToken',
] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_NOTES: Record<Role, string> = {
  anonymous: 'no credentials',
  owner: "end user (session) who requested ticket T, organization O (O does not share tickets)",
  otherOrg: 'end user (session) of another organization',
  cc: "end user (session) without organization, CC'd on T",
  memberShared: "end user (session) of organization S, which shares tickets and comments; S's ticket TS is a colleague's",
  memberUnshared: 'end user (session) of O, T\'s organization, which does not share tickets',
  agent: 'agent (API token)',
  admin: 'admin (API token)',
  suspendedAgent: 'suspended agent whose API token was never revoked',
  suspendedUser: 'suspended end user with the session cookie they had before',
  revokedToken: "agent's revoked API token",
};

export interface Identity {
  role: Role;
  user: { id: number; email: string } | null;
  password: string | null;
  /** Headers that authenticate (Authorization or Cookie). */
  auth: Record<string, string>;
  csrf: string | null;
  ip: string;
}

let ipSeq = 1;
const ip = () => `10.77.${(ipSeq >> 8) & 255}.${ipSeq++ & 255}`;

export interface Res {
  status: number;
  body: string;
  json: any;
  headers: Record<string, unknown>;
}

/** One request as `who`: CSRF header for cookie writes, JSON unless the body is a Buffer/string. */
export async function send(app: FastifyInstance, who: Identity, method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Res> {
  const h: Record<string, string> = { ...who.auth, ...headers };
  if (who.csrf && !['GET', 'HEAD'].includes(method)) h['x-csrf-token'] = who.csrf;
  let payload: string | Buffer | undefined;
  if (Buffer.isBuffer(body) || typeof body === 'string') payload = body;
  else if (body !== undefined) {
    payload = JSON.stringify(body);
    h['content-type'] ??= 'application/json';
  }
  const res = await app.inject({ method: method as 'GET', url, payload, headers: h, remoteAddress: who.ip });
  let json: unknown = null;
  if (String(res.headers['content-type'] ?? '').includes('json') && res.body) {
    try {
      json = JSON.parse(res.body);
    } catch {
      json = null;
    }
  }
  return { status: res.statusCode, body: res.body, json, headers: res.headers };
}

async function sessionOf(env: TestEnv, email: string, password: string): Promise<{ cookie: string; csrf: string }> {
  const res = await env.app.inject({ method: 'POST', url: '/api/portal/login', payload: { email, password }, remoteAddress: ip() });
  if (res.statusCode !== 200) throw new Error(`login of ${email} failed: ${res.statusCode} ${res.body}`);
  return { cookie: String(res.headers['set-cookie']).split(';')[0], csrf: JSON.parse(res.body).csrf_token };
}

/** A session of `a`'s own (portal sign-in), as the web app has it. */
export const sessionIdentity = async (env: TestEnv, role: Role, a: Actor): Promise<Identity> => {
  const s = await sessionOf(env, a.user.email, a.password);
  return { role, user: { id: a.user.id, email: a.user.email }, password: a.password, auth: { cookie: s.cookie }, csrf: s.csrf, ip: ip() };
};
/** `a`'s API token as Basic email/token. */
export const tokenIdentity = (role: Role, a: Actor & { token: string }): Identity => ({
  role,
  user: { id: a.user.id, email: a.user.email },
  password: a.password,
  auth: { authorization: `Basic ${Buffer.from(`${a.user.email}/token:${a.token}`).toString('base64')}` },
  csrf: null,
  ip: ip(),
});

/** The ticket-related ids a role's requests are about (memberShared looks at S's world, everyone else at T's). */
export interface Subject {
  ticket: number;
  org: number;
  user: number;
  publicComment: number;
  attachment: number;
}

export type World = Awaited<ReturnType<typeof buildWorld>>;

const ok = (what: string, res: Res, ...codes: number[]) => {
  if (!(codes.length ? codes : [200, 201]).includes(res.status)) throw new Error(`fixture ${what}: ${res.status} ${res.body.slice(0, 500)}`);
  return res.json;
};

/**
 * Builds the fixtures every cell of the matrix refers to: organizations O (not sharing) and S
 * (sharing tickets and comments), ticket T of the owner in O with a CC, a public comment with an
 * attachment and an internal note; ticket TS in S; and one of each agent-side record (macro, trigger,
 * escalation, schedule, page, handover, webhook, OAuth client and token, …) with real ids.
 */
export async function buildWorld(env: TestEnv) {
  const app = env.app;
  const db = env.ctx.db;
  const orgO = await createOrganization(env, { sharedTickets: false, sharedComments: false });
  const orgS = await createOrganization(env, { sharedTickets: true, sharedComments: true });
  const orgX = await createOrganization(env);
  const owner = await createCustomer(env, orgO, { name: 'Owner' });
  const memberUnshared = await createCustomer(env, orgO, { name: 'Colleague in O' });
  const ownerS = await createCustomer(env, orgS, { name: 'Requester in S' });
  const memberShared = await createCustomer(env, orgS, { name: 'Colleague in S' });
  const otherOrg = await createCustomer(env, orgX, { name: 'Other customer' });
  const cc = await createCustomer(env, null, { name: 'CC person' });
  const suspendedUser = await createCustomer(env, orgO, { name: 'Suspended customer' });
  const agent = await createAgent(env, { groups: ['technical'] });
  const admin = await createAgent(env, { admin: true, groups: ['technical'] });
  const suspendedAgent = await createAgent(env, { groups: ['technical'] });
  const revoked = await createAgent(env, { groups: ['technical'] });

  const ident: Record<Role, Identity> = {
    anonymous: { role: 'anonymous', user: null, password: null, auth: {}, csrf: null, ip: ip() },
    owner: await sessionIdentity(env, 'owner', owner),
    otherOrg: await sessionIdentity(env, 'otherOrg', otherOrg),
    cc: await sessionIdentity(env, 'cc', cc),
    memberShared: await sessionIdentity(env, 'memberShared', memberShared),
    memberUnshared: await sessionIdentity(env, 'memberUnshared', memberUnshared),
    agent: tokenIdentity('agent', agent),
    admin: tokenIdentity('admin', admin),
    suspendedAgent: tokenIdentity('suspendedAgent', suspendedAgent),
    suspendedUser: await sessionIdentity(env, 'suspendedUser', suspendedUser),
    revokedToken: tokenIdentity('revokedToken', revoked),
  };
  const ownerS_ = await sessionIdentity(env, 'owner', ownerS);
  const A = ident.admin;
  const G = ident.agent;

  // Tickets: T (owner, O, CC'd), TS (ownerS, S), a solved one of the owner's to rate.
  const newRequest = async (who: Identity, api: Actor['api'], extra: Record<string, unknown> = {}) =>
    ok('request', await send(app, who, 'POST', '/api/v2/requests', await technicalRequest(api, extra))).request.id as number;
  const T = await newRequest(ident.owner, owner.api, { subject: 'Matrix ticket T', email_ccs: [cc.user.email] });
  const TS = await newRequest(ownerS_, ownerS.api, { subject: 'Matrix ticket TS' });
  const solved = await newRequest(ident.owner, owner.api, { subject: 'Solved for rating', email_ccs: [cc.user.email] });
  ok('solve', await send(app, A, 'PUT', `/api/v2/tickets/${solved}`, { ticket: { assignee_id: admin.user.id, status: 'solved', comment: { body: 'Fixed.', public: true } } }));

  /** A public agent reply with an attachment, and an internal note, on a ticket. */
  const replies = async (ticket: number) => {
    const up = ok('upload', await send(app, A, 'POST', `/api/v2/uploads?filename=answer.txt`, Buffer.from('public answer'), { 'content-type': 'text/plain' })).upload;
    ok('reply', await send(app, A, 'PUT', `/api/v2/tickets/${ticket}`, { ticket: { comment: { body: 'Public answer', public: true, uploads: [up.token] } } }));
    ok('note', await send(app, A, 'PUT', `/api/v2/tickets/${ticket}`, { ticket: { comment: { body: 'Internal note', public: false } } }));
    const comments = ok('comments', await send(app, A, 'GET', `/api/v2/tickets/${ticket}/comments`)).comments as { id: number; public: boolean; attachments: { id: number }[] }[];
    const pub = comments.find((c) => c.public && c.attachments.length)!;
    return { publicComment: pub.id, attachment: pub.attachments[0].id, internalComment: comments.find((c) => !c.public)!.id };
  };
  const tParts = await replies(T);
  const tsParts = await replies(TS);

  const subjectT: Subject = { ticket: T, org: orgO.id, user: owner.user.id, publicComment: tParts.publicComment, attachment: tParts.attachment };
  const subjectS: Subject = { ticket: TS, org: orgS.id, user: ownerS.user.id, publicComment: tsParts.publicComment, attachment: tsParts.attachment };

  // Agent-side records with real ids.
  const group = (await db.selectFrom('groups').select('id').where('key', '=', 'technical').executeTakeFirstOrThrow()).id;
  // New agents join the default group by themselves; memberships made here are in another one.
  const otherGroup = (await db.selectFrom('groups').select('id').where('key', '=', 'engineering').executeTakeFirstOrThrow()).id;
  const membership = ok('memberships', await send(app, A, 'GET', `/api/v2/groups/${group}/memberships`)).group_memberships[0].id as number;
  const forms = ok('forms', await send(app, A, 'GET', '/api/v2/ticket_forms')).ticket_forms as { id: number; name: string; display_name: string; active: boolean }[];
  const form = forms.find((f) => f.name === 'Technical Support')!;
  const fields = ok('fields', await send(app, A, 'GET', '/api/v2/ticket_fields')).ticket_fields as { id: number; type: string; title: string; custom_field_options?: { id: number }[] }[];
  const tagger = fields.find((f) => f.type === 'tagger' && f.title === 'Environment')!;
  const macro = ok('macro', await send(app, A, 'POST', '/api/v2/macros', { macro: { title: `Shared ${uniq()}`, actions: [{ field: 'priority', value: 'high' }], restriction: null } })).macro.id as number;
  const trigger = ok('trigger', await send(app, A, 'POST', '/api/v2/triggers', { trigger: { title: `Matrix ${uniq()}`, active: false, conditions: { all: [{ field: 'status', operator: 'is', value: 'new' }], any: [] }, actions: [{ field: 'priority', value: 'low' }] } })).trigger.id as number;
  const view = ok('views', await send(app, A, 'GET', '/api/v2/views')).views[0].id as number;
  const region = ok('regions', await send(app, A, 'GET', '/api/v2/regions')).regions[0].id as number;
  // One SLA policy per plan: free the Professional slot so creating one can succeed (no fixture uses that plan).
  await db.deleteFrom('sla_policies').where('plan', '=', 'professional').execute();
  const policy = ok('policies', await send(app, A, 'GET', '/api/v2/slas/policies')).sla_policies[0].id as number;
  const hours = ok('business hours', await send(app, A, 'GET', '/api/v2/business_hours/schedules')).schedules[0] as { id: number; name: string };
  const holiday = async () => ok('holiday', await send(app, A, 'POST', `/api/v2/business_hours/schedules/${hours.id}/holidays`, { holiday: { name: `H ${uniq()}`, start_date: '2031-01-02', end_date: '2031-01-02' } })).holiday.id as number;
  const escalatedTicket = await newRequest(ident.owner, owner.api, { subject: 'Escalated' });
  const escalation = ok('escalation', await send(app, G, 'POST', `/api/v2/tickets/${escalatedTicket}/escalations`, { escalation: { classification: 'bug', summary: 'Matrix' } })).escalation.id as number;
  const schedule = async () =>
    ok('on-call', await send(app, A, 'POST', '/api/v2/on_call/schedules', { schedule: { name: `OC ${uniq()}`, rotation_start: '2026-11-23T17:00:00Z', participant_ids: [agent.user.id], paging: false } })).schedule.id as number;
  const onCall = await schedule();
  const override = async () =>
    ok('override', await send(app, A, 'POST', `/api/v2/on_call/schedules/${onCall}/overrides`, { override: { role: 'primary', user_id: admin.user.id, starts_at: '2030-01-01T00:00:00Z', ends_at: '2030-01-02T00:00:00Z' } })).override?.id ??
    (await db.selectFrom('on_call_overrides').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow()).id;
  const target = async () => ok('paging target', await send(app, A, 'POST', '/api/v2/paging/targets', { target: { name: `PD ${uniq()}`, kind: 'pagerduty', routing_key: 'R0UT1NGKEY' } })).target.id as number;
  const pagingTarget = await target();
  const page = (
    await db.insertInto('pages').values({ ticket_id: T, reason: 'created', next_send_at: new Date(Date.now() + 3600_000), escalate_at: new Date(Date.now() + 7200_000) }).returning('id').executeTakeFirstOrThrow()
  ).id;
  const pageSignature = await signId(db, 'page-ack', page);
  const regionIds = (await db.selectFrom('regions').select('id').orderBy('id').limit(2).execute()).map((r) => r.id);
  const handover = (
    await db
      .insertInto('handovers')
      .values({ from_region_id: regionIds[0], to_region_id: regionIds[1] ?? null, shift_ended_at: new Date(), items: JSON.stringify([]), reassigned: JSON.stringify([]) })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  const webhookMade = async () =>
    ok('webhook', await send(app, A, 'POST', '/api/v2/webhooks', { webhook: { name: `W ${uniq()}`, endpoint: 'http://127.0.0.1:9/hook', http_method: 'POST', request_format: 'json', status: 'active', subscriptions: ['conditional_ticket_events'] } })).webhook.id as string;
  const webhook = await webhookMade();
  const invocation = ulid();
  await db.insertInto('webhook_invocations').values({ id: invocation, webhook_id: webhook, body: '{}' }).execute();
  const oauthClient = async () =>
    ok('oauth client', await send(app, A, 'POST', '/api/v2/oauth/clients', { client: { name: 'Matrix app', identifier: uniq('matrix_'), redirect_uri: ['https://app.example.com/cb'] } })).client as { id: number; identifier: string };
  const client = await oauthClient();
  const oauthToken = async () => ok('oauth token', await send(app, A, 'POST', '/api/v2/oauth/tokens', { token: { client_id: client.id, scopes: ['read'] } })).token.id as number;
  const adminOAuthToken = await oauthToken();
  const adminJob = ok('job', await send(app, A, 'PUT', `/api/v2/tickets/update_many?ids=${escalatedTicket}`, { ticket: { priority: 'normal' } })).job_status.id as string;

  // Satisfaction: the survey row of the solved ticket, and its signed link.
  const solvedAt = (await db.selectFrom('tickets').select('solved_at').where('id', '=', solved).executeTakeFirstOrThrow()).solved_at!;
  const rating = (
    await db
      .insertInto('satisfaction_ratings')
      .values({ ticket_id: solved, ticket_solved_at: solvedAt, requester_id: owner.user.id, assignee_id: admin.user.id, score: 'offered', offered_at: new Date(), updated_at: new Date() })
      .onConflict((oc) => oc.doNothing())
      .returning('id')
      .executeTakeFirst()
  )?.id ?? (await db.selectFrom('satisfaction_ratings').select('id').where('ticket_id', '=', solved).executeTakeFirstOrThrow()).id;
  const ratingSignature = await signId(db, 'csat', rating);

  // Help center: a public category and section with a public article (and its file), a section in it
  // holding only an article for organization O, and an internal category and section holding only an
  // agents-only article (and its file). `scratch` is a public article the authoring cells edit.
  const hcCategory = async (name = `HC ${uniq()}`) => ok('hc category', await send(app, A, 'POST', '/api/v2/help_center/categories', { category: { name } })).category.id as number;
  const hcSection = async (category: number, name = `HS ${uniq()}`) =>
    ok('hc section', await send(app, A, 'POST', `/api/v2/help_center/categories/${category}/sections`, { section: { name } })).section.id as number;
  const hcArticle = async (section: number, article: Record<string, unknown> = {}) =>
    ok('hc article', await send(app, G, 'POST', `/api/v2/help_center/sections/${section}/articles`, { article: { title: `Matrix article ${uniq()}`, body: 'Matrix body', ...article } })).article.id as number;
  const hcFile = async (article: number, name = `${uniq('file')}.txt`) =>
    ok('hc file', await send(app, G, 'POST', `/api/v2/help_center/articles/${article}/attachments?filename=${name}`, Buffer.from('article file'), { 'content-type': 'application/octet-stream' }))
      .article_attachment.id as number;
  const catPublic = await hcCategory();
  const secPublic = await hcSection(catPublic);
  const secOrg = await hcSection(catPublic);
  const catInternal = await hcCategory();
  const secInternal = await hcSection(catInternal);
  const hcPublic = await hcArticle(secPublic, { visibility: 'public' });
  const hcScratch = await hcArticle(secPublic, { visibility: 'public' });
  const hcOrgOnly = await hcArticle(secOrg, { visibility: 'organizations', organization_ids: [orgO.id] });
  const hcInternal = await hcArticle(secInternal, { visibility: 'agents_only' });
  const hcPublicFile = await hcFile(hcPublic);
  const hcInternalFile = await hcFile(hcInternal);

  // Two-factor: staff accounts enrolled through the service (TOTP codes computed from the secret).
  const userRow = (id: number) => db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const codeFor = (secret: string) => hotp(base32Decode(secret), totpStep(env.ctx.clock.now().getTime()));
  const twoFactorOff = async (userId: number) => {
    await db.deleteFrom('two_factor_recovery_codes').where('user_id', '=', userId).execute();
    await db.deleteFrom('user_two_factor').where('user_id', '=', userId).execute();
  };
  /** Turns two-factor on for a staff account (from off); returns its recovery codes. */
  const twoFactorOn = async (userId: number) => {
    await twoFactorOff(userId);
    const user = await userRow(userId);
    const { secret } = await startEnrollment(env.ctx, user);
    return confirmEnrollment(env.ctx, { user, code: codeFor(secret) });
  };
  /** Starts enrollment (from off) for a staff account; returns the code that confirms it now. */
  const twoFactorStarted = async (userId: number) => {
    await twoFactorOff(userId);
    return codeFor((await startEnrollment(env.ctx, await userRow(userId))).secret);
  };
  const staffRoles: Role[] = ['agent', 'admin'];
  const twoFactor = {
    /** For staff callers: two-factor off, so enrollment can start (others: nothing to do). */
    off: async (who: Identity) => (staffRoles.includes(who.role) && who.user ? twoFactorOff(who.user.id) : undefined),
    /** A code confirming an enrollment started now for a staff caller; a well-formed one for others. */
    started: async (who: Identity) => (staffRoles.includes(who.role) && who.user ? twoFactorStarted(who.user.id) : '000000'),
    /** A recovery code of a staff caller with two-factor on; a well-formed one for others. */
    on: async (who: Identity) => (staffRoles.includes(who.role) && who.user ? (await twoFactorOn(who.user.id))[0] : 'AAAA-BBBB-CCCC-DDDD'),
  };

  // Now take access away: suspend, revoke.
  ok('suspend agent', await send(app, A, 'PUT', `/api/v2/users/${suspendedAgent.user.id}`, { user: { suspended: true } }));
  // Suspension through the database keeps the session row, so the test sees what the session check does on its own.
  await db.updateTable('users').set({ suspended: true }).where('id', '=', suspendedUser.user.id).execute();
  await db.updateTable('api_tokens').set({ revoked_at: new Date() }).where('user_id', '=', revoked.user.id).execute();
  // Suspension also revokes the agent's tokens; bring the token row back so the check under test is the
  // suspension itself (a token issued by any other path must not outlive it either).
  await db.updateTable('api_tokens').set({ revoked_at: null }).where('user_id', '=', suspendedAgent.user.id).execute();
  const liveToken = await db.selectFrom('api_tokens').select('id').where('user_id', '=', suspendedAgent.user.id).where('revoked_at', 'is', null).executeTakeFirst();
  // One audit of ticket T (its creation).
  const ticketAudit = (await db.selectFrom('ticket_audits').select('id').where('ticket_id', '=', T).orderBy('id').executeTakeFirstOrThrow()).id;
  // An admin audit log entry (the suspension above records one).
  const auditLog = (await db.selectFrom('admin_audit_logs').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow()).id;

  /** Fresh records for cells that consume what they touch (deletes, merges). */
  const fresh = {
    ticket: async () => newRequest(ident.owner, owner.api, { subject: `Fresh ${uniq()}` }),
    endUser: async () => (await createUser(db, { name: `Fresh ${uniq()}`, email: `${uniq('fresh')}@${orgX.domain}`, password: `pw-${uniq()}-${uniq()}`, verified: true, organizationId: orgX.id })).id,
    endUserWithPassword: async () => {
      const password = `pw-${uniq()}-${uniq()}`;
      const email = `${uniq('login')}@${orgX.domain}`;
      await createUser(db, { name: 'Login', email, password, verified: true, organizationId: orgX.id });
      return { email, password };
    },
    org: async () => ok('org', await send(app, A, 'POST', '/api/v2/organizations', { organization: { name: `Fresh ${uniq()}` } })).organization.id as number,
    group: async () => ok('group', await send(app, A, 'POST', '/api/v2/groups', { group: { name: `Fresh ${uniq()}` } })).group.id as number,
    agentUser: async () => (await createAgent(env)).user.id,
    membership: async () => {
      const u = await createAgent(env);
      return ok('membership', await send(app, A, 'POST', '/api/v2/group_memberships', { group_membership: { user_id: u.user.id, group_id: otherGroup } })).group_membership.id as number;
    },
    adminApiToken: async () => {
      const value = newSecret();
      return (await db.insertInto('api_tokens').values({ user_id: admin.user.id, description: 'fresh', token_hash: digest(value) }).returning('id').executeTakeFirstOrThrow()).id;
    },
    upload: async (who: Identity) => {
      const by = who.user && !['suspendedAgent', 'suspendedUser', 'revokedToken', 'anonymous'].includes(who.role) ? who : ident.owner;
      return ok('upload', await send(app, by, 'POST', `/api/v2/uploads?filename=${uniq('f')}.txt`, Buffer.from('x'), { 'content-type': 'text/plain' })).upload.token as string;
    },
    macro: async () => ok('macro', await send(app, A, 'POST', '/api/v2/macros', { macro: { title: `Fresh ${uniq()}`, actions: [{ field: 'priority', value: 'low' }], restriction: null } })).macro.id as number,
    trigger: async () =>
      ok('trigger', await send(app, A, 'POST', '/api/v2/triggers', { trigger: { title: `Fresh ${uniq()}`, active: false, conditions: { all: [{ field: 'status', operator: 'is', value: 'new' }], any: [] }, actions: [{ field: 'priority', value: 'low' }] } })).trigger.id as number,
    handover: async () =>
      (
        await db
          .insertInto('handovers')
          .values({ from_region_id: regionIds[0], to_region_id: regionIds[1] ?? null, shift_ended_at: new Date(), items: JSON.stringify([]), reassigned: JSON.stringify([]) })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id,
    region: async () => ok('region', await send(app, A, 'POST', '/api/v2/regions', { region: { name: uniq('R'), shift_start: '01:00', shift_end: '02:00' } })).region.id as number,
    schedule,
    override,
    holiday,
    target,
    webhook: webhookMade,
    oauthClient: async () => (await oauthClient()).id,
    oauthToken,
    hcCategory: () => hcCategory(),
    hcSection: () => hcSection(catPublic),
    hcArticle: () => hcArticle(secPublic),
    hcFile: () => hcFile(hcScratch),
    /** A staff account with two-factor on (consumed by an admin reset). */
    twoFactorUser: async () => {
      const u = await createAgent(env);
      await twoFactorOn(u.user.id);
      return u.user.id;
    },
    /** A sign-in challenge at the code step for a staff account with two-factor on, and a recovery code. */
    twoFactorChallenge: async () => {
      const u = await createAgent(env);
      const [recovery] = await twoFactorOn(u.user.id);
      return { challenge_token: await issueChallenge(db, u.user.id, 'verify'), recovery_code: recovery };
    },
    /** A sign-in challenge at forced enrollment (staff, two-factor required); `code` set once enrollment is started. */
    enrollChallenge: async (started: boolean) => {
      const u = await createAgent(env);
      const code = started ? await twoFactorStarted(u.user.id) : undefined;
      return { challenge_token: await issueChallenge(db, u.user.id, 'enroll'), ...(code ? { code } : {}) };
    },
  };

  const requestTemplate = await technicalRequest(owner.api);

  return {
    env,
    ident,
    /** A valid Technical Support request body; `subject` replaced. */
    requestBody: (subject: string) => ({ request: { ...requestTemplate.request, subject } }),
    users: { owner, ownerS, memberShared, memberUnshared, otherOrg, cc, agent, admin, suspendedAgent, suspendedUser, revoked },
    orgs: { O: orgO, S: orgS, X: orgX },
    subjects: { T: subjectT, S: subjectS },
    subjectOf: (role: Role): Subject => (role === 'memberShared' ? subjectS : subjectT),
    tickets: { T, TS, solved, escalated: escalatedTicket },
    internal: { T: tParts.internalComment, TS: tsParts.internalComment },
    ids: {
      group,
      otherGroup,
      membership,
      form: form.id,
      formName: form.display_name,
      field: tagger.id,
      fieldOption: tagger.custom_field_options![0].id,
      macro,
      trigger,
      view,
      region,
      policy,
      hours: hours.id,
      hoursName: hours.name,
      escalation,
      onCall,
      pagingTarget,
      page,
      pageSignature,
      handover,
      webhook,
      invocation,
      client,
      adminOAuthToken,
      adminJob,
      rating,
      ratingSignature,
      liveSuspendedToken: !!liveToken,
      auditLog,
      ticketAudit,
    },
    /** Help-center records: categories, sections, articles (public, O only, internal, scratch) and files. */
    hc: { catPublic, secPublic, secOrg, catInternal, secInternal, pub: hcPublic, scratch: hcScratch, orgOnly: hcOrgOnly, internal: hcInternal, pubFile: hcPublicFile, internalFile: hcInternalFile },
    twoFactor,
    fresh,
    relogin: async (role: Role): Promise<Identity> => {
      const u = { owner, otherOrg, cc, memberShared, memberUnshared }[role as 'owner'];
      return u ? sessionIdentity(env, role, u) : ident[role];
    },
  };
}
