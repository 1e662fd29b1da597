import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { startTestApp, type TestEnv } from '../harness.js';
import { createAgent, createCustomer, createOrganization, technicalRequest } from '../factories.js';
import { keyOf, serverRoutes } from '../authz/routes.js';
import { send as rawSend, sessionIdentity, tokenIdentity, type Identity, type Res } from '../authz/world.js';

/**
 * Issue 11: internal notes, their attachments, agent-only fields, tags and notes about people never
 * reach an end user. Unique marker strings are planted in every internal place; then every GET
 * route of the server's route table is called as the requester, a CC and an organization colleague
 * (with side-loads, searches for the markers, exports), their writes' answers and all mail sent to
 * them are kept, and every byte recorded is scanned for the markers.
 */

let env: TestEnv;
const mk = (what: string) => `mk${what}${randomBytes(5).toString('hex')}`;
/** Lowercase letters and digits only: they survive tags, search vectors and file names unchanged. */
const M = {
  note: mk('note'),
  noteFileName: mk('notefile'),
  noteFileContent: mk('notecontent'),
  tag: mk('tag'),
  hiddenField: mk('hiddenfield'),
  hiddenOption: mk('hiddenoption'),
  privateFirstComment: mk('privatefirst'),
  escalationSummary: mk('escalation'),
  orgNotes: mk('orgnotes'),
  userNotes: mk('usernotes'),
  solveNote: mk('solvenote'),
  handover: mk('handover'),
  // Help center: an agents-only article (title, body, label, file name and bytes) in a category and
  // section holding nothing else; a public article's unpublished working copy; a never-published
  // draft; a reader's feedback comment (for authors only).
  hcTitle: mk('hctitle'),
  hcBody: mk('hcbody'),
  hcLabel: mk('hclabel'),
  hcFileName: mk('hcfile'),
  hcFileContent: mk('hcfilecontent'),
  hcSection: mk('hcsection'),
  hcCategory: mk('hccategory'),
  hcDraftTitle: mk('hcdrafttitle'),
  hcDraftBody: mk('hcdraftbody'),
  hcUnpublished: mk('hcunpublished'),
  hcFeedback: mk('hcfeedback'),
};

interface Recorded {
  role: string;
  method: string;
  url: string;
  status: number;
  body: string;
}
/** Every answer any end user got in this file. */
const recorded: Recorded[] = [];
const END_USER_ROLES = new Set(['owner', 'cc', 'memberShared', 'anonymous']);

