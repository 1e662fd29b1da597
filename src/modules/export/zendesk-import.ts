import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AppContext } from '../../platform/context.js';
import type { Db } from '../../platform/db.js';
import { defaultFormId } from '../tickets/forms.repository.js';
import { WARNING_SHARE } from '../sla/clocks.js';
import { evaluateTicket, refreshTicketSla } from '../sla/engine.js';
import { importGroupMemberships, importGroups, importOrganizations, importUsers } from './import-accounts.js';
import { ImportReport } from './import-report.js';
import { advanceSequence, idOf, limiter, type ImportRun, type Json } from './import-run.js';
import { importTickets, type TicketImport } from './import-tickets.js';
import { CommentIndex, readRecords } from './zendesk-files.js';

/**
 * `sundial import zendesk <dir>`: brings a Zendesk export into Sundial, keeping ids.
 *
 * Layout of <dir> (each `<name>.*` is `<name>.json`, `.jsonl` or `.ndjson`, or a folder `<name>/` of
 * such files; records may be NDJSON lines, JSON arrays or incremental-export page envelopes such as
 * `{"tickets": [...], "after_cursor": ...}`):
 *   organizations.*         Zendesk organizations (incremental organization export)
 *   groups.*                groups (optional)
 *   group_memberships.*     {user_id, group_id, default} (optional)
 *   users.*                 users (incremental user export)
 *   tickets.*               tickets (incremental ticket export; status "deleted" for deleted ones);
 *                           a ticket may embed its comments as `comments: [...]`
 *   comments/<ticket id>.*  the ticket's comments, e.g. a saved GET /tickets/{id}/comments response
 *   ticket_comments.*       comments of many tickets: `{"ticket_id": 1, "comments": [...]}` per ticket
 *                           (what `sundial export zendesk` writes) or comment objects with `ticket_id`
 *   ticket_events.*         incremental ticket events with `include=comment_events`: their Comment
 *                           child events are used for tickets whose comments are not in the files above
 *   satisfaction_ratings.*  satisfaction ratings (with ticket_id); a ticket's own satisfaction_rating
 *                           is used when this file does not hold it
 *   attachments/<id>        the bytes of attachment <id> (or attachments/<id>/<file name>); a comment
 *                           attachment's content_url may also be a path relative to <dir>
 * Time-based exports repeat records; the newest copy of each id (by updated_at) is imported.
 *
 * What the import does not do, on purpose: it mails nobody (no "request received", reply, CC or
 * survey mail), pages nobody, routes nothing to shifts, offers no CSAT survey, and sets no passwords
 * (imported people use password reset). Imported tickets then live normally: their SLA ledger is
 * rebuilt from the imported audits, warnings already due are recorded as sent (not sent), and breach
 * checks are scheduled for what is still ahead. Solved tickets older than AUTO_CLOSE_AFTER are imported
 * closed, as auto-close would have closed them, without its mail; pending tickets start their
 * reminder wait at import time.
 *
 * Re-running is safe: what an earlier run brought in is skipped (zendesk_import_items), every ticket
 * is one transaction, and the report (import-report.json in <dir>, or --report) lists what could not
 * be imported and why.
 */
export interface ImportOptions {
  dir: string;
  reportPath?: string;
  progress?: (phase: string, done: number, total: number) => void;
  /** Tickets imported at once (default 4), each in its own transaction. */
  concurrency?: number;
}

export async function importZendesk(ctx: AppContext, options: ImportOptions): Promise<{ report: ImportReport; reportPath: string }> {
  const dir = resolve(options.dir);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`${options.dir} is not a directory`);
  const reportPath = resolve(options.reportPath ?? join(dir, 'import-report.json'));
  const report = new ImportReport();
  const run: ImportRun = { ctx, dir, report, maps: await loadMaps(ctx.db), tickets: await loadImportedTickets(ctx.db), progress: options.progress ?? (() => undefined), concurrency: options.concurrency ?? 4 };

  const comments = await CommentIndex.build(dir, (b) => report.skip('file', null, b.where, b.reason));
  const ratings = await loadRatings(run);
  // Rows that must take fresh ids (a source id already used here, audits Sundial adds) get them past
  // every id in the export, so they never collide with a record imported later in the run.
  await advanceSequence(ctx.db, 'ticket_comments', comments.max.comment);
  await advanceSequence(ctx.db, 'ticket_audits', comments.max.audit);
  await advanceSequence(ctx.db, 'attachments', comments.max.attachment);
  await advanceSequence(ctx.db, 'satisfaction_ratings', ratings.maxId);

  await importOrganizations(run);
  await importGroups(run);
  await importUsers(run);
  await importGroupMemberships(run);
  const fields = await ctx.db.selectFrom('ticket_fields').select('id').execute();
  const forms = await ctx.db.selectFrom('ticket_forms').select('id').execute();
  const t: TicketImport = {
    run, comments, ratings: ratings.byTicket, formIds: new Set(forms.map((f) => f.id)), defaultFormId: await defaultFormId(ctx.db), fieldIds: new Set(fields.map((f) => f.id)),
    followups: [], unknownForms: new Map(), unknownFields: new Map(), autoClosed: 0,
  };
  await importTickets(t);
  await linkFollowups(run, t);
  for (const [key, list] of ratings.byTicket) {
    if (!run.tickets.has(key)) for (const r of list) report.skip('satisfaction_rating', idOf(r.value.id), r.where, `its ticket ${key} was not imported`);
  }
  for (const [id, n] of t.unknownForms) report.notes.push(`Ticket form ${id} does not exist in Sundial: ${n} tickets use the default form.`);
  for (const [id, n] of t.unknownFields) report.notes.push(`Ticket field ${id} does not exist in Sundial: its values on ${n} tickets were not imported.`);
  if (t.autoClosed) report.notes.push(`${t.autoClosed} tickets solved longer than AUTO_CLOSE_AFTER ago were imported closed (no mail was sent).`);
  for (const table of ['organizations', 'groups', 'users', 'tickets'] as const) await advanceSequence(ctx.db, table, 0);
  await buildSla(run);
  await report.write(reportPath);
  return { report, reportPath };
}

