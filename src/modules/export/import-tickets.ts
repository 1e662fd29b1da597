import { sql } from 'kysely';
import type { Tx } from '../../platform/db.js';
import type { Priority, Status, TicketType } from '../../platform/db-types.js';
import { AuditWriter, type AuditEvent } from '../tickets/audit-writer.js';
import { storeAttachments, commentsForTicket, type ImportComment } from './import-comments.js';
import { advanceSequence, dateOf, forEachNewest, idOf, maxKey, newestCopies, remember, stringList, text, type ImportRun, type Json } from './import-run.js';
import type { CommentIndex, SourceRecord } from './zendesk-files.js';

/**
 * Tickets, each in one transaction with its comments, attachments, CCs, ratings and audits, so a
 * run stopped half-way resumes cleanly: a ticket is either wholly in (and remembered) or not at all.
 *
 * Audits are minimal but consistent with what Sundial writes itself: a creation audit (Create events
 * for the ticket's fields, status "new", the first comment when it was written at creation), one audit
 * per later comment (in time order, keeping the source audit ids when they are usable), and status
 * changes to the final status (solved at solved_at, closed after it). The SLA replay reads exactly
 * these. Nothing is mailed, paged or routed; see zendesk-import.ts.
 */

const STATUSES: Status[] = ['new', 'open', 'pending', 'hold', 'solved', 'closed'];
const PRIORITIES: Priority[] = ['urgent', 'high', 'normal', 'low'];
const TYPES: TicketType[] = ['problem', 'incident', 'question', 'task'];
/** A first comment written this close to the ticket's creation is its description. */
const CREATION_SLACK_MS = 60_000;

export interface TicketImport {
  run: ImportRun;
  comments: CommentIndex;
  /** Satisfaction ratings by source ticket id. */
  ratings: Map<number, { value: Json; where: string }[]>;
  formIds: Set<number>;
  defaultFormId: number;
  fieldIds: Set<number>;
  /** Follow-ups whose source ticket comes later in the export: linked at the end. */
  followups: { ticketId: number; sourceId: number; where: string }[];
  /** Source form / field ids that do not exist here, with how many tickets had them (one note each). */
  unknownForms: Map<number, number>;
  unknownFields: Map<number, number>;
  autoClosed: number;
}

interface AuditPlan {
  at: Date;
  authorId: number | null;
  via: string;
  metadata: Record<string, unknown>;
  events: AuditEvent[];
  comments: ImportComment[];
  sourceId: number | null;
}

export async function importTickets(t: TicketImport) {
  const newest = await newestCopies(t.run, 'tickets', 'ticket');
  await advanceSequence(t.run.ctx.db, 'tickets', maxKey(newest));
  await forEachNewest(t.run, 'tickets', newest, 'tickets', (rec, id) => importTicket(t, rec, id), t.run.concurrency);
}

/**
 * Tickets are imported several at a time. Two of them claiming the same comment or attachment id
 * can both pass the "is this id free" check; the loser's transaction fails on the unique key and is
 * simply run again, when the check sees the id taken and reports it.
 */
async function importTicket(t: TicketImport, rec: SourceRecord, id: number) {
  try {
    await importTicketOnce(t, rec, id);
  } catch (e) {
    if ((e as { code?: string }).code !== '23505') throw e;
    await importTicketOnce(t, rec, id);
  }
}

