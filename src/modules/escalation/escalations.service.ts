import type { AppContext } from '../../platform/context.js';
import type { Executor } from '../../platform/db.js';
import type { EscalationStage } from '../../platform/db-types.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import type { Actor } from '../accounts/actor.js';
import { solveGuards } from '../tickets/solve-guards.js';
import { updateTicket } from '../tickets/update-ticket.service.js';
import { canMove, CLOSING, defaultCustomerUpdate } from './stages.js';

solveGuards.push(async (tx, ticketId) => {
  const open = await tx.selectFrom('escalations').select(['id', 'stage']).where('ticket_id', '=', ticketId).where('closed_at', 'is', null).executeTakeFirst();
  return open ? `escalation #${open.id} to Sustained Engineering is still open (${open.stage.replace(/_/g, ' ')})` : null;
});

export type Classification = 'bug' | 'feature_request' | 'configuration' | 'unsupported_configuration' | 'needs_info';

export async function getEscalation(db: Executor, id: number) {
  const e = await db.selectFrom('escalations').selectAll().where('id', '=', id).executeTakeFirst();
  if (!e) throw notFound();
  return e;
}

/**
 * Escalates a ticket to Sustained Engineering: the ticket goes on hold and the customer gets the
 * (editable) update as a public reply, all in one transaction with the escalation itself.
 */
export async function escalateTicket(ctx: AppContext, a: { actor: Actor; ticketId: number; classification: Classification; summary: string; customerUpdate?: string; teams?: string[] }) {
  let escalationId = 0;
  await updateTicket(ctx, {
    actor: a.actor,
    ticketId: a.ticketId,
    via: 'api',
    changes: { status: 'hold', comment: { body: a.customerUpdate?.trim() || defaultCustomerUpdate('escalated'), public: true } },
    within: async (tx, ticket) => {
      const open = await tx.selectFrom('escalations').select('id').where('ticket_id', '=', ticket.id).where('closed_at', 'is', null).executeTakeFirst();
      if (open) throw invalid('base', `Ticket #${ticket.id} already has an open escalation (#${open.id})`, 'DuplicateValue');
      const row = await tx
        .insertInto('escalations')
        .values({ ticket_id: ticket.id, classification: a.classification, summary: a.summary, created_by: a.actor.user.id, updated_at: new Date(), ...(a.teams ? { teams: a.teams } : {}) })
        .returning('id')
        .executeTakeFirstOrThrow();
      escalationId = row.id;
      await tx.insertInto('escalation_stage_changes').values({ escalation_id: row.id, stage: 'escalated', changed_by: a.actor.user.id, via: 'api' }).execute();
    },
  });
  return getEscalation(ctx.db, escalationId);
}

/**
 * Moves an escalation to a later stage and posts the stage's customer update on the ticket (a
 * public reply, so it counts for the regular-updates clock). Used by agents and by webhooks.
 */
export async function moveEscalation(ctx: AppContext, a: { actor: Actor; escalationId: number; stage: EscalationStage; fixVersion?: string | null; customerUpdate?: string; teams?: string[]; via?: 'api' | 'github' | 'issues' }) {
  const current = await getEscalation(ctx.db, a.escalationId);
  if (current.stage === a.stage) return current;
  if (!canMove(current.stage, a.stage)) throw invalid('stage', `Stage: cannot move from ${current.stage} to ${a.stage}`);
  const fixVersion = a.fixVersion ?? current.fix_version;
  await updateTicket(ctx, {
    actor: a.actor,
    ticketId: current.ticket_id,
    via: 'api',
    changes: { comment: { body: a.customerUpdate?.trim() || defaultCustomerUpdate(a.stage, fixVersion), public: true } },
    within: async (tx) => {
      // Compare-and-set on the stage: a webhook and an agent moving it at once cannot both post.
      const moved = await tx
        .updateTable('escalations')
        .set({ stage: a.stage, fix_version: fixVersion, teams: a.teams, updated_at: new Date(), closed_at: CLOSING.has(a.stage) ? new Date() : null })
        .where('id', '=', current.id)
        .where('stage', '=', current.stage)
        .executeTakeFirst();
      if (!moved.numUpdatedRows) throw new AppError('Conflict', 'The escalation changed meanwhile; reload it and try again');
      await tx
        .insertInto('escalation_stage_changes')
        .values({ escalation_id: current.id, stage: a.stage, fix_version: fixVersion, changed_by: a.actor.user.id, via: a.via ?? 'api' })
        .execute();
    },
  });
  return getEscalation(ctx.db, current.id);
}

/** owner/repo#number for a GitHub pull-request URL, null for anything else. */
export function pullRequestKey(url: string): string | null {
  const m = /^https:\/\/github\.com\/([\w.-]+)\/([\w.-]+)\/pull\/(\d+)(?:[/?#].*)?$/i.exec(url.trim());
  return m ? `${m[1].toLowerCase()}/${m[2].toLowerCase()}#${m[3]}` : null;
}

/** A tracker key such as MM-61234 at the end of an issue URL (Jira's /browse/KEY and similar). */
export function issueKey(url: string): string | null {
  const m = /\/([A-Z][A-Z0-9]+-\d+)\/?(?:[?#].*)?$/.exec(url.trim());
  return m ? m[1] : null;
}

export async function addLink(ctx: AppContext, escalationId: number, url: string) {
  await getEscalation(ctx.db, escalationId);
  const key = pullRequestKey(url);
  return ctx.db
    .insertInto('escalation_links')
    .values({ escalation_id: escalationId, url: url.trim(), kind: key ? 'pull_request' : 'issue', pr_key: key, issue_key: key ? null : issueKey(url) })
    .onConflict((oc) => oc.columns(['escalation_id', 'url']).doUpdateSet({ url: url.trim() }))
    .returningAll()
    .executeTakeFirstOrThrow();
}
