import { slaWarningHooks } from '../sla/warnings.js';
import { ticketWriteHooks } from '../tickets/write-hooks.js';
import { needsOnCall, raisePages, resolvePages, urgentAndOpen } from './pages.js';

const URGENT = new Set(['urgent', 'high']);

// Premier 24×7 (spec §9.3): created as, or raised to, urgent/high pages the on-call engineer; the
// page ends when the ticket no longer needs them. Cover is round the clock, weekends included.
ticketWriteHooks.push(async (tx, ctx, { before, after }) => {
  const raised = !before || !URGENT.has(before.priority ?? '');
  // Pages start only when priority is raised and end only when a ticket leaves urgent-and-open (or its
  // organization): otherwise nothing changes whatever the plan, which is then not read.
  const left = before && urgentAndOpen(before) && !(urgentAndOpen(after) && before.organization_id === after.organization_id);
  if (!raised && !left) return;
  const needsNow = await needsOnCall(tx, after);
  if (needsNow && raised) return raisePages(tx, ctx, after.id, before ? 'priority_raised' : 'created');
  // Not needed now although urgent and open: the organization is not Premier, so it was not before either.
  const notPremier = !needsNow && urgentAndOpen(after) && before?.organization_id === after.organization_id;
  if (!needsNow && before && !notPremier && (await needsOnCall(tx, before))) {
    const why = URGENT.has(after.priority ?? '') ? `the ticket is ${after.status}` : `priority lowered to ${after.priority ?? 'none'}`;
    await resolvePages(tx, ctx, after.id, why);
  }
});

// No reply at 75 % of the first-reply target: page again, acknowledged or not.
slaWarningHooks.push(async (tx, ctx, warning) => {
  if (warning.metric !== 'first_reply_time') return;
  const ticket = await tx.selectFrom('tickets').select(['priority', 'status', 'deleted_at', 'organization_id']).where('id', '=', warning.ticketId).executeTakeFirst();
  if (ticket && (await needsOnCall(tx, ticket))) await raisePages(tx, ctx, warning.ticketId, 'first_reply_75');
});