async function importTicketOnce(t: TicketImport, rec: SourceRecord, id: number) {
  const { run } = t;
  const z = rec.value;
  if (run.tickets.has(id)) return void run.report.counts.ticket.unchanged++;
  if (await run.ctx.db.selectFrom('tickets').select('id').where('id', '=', id).executeTakeFirst()) {
    return run.report.skip('ticket', id, rec.where, `ticket id ${id} already exists in Sundial and was not imported by an earlier run`);
  }
  const owner = (field: string, value: unknown) => {
    const sourceId = idOf(value);
    if (sourceId === null) return null;
    const to = run.maps.user.get(sourceId);
    if (to === undefined) run.report.adjust('ticket', id, rec.where, `${field} ${sourceId} was not imported; left empty`);
    return to ?? null;
  };
  const requesterId = run.maps.user.get(idOf(z.requester_id) ?? 0);
  if (requesterId === undefined) return run.report.skip('ticket', id, rec.where, `its requester ${String(z.requester_id ?? '(none)')} was not imported`);

  const updatedAt = dateOf(z.updated_at) ?? new Date();
  const createdAt = dateOf(z.created_at) ?? updatedAt;
  const via = (typeof z.via === 'object' && z.via && text((z.via as Json).channel)) || 'web';
  const comments = await commentsForTicket(run, t.comments, { id, via, createdAt, embedded: z.comments });
  const submitterId = owner('submitter', z.submitter_id) ?? requesterId;
  let assigneeId = owner('assignee', z.assignee_id);
  if (assigneeId !== null) {
    const agent = await run.ctx.db.selectFrom('users').select('role').where('id', '=', assigneeId).executeTakeFirst();
    if (agent?.role === 'end-user') {
      run.report.adjust('ticket', id, rec.where, `assignee ${String(z.assignee_id)} is an end user in Sundial; left unassigned`);
      assigneeId = null;
    }
  }
  const mapOrNote = (kind: 'group' | 'organization', value: unknown) => {
    const sourceId = idOf(value);
    if (sourceId === null) return null;
    const to = run.maps[kind].get(sourceId);
    if (to === undefined) run.report.adjust('ticket', id, rec.where, `${kind} ${sourceId} was not imported; left empty`);
    return to ?? null;
  };
  const groupId = mapOrNote('group', z.group_id);
  const organizationId = mapOrNote('organization', z.organization_id);
  const sourceForm = idOf(z.ticket_form_id);
  const formId = sourceForm !== null && t.formIds.has(sourceForm) ? sourceForm : t.defaultFormId;
  if (sourceForm !== null && formId !== sourceForm) t.unknownForms.set(sourceForm, (t.unknownForms.get(sourceForm) ?? 0) + 1);
  const customFields: Record<string, unknown> = {};
  for (const f of Array.isArray(z.custom_fields) ? (z.custom_fields as Json[]) : []) {
    const fieldId = idOf(f?.id);
    if (fieldId === null) continue;
    if (t.fieldIds.has(fieldId)) customFields[String(fieldId)] = f.value ?? null;
    else if (f.value !== null && f.value !== undefined && f.value !== '') t.unknownFields.set(fieldId, (t.unknownFields.get(fieldId) ?? 0) + 1);
  }

  const sourceStatus = text(z.status) ?? 'open';
  const deleted = sourceStatus === 'deleted';
  let status: Status = STATUSES.includes(sourceStatus as Status) ? (sourceStatus as Status) : deleted ? 'closed' : 'open';
  if (!deleted && status !== sourceStatus) run.report.adjust('ticket', id, rec.where, `status "${sourceStatus}" is unknown; imported as open`);
  const priority = PRIORITIES.includes(z.priority as Priority) ? (z.priority as Priority) : null;
  const type = TYPES.includes(z.type as TicketType) ? (z.type as TicketType) : null;
  // A deleted ticket's status before deletion is not in a Zendesk export; it is kept closed (and deleted).
  const solvedAt = deleted ? dateOf(z.solved_at) : status === 'solved' || status === 'closed' ? (dateOf(z.solved_at) ?? updatedAt) : null;
  let closedAt = status === 'closed' && !deleted ? updatedAt : null;
  const doNotClose = z.do_not_close === true;
  // Sundial closes tickets solved longer than AUTO_CLOSE_AFTER, and mails the customer when it does.
  // An imported ticket past that point is closed here instead, as the rule would have, without mail.
  const autoClose = status === 'solved' && !deleted && !doNotClose && solvedAt!.getTime() + run.ctx.config.autoCloseAfterMs < Date.now();
  if (autoClose) {
    status = 'closed';
    closedAt = new Date(solvedAt!.getTime() + run.ctx.config.autoCloseAfterMs);
    t.autoClosed++;
  }
  const description = text(z.description) ?? comments[0]?.body ?? '';
  const subject = (text(z.raw_subject) ?? text(z.subject) ?? '').trim() || description.split('\n')[0].slice(0, 150).trim() || '(no subject)';
  const followupSource = idOf(z.via_followup_source_id) ?? (isFollowUp(z.via) ? idOf(((z.via as Json).source as Json).from && (((z.via as Json).source as Json).from as Json).ticket_id) : null);

  const blobs = await storeAttachments(run, comments);
  let written: ImportComment[] = [];
  try {
    await run.ctx.db.transaction().execute(async (tx) => {
      const org = organizationId === null ? undefined : await tx.selectFrom('organizations').select(['support_plan', 'time_zone']).where('id', '=', organizationId).executeTakeFirst();
      const sourceExists = followupSource !== null && (await tx.selectFrom('tickets').select('id').where('id', '=', followupSource).executeTakeFirst()) !== undefined;
      const row = await tx
        .insertInto('tickets')
        .values({
          id,
          form_id: formId,
          subject,
          description,
          priority,
          type,
          status,
          requester_id: requesterId,
          submitter_id: submitterId,
          assignee_id: assigneeId,
          group_id: groupId,
          organization_id: organizationId,
          do_not_close: doNotClose,
          via_channel: via,
          via_followup_source_id: sourceExists ? followupSource : null,
          external_id: text(z.external_id),
          tags: stringList(z.tags),
          custom_fields: JSON.stringify(customFields),
          created_at: createdAt,
          updated_at: closedAt && closedAt > updatedAt ? new Date(Math.ceil(closedAt.getTime() / 1000) * 1000) : updatedAt,
          solved_at: solvedAt,
          closed_at: closedAt,
          deleted_at: deleted ? updatedAt : null,
          // Like tickets already pending when reminders were introduced: the wait starts now, so an
          // import never mass-reminds or mass-solves.
          pending_since: status === 'pending' ? new Date() : null,
        })
        .onConflict((oc) => oc.column('id').doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!row) throw new TicketConflict();
      const kept = await withoutTakenIds(tx, t, id, comments);
      const creation = new AuditWriter();
      for (const [field, value] of Object.entries({
        subject, status: 'new', priority, type, requester_id: requesterId, group_id: groupId, assignee_id: assigneeId, organization_id: organizationId, ticket_form_id: formId, tags: stringList(z.tags),
      })) creation.create(field, value);
      for (const [fieldId, value] of Object.entries(customFields)) creation.create(fieldId, value);
      const metadata = { import: 'zendesk', sla: { plan: org?.support_plan ?? 'free', time_zone: org?.time_zone ?? null } };
      const plans = planAudits({ createdAt, submitterId, assigneeId, via, metadata, creationEvents: creation.events, comments: kept, status: deleted ? 'deleted' : status, solvedAt, closedAt, updatedAt, autoClose });
      await writeAudits(tx, id, plans);
      written = kept;
      await writeCollaborators(tx, t, id, rec, requesterId, createdAt, [...(Array.isArray(z.collaborator_ids) ? z.collaborator_ids : []), ...(Array.isArray(z.email_cc_ids) ? z.email_cc_ids : [])]);
      await writeRatings(tx, t, { id, where: rec.where, requesterId, solvedAt, updatedAt, embedded: z.satisfaction_rating });
      if (followupSource !== null && !sourceExists) t.followups.push({ ticketId: id, sourceId: followupSource, where: rec.where });
      await remember(tx, 'ticket', id, id, 'created', !deleted);
    });
  } catch (e) {
    await Promise.all(blobs.map((b) => run.ctx.blobs.delete(b.key)));
    if (e instanceof TicketConflict) return run.report.skip('ticket', id, rec.where, `ticket id ${id} was taken while importing`);
    throw e;
  }
  run.tickets.add(id);
  run.report.counts.ticket.created++;
  run.report.counts.comment.created += written.length;
  run.report.counts.attachment.created += written.reduce((n, c) => n + c.attachments.length, 0);
  // Attachments of comments dropped inside the transaction (taken ids) were stored for nothing.
  const used = new Set(written.flatMap((c) => c.attachments.map((a) => a.stored!.key)));
  await Promise.all(blobs.filter((b) => !used.has(b.key)).map((b) => run.ctx.blobs.delete(b.key)));
}

