import { createHash, randomBytes } from 'node:crypto';
import { Http } from './http-client.js';

/** What a filled help desk holds, to check after a restore or an upgrade. */
export interface HelpDeskManifest {
  admin: { email: string; password: string };
  agent: { id: number; email: string; password: string };
  customers: { id: number; email: string; password: string }[];
  organizationIds: number[];
  ticketIds: number[];
  /** Every attachment with the sha256 of the bytes that were uploaded. */
  attachments: { ticketId: number; fileName: string; sha256: string; size: number }[];
  /** Words that occur only in one comment after the ticket was created (not subject or description). */
  commentWords: { word: string; ticketId: number }[];
  escalationIds: number[];
  articleIds: number[];
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
/** Letters only, so the search tokenizer keeps the word whole. */
const word = (prefix: string) => `${prefix}${randomBytes(5).toString('hex').replace(/\d/g, (d) => 'ghijklmnop'[Number(d)])}`;

/**
 * Fills a running Sundial through its HTTP API only (so it drives older releases too): organizations on
 * SLA plans, an agent, customers with passwords, requests on both forms with attachments, public
 * replies, internal notes, an escalation, and a help-center article when the release has one.
 */
export async function fillHelpDesk(base: string, admin: { email: string; password: string }, tag = word('t')): Promise<HelpDeskManifest> {
  const api = Http.basic(base, admin.email, admin.password);
  const m: HelpDeskManifest = { admin, agent: null!, customers: [], organizationIds: [], ticketIds: [], attachments: [], commentWords: [], escalationIds: [], articleIds: [] };
  const password = `pw-${tag}-long-enough`;

  for (const plan of ['premier', 'enterprise'] as const) {
    const domain = `${plan}-${tag}.example`;
    const org = await api.expect(201, 'POST', '/api/v2/organizations', { organization: { name: `${plan} ${tag}`, domain_names: [domain], support_plan: plan, time_zone: 'Europe/Berlin' } });
    m.organizationIds.push(org.organization.id);
    const email = `customer-${plan}-${tag}@${domain}`;
    const user = await api.expect(201, 'POST', '/api/v2/users', { user: { name: `Customer ${plan} ${tag}`, email, password, verified: true, organization_id: org.organization.id } });
    m.customers.push({ id: user.user.id, email, password });
  }
  const agentEmail = `agent-${tag}@staff-${tag}.example`;
  const agent = await api.expect(201, 'POST', '/api/v2/users', { user: { name: `Agent ${tag}`, email: agentEmail, password, verified: true, role: 'agent' } });
  m.agent = { id: agent.user.id, email: agentEmail, password };
  const groups = (await api.expect(200, 'GET', '/api/v2/groups')).groups as { id: number; name: string }[];
  for (const g of groups.filter((g) => /technical|sales/i.test(g.name))) {
    // Some releases put new agents in groups themselves; a second membership is refused with 422.
    const res = await api.post('/api/v2/group_memberships', { group_membership: { user_id: m.agent.id, group_id: g.id } });
    if (res.status !== 201 && res.status !== 422) throw new Error(`group membership answered ${res.status}`);
  }
  const staff = Http.basic(base, agentEmail, password);

  const { technical, sales, field } = await requestForms(api);

  for (const [i, c] of m.customers.entries()) {
    const customer = await Http.portal(base, c.email, c.password);
    const bytes = Buffer.concat([Buffer.from(`log of ${tag} ${i}\n`), randomBytes(3000)]);
    const fileName = `server-${i}.log`;
    const upload = await customer.upload(fileName, bytes);
    const tech = await customer.expect(201, 'POST', '/api/v2/requests', {
      request: {
        ticket_form_id: technical.id,
        subject: `Push notifications stopped ${tag} ${i}`,
        priority: i === 0 ? 'urgent' : 'high',
        comment: { body: `Since the upgrade no push notifications arrive (${tag}). Log attached.`, uploads: [upload] },
        custom_fields: [
          { id: field(technical, 'Category'), value: 'notifications_status' },
          { id: field(technical, 'Environment'), value: 'production' },
          { id: field(technical, 'Mattermost Version'), value: '9.11.2' },
        ],
      },
    });
    m.attachments.push({ ticketId: tech.request.id, fileName, sha256: sha256(bytes), size: bytes.length });
    const quote = await customer.expect(201, 'POST', '/api/v2/requests', {
      request: { ticket_form_id: sales.id, subject: `Renewal quote ${tag} ${i}`, comment: { body: `Please send a renewal quote (${tag}).` }, custom_fields: [{ id: field(sales, 'Category'), value: 'sales_pricing' }] },
    });
    m.ticketIds.push(tech.request.id, quote.request.id);

    // An agent takes the technical ticket: a public reply with a file, an internal note, a customer reply.
    const replyWord = word('reply');
    const noteWord = word('note');
    const answerBytes = randomBytes(2048);
    const answerUpload = await staff.upload('workaround.bin', answerBytes);
    await staff.expect(200, 'PUT', `/api/v2/tickets/${tech.request.id}`, { ticket: { assignee_id: m.agent.id, status: 'open', comment: { body: `Please try the workaround ${replyWord}.`, public: true, uploads: [answerUpload] } } });
    m.attachments.push({ ticketId: tech.request.id, fileName: 'workaround.bin', sha256: sha256(answerBytes), size: answerBytes.length });
    await staff.expect(200, 'PUT', `/api/v2/tickets/${tech.request.id}`, { ticket: { comment: { body: `Internal: suspect the push proxy ${noteWord}.`, public: false } } });
    await customer.expect(200, 'PUT', `/api/v2/requests/${tech.request.id}`, { request: { comment: { body: `Still broken for us (${tag}).` } } });
    m.commentWords.push({ word: replyWord, ticketId: tech.request.id }, { word: noteWord, ticketId: tech.request.id });
    await staff.expect(200, 'PUT', `/api/v2/tickets/${quote.request.id}`, { ticket: { assignee_id: m.agent.id, status: 'pending', comment: { body: 'The quote is attached to our next mail.', public: true } } });
    if (i === 0) {
      const e = await staff.expect(201, 'POST', `/api/v2/tickets/${tech.request.id}/escalations`, { escalation: { classification: 'bug', summary: `Push proxy drops tokens ${tag}` } });
      m.escalationIds.push(e.escalation.id);
    }
  }

  // Help center (0023 and later): one published article in the first starter section.
  const sections = await api.get('/api/v2/help_center/sections');
  if (sections.status === 200 && sections.body.sections?.length) {
    const a = await api.expect(201, 'POST', `/api/v2/help_center/sections/${sections.body.sections[0].id}/articles`, { article: { title: `Push notifications ${tag}`, body: `Check the push proxy (${tag}).` } });
    m.articleIds.push(a.article.id);
  }
  return m;
}

/** The two request forms and a field-id lookup by title, as a client finds them. */
async function requestForms(api: Http) {
  const forms = (await api.expect(200, 'GET', '/api/v2/ticket_forms')).ticket_forms as { id: number; name: string; ticket_field_ids: number[] }[];
  const fields = (await api.expect(200, 'GET', '/api/v2/ticket_fields')).ticket_fields as { id: number; title: string }[];
  const form = (name: string) => forms.find((f) => f.name === name)!;
  const field = (f: { ticket_field_ids: number[] }, title: string) => fields.find((x) => x.title === title && f.ticket_field_ids.includes(x.id))!.id;
  return { technical: form('Technical Support'), sales: form('Sales Support'), field };
}

/** A customer's new Sales Support request; returns its id. */
export async function newSalesRequest(customer: Http, subject: string): Promise<number> {
  const { sales, field } = await requestForms(customer);
  const res = await customer.expect(201, 'POST', '/api/v2/requests', { request: { ticket_form_id: sales.id, subject, comment: { body: `${subject}: please call us.` }, custom_fields: [{ id: field(sales, 'Category'), value: 'sales_pricing' }] } });
  return res.request.id;
}
