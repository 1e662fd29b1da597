import type { AppContext } from '../../platform/context.js';
import type { Executor } from '../../platform/db.js';
import type { Ticket } from '../../platform/db-types.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import type { Actor } from '../accounts/actor.js';
import { refreshTicketSla } from '../sla/engine.js';
import { AuditWriter } from '../tickets/audit-writer.js';
import { nextUpdatedAt } from '../tickets/tickets.repository.js';
import { updateTicket } from '../tickets/update-ticket.service.js';
import { runTicketWriteHooks } from '../tickets/write-hooks.js';
import type { BulkKind } from './bulk-kind.js';
import type { MergeRequest } from './bulk.schema.js';
import type { ItemResult, JobStatus } from './job-status.repository.js';

/** What a merge job keeps of its request. Item 0 is the target; item i (≥ 1) is source_ids[i − 1]. */
export interface MergePayload {
  target_id: number;
  source_ids: number[];
  target_comment: string | null;
  source_comment: string | null;
  target_comment_is_public: boolean | null;
  source_comment_is_public: boolean | null;
}

/**
 * Checks a merge before it is queued, so that the job only meets problems that arise while it runs:
 * the target and sources exist, differ, are not closed and are not already part of another merge.
 */
export async function checkMerge(db: Executor, targetId: number, request: MergeRequest): Promise<MergePayload> {
  const sourceIds = [...new Set(request.ids)];
  if (sourceIds.includes(targetId)) throw invalid('ids', 'Ids: a ticket cannot be merged into itself');
  const rows = await db.selectFrom('tickets').select(['id', 'status']).where('id', 'in', [targetId, ...sourceIds]).where('deleted_at', 'is', null).execute();
  const target = rows.find((r) => r.id === targetId);
  if (!target) throw notFound();
  if (target.status === 'closed') throw invalid('base', `Ticket #${targetId} is closed and cannot take merged tickets`);
  for (const id of sourceIds) {
    const source = rows.find((r) => r.id === id);
    if (!source) throw invalid('ids', `Ids: ticket ${id} does not exist`);
    if (source.status === 'closed') throw invalid('ids', `Ids: ticket ${id} is closed and cannot be merged`);
  }
  const merging = await db.selectFrom('ticket_merges').select('source_ticket_id').where('source_ticket_id', 'in', sourceIds).execute();
  if (merging.length) throw invalid('ids', `Ids: ticket ${merging[0].source_ticket_id} is already merged into another ticket`, 'DuplicateValue');
  return {
    target_id: targetId,
    source_ids: sourceIds,
    target_comment: request.target_comment ?? null,
    source_comment: request.source_comment ?? null,
    target_comment_is_public: request.target_comment_is_public ?? null,
    source_comment_is_public: request.source_comment_is_public ?? null,
  };
}

const quoted = (t: Pick<Ticket, 'id' | 'subject'>) => `#${t.id} "${t.subject}"`;

/**
 * Zendesk's default: the merge comments are public only when every ticket has the same requester, so
 * nobody learns of someone else's request.
 */
const defaultPublic = (target: Ticket, sources: Ticket[]) => sources.every((s) => s.requester_id === target.requester_id);

async function loadTickets(db: Executor, ids: number[]): Promise<Ticket[]> {
  const rows = await db.selectFrom('tickets').selectAll().where('id', 'in', ids).execute();
  return ids.map((id) => rows.find((r) => r.id === id)).filter((t): t is Ticket => t !== undefined);
}

/**
 * Item 0: the target gets the merge comment and, as CCs, the requesters and CCs of the sources; the
 * links (ticket_merges) and an audit naming the merged tickets are written in the same transaction.
 */
async function mergeIntoTarget(ctx: AppContext, actor: Actor, job: JobStatus, p: MergePayload, record: (r: ItemResult, tx?: Executor) => Promise<void>) {
  const [target] = await loadTickets(ctx.db, [p.target_id]);
  const sources = await loadTickets(ctx.db, p.source_ids);
  if (!target) throw notFound();
  const ccs = await ctx.db.selectFrom('ticket_collaborators').select('user_id').where('ticket_id', 'in', p.source_ids).execute();
  const people = [...new Set([...sources.map((s) => s.requester_id), ...ccs.map((c) => c.user_id)])];
  const body = p.target_comment ?? sources.map((s) => `Request ${quoted(s)} was closed and merged into this request.`).join('\n');
  await updateTicket(ctx, {
    actor,
    ticketId: target.id,
    via: 'api',
    changes: { comment: { body, public: p.target_comment_is_public ?? defaultPublic(target, sources) }, ccs: people.map((userId) => ({ userId, action: 'put' as const })) },
    within: async (tx, updated) => {
      const before = (await tx.selectFrom('ticket_merges').select('source_ticket_id').where('target_ticket_id', '=', updated.id).orderBy('source_ticket_id').execute()).map((r) => r.source_ticket_id);
      const linked = await tx
        .insertInto('ticket_merges')
        .values(p.source_ids.map((id) => ({ source_ticket_id: id, target_ticket_id: updated.id, job_status_id: job.id, merged_by: actor.user.id })))
        .onConflict((oc) => oc.column('source_ticket_id').doNothing())
        .returning('source_ticket_id')
        .execute();
      const lost = p.source_ids.find((id) => !linked.some((l) => l.source_ticket_id === id));
      if (lost !== undefined) throw invalid('ids', `Ids: ticket ${lost} is already merged into another ticket`, 'DuplicateValue');
      const audit = new AuditWriter();
      const auditId = await audit.open(tx, updated.id, actor.user.id, 'api', { merge: { source_ticket_ids: p.source_ids } });
      audit.change('merged_ticket_ids', before, [...before, ...p.source_ids].sort((a, b) => a - b));
      await audit.flush(tx, auditId);
      await record({ index: 0, id: updated.id, action: 'merge', success: true, status: 'Updated' }, tx);
    },
  });
}