class TicketConflict extends Error {}

const isFollowUp = (via: unknown) => typeof via === 'object' && via !== null && typeof (via as Json).source === 'object' && ((via as Json).source as Json)?.rel === 'follow_up';

/** Comments and attachments whose ids another ticket already uses in Sundial are reported and left out. */
async function withoutTakenIds(tx: Tx, t: TicketImport, ticketId: number, comments: ImportComment[]): Promise<ImportComment[]> {
  const commentIds = comments.map((c) => c.id);
  const attachmentIds = comments.flatMap((c) => c.attachments.map((a) => a.id));
  const takenComments = new Set(commentIds.length ? (await tx.selectFrom('ticket_comments').select('id').where('id', 'in', commentIds).execute()).map((r) => r.id) : []);
  const takenAttachments = new Set(attachmentIds.length ? (await tx.selectFrom('attachments').select('id').where('id', 'in', attachmentIds).execute()).map((r) => r.id) : []);
  const kept: ImportComment[] = [];
  for (const c of comments) {
    if (takenComments.has(c.id)) {
      t.run.report.skip('comment', c.id, c.where, `comment ${c.id} of ticket ${ticketId}: the id is used by another comment in Sundial`);
      continue;
    }
    kept.push({
      ...c,
      attachments: c.attachments.filter((a) => {
        if (!takenAttachments.has(a.id)) return true;
        t.run.report.skip('attachment', a.id, a.where, `attachment ${a.id}: the id is used by another attachment in Sundial`);
        return false;
      }),
    });
  }
  return kept;
}

