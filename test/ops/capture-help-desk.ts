import { createHash } from 'node:crypto';
import type { HelpDeskManifest } from './fill-help-desk.js';
import type { Http } from './http-client.js';

/**
 * Everything a filled help desk shows through the API, as plain JSON that two deployments can be
 * compared with: each ticket (with its SLA), comments, audits, SLA ledger and escalations, every user
 * and organization, the articles, and the sha256 of each attachment's downloaded bytes.
 */
export async function captureHelpDesk(api: Http, m: HelpDeskManifest) {
  const get = async (path: string) => {
    const res = await api.get(path);
    if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
    return res.body;
  };
  const tickets: Record<number, unknown> = {};
  const attachments: Record<number, { file_name: string; size: number; sha256: string }> = {};
  for (const id of m.ticketIds) {
    const { ticket } = await get(`/api/v2/tickets/${id}?include=slas`);
    // Minutes elapsed on a running clock grow with the wall clock; everything else must be identical.
    for (const p of ticket.slas?.policy_metrics ?? []) delete p.elapsed_minutes;
    const comments = (await get(`/api/v2/tickets/${id}/comments`)).comments as { attachments: { id: number; file_name: string; size: number }[] }[];
    for (const a of comments.flatMap((c) => c.attachments)) {
      const { status, bytes } = await api.bytes(`/api/v2/attachments/${a.id}/content`);
      if (status !== 200) throw new Error(`attachment ${a.id} answered ${status}`);
      attachments[a.id] = { file_name: a.file_name, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
    }
    tickets[id] = {
      ticket,
      comments,
      audits: (await get(`/api/v2/tickets/${id}/audits`)).audits,
      metric_events: (await get(`/api/v2/tickets/${id}/metric_events`)).ticket_metric_events,
      escalations: (await get(`/api/v2/tickets/${id}/escalations`)).escalations,
    };
  }
  const captured = {
    tickets,
    attachments,
    users: await all(get, '/api/v2/users', 'users'),
    organizations: await all(get, '/api/v2/organizations', 'organizations'),
    articles: await Promise.all(m.articleIds.map(async (id) => (await get(`/api/v2/help_center/articles/${id}`)).article)),
  };
  // Links are built from the request's Host, which names this node's port: compare them without it.
  return JSON.parse(JSON.stringify(captured).replaceAll(api.base, 'http://node')) as typeof captured;
}

/** Every page of an offset-paged list. */
async function all(get: (path: string) => Promise<any>, path: string, key: string): Promise<unknown[]> {
  const rows: unknown[] = [];
  for (let page = 1; ; page++) {
    const body = await get(`${path}?per_page=100&page=${page}`);
    rows.push(...body[key]);
    if (!body.next_page) return rows;
  }
}
