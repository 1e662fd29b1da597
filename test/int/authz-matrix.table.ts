import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { uniq } from '../factories.js';
import { WEB_DIST } from '../../src/modules/web/web.routes.js';
import type { Identity, Role, Subject, World } from '../authz/world.js';

/**
 * Expected outcome of one cell: a status class (`2xx`, `3xx`), an exact status, or alternatives
 * joined by `|`. Validation statuses (400/422) appear only where the body does not matter to the
 * question asked (a public endpoint that needs a secret the caller does not have, for instance).
 */
export type Outcome = '2xx' | '3xx' | '302' | '303' | '400' | '401' | '403' | '404' | '409' | '400|422';

export interface CellContext {
  w: World;
  role: Role;
  who: Identity;
  /** The ticket, organization, user, comment and attachment this role's requests are about. */
  s: Subject;
}

export interface Entry {
  expect: Record<Role, Outcome>;
  /** Path parameters; those not given are filled by `defaultParam` from the path segment they follow. */
  params?: (c: CellContext) => Promise<Record<string, string | number>> | Record<string, string | number>;
  query?: (c: CellContext) => string | Promise<string>;
  body?: (c: CellContext) => unknown;
  headers?: Record<string, string>;
  /** Session roles sign in anew for this cell (the route ends the session it runs on). */
  freshSession?: boolean;
  /** Server-sent events: allowed callers get a stream that never ends; only its status is read. */
  stream?: boolean;
}

type Group = Role | 'endUsers' | 'staff' | 'badCredentials' | 'noSession';
const GROUPS: Record<Exclude<Group, Role>, Role[]> = {
  endUsers: ['owner', 'otherOrg', 'cc', 'memberShared', 'memberUnshared'],
  staff: ['agent', 'admin'],
  // Credentials that are sent but no longer work: 401 on every /api/ route.
  badCredentials: ['suspendedAgent', 'revokedToken'],
  // No usable session: the suspended user's cookie counts for nothing.
  noSession: ['anonymous', 'suspendedUser'],
};

/** Expands group names (later keys win) into one outcome per role. */
export function outcomes(spec: Partial<Record<Group, Outcome>>): Record<Role, Outcome> {
  const out: Partial<Record<Role, Outcome>> = {};
  for (const [k, v] of Object.entries(spec) as [Group, Outcome][]) for (const r of (GROUPS as Record<string, Role[]>)[k] ?? [k as Role]) out[r] = v;
  return out as Record<Role, Outcome>;
}

const D = { noSession: '401', badCredentials: '401' } as const;
/** Agent endpoints: customers get Zendesk's 403 whatever the id (it tells them nothing). */
const agentOnly = (o: Partial<Record<Group, Outcome>> = {}) => outcomes({ ...D, endUsers: '403', staff: '2xx', ...o });
const adminOnly = (o: Partial<Record<Group, Outcome>> = {}) => agentOnly({ agent: '403', ...o });
const signedIn = (o: Partial<Record<Group, Outcome>> = {}) => outcomes({ ...D, endUsers: '2xx', staff: '2xx', ...o });
const publicApi = (o: Partial<Record<Group, Outcome>> = {}) => outcomes({ noSession: '2xx', endUsers: '2xx', staff: '2xx', badCredentials: '401', ...o });
/** A customer's own ticket: requester, CC and sharing colleagues see it; everyone else gets 404. */
const customerTicket = (o: Partial<Record<Group, Outcome>> = {}) =>
  outcomes({ ...D, owner: '2xx', cc: '2xx', memberShared: '2xx', otherOrg: '404', memberUnshared: '404', staff: '2xx', ...o });
/** Pages outside /api/: no API authentication; what they need is in the link or the form. */
const page = (o: Outcome, more: Partial<Record<Group, Outcome>> = {}) => outcomes({ noSession: o, endUsers: o, staff: o, badCredentials: o, ...more });

const e = (expect: Record<Role, Outcome>, opts: Omit<Entry, 'expect'> = {}): Entry => ({ expect, ...opts });

const trigger = () => ({ trigger: { title: `T ${uniq()}`, active: false, conditions: { all: [{ field: 'status', operator: 'is', value: 'new' }], any: [] }, actions: [{ field: 'priority', value: 'low' }] } });
const ticketBody = () => ({ ticket: { subject: `Matrix ${uniq()}`, comment: { body: 'Created in the matrix' } } });
const oauthParams = (c: CellContext) =>
  new URLSearchParams({ response_type: 'code', client_id: c.w.ids.client.identifier, redirect_uri: 'https://app.example.com/cb', scope: 'read', state: 'xyz' });
const staffSession = { agent: '302', admin: '302' } as const;
/** Help center: what a reader may not see is "not found" to them; agents and admins read everything. */
const hiddenArticle = (o: Partial<Record<Group, Outcome>> = {}) => publicApi({ noSession: '404', endUsers: '404', ...o });
/** Visible to members of organization O only (the owner and their colleague); "not found" to everyone else. */
const orgOArticle = (o: Partial<Record<Group, Outcome>> = {}) => hiddenArticle({ owner: '2xx', memberUnshared: '2xx', ...o });
const png = () => Buffer.from('89504e470d0a1a0a', 'hex');

/**
 * Files of the built web app (web/dist, present once `npm run build:web` ran): @fastify/static registers
 * one public route per file, named by content hash, so their entries are read from the same directory.
 */
function webAppFiles(): Record<string, Entry> {
  // The server serves the directory only when index.html is there (src/modules/web/web.routes.ts).
  if (!existsSync(join(WEB_DIST, 'index.html'))) return {};
  const files = readdirSync(WEB_DIST, { recursive: true, withFileTypes: true })
    .filter((f) => f.isFile())
    .map((f) => relative(WEB_DIST, join(f.parentPath, f.name)).split('\\').join('/'));
  return Object.fromEntries(files.map((f) => [`GET /${f}`, e(page('2xx'))]));
}

/**
 * The route × role table. Keys are `METHOD /path` exactly as fastify routes them; every route of
 * the server must have an entry (the test names the missing ones).
 */