function planAudits(p: {
  createdAt: Date; submitterId: number; assigneeId: number | null; via: string; metadata: Record<string, unknown>; creationEvents: AuditEvent[];
  comments: ImportComment[]; status: Status | 'deleted'; solvedAt: Date | null; closedAt: Date | null; updatedAt: Date; autoClose: boolean;
}): AuditPlan[] {
  const first = p.comments[0];
  const atCreation = first && first.createdAt.getTime() - p.createdAt.getTime() <= CREATION_SLACK_MS;
  const plans: AuditPlan[] = [
    { at: p.createdAt, authorId: atCreation ? first.authorId : p.submitterId, via: p.via, metadata: p.metadata, events: p.creationEvents, comments: atCreation ? [first] : [], sourceId: atCreation ? first.auditId : null },
  ];
  for (const c of atCreation ? p.comments.slice(1) : p.comments) {
    const last = plans[plans.length - 1];
    if (c.auditId !== null && last.sourceId === c.auditId) last.comments.push(c);
    else plans.push({ at: c.createdAt, authorId: c.authorId, via: c.via, metadata: { import: 'zendesk' }, events: [], comments: [c], sourceId: c.auditId });
  }
  // Status changes come after every comment, so the history the SLA replay reads never goes back in time.
  let at = new Date(Math.max(...plans.map((x) => x.at.getTime())));
  const later = (d: Date | null) => (at = new Date(Math.max(at.getTime(), (d ?? p.updatedAt).getTime())));
  const change = (from: Status, to: Status | 'deleted', when: Date, authorId: number | null, via: string, metadata: Record<string, unknown>) =>
    plans.push({ at: when, authorId, via, metadata, events: [{ type: 'Change', field_name: 'status', previous_value: from, value: to }], comments: [], sourceId: null });
  if (p.status === 'solved' || p.status === 'closed') {
    change('new', 'solved', later(p.solvedAt), p.assigneeId, 'import', { import: 'zendesk' });
    if (p.status === 'closed') change('solved', 'closed', later(p.closedAt), null, 'rule', { import: 'zendesk', ...(p.autoClose ? { rule: 'auto-close' } : {}) });
  } else if (p.status === 'deleted') {
    // As deleteTicket records it: the deletion is a status change to "deleted".
    change('new', 'deleted', later(p.updatedAt), null, 'import', { import: 'zendesk' });
  } else if (p.status !== 'new') change('new', p.status, later(p.updatedAt), p.assigneeId, 'import', { import: 'zendesk' });
  return plans;
}

/**
 * Audit ids: the source's when every comment audit has one, they grow with time and none is taken;
 * otherwise all fresh, allocated in time order. Either way ids follow time, which is the order the
 * SLA replay reads a ticket's history in.
 */
async function writeAudits(tx: Tx, ticketId: number, plans: AuditPlan[]) {
  const sourced = plans.filter((p) => p.comments.length);
  let keep = sourced.length > 0 && plans[0].sourceId !== null && sourced.every((p, i) => p.sourceId !== null && (i === 0 || p.sourceId > sourced[i - 1].sourceId!));
  if (keep) {
    const ids = sourced.map((p) => p.sourceId!);
    keep = (await tx.selectFrom('ticket_audits').select('id').where('id', 'in', ids).execute()).length === 0;
  }
  for (const plan of plans) {
    const id = keep && plan.sourceId !== null ? plan.sourceId : Number((await sql<{ id: string }>`SELECT nextval(pg_get_serial_sequence('ticket_audits', 'id')) AS id`.execute(tx)).rows[0].id);
    await tx.insertInto('ticket_audits').values({ id, ticket_id: ticketId, author_id: plan.authorId, via_channel: plan.via, metadata: JSON.stringify(plan.metadata), created_at: plan.at }).execute();
    const audit = new AuditWriter();
    audit.events.push(...plan.events);
    for (const c of plan.comments) {
      await tx
        .insertInto('ticket_comments')
        .values({ id: c.id, ticket_id: ticketId, audit_id: id, author_id: c.authorId, body: c.body, html_body: c.html, public: c.public, via_channel: c.via, created_at: c.createdAt })
        .execute();
      audit.events.push({ type: 'Comment', comment_id: c.id, value: null });
      for (const a of c.attachments) {
        await tx
          .insertInto('attachments')
          .values({
            id: a.id, ticket_id: ticketId, comment_id: c.id, uploader_id: c.authorId, file_name: a.fileName, content_type: a.contentType,
            size: a.stored!.size, sha256: a.stored!.sha256, storage_key: a.stored!.key, created_at: c.createdAt,
          })
          .execute();
      }
    }
    await audit.flush(tx, id);
  }
}