async function loadMaps(db: Db): Promise<ImportRun['maps']> {
  const rows = await db.selectFrom('zendesk_import_items').select(['kind', 'source_id', 'sundial_id']).where('kind', '!=', 'ticket').execute();
  const maps: ImportRun['maps'] = { organization: new Map(), group: new Map(), user: new Map() };
  for (const r of rows) maps[r.kind as keyof ImportRun['maps']].set(r.source_id, r.sundial_id);
  return maps;
}

async function loadImportedTickets(db: Db): Promise<Set<number>> {
  const rows = await db.selectFrom('zendesk_import_items').select('source_id').where('kind', '=', 'ticket').execute();
  return new Set(rows.map((r) => r.source_id));
}

/** Ratings grouped by source ticket (they are inserted with their ticket). */
async function loadRatings(run: ImportRun) {
  const byTicket = new Map<number, { value: Json; where: string }[]>();
  let maxId = 0;
  for await (const rec of readRecords(run.dir, 'satisfaction_ratings', (b) => run.report.skip('file', null, b.where, b.reason))) {
    const ticketId = idOf(rec.value.ticket_id);
    if (ticketId === null) {
      run.report.skip('satisfaction_rating', idOf(rec.value.id), rec.where, 'the rating names no ticket');
      continue;
    }
    maxId = Math.max(maxId, idOf(rec.value.id) ?? 0);
    byTicket.set(ticketId, [...(byTicket.get(ticketId) ?? []), { value: rec.value, where: rec.where }]);
  }
  return { byTicket, maxId };
}

/** Follow-ups that came before their source ticket in the export. */
async function linkFollowups(run: ImportRun, t: TicketImport) {
  for (const f of t.followups) {
    const source = await run.ctx.db.selectFrom('tickets').select('id').where('id', '=', f.sourceId).executeTakeFirst();
    if (source) await run.ctx.db.updateTable('tickets').set({ via_followup_source_id: f.sourceId }).where('id', '=', f.ticketId).execute();
    else run.report.adjust('ticket', f.ticketId, f.where, `follow-up source ticket ${f.sourceId} was not imported; the link is dropped`);
  }
}

/**
 * Builds the SLA ledger of every imported ticket that does not have one yet (also those of an
 * interrupted earlier run). Warnings that were already due at import are recorded as sent without
 * mailing or paging anyone; refreshTicketSla then writes the ledger (the same replay as
 * `sundial sla recompute`), the next-breach time and the job that checks it.
 */
async function buildSla(run: ImportRun) {
  const { db } = run.ctx;
  const total = Number((await db.selectFrom('zendesk_import_items').select((eb) => eb.fn.countAll<number>().as('n')).where('kind', '=', 'ticket').where('sla_pending', '=', true).executeTakeFirstOrThrow()).n);
  let done = 0;
  let after = 0;
  run.progress('SLA', 0, total);
  for (;;) {
    const batch = await db.selectFrom('zendesk_import_items').select('sundial_id').where('kind', '=', 'ticket').where('sla_pending', '=', true).where('sundial_id', '>', after).orderBy('sundial_id').limit(500).execute();
    if (!batch.length) break;
    const pool = limiter(run.concurrency);
    for (const { sundial_id: id } of batch) {
      await pool.run(() => buildTicketSla(run, id).then(() => run.progress('SLA', ++done, total)));
    }
    await pool.drain();
    after = batch[batch.length - 1].sundial_id;
  }
}

/** One ticket's ledger, in its own transaction: past-due warnings marked as sent, then refreshTicketSla. */
async function buildTicketSla(run: ImportRun, id: number) {
  await run.ctx.db.transaction().execute(async (tx) => {
    const live = await tx.selectFrom('tickets').select('id').where('id', '=', id).where('deleted_at', 'is', null).forUpdate().executeTakeFirst();
    if (live) {
      const state = await evaluateTicket(tx, id);
      const due = state.instances.filter((i) => i.stage === 'active' && !i.breached && i.target && i.breachAt && i.elapsedMs >= WARNING_SHARE * i.target.minutes * 60_000);
      if (due.length) {
        await tx
          .insertInto('sla_warnings')
          .values(due.map((i) => ({ ticket_id: id, metric: i.metric, instance_id: i.instance, breach_at: i.breachAt! })))
          .onConflict((oc) => oc.columns(['ticket_id', 'metric', 'instance_id']).doNothing())
          .execute();
      }
      await refreshTicketSla(tx, run.ctx, id);
    }
    await tx.updateTable('zendesk_import_items').set({ sla_pending: false }).where('kind', '=', 'ticket').where('sundial_id', '=', id).execute();
  });
}