export const TABLE: Record<string, Entry> = {
  // Web app, health, docs, metrics (METRICS_TOKEN set: no role's own credentials open it).
  'GET /': e(page('2xx')),
  'GET /healthz': e(page('2xx')),
  'GET /metrics': e(page('401')),
  'GET /api/docs': e(publicApi()),

  // Portal accounts.
  'POST /api/portal/signup': e(publicApi({ noSession: '2xx' }), { body: () => ({ name: 'New Person', email: `${uniq('signup')}@example-free.test`, password: `pw-${uniq()}-${uniq()}` }) }),
  'GET /api/portal/session': e(signedIn()),
  'GET /api/portal/verify': e(publicApi({ noSession: '303', endUsers: '303', staff: '303' }), { query: () => 'token=not-a-token' }),
  'POST /api/portal/verification/resend': e(signedIn()),
  // Signing in replaces the session the request came with (no fixation): session roles use a spare one.
  'POST /api/portal/login': e(publicApi(), { freshSession: true, body: async (c) => c.w.fresh.endUserWithPassword() }),
  'POST /api/portal/logout': e(publicApi(), { freshSession: true }),
  'POST /api/portal/password': e(signedIn(), { body: (c) => ({ current_password: c.who.password, password: c.who.password }) }),
  'POST /api/portal/password-reset': e(publicApi({ noSession: '2xx' }), { body: () => ({ email: `${uniq('reset')}@example-free.test` }) }),
  // Public; a made-up token is refused the same way whoever asks.
  'POST /api/portal/password-reset/confirm': e(publicApi({ noSession: '400|422', endUsers: '400|422', staff: '400|422' }), { body: () => ({ token: 'not-a-real-reset-token', password: `pw-${uniq()}-${uniq()}` }) }),

  // Users.
  'GET /api/v2/users': e(agentOnly()),
  'POST /api/v2/users': e(agentOnly(), { body: () => ({ user: { name: 'Made by staff', email: `${uniq('made')}@example-free.test` } }) }),
  'GET /api/v2/users/me': e(publicApi({ badCredentials: '2xx' })),
  'GET /api/v2/users/show_many': e(agentOnly(), { query: (c) => `ids=${c.s.user}` }),
  'GET /api/v2/users/search': e(agentOnly(), { query: () => 'query=owner' }),
  'POST /api/v2/users/create_or_update': e(agentOnly(), { body: () => ({ user: { name: 'Upserted', email: `${uniq('upsert')}@example-free.test` } }) }),
  'POST /api/v2/users/create_many': e(agentOnly(), { body: () => ({ users: [{ name: 'Many', email: `${uniq('many')}@example-free.test` }] }) }),
  'GET /api/v2/users/count': e(agentOnly()),
  // A customer reads only their own profile.
  'GET /api/v2/users/:id': e(customerTicket({ cc: '404', memberShared: '404' })),
  'PUT /api/v2/users/:id': e(customerTicket({ cc: '404', memberShared: '404' }), { body: () => ({ user: { time_zone: 'Europe/Berlin' } }) }),
  'DELETE /api/v2/users/:id': e(adminOnly(), { params: async (c) => ({ id: await c.w.fresh.endUser() }) }),
  'POST /api/v2/users/:id/password': e(adminOnly(), { params: async (c) => ({ id: await c.w.fresh.endUser() }), body: () => ({ password: `pw-${uniq()}-${uniq()}` }) }),
  'GET /api/v2/users/:id/group_memberships': e(agentOnly()),
  'GET /api/v2/users/:id/tickets/requested': e(agentOnly()),
  'GET /api/v2/users/:id/tickets/ccd': e(agentOnly()),
  'GET /api/v2/users/:id/tickets/assigned': e(agentOnly()),
  'GET /api/v2/users/:id/requests': e(customerTicket({ cc: '404', memberShared: '404' })),
  'GET /api/v2/user_fields': e(agentOnly()),

  // Uploads and attachments (each caller deletes an upload of their own).
  'POST /api/v2/uploads': e(signedIn(), { query: () => `filename=${uniq('m')}.txt`, body: () => Buffer.from('hello'), headers: { 'content-type': 'text/plain' } }),
  'DELETE /api/v2/uploads/:token': e(signedIn(), { params: async (c) => ({ token: await c.w.fresh.upload(c.who) }) }),
  'GET /api/v2/attachments/:id': e(customerTicket()),
  'GET /api/v2/attachments/:id/content': e(customerTicket()),

  // Organizations.
  'GET /api/v2/organizations': e(agentOnly()),
  'POST /api/v2/organizations': e(adminOnly(), { body: () => ({ organization: { name: `Org ${uniq()}` } }) }),
  'GET /api/v2/organizations/show_many': e(agentOnly(), { query: (c) => `ids=${c.s.org}` }),
  'GET /api/v2/organizations/search': e(agentOnly(), { query: () => 'name=Org' }),
  'POST /api/v2/organizations/create_or_update': e(adminOnly(), { body: () => ({ organization: { name: `Org ${uniq()}` } }) }),
  'GET /api/v2/organizations/count': e(agentOnly()),
  'GET /api/v2/organizations/autocomplete': e(agentOnly(), { query: () => 'name=Org' }),
  // Members read their own organization (sharing or not); others get 404.
  'GET /api/v2/organizations/:id': e(customerTicket({ cc: '404', memberUnshared: '2xx' })),
  'PUT /api/v2/organizations/:id': e(adminOnly(), { body: () => ({ organization: { notes: 'Noted by the matrix' } }) }),
  'DELETE /api/v2/organizations/:id': e(adminOnly(), { params: async (c) => ({ id: await c.w.fresh.org() }) }),
  'GET /api/v2/organizations/:id/users': e(agentOnly()),
  'GET /api/v2/organizations/:id/tickets': e(agentOnly()),
  // Their organization's requests (an empty list where the organization does not share).
  'GET /api/v2/organizations/:id/requests': e(customerTicket({ cc: '404', memberUnshared: '2xx' })),
  'GET /api/v2/organization_fields': e(agentOnly()),

  // OAuth clients and tokens.
  'GET /api/v2/oauth/clients': e(adminOnly()),
  'POST /api/v2/oauth/clients': e(adminOnly(), { body: () => ({ client: { name: 'App', identifier: uniq('app_'), redirect_uri: ['https://app.example.com/cb'] } }) }),
  'GET /api/v2/oauth/clients/:id': e(adminOnly()),
  'PUT /api/v2/oauth/clients/:id': e(adminOnly(), { body: () => ({ client: { name: 'Matrix app' } }) }),
  'DELETE /api/v2/oauth/clients/:id': e(adminOnly(), { params: async (c) => ({ id: await c.w.fresh.oauthClient() }) }),
  'PUT /api/v2/oauth/clients/:id/generate_secret': e(adminOnly()),
  'GET /api/v2/oauth/tokens': e(signedIn()),
  'POST /api/v2/oauth/tokens': e(adminOnly(), { body: (c) => ({ token: { client_id: c.w.ids.client.id, scopes: ['read'] } }) }),
  // The admin's token: only admins see others' tokens; everyone else gets 404.
  'GET /api/v2/oauth/tokens/:id': e(signedIn({ endUsers: '404', agent: '404' })),
  'DELETE /api/v2/oauth/tokens/:id': e(signedIn({ endUsers: '404', agent: '404' }), { params: async (c) => ({ id: await c.w.fresh.oauthToken() }) }),

  // On call and paging.
  'GET /api/v2/on_call/schedules': e(agentOnly()),
  'POST /api/v2/on_call/schedules': e(adminOnly(), { body: (c) => ({ schedule: { name: `OC ${uniq()}`, rotation_start: '2026-11-23T17:00:00Z', participant_ids: [c.w.users.agent.user.id] } }) }),
  'GET /api/v2/on_call/schedules/:id': e(agentOnly()),
  'PUT /api/v2/on_call/schedules/:id': e(adminOnly(), { body: () => ({ schedule: { rotation_hours: 168 } }) }),
  'DELETE /api/v2/on_call/schedules/:id': e(adminOnly(), { params: async (c) => ({ id: await c.w.fresh.schedule() }) }),
  'POST /api/v2/on_call/schedules/:id/overrides': e(adminOnly(), {
    body: (c) => ({ override: { role: 'backup', user_id: c.w.users.admin.user.id, starts_at: '2030-02-01T00:00:00Z', ends_at: '2030-02-02T00:00:00Z' } }),
  }),
  'DELETE /api/v2/on_call/schedules/:id/overrides/:overrideId': e(adminOnly(), { params: async (c) => ({ id: c.w.ids.onCall, overrideId: await c.w.fresh.override() }) }),
  'GET /api/v2/on_call/now': e(agentOnly()),
  'GET /api/v2/paging/targets': e(adminOnly()),
  'POST /api/v2/paging/targets': e(adminOnly(), { body: () => ({ target: { name: `PD ${uniq()}`, kind: 'pagerduty', routing_key: 'R0UT1NG' } }) }),
  'PUT /api/v2/paging/targets/:id': e(adminOnly(), { body: () => ({ target: { active: true } }) }),
  'DELETE /api/v2/paging/targets/:id': e(adminOnly(), { params: async (c) => ({ id: await c.w.fresh.target() }) }),
  'GET /api/v2/pages': e(agentOnly()),
  // Agents, or whoever holds the signed link; without it customers learn nothing (404).
  'POST /api/v2/pages/:id/acknowledge': e(agentOnly({ noSession: '404', endUsers: '404' }), { body: () => ({}) }),
  'GET /pages/:id/acknowledge': e(page('2xx'), { query: (c) => `signature=${c.w.ids.pageSignature}` }),
  'POST /pages/:id/acknowledge': e(page('2xx'), { query: (c) => `signature=${c.w.ids.pageSignature}`, body: () => '', headers: { 'content-type': 'application/x-www-form-urlencoded' } }),

  // Groups.
  'GET /api/v2/groups': e(agentOnly()),
  'POST /api/v2/groups': e(adminOnly(), { body: () => ({ group: { name: `G ${uniq()}` } }) }),
  'GET /api/v2/groups/assignable': e(agentOnly()),
  'GET /api/v2/groups/:id': e(agentOnly()),
  'PUT /api/v2/groups/:id': e(adminOnly(), { params: async (c) => ({ id: await c.w.fresh.group() }), body: () => ({ group: { description: 'Renamed' } }) }),
  'DELETE /api/v2/groups/:id': e(adminOnly(), { params: async (c) => ({ id: await c.w.fresh.group() }) }),
  'GET /api/v2/groups/:id/memberships': e(agentOnly()),
  'GET /api/v2/group_memberships': e(agentOnly()),
  'POST /api/v2/group_memberships': e(adminOnly(), { body: async (c) => ({ group_membership: { user_id: await c.w.fresh.agentUser(), group_id: c.w.ids.otherGroup } }) }),
  'DELETE /api/v2/group_memberships/:id': e(adminOnly(), { params: async (c) => ({ id: await c.w.fresh.membership() }) }),

  // API tokens (agents manage their own; the id here is the admin's).
  'POST /api/v2/api_tokens': e(agentOnly(), { body: () => ({ token: { description: 'matrix' } }) }),
  'GET /api/v2/api_tokens': e(agentOnly()),
  'DELETE /api/v2/api_tokens/:id': e(agentOnly({ agent: '404' }), { params: async (c) => ({ id: await c.w.fresh.adminApiToken() }) }),

  // Ticket forms and fields: what the portal shows is public.
  'GET /api/v2/ticket_forms': e(publicApi()),
  'GET /api/v2/ticket_forms/show_many': e(publicApi(), { query: (c) => `ids=${c.w.ids.form}` }),
  'GET /api/v2/ticket_forms/:id': e(publicApi()),
  'PUT /api/v2/ticket_forms/:id': e(adminOnly(), { body: (c) => ({ ticket_form: { display_name: c.w.ids.formName } }) }),
  'GET /api/v2/ticket_fields': e(publicApi()),
  'GET /api/v2/ticket_fields/:id': e(publicApi()),
  'GET /api/v2/ticket_fields/:id/options': e(publicApi()),
  'POST /api/v2/ticket_fields/:id/options': e(adminOnly(), { body: () => ({ custom_field_option: { name: 'Matrix', value: uniq('matrix_') } }) }),
  'PUT /api/v2/ticket_fields/:id/options/:optionId': e(adminOnly(), { body: () => ({ custom_field_option: { description: 'Touched by the matrix' } }) }),
  'GET /api/v2/ticket_metrics': e(agentOnly()),
  'GET /api/v2/ticket_metrics/:id': e(agentOnly()),

  // Tickets API: agents only (customers use the Requests API).
  'GET /api/v2/tickets': e(agentOnly()),
  'POST /api/v2/tickets': e(agentOnly(), { body: ticketBody }),
  'GET /api/v2/tickets/count': e(agentOnly()),
  'POST /api/v2/tickets/create_many': e(agentOnly(), { body: () => ({ tickets: [ticketBody().ticket] }) }),
  'GET /api/v2/tickets/show_many': e(agentOnly(), { query: (c) => `ids=${c.s.ticket}` }),
  'PUT /api/v2/tickets/update_many': e(agentOnly(), { query: (c) => `ids=${c.s.ticket}`, body: () => ({ ticket: { priority: 'high' } }) }),
  'DELETE /api/v2/tickets/destroy_many': e(agentOnly(), { query: async (c) => `ids=${await c.w.fresh.ticket()}` }),
  'GET /api/v2/tickets/:id': e(agentOnly()),
  'PUT /api/v2/tickets/:id': e(agentOnly(), { body: () => ({ ticket: { priority: 'high' } }) }),
  'DELETE /api/v2/tickets/:id': e(agentOnly(), { params: async (c) => ({ id: await c.w.fresh.ticket() }) }),
  'GET /api/v2/tickets/:id/comments': e(agentOnly()),
  'GET /api/v2/tickets/:id/audits': e(agentOnly()),
  'GET /api/v2/tickets/:id/audits/count': e(agentOnly()),
  'GET /api/v2/tickets/:id/audits/:audit_id': e(agentOnly(), { params: (c) => ({ id: c.w.tickets.T, audit_id: c.w.ids.ticketAudit }) }),
  'GET /api/v2/tickets/:id/metric_events': e(agentOnly()),
  'GET /api/v2/tickets/:id/metrics': e(agentOnly()),
  'POST /api/v2/tickets/:id/merge': e(agentOnly(), { params: async (c) => ({ id: await c.w.fresh.ticket() }), body: async (c) => ({ ids: [await c.w.fresh.ticket()] }) }),
  'GET /api/v2/tickets/:id/macros/:mid/apply': e(agentOnly()),
  'POST /api/v2/tickets/:id/escalations': e(agentOnly(), { params: async (c) => ({ id: await c.w.fresh.ticket() }), body: () => ({ escalation: { classification: 'bug', summary: 'From the matrix' } }) }),
  'GET /api/v2/tickets/:id/escalations': e(agentOnly()),
  'GET /api/v2/tickets/:id/pages': e(agentOnly()),
  // Only the requester rates (a solved request of theirs); CCs and staff are refused, strangers get 404.
  'POST /api/v2/tickets/:id/satisfaction_rating': e(customerTicket({ cc: '403', memberShared: '404', staff: '403' }), {
    params: (c) => ({ id: c.w.tickets.solved }),
    body: () => ({ satisfaction_rating: { score: 'good', comment: 'Thanks' } }),
  }),
  'GET /api/v2/tickets/:id/tags': e(agentOnly()),
  'POST /api/v2/tickets/:id/tags': e(agentOnly(), { body: () => ({ tags: ['matrix'] }) }),
  'PUT /api/v2/tickets/:id/tags': e(agentOnly(), { body: () => ({ tags: ['matrix_more'] }) }),
  'DELETE /api/v2/tickets/:id/tags': e(agentOnly(), { body: () => ({ tags: ['matrix_more'] }) }),
  'GET /api/v2/tags': e(agentOnly()),

  // Triggers and macros.
  'GET /api/v2/triggers': e(agentOnly()),
  'POST /api/v2/triggers': e(adminOnly(), { body: trigger }),
  'GET /api/v2/triggers/active': e(agentOnly()),
  'GET /api/v2/triggers/search': e(agentOnly(), { query: () => 'query=Matrix' }),
  'GET /api/v2/triggers/definitions': e(agentOnly()),
  'DELETE /api/v2/triggers/destroy_many': e(adminOnly(), { query: async (c) => `ids=${await c.w.fresh.trigger()}` }),
  'PUT /api/v2/triggers/reorder': e(adminOnly(), { body: (c) => ({ trigger_ids: [c.w.ids.trigger] }) }),
  'GET /api/v2/triggers/:id': e(agentOnly()),
  'PUT /api/v2/triggers/:id': e(adminOnly(), { body: () => ({ trigger: { description: 'Touched' } }) }),
  'DELETE /api/v2/triggers/:id': e(adminOnly(), { params: async (c) => ({ id: await c.w.fresh.trigger() }) }),
  'GET /api/v2/macros': e(agentOnly()),
  'POST /api/v2/macros': e(agentOnly(), { body: () => ({ macro: { title: `Mine ${uniq()}`, actions: [{ field: 'priority', value: 'low' }] } }) }),
  'GET /api/v2/macros/active': e(agentOnly()),
  'GET /api/v2/macros/search': e(agentOnly(), { query: () => 'query=Shared' }),
  'GET /api/v2/macros/categories': e(agentOnly()),
  'GET /api/v2/macros/:id': e(agentOnly()),
  // A shared macro: agents use it, only admins change it.
  'PUT /api/v2/macros/:id': e(adminOnly(), { body: () => ({ macro: { description: 'Touched' } }) }),
  'DELETE /api/v2/macros/:id': e(adminOnly(), { params: async (c) => ({ id: await c.w.fresh.macro() }) }),
  'GET /api/v2/macros/:id/apply': e(agentOnly()),

  // Requests API: every signed-in person, each seeing their own.
  'GET /api/v2/requests': e(signedIn()),
  'POST /api/v2/requests': e(signedIn(), { body: (c) => c.w.requestBody(`Asked ${uniq()}`) }),
  'GET /api/v2/requests/search': e(signedIn(), { query: () => 'query=Matrix' }),
  'GET /api/v2/requests/solved': e(signedIn()),
  'GET /api/v2/requests/ccd': e(signedIn()),
  'GET /api/v2/requests/open': e(signedIn()),
  'GET /api/v2/requests/organization': e(signedIn()),
  'GET /api/v2/requests/:id': e(customerTicket()),
  'PUT /api/v2/requests/:id': e(customerTicket(), { body: () => ({ request: { comment: { body: `Reply ${uniq()}` } } }) }),
  'GET /api/v2/requests/:id/comments': e(customerTicket()),
  'GET /api/v2/requests/:id/comments/:commentId': e(customerTicket()),

  // Regions, routing, handovers, schedules, SLAs.
  'GET /api/v2/regions': e(agentOnly()),
  'POST /api/v2/regions': e(adminOnly(), { body: () => ({ region: { name: uniq('R'), shift_start: '03:00', shift_end: '04:00' } }) }),
  'GET /api/v2/regions/:id': e(agentOnly()),
  'PUT /api/v2/regions/:id': e(adminOnly(), { params: async (c) => ({ id: await c.w.fresh.region() }), body: () => ({ region: { shift_end: '05:00' } }) }),
  'DELETE /api/v2/regions/:id': e(adminOnly(), { params: async (c) => ({ id: await c.w.fresh.region() }) }),
  'GET /api/v2/routing/settings': e(agentOnly()),
  'PUT /api/v2/routing/settings': e(adminOnly(), { body: () => ({ routing: {} }) }),
  'GET /api/v2/routing/queue': e(agentOnly()),
  'GET /api/v2/handovers': e(agentOnly()),
  'GET /api/v2/handovers/:id': e(agentOnly()),
  'PUT /api/v2/handovers/:id': e(agentOnly(), { body: () => ({ handover: { notes: 'Matrix notes' } }) }),
  'POST /api/v2/handovers/:id/acknowledge': e(agentOnly(), { params: async (c) => ({ id: await c.w.fresh.handover() }) }),
  'GET /api/v2/business_hours/schedules': e(agentOnly()),
  'GET /api/v2/business_hours/schedules/:id': e(agentOnly()),
  'PUT /api/v2/business_hours/schedules/:id': e(adminOnly(), { body: (c) => ({ schedule: { name: c.w.ids.hoursName } }) }),
  'GET /api/v2/business_hours/schedules/:id/holidays': e(agentOnly()),
  'POST /api/v2/business_hours/schedules/:id/holidays': e(adminOnly(), { body: () => ({ holiday: { name: `H ${uniq()}`, start_date: '2032-03-04', end_date: '2032-03-04' } }) }),
  'DELETE /api/v2/business_hours/schedules/:id/holidays/:holidayId': e(adminOnly(), { params: async (c) => ({ id: c.w.ids.hours, holidayId: await c.w.fresh.holiday() }) }),
  'GET /api/v2/slas/policies': e(agentOnly()),
  'POST /api/v2/slas/policies': e(adminOnly(), {
    body: () => ({ sla_policy: { title: `P ${uniq()}`, filter: { all: [{ field: 'organization.support_plan', operator: 'is', value: 'professional' }] }, policy_metrics: [] } }),
  }),
  'GET /api/v2/slas/policies/:id': e(agentOnly()),
  'PUT /api/v2/slas/policies/:id': e(adminOnly(), { body: () => ({ sla_policy: { description: 'Touched' } }) }),
  'GET /api/v2/sla/warnings': e(agentOnly()),

  // Reports, views, search, exports, satisfaction.
  'GET /api/v2/reports/summary': e(agentOnly()),
  'GET /api/v2/reports/sla_achievement': e(agentOnly()),
  'GET /api/v2/reports/backlog': e(agentOnly()),
  'GET /api/v2/reports/on_hold': e(agentOnly()),
  'GET /api/v2/reports/csat': e(agentOnly()),
  'GET /api/v2/reports/ticket_score': e(agentOnly()),
  'GET /api/v2/reports/tickets': e(agentOnly(), { query: () => 'metric=created' }),
  'GET /api/v2/views': e(agentOnly()),
  'GET /api/v2/views/active': e(agentOnly()),
  'GET /api/v2/views/count_many': e(agentOnly(), { query: (c) => `ids=${c.w.ids.view}` }),
  'GET /api/v2/views/:id': e(agentOnly()),
  'GET /api/v2/views/:id/count': e(agentOnly()),
  'GET /api/v2/views/:id/tickets': e(agentOnly()),
  'GET /api/v2/live/tickets/:id': e(agentOnly(), { stream: true }),
  'GET /api/v2/search': e(agentOnly(), { query: () => 'query=Matrix' }),
  'GET /api/v2/search/count': e(agentOnly(), { query: () => 'query=Matrix' }),
  'GET /api/v2/search/export': e(agentOnly(), { query: () => 'query=Matrix&filter[type]=ticket' }),
  'GET /api/v2/satisfaction_ratings': e(agentOnly()),
  'GET /api/v2/satisfaction_ratings/count': e(agentOnly()),
  'GET /api/v2/satisfaction_ratings/:id': e(agentOnly()),
  'GET /satisfaction/:id': e(page('2xx'), { query: (c) => `signature=${c.w.ids.ratingSignature}` }),
  'POST /satisfaction/:id': e(page('2xx'), { query: (c) => `signature=${c.w.ids.ratingSignature}`, body: () => 'score=good&comment=fine', headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
  'GET /api/v2/incremental/ticket_metric_events': e(agentOnly(), { query: () => 'start_time=0' }),
  'GET /api/v2/incremental/ticket_events': e(agentOnly(), { query: () => 'start_time=0' }),
  'GET /api/v2/incremental/tickets': e(agentOnly(), { query: () => 'start_time=0' }),
  'GET /api/v2/incremental/tickets/cursor': e(agentOnly(), { query: () => 'start_time=0' }),
  'GET /api/v2/incremental/users': e(agentOnly(), { query: () => 'start_time=0' }),
  'GET /api/v2/incremental/users/cursor': e(agentOnly(), { query: () => 'start_time=0' }),
  'GET /api/v2/incremental/organizations': e(agentOnly(), { query: () => 'start_time=0' }),

  // Inbound mail and integrations: shared secrets, never user credentials.
  'GET /api/v2/inbound/mail': e(adminOnly()),
  'POST /api/v2/inbound/mime': e(page('401'), { body: () => Buffer.from('From: a@b.test\r\nSubject: x\r\n\r\nbody'), headers: { 'content-type': 'message/rfc822' } }),
  'POST /api/v2/integrations/github/webhook': e(page('401'), { body: () => ({ zen: 'hi' }) }),
  'POST /api/v2/integrations/issues/webhook': e(page('401'), { body: () => ({ issue: { key: 'MM-1' }, transition: 'escalated' }) }),

  // Escalations.
  'GET /api/v2/escalations': e(agentOnly()),
  'GET /api/v2/escalations/templates': e(agentOnly()),
  'GET /api/v2/escalations/:id': e(agentOnly()),
  'PUT /api/v2/escalations/:id': e(agentOnly(), { body: () => ({ escalation: {} }) }),
  'POST /api/v2/escalations/:id/links': e(agentOnly(), { body: () => ({ link: { url: `https://mattermost.atlassian.net/browse/MM-${Math.floor(Math.random() * 90000) + 10000}` } }) }),

  // Bulk job statuses: each person sees their own jobs; the id here is the admin's.
  'GET /api/v2/job_statuses': e(signedIn()),
  'GET /api/v2/job_statuses/show_many': e(signedIn(), { query: (c) => `ids=${c.w.ids.adminJob}` }),
  'GET /api/v2/job_statuses/:id': e(signedIn({ endUsers: '404', agent: '404' })),

  // Webhooks: admins only.
  'GET /api/v2/webhooks': e(adminOnly()),
  'POST /api/v2/webhooks': e(adminOnly(), { body: () => ({ webhook: { name: `W ${uniq()}`, endpoint: 'http://127.0.0.1:9/hook', http_method: 'POST', request_format: 'json', subscriptions: ['conditional_ticket_events'] } }) }),
  'POST /api/v2/webhooks/test': e(adminOnly(), { body: () => ({ request: { endpoint: 'http://127.0.0.1:9/hook', http_method: 'POST', request_format: 'json' } }) }),
  'GET /api/v2/webhooks/:id': e(adminOnly()),
  'PUT /api/v2/webhooks/:id': e(adminOnly(), { body: () => ({ webhook: { name: 'Matrix hook', endpoint: 'http://127.0.0.1:9/hook', http_method: 'POST', request_format: 'json' } }) }),
  'PATCH /api/v2/webhooks/:id': e(adminOnly(), { body: () => ({ webhook: { description: 'Touched' } }) }),
  'DELETE /api/v2/webhooks/:id': e(adminOnly(), { params: async (c) => ({ id: await c.w.fresh.webhook() }) }),
  'GET /api/v2/webhooks/:id/signing_secret': e(adminOnly()),
  'POST /api/v2/webhooks/:id/signing_secret': e(adminOnly()),
  'GET /api/v2/webhooks/:id/invocations': e(adminOnly()),
  'GET /api/v2/webhooks/:id/invocations/:invocationId/attempts': e(adminOnly()),

  // OAuth flow pages (session cookie only; API tokens do not sign anyone in here).
  'GET /oauth/authorizations/new': e(page('2xx', { noSession: '302', badCredentials: '302', ...staffSession }), { query: (c) => oauthParams(c).toString() }),
  'POST /oauth/authorizations': e(page('302', { noSession: '303', badCredentials: '303', agent: '303', admin: '303' }), {
    body: (c) => new URLSearchParams({ ...Object.fromEntries(oauthParams(c)), authenticity_token: c.who.csrf ?? '', decision: 'allow' }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  }),
  // Client authentication only: no caller's own cookie or API token stands in for the client secret.
  'POST /oauth/tokens': e(page('401'), { body: (c) => ({ grant_type: 'authorization_code', code: 'nope', client_id: c.w.ids.client.identifier, client_secret: 'wrong', redirect_uri: 'https://app.example.com/cb' }) }),

  // Two-factor sign-in (no session yet; the challenge token from the password step is the credential).
  // A real challenge of a fresh staff account works whoever sends it; it opens a session, so session
  // roles use a spare one.
  'POST /api/portal/login/two_factor': e(publicApi(), { freshSession: true, body: (c) => c.w.fresh.twoFactorChallenge() }),
  'POST /api/portal/login/two_factor/enrollment': e(publicApi(), { body: (c) => c.w.fresh.enrollChallenge(false) }),
  'POST /api/portal/login/two_factor/enrollment/confirm': e(publicApi(), { freshSession: true, body: (c) => c.w.fresh.enrollChallenge(true) }),
  // The caller's own two-factor: anyone signed in reads it; only staff enroll (each cell starts from off).
  'GET /api/portal/two_factor': e(signedIn()),
  'POST /api/portal/two_factor/enrollment': e(agentOnly(), { body: async (c) => void (await c.w.twoFactor.off(c.who)) }),
  'POST /api/portal/two_factor/enrollment/confirm': e(agentOnly(), { body: async (c) => ({ code: await c.w.twoFactor.started(c.who) }) }),
  // Staff turn theirs off, or replace their recovery codes, with password and a recovery code; end users
  // cannot have two-factor (they cannot enroll): 403, as for enrollment.
  'POST /api/portal/two_factor/disable': e(agentOnly(), { body: async (c) => ({ password: c.who.password ?? 'x', recovery_code: await c.w.twoFactor.on(c.who) }) }),
  'POST /api/portal/two_factor/recovery_codes': e(agentOnly(), { body: async (c) => ({ password: c.who.password ?? 'x', recovery_code: await c.w.twoFactor.on(c.who) }) }),
  // Administrators: another user's two-factor status and reset, and the desk-wide requirement.
  'GET /api/v2/users/:id/two_factor': e(adminOnly()),
  'DELETE /api/v2/users/:id/two_factor': e(adminOnly(), { params: async (c) => ({ id: await c.w.fresh.twoFactorUser() }) }),
  'GET /api/v2/security_settings': e(adminOnly()),
  'PUT /api/v2/security_settings': e(adminOnly(), { body: () => ({ security_settings: { require_two_factor_for_staff: false } }) }),

  // Background jobs that gave up (faults, issue 11): admins only.
  'GET /api/v2/admin/jobs/failed': e(adminOnly()),
  // Admin audit log: admins only.
  'GET /api/v2/audit_logs': e(adminOnly()),
  'GET /api/v2/audit_logs/export': e(adminOnly()),
  'GET /api/v2/audit_logs/:id': e(adminOnly()),

  // Help center structure: readers see categories and sections holding an article they may read
  // (the internal ones are "not found"); admins write them.
  'GET /api/v2/help_center/categories': e(publicApi()),
  'GET /api/v2/help_center/:locale/categories': e(publicApi()),
  'POST /api/v2/help_center/categories': e(adminOnly(), { body: () => ({ category: { name: `C ${uniq()}` } }) }),
  'POST /api/v2/help_center/:locale/categories': e(adminOnly(), { body: () => ({ category: { name: `C ${uniq()}` } }) }),
  'GET /api/v2/help_center/categories/:id': e(publicApi()),
  'GET /api/v2/help_center/:locale/categories/:id': e(hiddenArticle(), { params: (c) => ({ id: c.w.hc.catInternal }) }),
  'PUT /api/v2/help_center/categories/:id': e(adminOnly(), { body: () => ({ category: { description: 'Touched by the matrix' } }) }),
  'DELETE /api/v2/help_center/categories/:id': e(adminOnly(), { params: async (c) => ({ id: await c.w.fresh.hcCategory() }) }),
  'GET /api/v2/help_center/categories/:id/sections': e(publicApi()),
  'GET /api/v2/help_center/:locale/categories/:id/sections': e(hiddenArticle(), { params: (c) => ({ id: c.w.hc.catInternal }) }),
  'POST /api/v2/help_center/categories/:id/sections': e(adminOnly(), { body: () => ({ section: { name: `S ${uniq()}` } }) }),
  'POST /api/v2/help_center/:locale/categories/:id/sections': e(adminOnly(), { body: () => ({ section: { name: `S ${uniq()}` } }) }),
  // Article lists show each reader what they may read; the list of a section or category they may not
  // see is "not found", like the section or category itself.
  'GET /api/v2/help_center/categories/:id/articles': e(publicApi()),
  'GET /api/v2/help_center/:locale/categories/:id/articles': e(hiddenArticle(), { params: (c) => ({ id: c.w.hc.catInternal }) }),
  'GET /api/v2/help_center/sections': e(publicApi()),
  'GET /api/v2/help_center/:locale/sections': e(publicApi()),
  'GET /api/v2/help_center/sections/:id': e(orgOArticle(), { params: (c) => ({ id: c.w.hc.secOrg }) }),
  'GET /api/v2/help_center/:locale/sections/:id': e(hiddenArticle(), { params: (c) => ({ id: c.w.hc.secInternal }) }),
  'PUT /api/v2/help_center/sections/:id': e(adminOnly(), { body: () => ({ section: { description: 'Touched by the matrix' } }) }),
  'DELETE /api/v2/help_center/sections/:id': e(adminOnly(), { params: async (c) => ({ id: await c.w.fresh.hcSection() }) }),
  'GET /api/v2/help_center/sections/:id/articles': e(publicApi()),
  'GET /api/v2/help_center/:locale/sections/:id/articles': e(hiddenArticle(), { params: (c) => ({ id: c.w.hc.secInternal }) }),
  // Agents write articles (created as drafts here, so readers' lists stay as the fixtures made them).
  'POST /api/v2/help_center/sections/:id/articles': e(agentOnly(), { body: () => ({ article: { title: `A ${uniq()}`, body: 'Matrix', draft: true } }) }),
  'POST /api/v2/help_center/:locale/sections/:id/articles': e(agentOnly(), { body: () => ({ article: { title: `A ${uniq()}`, body: 'Matrix', draft: true } }) }),

  // Articles: shown to whoever may read them, "not found" to everyone else (never 403).
  'GET /api/v2/help_center/articles': e(publicApi()),
  'GET /api/v2/help_center/:locale/articles': e(publicApi()),
  'GET /api/v2/help_center/articles/search': e(publicApi(), { query: () => 'query=matrix' }),
  'GET /api/v2/help_center/:locale/articles/search': e(publicApi(), { query: () => 'query=matrix' }),
  'GET /api/v2/help_center/articles/:id': e(orgOArticle(), { params: (c) => ({ id: c.w.hc.orgOnly }) }),
  'GET /api/v2/help_center/:locale/articles/:id': e(hiddenArticle(), { params: (c) => ({ id: c.w.hc.internal }) }),
  'PUT /api/v2/help_center/articles/:id': e(agentOnly(), { params: (c) => ({ id: c.w.hc.scratch }), body: () => ({ article: { promoted: false } }) }),
  'PUT /api/v2/help_center/:locale/articles/:id': e(agentOnly(), { params: (c) => ({ id: c.w.hc.scratch }), body: () => ({ article: { promoted: false } }) }),
  'DELETE /api/v2/help_center/articles/:id': e(agentOnly(), { params: async (c) => ({ id: await c.w.fresh.hcArticle() }) }),
  'DELETE /api/v2/help_center/:locale/articles/:id': e(agentOnly(), { params: async (c) => ({ id: await c.w.fresh.hcArticle() }) }),
  // Authoring (drafts, publishing, history, preview, feedback read-out): agents; customers 403 whatever the id.
  'PUT /api/v2/help_center/articles/:id/draft': e(agentOnly(), { params: (c) => ({ id: c.w.hc.scratch }), body: () => ({ draft: { title: `Scratch ${uniq()}`, body: 'Draft text' } }) }),
  'POST /api/v2/help_center/articles/:id/publish': e(agentOnly(), { params: (c) => ({ id: c.w.hc.scratch }) }),
  'GET /api/v2/help_center/articles/:id/versions': e(agentOnly(), { params: (c) => ({ id: c.w.hc.internal }) }),
  'POST /api/v2/help_center/articles/:id/versions/:number/restore': e(agentOnly(), { params: (c) => ({ id: c.w.hc.scratch, number: 1 }) }),
  'POST /api/v2/help_center/preview': e(agentOnly(), { body: () => ({ body: '*Matrix*' }) }),
  'GET /api/v2/help_center/articles/:id/feedback': e(agentOnly(), { params: (c) => ({ id: c.w.hc.internal }) }),
  // "Was this helpful?": anyone who can read the article, anonymous included (here: O's article).
  'POST /api/v2/help_center/articles/:id/feedback': e(orgOArticle(), { params: (c) => ({ id: c.w.hc.orgOnly }), body: () => ({ feedback: { helpful: true, comment: 'Matrix' } }) }),
  // Votes: signed-in readers of the article; the internal one is "not found" to customers.
  'POST /api/v2/help_center/articles/:id/up': e(signedIn(), { params: (c) => ({ id: c.w.hc.pub }) }),
  'POST /api/v2/help_center/articles/:id/down': e(signedIn({ endUsers: '404' }), { params: (c) => ({ id: c.w.hc.internal }) }),
  // Article files: agents upload and delete; readers of the article read them (the internal one's are "not found").
  'POST /api/v2/help_center/articles/:id/attachments': e(agentOnly(), {
    params: (c) => ({ id: c.w.hc.scratch }),
    query: () => `filename=${uniq('m')}.png`,
    body: png,
    headers: { 'content-type': 'application/octet-stream' },
  }),
  'GET /api/v2/help_center/articles/:id/attachments': e(hiddenArticle(), { params: (c) => ({ id: c.w.hc.internal }) }),
  'GET /api/v2/help_center/articles/attachments/:id': e(publicApi(), { params: (c) => ({ id: c.w.hc.pubFile }) }),
  'GET /api/v2/help_center/articles/attachments/:id/content': e(hiddenArticle(), { params: (c) => ({ id: c.w.hc.internalFile }) }),
  'DELETE /api/v2/help_center/articles/attachments/:id': e(agentOnly(), { params: async (c) => ({ id: await c.w.fresh.hcFile() }) }),
  // Deflection on the request form: anyone; "answered" only for an article the caller can read.
  'POST /api/v2/help_center/deflection/suggestions': e(publicApi(), { body: () => ({ deflection: { subject: 'Matrix article question', description: 'Matrix body' } }) }),
  'POST /api/v2/help_center/deflection/answered': e(publicApi(), { body: (c) => ({ deflection: { article_id: c.w.hc.pub, subject: 'Answered in the matrix' } }) }),
  'GET /api/v2/reports/deflection': e(agentOnly()),

  ...webAppFiles(),
};

/**
 * Path parameters by the collection they follow: the role's subject for ticket, user and
 * organization ids; the world's records for the rest.
 */
export function defaultParam(path: string, name: string, c: CellContext): string | number {
  const before = path.slice(0, path.indexOf(`:${name}`)).replace(/\/$/, '');
  const collection = before.split('/').pop()!;
  const w = c.w;
  const parent = before.split('/').slice(-3).join('/');
  if (path.startsWith('/api/v2/help_center/')) {
    const hc: Record<string, string | number> = {
      locale: 'en-us',
      categories: w.hc.catPublic,
      sections: w.hc.secPublic,
      articles: w.hc.pub,
      attachments: w.hc.pubFile,
    };
    const value = name === 'locale' ? hc.locale : hc[collection];
    if (value === undefined) throw new Error(`${path}: no default for :${name} after "${collection}"; give params in the table`);
    return value;
  }
  if (name === 'commentId') return c.s.publicComment;
  if (name === 'mid') return w.ids.macro;
  if (name === 'optionId') return w.ids.fieldOption;
  if (name === 'invocationId') return w.ids.invocation;
  if (name === 'holidayId' || name === 'overrideId' || name === 'token') throw new Error(`${path}: give ${name} in the table`);
  if (parent.endsWith('on_call/schedules')) return w.ids.onCall;
  if (parent.endsWith('business_hours/schedules')) return w.ids.hours;
  if (parent.endsWith('oauth/clients')) return w.ids.client.id;
  if (parent.endsWith('oauth/tokens')) return w.ids.adminOAuthToken;
  if (parent.endsWith('paging/targets')) return w.ids.pagingTarget;
  if (parent.endsWith('slas/policies')) return w.ids.policy;
  if (parent.endsWith('live/tickets')) return c.s.ticket;
  const byCollection: Record<string, string | number> = {
    tickets: c.s.ticket,
    requests: c.s.ticket,
    ticket_metrics: c.s.ticket,
    users: c.s.user,
    organizations: c.s.org,
    attachments: c.s.attachment,
    groups: w.ids.group,
    group_memberships: w.ids.membership,
    ticket_forms: w.ids.form,
    ticket_fields: w.ids.field,
    macros: w.ids.macro,
    triggers: w.ids.trigger,
    views: w.ids.view,
    regions: w.ids.region,
    escalations: w.ids.escalation,
    pages: w.ids.page,
    handovers: w.ids.handover,
    job_statuses: w.ids.adminJob,
    webhooks: w.ids.webhook,
    satisfaction_ratings: w.ids.rating,
    satisfaction: w.ids.rating,
    audit_logs: w.ids.auditLog,
  };
  if (!(collection in byCollection)) throw new Error(`${path}: no default for :${name} after "${collection}"; give params in the table`);
  return byCollection[collection];
}
