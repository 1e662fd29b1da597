import type { AppContext } from '../../platform/context.js';
import { mailContext } from '../../platform/context.js';
import { OutboundBlocked, postJson } from '../../platform/outbound-http.js';
import { signId } from '../../platform/signing.js';
import { queueMail } from '../mail/outbox.js';
import { pageMail, PAGERDUTY_EVENTS_URL, webhookPayload, type PageMessage } from './formats.js';

/** Retries of the paging.deliver queue (src/platform/jobs.ts) plus the first try. */
const MAX_ATTEMPTS = 11;

export const ackPath = (pageId: number, signature: string) => `/pages/${pageId}/acknowledge?signature=${signature}`;

async function messageFor(ctx: AppContext, deliveryId: number) {
  const row = await ctx.db
    .selectFrom('page_deliveries as d')
    .innerJoin('pages as p', 'p.id', 'd.page_id')
    .innerJoin('paging_targets as t', 't.id', 'd.target_id')
    .innerJoin('tickets as k', 'k.id', 'p.ticket_id')
    .leftJoin('organizations as o', 'o.id', 'k.organization_id')
    .leftJoin('users as u', 'u.id', 'd.user_id')
    .select([
      'd.id', 'd.status', 'd.attempts', 'd.send_no', 'd.event', 'd.level', 'd.target_id', 'p.id as page_id', 'p.reason', 'k.id as ticket_id', 'k.subject', 'k.priority',
      'o.name as organization', 'u.name as paged_name', 'u.email as paged_email', 't.kind', 't.url', 't.routing_key', 't.active',
    ])
    .where('d.id', '=', deliveryId)
    .executeTakeFirst();
  if (!row) return null;
  const message: PageMessage = {
    pageId: row.page_id,
    ticketId: row.ticket_id,
    subject: row.subject,
    priority: row.priority ?? 'high',
    organization: row.organization ?? 'an organization',
    pagedName: row.paged_name,
    level: row.level as PageMessage['level'],
    sendNo: row.send_no,
    reason: row.reason,
    ticketUrl: `${ctx.config.publicUrl}/agent/tickets/${row.ticket_id}`,
    ackUrl: `${ctx.config.publicUrl}${ackPath(row.page_id, await signId(ctx.db, 'page-ack', row.page_id))}`,
    event: row.event,
  };
  return { row, message };
}

/**
 * Posts one page delivery (the paging.deliver job). A failure is recorded and rethrown so the queue
 * retries with backoff; a target that points at a forbidden address fails at once, without retries.
 */
export async function deliverPage(ctx: AppContext, deliveryId: number): Promise<void> {
  const found = await messageFor(ctx, deliveryId);
  if (!found || found.row.status !== 'queued') return;
  const { row, message } = found;
  const record = (set: { status?: 'sent' | 'failed'; response_status?: number | null; error?: string | null }) =>
    ctx.db
      .updateTable('page_deliveries')
      .set({ ...set, attempts: row.attempts + 1, sent_at: set.status === 'sent' ? new Date() : null })
      .where('id', '=', deliveryId)
      .where('status', '=', 'queued')
      .execute();
  if (!row.active) return void (await record({ status: 'failed', error: 'The paging target was disabled' }));
  if (row.event !== 'trigger') {
    // PagerDuty must see the trigger before its acknowledge or resolve; retry until it has.
    const pending = await ctx.db.selectFrom('page_deliveries').select('id').where('page_id', '=', row.page_id).where('target_id', '=', row.target_id).where('event', '=', 'trigger').where('status', '=', 'queued').executeTakeFirst();
    if (pending) throw new Error(`Delivery ${deliveryId} waits for the trigger ${pending.id} to be delivered first`);
  }

  if (row.kind === 'email') {
    const to = row.url?.replace(/^mailto:/i, '') || row.paged_email;
    if (!to) return void (await record({ status: 'failed', error: 'Nobody is on call to email' }));
    await ctx.db.transaction().execute(async (tx) => {
      const mail = pageMail(message);
      await queueMail(tx, mailContext(ctx), { to, kind: 'page', ticketId: message.ticketId, subject: mail.subject, text: mail.text });
      await tx.updateTable('page_deliveries').set({ status: 'sent', attempts: row.attempts + 1, sent_at: new Date() }).where('id', '=', deliveryId).execute();
    });
    return;
  }

  const url = row.url ?? (row.kind === 'pagerduty' ? PAGERDUTY_EVENTS_URL : null);
  if (!url) return void (await record({ status: 'failed', error: 'The paging target has no URL' }));
  try {
    const res = await postJson(url, webhookPayload(row.kind, message, row.routing_key), { allowPrivate: ctx.config.webhookAllowPrivate });
    await record({ status: 'sent', response_status: res.status, error: null });
  } catch (e) {
    const blocked = e instanceof OutboundBlocked;
    const status = (e as { response?: { status: number } }).response?.status ?? null;
    const final = blocked || row.attempts + 1 >= MAX_ATTEMPTS;
    await record({ status: final ? 'failed' : undefined, response_status: status, error: (e as Error).message.slice(0, 500) });
    if (!final) throw e;
  }
}
