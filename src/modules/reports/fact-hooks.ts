import { ratingHooks } from '../satisfaction/rate.js';
import { slaRefreshHooks } from '../sla/engine.js';
import { ticketWriteHooks } from '../tickets/write-hooks.js';
import { refreshAfterWrite, refreshTicketFact, ticketFactUpsert } from './facts.js';

// Report facts move with the ticket, in the same transaction (imported once, by the report routes):
// in full from every SLA replay (clock-moving writes and recorded breaches), the row-derived part on
// every other write that changes what they read (including deletes) and on every rating.
slaRefreshHooks.push((tx, ticketId, state) => ticketFactUpsert(tx, ticketId, state));
ticketWriteHooks.push((tx, _ctx, write) => refreshAfterWrite(tx, write));
ratingHooks.push((tx, ticketId) => refreshTicketFact(tx, ticketId));
