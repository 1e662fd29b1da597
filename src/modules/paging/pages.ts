import type { Selectable } from 'kysely';
import type { AppContext } from '../../platform/context.js';
import type { Executor } from '../../platform/db.js';
import type { PagesTable, Ticket } from '../../platform/db-types.js';
import { AppError, notFound } from '../../platform/errors.js';
import { PREPARED } from '../../platform/prepared-statements.js';
import { AuditWriter } from '../tickets/audit-writer.js';
import { onCallNow } from './on-call.service.js';

export type Page = Selectable<PagesTable>;
export type PageReason = Page['reason'];

const URGENT = new Set(['urgent', 'high']);
const UNSOLVED = new Set(['new', 'open', 'pending', 'hold']);

/** All that Premier cover asks of a ticket but its organization's plan. */
export const urgentAndOpen = (ticket: Pick<Ticket, 'priority' | 'status' | 'deleted_at' | 'organization_id'>) =>
  URGENT.has(ticket.priority ?? '') && UNSOLVED.has(ticket.status) && !ticket.deleted_at && ticket.organization_id !== null;

/** A ticket that Premier 24×7 cover applies to (spec §9.3): urgent or high, unsolved, of a Premier organization. */
export async function needsOnCall(db: Executor, ticket: Pick<Ticket, 'priority' | 'status' | 'deleted_at' | 'organization_id'>): Promise<boolean> {
  if (!urgentAndOpen(ticket)) return false;
  const org = await db.selectFrom('organizations').modifyFront(PREPARED).select('support_plan').where('id', '=', ticket.organization_id).executeTakeFirst();
  return org?.support_plan === 'premier';
}

async function recordOnTicket(tx: Executor, page: Page, action: string, value: Record<string, unknown>, authorId: number | null = null): Promise<void> {
  const audit = new AuditWriter();
  const auditId = await audit.open(tx, page.ticket_id, authorId, authorId ? 'web' : 'rule', { rule: 'paging', page_id: page.id });
  audit.record('Page', action, { page_id: page.id, ...value });
  await audit.flush(tx, auditId);
}