/** `send` that keeps every end-user response for the final scan. */
async function send(who: Identity & { label?: string }, method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<Res> {
  const res = await rawSend(env.app, who, method, url, body, headers);
  const label = who.label ?? who.role;
  if (END_USER_ROLES.has(label)) recorded.push({ role: label, method, url, status: res.status, body: res.body });
  return res;
}

let owner: Identity & { label: string };
let cc: Identity & { label: string };
let member: Identity & { label: string };
let agent: Identity;
let admin: Identity;
const tickets: number[] = [];
const commentIds: number[] = [];
const attachmentIds: number[] = [];
let orgId = 0;
let hiddenTagger = 0;
let ownerId = 0;
/** Anonymous readers of the help center. */
const anon: Identity & { label: string } = { role: 'anonymous', user: null, password: null, auth: {}, csrf: null, ip: '10.66.0.1', label: 'anonymous' };
/** Help-center records: the internal article and its file, section and category; the public ones. */
const hc = { internal: 0, internalFile: 0, internalSection: 0, internalCategory: 0, pub: 0, pubFile: 0, publicSection: 0, publicCategory: 0, unpublished: 0 };
const HC = '/api/v2/help_center';

const must = (res: Res, what: string) => {
  if (res.status >= 300) throw new Error(`${what}: ${res.status} ${res.body.slice(0, 400)}`);
  return res.json;
};

beforeAll(async () => {
  env = await startTestApp({ CSAT_AFTER: '1s' });
  const db = env.ctx.db;
  const org = await createOrganization(env, { sharedTickets: true, sharedComments: true });
  orgId = org.id;
  const o = await createCustomer(env, org, { name: 'Requester' });
  const m = await createCustomer(env, org, { name: 'Colleague' });
  const c = await createCustomer(env, null, { name: 'CC person' });
  const g = await createAgent(env, { groups: ['technical'] });
  const a = await createAgent(env, { admin: true, groups: ['technical'] });
  ownerId = o.user.id;
  owner = { ...(await sessionIdentity(env, 'owner', o)), label: 'owner' };
  member = { ...(await sessionIdentity(env, 'memberShared', m)), label: 'memberShared' };
  cc = { ...(await sessionIdentity(env, 'cc', c)), label: 'cc' };
  agent = tokenIdentity('agent', g);
  admin = tokenIdentity('admin', a);

  // Agent-only fields: one text field and one drop-down hidden from the portal (as an import or an
  // admin would leave them), with planted values and an option.
  const fields = must(await send(admin, 'GET', '/api/v2/ticket_fields'), 'fields').ticket_fields as { id: number; title: string }[];
  const hiddenText = fields.find((f) => f.title === 'Mattermost Mobile Version')!.id;
  hiddenTagger = fields.find((f) => f.title === 'Mobile Device')!.id;
  await db.updateTable('ticket_fields').set({ visible_in_portal: false, editable_in_portal: false }).where('id', 'in', [hiddenText, hiddenTagger]).execute();
  must(await send(admin, 'POST', `/api/v2/ticket_fields/${hiddenTagger}/options`, { custom_field_option: { name: M.hiddenOption, value: M.hiddenOption } }), 'hidden option');

  // T: the owner's request, CC'd, with everything internal an agent can add to a ticket.
  const request = await technicalRequest(o.api, { subject: 'Leak scan ticket', email_ccs: [c.user.email] });
  const T = must(await send(owner, 'POST', '/api/v2/requests', request), 'request').request.id as number;
  tickets.push(T);
  const up = must(await send(agent, 'POST', `/api/v2/uploads?filename=${M.noteFileName}.txt`, Buffer.from(`secret ${M.noteFileContent}`), { 'content-type': 'text/plain' }), 'upload').upload;
  must(await send(agent, 'PUT', `/api/v2/tickets/${T}`, { ticket: { comment: { body: `Internal: ${M.note}`, public: false, uploads: [up.token] }, tags: ['leak_scan', M.tag], custom_fields: [{ id: hiddenText, value: M.hiddenField }, { id: hiddenTagger, value: M.hiddenOption }] } }), 'internal note');
  must(await send(agent, 'PUT', `/api/v2/tickets/${T}`, { ticket: { assignee_id: g.user.id, status: 'pending', comment: { body: 'Could you send the server logs?', public: true } } }), 'public reply');
  must(await send(owner, 'PUT', `/api/v2/requests/${T}`, { request: { comment: { body: 'Here they are.' } } }), 'customer reply');
  must(await send(agent, 'POST', `/api/v2/tickets/${T}/escalations`, { escalation: { classification: 'bug', summary: `Engineering: ${M.escalationSummary}` } }), 'escalation');

  // T2: opened by an agent for the owner with a private first comment (its description).
  const T2 = must(await send(agent, 'POST', '/api/v2/tickets', { ticket: { subject: 'Opened by support', requester_id: o.user.id, comment: { body: `Private start ${M.privateFirstComment}`, public: false } } }), 'agent ticket').ticket.id as number;
  tickets.push(T2);
  must(await send(agent, 'PUT', `/api/v2/tickets/${T2}`, { ticket: { comment: { body: 'We noticed a problem on your server and are looking into it.', public: true } } }), 'T2 reply');

  // T3: solved with an internal note in the same update (solve mail, satisfaction survey).
  const T3 = must(await send(owner, 'POST', '/api/v2/requests', await technicalRequest(o.api, { subject: 'Solved with a note' })), 'T3').request.id as number;
  tickets.push(T3);
  must(await send(agent, 'PUT', `/api/v2/tickets/${T3}`, { ticket: { assignee_id: g.user.id, status: 'solved', comment: { body: `Closing note ${M.solveNote}`, public: false } } }), 'solve');

  // Notes about the customer and their organization; a handover that mentions the ticket.
  must(await send(admin, 'PUT', `/api/v2/organizations/${org.id}`, { organization: { notes: M.orgNotes, details: M.orgNotes } }), 'org notes');
  must(await send(agent, 'PUT', `/api/v2/users/${o.user.id}`, { user: { notes: M.userNotes, details: M.userNotes } }), 'user notes');
  const regions = await db.selectFrom('regions').select('id').orderBy('id').limit(2).execute();
  await db.insertInto('handovers').values({ from_region_id: regions[0].id, to_region_id: regions[1]?.id ?? null, shift_ended_at: new Date(), items: JSON.stringify([]), reassigned: JSON.stringify([]), notes: M.handover }).execute();

  // The help center: an internal category and section holding only the agents-only article.
  const category = async (name: string) => must(await send(admin, 'POST', `${HC}/categories`, { category: { name, description: name } }), 'hc category').category.id as number;
  const section = async (cat: number, name: string) => must(await send(admin, 'POST', `${HC}/categories/${cat}/sections`, { section: { name, description: name } }), 'hc section').section.id as number;
  const article = async (sec: number, a: Record<string, unknown>) => must(await send(agent, 'POST', `${HC}/sections/${sec}/articles`, { article: a }), 'hc article').article.id as number;
  const file = async (id: number, name: string, content: string) =>
    must(await send(agent, 'POST', `${HC}/articles/${id}/attachments?filename=${name}`, Buffer.from(content), { 'content-type': 'application/octet-stream' }), 'hc file').article_attachment.id as number;
  hc.internalCategory = await category(`Runbooks ${M.hcCategory}`);
  hc.internalSection = await section(hc.internalCategory, `Pager ${M.hcSection}`);
  hc.internal = await article(hc.internalSection, { title: `Restart ${M.hcTitle}`, body: `Internal steps: ${M.hcBody}`, label_names: [M.hcLabel], visibility: 'agents_only' });
  hc.internalFile = await file(hc.internal, `${M.hcFileName}.txt`, `internal file ${M.hcFileContent}`);
  hc.publicCategory = await category('Leak scan guides');
  hc.publicSection = await section(hc.publicCategory, 'Leak scan section');
  hc.pub = await article(hc.publicSection, { title: 'Leak scan public guide', body: 'Public guide text about the server logs.', visibility: 'public' });
  hc.pubFile = await file(hc.pub, 'public-guide.txt', 'public file');
  must(await send(agent, 'PUT', `${HC}/articles/${hc.pub}/draft`, { draft: { title: `Next ${M.hcDraftTitle}`, body: `Unpublished change ${M.hcDraftBody}` } }), 'hc draft');
  hc.unpublished = await article(hc.publicSection, { title: `Coming ${M.hcUnpublished}`, body: `Not yet ${M.hcUnpublished}`, draft: true });
  must(await send(agent, 'POST', `${HC}/articles/${hc.pub}/feedback`, { feedback: { helpful: false, comment: `Reader says ${M.hcFeedback}` } }), 'hc feedback');

  for (const t of tickets) {
    const comments = must(await send(agent, 'GET', `/api/v2/tickets/${t}/comments`), 'comments').comments as { id: number; attachments: { id: number }[] }[];
    for (const cm of comments) {
      commentIds.push(cm.id);
      attachmentIds.push(...cm.attachments.map((x) => x.id));
    }
  }
}, 180_000);
afterAll(() => env?.close());

/** Values for a path parameter: every ticket, comment and attachment of the scan, internal ones included. */
function candidates(path: string, name: string, me: Identity): (string | number)[] {
  const before = path.slice(0, path.indexOf(`:${name}`)).replace(/\/$/, '').split('/').pop();
  if (path.startsWith(`${HC}/`)) {
    // Help center: every article, file, section and category of the scan, the internal ones included.
    if (name === 'locale') return ['en-us'];
    if (before === 'articles') return [hc.internal, hc.unpublished, hc.pub];
    if (before === 'attachments') return [hc.internalFile, hc.pubFile];
    if (before === 'sections') return [hc.internalSection, hc.publicSection];
    if (before === 'categories') return [hc.internalCategory, hc.publicCategory];
    return [1];
  }
  if (name === 'commentId') return commentIds;
  if (before === 'tickets' || before === 'requests' || before === 'ticket_metrics') return tickets;
  if (before === 'attachments') return attachmentIds;
  if (before === 'users') return [...new Set([me.user!.id, ownerId])];
  if (before === 'organizations') return [orgId];
  if (before === 'ticket_fields') return [hiddenTagger];
  return [1];
}

function expand(path: string, me: Identity): string[] {
  let urls = [path];
  for (const [, name] of path.matchAll(/:([A-Za-z_]+)/g)) {
    urls = urls.flatMap((u) => candidates(path, name, me).map((v) => u.replace(`:${name}`, String(v))));
  }
  return urls;
}

const INCLUDE = 'include=users,groups,organizations,abilities,slas,comment_events,comment_count,metric_sets,tickets';
const scanFor = (text: string) => Object.entries(M).filter(([, marker]) => text.toLowerCase().includes(marker));

describe('internal content never reaches end users', () => {
  it('was planted where agents do see it (the scan has something to find)', async () => {
    const [T, T2, T3] = tickets;
    const seen = [
      (await send(agent, 'GET', `/api/v2/tickets/${T}/comments`)).body,
      (await send(agent, 'GET', `/api/v2/tickets/${T}?include=users,organizations`)).body,
      (await send(agent, 'GET', `/api/v2/tickets/${T2}`)).body,
      (await send(agent, 'GET', `/api/v2/tickets/${T3}/comments`)).body,
      (await send(agent, 'GET', `/api/v2/tickets/${T}/escalations`)).body,
      (await send(agent, 'GET', `/api/v2/organizations/${orgId}`)).body,
      (await send(agent, 'GET', `/api/v2/users/${ownerId}`)).body,
      (await send(agent, 'GET', `/api/v2/ticket_fields/${hiddenTagger}/options`)).body,
      (await send(agent, 'GET', '/api/v2/handovers')).body,
      ...(await Promise.all(attachmentIds.map(async (id) => (await send(agent, 'GET', `/api/v2/attachments/${id}/content`)).body + (await send(agent, 'GET', `/api/v2/attachments/${id}`)).body))),
    ].join('\n');
    expect(Object.keys(M).filter((k) => !k.startsWith('hc') && !seen.includes(M[k as keyof typeof M]))).toEqual([]);
    // And the end users do see their tickets' public side (the scan is not of empty answers).
    expect((await send(owner, 'GET', `/api/v2/requests/${T}/comments`)).body).toContain('Could you send the server logs?');
    expect((await send(cc, 'GET', `/api/v2/requests/${T}`)).status).toBe(200);
    expect((await send(member, 'GET', `/api/v2/requests/${T}`)).status).toBe(200);

    // The help center's internal side, as agents see it.
    const hcSeen = [
      (await send(agent, 'GET', `${HC}/articles/${hc.internal}`)).body,
      (await send(agent, 'GET', `${HC}/articles/${hc.internal}/attachments`)).body,
      (await send(agent, 'GET', `${HC}/articles/attachments/${hc.internalFile}/content`)).body,
      (await send(agent, 'GET', `${HC}/sections/${hc.internalSection}`)).body,
      (await send(agent, 'GET', `${HC}/categories/${hc.internalCategory}`)).body,
      (await send(agent, 'GET', `${HC}/articles/${hc.pub}`)).body,
      (await send(agent, 'GET', `${HC}/articles/${hc.unpublished}`)).body,
      (await send(agent, 'GET', `${HC}/articles/${hc.pub}/feedback`)).body,
      JSON.stringify((await send(agent, 'POST', `${HC}/deflection/suggestions`, { deflection: { subject: M.hcTitle, description: '' } })).json),
    ].join('\n');
    expect(Object.keys(M).filter((k) => k.startsWith('hc') && !hcSeen.includes(M[k as keyof typeof M]))).toEqual([]);
    // And readers see the public article and its file (the scan is not of empty answers).
    for (const who of [owner, anon]) {
      expect((await send(who, 'GET', `${HC}/articles/${hc.pub}`)).body).toContain('Leak scan public guide');
      expect((await send(who, 'GET', `${HC}/articles/attachments/${hc.pubFile}/content`)).body).toBe('public file');
      expect((await send(who, 'GET', `${HC}/articles/${hc.internal}`)).status).toBe(404);
    }
  });

  it('shows no marker in any end-user answer of any GET route, side-load, search or export', async () => {
    const routes = serverRoutes(env.app).filter((r) => r.method === 'GET' && r.path !== '/api/v2/live/tickets/:id');
    for (const who of [owner, cc, member]) {
      for (const r of routes) {
        for (const url of expand(r.path, who)) {
          await send(who, 'GET', `${url}?${INCLUDE}&start_time=0&query=leak`);
          if (/search|autocomplete/.test(r.path)) for (const marker of Object.values(M)) await send(who, 'GET', `${url}?query=${marker}&name=${marker}&${INCLUDE}`);
        }
      }
      // Writes answer with the record too.
      await send(who, 'PUT', `/api/v2/requests/${tickets[0]}?${INCLUDE}`, { request: { comment: { body: `Thanks from ${who.label}` } } });
      await send(who, 'PUT', `/api/v2/users/${who.user!.id}`, { user: { time_zone: 'Europe/Berlin' } });
      await send(who, 'POST', `/api/v2/requests`, { request: { subject: 'Follow-up', comment: { body: 'Another question' }, via_followup_source_id: tickets[2] } });
    }
    // The help center as an anonymous reader too (every GET route under it), and what end users can
    // post there: deflection suggestions for every marker, "answered", feedback and votes on the internal article.
    const hcRoutes = routes.filter((r) => r.path.startsWith(`${HC}/`));
    for (const r of hcRoutes) {
      for (const url of expand(r.path, anon)) {
        await send(anon, 'GET', `${url}?query=leak`);
        if (/search/.test(r.path)) for (const marker of Object.values(M)) await send(anon, 'GET', `${url}?query=${marker}`);
      }
    }
    for (const who of [owner, cc, member, anon]) {
      await send(who, 'POST', `${HC}/deflection/suggestions`, { deflection: { subject: Object.values(M).join(' '), description: 'Restart pager runbook' } });
      for (const marker of Object.values(M)) await send(who, 'POST', `${HC}/deflection/suggestions`, { deflection: { subject: `Help with ${marker}`, description: marker } });
      await send(who, 'POST', `${HC}/deflection/answered`, { deflection: { article_id: hc.internal, subject: 'Answered?' } });
      await send(who, 'POST', `${HC}/articles/${hc.internal}/feedback`, { feedback: { helpful: true } });
      await send(who, 'POST', `${HC}/articles/${hc.pub}/feedback`, { feedback: { helpful: true, comment: 'Thanks' } });
      await send(who, 'POST', `${HC}/articles/${hc.internal}/up`);
      await send(who, 'POST', `${HC}/articles/${hc.pub}/down`);
    }
    const routesSeen = new Set(recorded.map((x) => x.url.split('?')[0]));
    const hits = recorded.flatMap((x) => scanFor(x.body).map(([kind]) => `${x.method} ${x.url} as ${x.role} (${x.status}) shows ${kind}`));
    console.log(`internal-leak scan: ${recorded.length} end-user responses over ${routesSeen.size} URLs of ${routes.length} GET routes scanned for ${Object.keys(M).length} markers; ${hits.length} hits`);
    expect(recorded.filter((x) => x.status === 200).length).toBeGreaterThan(50);
    expect(hits, hits.join('\n')).toEqual([]);
  }, 600_000);

  it('finds nothing by an internal word: searching is no oracle for what is hidden', async () => {
    for (const who of [owner, cc, member]) {
      for (const [kind, marker] of Object.entries(M)) {
        const res = await send(who, 'GET', `/api/v2/requests/search?query=${marker}`);
        expect(res.status).toBe(200);
        expect(res.json.requests.map((r: { id: number }) => r.id), `${who.label} searching ${kind}`).toEqual([]);
      }
    }
    // The subject of a ticket opened with a private note still finds it, and agents still search descriptions.
    expect((await send(owner, 'GET', '/api/v2/requests/search?query=Opened%20by%20support')).json.requests.map((r: { id: number }) => r.id)).toEqual([tickets[1]]);
    expect((await send(agent, 'GET', `/api/v2/requests/search?query=${M.privateFirstComment}`)).json.requests.map((r: { id: number }) => r.id)).toEqual([tickets[1]]);
    // An agent-only field and its options are "not found" to end users.
    for (const who of [owner, cc, member]) {
      expect((await send(who, 'GET', `/api/v2/ticket_fields/${hiddenTagger}`)).status).toBe(404);
      expect((await send(who, 'GET', `/api/v2/ticket_fields/${hiddenTagger}/options`)).status).toBe(404);
    }
  });

  it('sends no marker in any mail to the requester, CCs or colleagues', async () => {
    // Every queued mail delivered (the survey comes CSAT_AFTER after the solve).
    const deadline = Date.now() + 30_000;
    for (;;) {
      const pending = await env.ctx.db.selectFrom('mail_outbox').select((eb) => eb.fn.countAll<number>().as('n')).where('sent_at', 'is', null).executeTakeFirstOrThrow();
      const survey = env.mail.messages.some((m) => m.text.includes('/satisfaction/'));
      if ((Number(pending.n) === 0 && survey) || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const people = [owner, cc, member].map((p) => p.user!.email.toLowerCase());
    const mails = env.mail.messages.filter((m) => m.to.some((t) => people.includes(t.toLowerCase())));
    expect(mails.length).toBeGreaterThan(3);
    const hits = mails.flatMap((m) => {
      const all = [m.subject, m.text, m.html, ...(m.raw.attachments ?? []).map((a) => `${a.filename} ${a.content.toString('utf8')}`)].join('\n');
      return scanFor(all).map(([kind]) => `mail "${m.subject}" to ${m.to} shows ${kind}`);
    });
    // The survey page linked from the mail is an end-user page too.
    const link = mails.map((m) => /http:\/\/sundial\.test(\/satisfaction\/\d+\?[^\s"]*signature=[^\s"]+)/.exec(m.text)?.[1]).find(Boolean);
    expect(link, 'the satisfaction survey mail and its link').toBeTruthy();
    if (link) {
      const page = await send(owner, 'GET', link.replace(/&amp;/g, '&'));
      expect(page.status).toBe(200);
      hits.push(...scanFor(page.body).map(([kind]) => `survey page shows ${kind}`));
    }
    console.log(`internal-leak scan: ${mails.length} mails to end users scanned${link ? ' and the survey page' : ''}; ${hits.length} hits`);
    expect(hits, hits.join('\n')).toEqual([]);
  });

  it('scanned every GET route of the route table', () => {
    const gets = serverRoutes(env.app).filter((r) => r.method === 'GET' && r.path !== '/api/v2/live/tickets/:id').map(keyOf);
    const paths = new Set(recorded.map((x) => x.url.split('?')[0]));
    const hit = (g: string) => [...paths].some((p) => new RegExp(`^${g.slice(4).replace(/:[A-Za-z_]+/g, '[^/]+')}$`).test(p));
    const templates = new Set(gets.filter(hit));
    expect(gets.filter((g) => !templates.has(g))).toEqual([]);
    // Every help-center GET route as each kind of end user, anonymous included, and the suggestions.
    for (const label of END_USER_ROLES) {
      const mine = new Set(recorded.filter((x) => x.role === label).map((x) => x.url.split('?')[0]));
      const missed = gets.filter((g) => g.startsWith(`GET ${HC}/`)).filter((g) => ![...mine].some((p) => new RegExp(`^${g.slice(4).replace(/:[A-Za-z_]+/g, '[^/]+')}$`).test(p)));
      expect([label, missed]).toEqual([label, []]);
      expect(recorded.some((x) => x.role === label && x.method === 'POST' && x.url === `${HC}/deflection/suggestions` && x.status === 200)).toBe(true);
    }
  });
});
