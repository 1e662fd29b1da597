import { cachedConfig } from '../../platform/config-cache.js';
import { ticketWriteHooks } from '../tickets/write-hooks.js';

/**
 * Every ticket create and update runs the trigger cycle in a job after it commits (the job carries
 * the audit id). A trigger's own write is not a new update: its cycle is the one that wrote it, so it
 * enqueues nothing, which is what keeps triggers from re-firing each other forever. Deleted tickets
 * and desks without active triggers enqueue nothing either.
 */
ticketWriteHooks.push(async (tx, ctx, { after, auditId }) => {
  if (after.deleted_at) return;
  const active = await cachedConfig(tx, 'any-active-trigger', async (db) => !!(await db.selectFrom('triggers').select('id').where('active', '=', true).limit(1).executeTakeFirst()));
  if (!active) return;
  const audit = await tx.selectFrom('ticket_audits').select('metadata').where('id', '=', auditId).executeTakeFirst();
  if (audit && (audit.metadata as Record<string, unknown>).trigger_id !== undefined) return;
  await ctx.jobs.send('triggers.run', { auditId }, { tx });
});