/** Queues one delivery per active target; each is posted once by the paging.deliver job. */
async function queueDeliveries(tx: Executor, ctx: AppContext, page: Page, event: 'trigger' | 'acknowledge' | 'resolve'): Promise<number> {
  const targets = await tx
    .selectFrom('paging_targets')
    .select(['id', 'kind'])
    .where('active', '=', true)
    .$if(event !== 'trigger', (q) => q.where('kind', '=', 'pagerduty')) // only PagerDuty tracks incident state
    .orderBy('id')
    .execute();
  for (const t of targets) {
    const d = await tx
      .insertInto('page_deliveries')
      .values({ page_id: page.id, target_id: t.id, send_no: page.sends, event, level: page.level, user_id: page.user_id })
      .onConflict((oc) => oc.columns(['page_id', 'target_id', 'send_no', 'event']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (d) await ctx.jobs.send('paging.deliver', { deliveryId: d.id }, { tx });
  }
  return targets.length;
}

/** Sends the page (again) now and schedules the next repeat. Caller holds the page row. */
async function sendPage(tx: Executor, ctx: AppContext, page: Page, now: Date): Promise<Page> {
  const sent = await tx
    .updateTable('pages')
    .set({ sends: page.sends + 1, next_send_at: new Date(now.getTime() + ctx.config.pageRepeatAfterMs) })
    .where('id', '=', page.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  const targets = await queueDeliveries(tx, ctx, sent, 'trigger');
  await recordOnTicket(tx, sent, sent.sends === 1 ? 'paged' : 'repaged', { user_id: sent.user_id, level: sent.level, send: sent.sends, reason: sent.reason, targets });
  return sent;
}

/**
 * Pages the on-call engineer of every paging schedule about this ticket, in the caller's
 * transaction. A ticket already being paged is not paged twice, except that reaching 75 % of the
 * first-reply target re-sends at once.
 */
export async function raisePages(tx: Executor, ctx: AppContext, ticketId: number, reason: PageReason): Promise<void> {
  const now = ctx.clock.now();
  const schedules = await tx.selectFrom('on_call_schedules').selectAll().where('paging', '=', true).orderBy('id').execute();
  for (const schedule of schedules.length ? schedules : [null]) {
    const open = await tx
      .selectFrom('pages')
      .selectAll()
      .where('ticket_id', '=', ticketId)
      .where('status', '=', 'open')
      .where((eb) => (schedule ? eb('schedule_id', '=', schedule.id) : eb('schedule_id', 'is', null)))
      .forUpdate()
      .executeTakeFirst();
    if (open) {
      if (reason === 'first_reply_75') await sendPage(tx, ctx, await tx.updateTable('pages').set({ reason }).where('id', '=', open.id).returningAll().executeTakeFirstOrThrow(), now);
      continue;
    }
    const shift = schedule ? await onCallNow(tx, schedule, now) : null;
    const page = await tx
      .insertInto('pages')
      .values({ ticket_id: ticketId, schedule_id: schedule?.id ?? null, reason, user_id: shift?.primaryId ?? null, next_send_at: now, escalate_at: new Date(now.getTime() + ctx.config.pageEscalateAfterMs), created_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
    await sendPage(tx, ctx, page, now);
  }
}

/** Ends the pages of a ticket that no longer needs the on-call engineer (solved, lowered, deleted). */
export async function resolvePages(tx: Executor, ctx: AppContext, ticketId: number, why: string): Promise<void> {
  const pages = await tx.selectFrom('pages').selectAll().where('ticket_id', '=', ticketId).where('status', 'in', ['open', 'acknowledged']).forUpdate().execute();
  for (const p of pages) {
    const resolved = await tx.updateTable('pages').set({ status: 'resolved', resolved_at: ctx.clock.now(), resolved_reason: why }).where('id', '=', p.id).returningAll().executeTakeFirstOrThrow();
    await queueDeliveries(tx, ctx, resolved, 'resolve');
    await recordOnTicket(tx, resolved, 'resolved', { reason: why });
  }
}

/** Records who took the page; later repeats stop. Acknowledging twice is harmless and says who was first. */
export async function acknowledgePage(ctx: AppContext, pageId: number, by: { userId: number | null; via: 'agent' | 'link' }): Promise<{ page: Page; already: boolean }> {
  return ctx.db.transaction().execute(async (tx) => {
    const page = await tx.selectFrom('pages').selectAll().where('id', '=', pageId).forUpdate().executeTakeFirst();
    if (!page) throw notFound();
    if (page.status !== 'open') {
      if (page.status === 'resolved' && !page.acknowledged_at) throw new AppError('RecordInvalid', 'This page was resolved before anyone acknowledged it', { status: [{ description: `Status: page resolved (${page.resolved_reason ?? 'no longer needed'})`, error: 'InvalidValue' }] });
      return { page, already: true };
    }
    const acked = await tx
      .updateTable('pages')
      .set({ status: 'acknowledged', acknowledged_at: ctx.clock.now(), acknowledged_by: by.userId ?? page.user_id, acknowledged_via: by.via })
      .where('id', '=', page.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await queueDeliveries(tx, ctx, acked, 'acknowledge');
    await recordOnTicket(tx, acked, 'acknowledged', { user_id: acked.acknowledged_by, via: by.via, after_sends: acked.sends }, by.via === 'agent' ? by.userId : null);
    return { page: acked, already: false };
  });
}

/**
 * Re-sends due pages and hands unacknowledged ones to the backup, once across nodes: each page is
 * taken under a row lock (SKIP LOCKED) and its next send moved forward in the same transaction.
 */
export async function runPagingTick(ctx: AppContext): Promise<number> {
  const now = ctx.clock.now();
  let handled = 0;
  for (;;) {
    const batch = await ctx.db.transaction().execute(async (tx) => {
      const due = await tx
        .selectFrom('pages')
        .selectAll()
        .where('status', '=', 'open')
        .where((eb) => eb.or([eb('next_send_at', '<=', now), eb.and([eb('level', '=', 'primary'), eb('escalate_at', '<=', now)])]))
        .orderBy('next_send_at')
        .limit(50)
        .forUpdate()
        .skipLocked()
        .execute();
      for (let page of due) {
        const ticket = await tx.selectFrom('tickets').select(['priority', 'status', 'deleted_at', 'organization_id']).where('id', '=', page.ticket_id).executeTakeFirst();
        if (!ticket || !(await needsOnCall(tx, ticket))) {
          await resolvePages(tx, ctx, page.ticket_id, 'the ticket no longer needs the on-call engineer');
          continue;
        }
        if (page.level === 'primary' && page.escalate_at.getTime() <= now.getTime()) page = await escalateToBackup(tx, page, now);
        await sendPage(tx, ctx, page, now);
      }
      return due.length;
    });
    handled += batch;
    if (batch < 50) return handled;
  }
}

async function escalateToBackup(tx: Executor, page: Page, now: Date): Promise<Page> {
  const schedule = page.schedule_id ? await tx.selectFrom('on_call_schedules').selectAll().where('id', '=', page.schedule_id).executeTakeFirst() : undefined;
  const shift = schedule ? await onCallNow(tx, schedule, now) : null;
  const escalated = await tx
    .updateTable('pages')
    .set({ level: 'backup', user_id: shift?.backupId ?? page.user_id })
    .where('id', '=', page.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordOnTicket(tx, escalated, 'escalated', { from_user_id: page.user_id, user_id: escalated.user_id, no_backup: !shift?.backupId });
  return escalated;
}
