import type { AppContext } from '../platform/context.js';
import type { MailTransport } from '../platform/mail-transport.js';
import { pruneRateLimits } from '../platform/rate-limit.js';
import { deliverMail } from './mail/outbox.js';
import { pruneLoginChallenges } from './accounts/two-factor-login.js';
import { autoCloseTicket, sweepSolvedTickets } from './tickets/auto-close.js';
import { checkBreach } from './sla/engine.js';
import { deliverPage } from './paging/delivery.js';
import { runPagingTick } from './paging/pages.js';
import { routeTicket } from './shifts/routing.js';
import { runRoutingTick } from './shifts/handovers.js';
import { offerSurvey } from './satisfaction/offer.js';
import { sweepPendingTickets } from './tickets/pending-reminders.js';
import { runBulkJob } from './bulk/run-bulk-job.js';
import { sweepFacts } from './reports/recompute-facts.js';
import { runTriggers } from './rules/trigger-run.js';
import { deliverWebhook } from './rules/webhook-delivery.js';

/** Registers every background worker on this node; pg-boss hands each job to exactly one node. */
export async function startWorkers(ctx: AppContext, transport: MailTransport): Promise<void> {
  await ctx.jobs.work('mail.send', ({ mailId }) => deliverMail(ctx.db, transport, ctx.config.mailFrom, mailId));
  await ctx.jobs.work('tickets.auto-close', async ({ ticketId }) => void (await autoCloseTicket(ctx, ticketId)));
  await ctx.jobs.work('sla.breach-check', ({ ticketId }) => checkBreach(ctx, ticketId));
  await ctx.jobs.work('tickets.auto-close-sweep', async () => {
    await sweepSolvedTickets(ctx);
    await pruneRateLimits(ctx.db);
    await pruneLoginChallenges(ctx.db);
  });
  await ctx.jobs.schedule('tickets.auto-close-sweep', '* * * * *');
  await ctx.jobs.work('paging.deliver', ({ deliveryId }) => deliverPage(ctx, deliveryId));
  await ctx.jobs.work('paging.tick', async () => void (await runPagingTick(ctx)));
  await ctx.jobs.schedule('paging.tick', '* * * * *');
  await ctx.jobs.work('routing.route', async ({ ticketId }) => void (await routeTicket(ctx, ticketId)));
  await ctx.jobs.work('routing.tick', async () => void (await runRoutingTick(ctx)));
  await ctx.jobs.schedule('routing.tick', '* * * * *');
  await ctx.jobs.work('csat.offer', async ({ ticketId }) => void (await offerSurvey(ctx, ticketId)));
  await ctx.jobs.work('tickets.pending-sweep', async () => void (await sweepPendingTickets(ctx)));
  await ctx.jobs.schedule('tickets.pending-sweep', '* * * * *');
  await ctx.jobs.work('bulk.run', ({ jobStatusId }) => runBulkJob(ctx, jobStatusId));
  await ctx.jobs.work('triggers.run', async ({ auditId }) => void (await runTriggers(ctx, auditId)));
  await ctx.jobs.work('webhooks.deliver', ({ invocationId }) => deliverWebhook(ctx, invocationId));
  // Tickets without replayed report facts (bulk-written, or back-filled by the migration) get them here.
  await ctx.jobs.work('reports.facts-sweep', async () => void (await sweepFacts(ctx.db)));
  await ctx.jobs.schedule('reports.facts-sweep', '*/5 * * * *');
}