/**
 * Item i ≥ 1: the source gets its comment, then is closed. Each step stamps ticket_merges in its own
 * transaction, so a job that stopped in between resumes without commenting twice.
 */
async function mergeSource(ctx: AppContext, actor: Actor, job: JobStatus, index: number, p: MergePayload, record: (r: ItemResult, tx?: Executor) => Promise<void>) {
  const sourceId = p.source_ids[index - 1];
  const link = await ctx.db.selectFrom('ticket_merges').selectAll().where('source_ticket_id', '=', sourceId).executeTakeFirst();
  if (!link || link.job_status_id !== job.id) throw new AppError('RecordInvalid', `Ticket ${sourceId} was not merged by this job`);
  const [target, source] = await loadTickets(ctx.db, [p.target_id, sourceId]);
  if (!target || !source) throw notFound();
  if (!link.source_commented_at) {
    const body = p.source_comment ?? `This request was closed and merged into request ${quoted(target)}.`;
    await updateTicket(ctx, {
      actor,
      ticketId: sourceId,
      via: 'api',
      changes: { comment: { body, public: p.source_comment_is_public ?? defaultPublic(target, [source]) } },
      within: async (tx) => void (await tx.updateTable('ticket_merges').set({ source_commented_at: new Date() }).where('source_ticket_id', '=', sourceId).execute()),
    });
  }
  await closeMergedTicket(ctx, { actor, ticketId: sourceId, targetId: target.id, within: (tx) => record({ index, id: sourceId, action: 'merge', success: true, status: 'Merged' }, tx) });
}

/**
 * Closes a ticket merged into another. Like auto-close this is a system transition (closed is never
 * an agent's choice), but from any open status: the ticket lives on in its target. Audited with the
 * target's id, SLA clocks stop, write hooks run; no notification (the merge comment already told them).
 */
export async function closeMergedTicket(ctx: AppContext, args: { actor: Actor; ticketId: number; targetId: number; within: (tx: Executor) => Promise<void> }): Promise<void> {
  await ctx.db.transaction().execute(async (tx) => {
    const ticket = await tx.selectFrom('tickets').selectAll().where('id', '=', args.ticketId).where('deleted_at', 'is', null).forUpdate().executeTakeFirst();
    if (!ticket) throw notFound();
    if (ticket.status !== 'closed') {
      const now = new Date();
      const closed = await tx
        .updateTable('tickets')
        .set({ status: 'closed', closed_at: now, solved_at: ticket.solved_at ?? now, updated_at: nextUpdatedAt(ticket.updated_at) })
        .where('id', '=', ticket.id)
        .where('updated_at', '=', ticket.updated_at)
        .returningAll()
        .executeTakeFirstOrThrow();
      const audit = new AuditWriter();
      const auditId = await audit.open(tx, ticket.id, args.actor.user.id, 'api', { merge: { target_ticket_id: args.targetId } });
      audit.change('status', ticket.status, 'closed');
      await audit.flush(tx, auditId);
      await refreshTicketSla(tx, ctx, ticket.id, auditId);
      await runTicketWriteHooks(tx, ctx, { before: ticket, after: closed, auditId });
    }
    await tx.updateTable('ticket_merges').set({ source_closed_at: new Date() }).where('source_ticket_id', '=', ticket.id).where('source_closed_at', 'is', null).execute();
    await args.within(tx);
  });
}

export const mergeKind: BulkKind = {
  progress: (job, index) => {
    const p = job.payload as MergePayload;
    return index === 0 ? `Merging into ticket ${p.target_id}` : `Merging ticket ${p.source_ids[index - 1]} into ${p.target_id}`;
  },
  failure: (job, index) => {
    const p = job.payload as MergePayload;
    return { index, id: index === 0 ? p.target_id : p.source_ids[index - 1], action: 'merge' };
  },
  critical: (index) => index === 0,
  async run({ ctx, actor, job, index, record }) {
    const p = job.payload as MergePayload;
    if (index === 0) await mergeIntoTarget(ctx, actor, job, p, record);
    else await mergeSource(ctx, actor, job, index, p, record);
  },
};