async function writeCollaborators(tx: Tx, t: TicketImport, ticketId: number, rec: SourceRecord, requesterId: number, createdAt: Date, sourceIds: unknown[]) {
  const ids: number[] = [];
  for (const raw of sourceIds) {
    const sourceId = idOf(raw);
    if (sourceId === null) continue;
    const userId = t.run.maps.user.get(sourceId);
    if (userId === undefined) t.run.report.adjust('ticket', ticketId, rec.where, `CC ${sourceId} was not imported; left out`);
    else if (userId !== requesterId && !ids.includes(userId)) ids.push(userId);
  }
  // created_at keeps the source order, which is the order Sundial lists CCs in.
  if (ids.length) await tx.insertInto('ticket_collaborators').values(ids.map((user_id, i) => ({ ticket_id: ticketId, user_id, created_at: new Date(createdAt.getTime() + i) }))).execute();
}

const SCORES: Record<string, 'offered' | 'good' | 'bad'> = { offered: 'offered', good: 'good', bad: 'bad', good_with_comment: 'good', bad_with_comment: 'bad' };

/**
 * Satisfaction ratings: `satisfaction_ratings.*` records of the ticket and the ticket's own
 * `satisfaction_rating` when it names one the file does not hold. Sundial keeps one survey per solve,
 * keyed by the solve time; an export that does not say which solve a rating is about gets the
 * ticket's solve time for its latest rating and the rating's own time for older ones.
 */
async function writeRatings(tx: Tx, t: TicketImport, ticket: { id: number; where: string; requesterId: number; solvedAt: Date | null; updatedAt: Date; embedded: unknown }) {
  const list = [...(t.ratings.get(ticket.id) ?? [])];
  const embedded = typeof ticket.embedded === 'object' && ticket.embedded !== null ? (ticket.embedded as Json) : null;
  const embeddedId = idOf(embedded?.id);
  if (embedded && embeddedId !== null && !list.some((r) => idOf(r.value.id) === embeddedId)) list.push({ value: { ...embedded, ticket_id: ticket.id }, where: `${ticket.where} satisfaction_rating` });
  list.sort((a, b) => (dateOf(a.value.created_at)?.getTime() ?? 0) - (dateOf(b.value.created_at)?.getTime() ?? 0) || (idOf(a.value.id) ?? 0) - (idOf(b.value.id) ?? 0));
  const used = new Set<number>();
  for (const [i, { value: r, where }] of list.entries()) {
    const id = idOf(r.id);
    const score = SCORES[String(r.score)];
    if (!score) continue; // "unoffered": there is nothing to keep
    if (id === null) {
      t.run.report.skip('satisfaction_rating', null, where, `a rating of ticket ${ticket.id} has no valid id`);
      continue;
    }
    const createdAt = dateOf(r.created_at) ?? ticket.updatedAt;
    let solvedAt = dateOf(r.ticket_solved_at) ?? (i === list.length - 1 ? ticket.solvedAt : null) ?? createdAt;
    if (used.has(solvedAt.getTime())) solvedAt = createdAt;
    used.add(solvedAt.getTime());
    const row = await tx
      .insertInto('satisfaction_ratings')
      .values({
        id,
        ticket_id: ticket.id,
        ticket_solved_at: solvedAt,
        requester_id: t.run.maps.user.get(idOf(r.requester_id) ?? 0) ?? ticket.requesterId,
        assignee_id: t.run.maps.user.get(idOf(r.assignee_id) ?? 0) ?? null,
        group_id: t.run.maps.group.get(idOf(r.group_id) ?? 0) ?? null,
        score,
        comment: text(r.comment)?.slice(0, 5000) ?? null,
        offered_at: dateOf(r.offered_at) ?? createdAt,
        rated_at: score === 'offered' ? null : (dateOf(r.rated_at) ?? dateOf(r.updated_at) ?? createdAt),
        created_at: createdAt,
        updated_at: dateOf(r.updated_at) ?? createdAt,
      })
      .onConflict((oc) => oc.doNothing())
      .returning('id')
      .executeTakeFirst();
    if (row) t.run.report.counts.satisfaction_rating.created++;
    else t.run.report.skip('satisfaction_rating', id, where, `rating ${id} of ticket ${ticket.id}: its id (or its solve) is already in Sundial`);
  }
}
