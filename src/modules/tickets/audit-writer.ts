import type { Executor } from '../../platform/db.js';
import type { Database, Ticket, TicketAuditEventsTable, TicketCommentsTable } from '../../platform/db-types.js';
import { sql, type Insertable, type QueryCreator, type RawBuilder, type UpdateQueryBuilder } from 'kysely';
import { compiledOnce } from '../../platform/compiled-once.js';
import { ticketColumns } from '../../platform/columns.js';
import { announceLive } from '../../platform/live.js';

const changedColumns = ticketColumns.map((c) => c.replace(/^tickets\./, 'change.') as `change.${keyof Ticket & string}`);

/** A ticket's UPDATE … RETURNING its columns, to run within the statement that writes its audit. */
export type TicketChange = (db: QueryCreator<Database>) => UpdateQueryBuilder<Database, 'tickets', 'tickets', Ticket>;

export interface AuditEvent {
  /**
   * Page: Premier on-call paging (field_name: paged, escalated, acknowledged, resolved); agents only.
   * SatisfactionRating: a survey offered (value {score: 'offered', rating_id, recipient_id}) or a rating
   * given or changed (value {score, comment, rating_id, assignee_id, previous}).
   * Notification: a mail sent by a rule (value {kind, recipients, reminder?}).
   */
  type: 'Create' | 'Change' | 'Comment' | 'FollowUp' | 'Page' | 'SatisfactionRating' | 'Notification';
  field_name?: string;
  value?: unknown;
  previous_value?: unknown;
  comment_id?: number;
}

const openAudit = compiledOnce((db, p: { ticketId: number; authorId: number | null; via: string; metadata: string }) =>
  db.insertInto('ticket_audits').values({ ticket_id: p.ticketId, author_id: p.authorId, via_channel: p.via, metadata: p.metadata }).returning(['id', 'created_at']),
);

/**
 * The audit's events as one SELECT over arrays, in their order: one statement text for any number of
 * events (a VALUES list would make a prepared statement per count). The audit's own comment is the
 * `comment` CTE the statement inserts with them.
 */
const EVENT_COLUMNS = ['audit_id', 'type', 'field_name', 'value', 'previous_value', 'comment_id'] as const;

function eventRows(auditId: number | RawBuilder<number>, events: AuditEvent[], withComment: boolean) {
  const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));
  const own = events.map((e) => withComment && e.type === 'Comment' && e.comment_id === undefined);
  return sql<Insertable<TicketAuditEventsTable>>`(
    SELECT ${auditId}::bigint, e.type, e.field_name, e.value, e.previous_value,
      CASE WHEN e.own THEN ${withComment ? sql`(SELECT id FROM comment)` : sql`NULL::bigint`} ELSE e.comment_id END
    FROM unnest(${events.map((e) => e.type)}::text[], ${events.map((e) => e.field_name ?? null)}::text[], ${events.map((e) => json(e.value))}::jsonb[],
      ${events.map((e) => json(e.previous_value))}::jsonb[], ${events.map((e) => e.comment_id ?? null)}::bigint[], ${own}::boolean[])
      WITH ORDINALITY AS e(type, field_name, value, previous_value, comment_id, own, n)
    ORDER BY e.n)`;
}

/**
 * Collects the events of one change to a ticket and writes them as one audit, in the caller's
 * transaction, so the history can never disagree with the ticket.
 */
export class AuditWriter {
  readonly events: AuditEvent[] = [];
  /** The audit's comment, written with its events at flush, and what needs its id once written (its files). */
  private pendingComment: { row: Insertable<TicketCommentsTable>; then?: (tx: Executor, commentId: number) => Promise<unknown> } | null = null;

  /** Adds the audit's comment (one per audit) and its Comment event; `then` runs once the comment has its id. */
  comment(row: Omit<Insertable<TicketCommentsTable>, 'audit_id'>, then?: (tx: Executor, commentId: number) => Promise<unknown>) {
    if (this.pendingComment) throw new Error('An audit holds one comment');
    this.pendingComment = { row: row as Insertable<TicketCommentsTable>, then };
    this.events.push({ type: 'Comment', value: null });
  }

  create(field: string, value: unknown) {
    if (value === null || value === undefined || (Array.isArray(value) && !value.length)) return;
    this.events.push({ type: 'Create', field_name: field, value });
  }

  change(field: string, previous: unknown, value: unknown) {
    if (JSON.stringify(previous ?? null) === JSON.stringify(value ?? null)) return;
    this.events.push({ type: 'Change', field_name: field, value: value ?? null, previous_value: previous ?? null });
  }

  record(type: 'Page', field: string, value: unknown) {
    this.events.push({ type, field_name: field, value });
  }

  async open(tx: Executor, ticketId: number, authorId: number | null, via: string, metadata: Record<string, unknown> = {}): Promise<number> {
    const [audit] = await openAudit(tx, { ticketId, authorId, via, metadata: JSON.stringify(metadata) });
    // Every change to a ticket goes through an audit, so this is the one place that tells open pages.
    await announceLive(tx, { type: 'ticket', ticket_id: ticketId, author_id: authorId, at: audit.created_at.toISOString() });
    return audit.id;
  }

  /**
   * Opens the audit and writes its comment and events in one statement (the audit's id comes from
   * its own CTE): for the writes that collect every event before writing, one round trip instead of
   * two while the ticket's row is locked.
   */
  async write(tx: Executor, ticketId: number, authorId: number | null, via: string, metadata: Record<string, unknown> = {}): Promise<number> {
    const [row] = await this.statement(tx, ticketId, authorId, via, metadata).selectFrom('audit').select(['audit.id', 'audit.created_at', (eb) => eb.selectFrom('comment').select('comment.id').as('comment_id')]).execute();
    await this.written(tx, ticketId, authorId, row);
    return row.id;
  }

  /**
   * Like write, with the ticket's own UPDATE (`change`, returning the ticket's columns) in the same
   * statement: the change and its history in one round trip. Returns the changed row, or undefined
   * when `change` matched none; the caller must then roll back, which takes the audit with it.
   */
  async writeWithChange(tx: Executor, ticketId: number, authorId: number | null, via: string, metadata: Record<string, unknown>, change: TicketChange): Promise<{ auditId: number; ticket: Ticket | undefined }> {
    const [row] = await this.statement(tx.with('change', change), ticketId, authorId, via, metadata)
      .selectFrom('audit')
      .leftJoin('change', (join) => join.onTrue())
      // Named, not `change.*`: the statement stays prepared (prepared-statements.ts).
      .select(changedColumns)
      .select(['audit.id as audit_id', 'audit.created_at as audit_created_at', (eb) => eb.selectFrom('comment').select('comment.id').as('comment_id')])
      .execute();
    const { audit_id, audit_created_at, comment_id, ...ticket } = row;
    if (ticket.id === null) return { auditId: audit_id, ticket: undefined };
    await this.written(tx, ticketId, authorId, { id: audit_id, created_at: audit_created_at, comment_id });
    return { auditId: audit_id, ticket: ticket as Ticket };
  }

  /** The audit, its comment and its events as CTEs (`audit`, `comment`, `events`) of one statement. */
  private statement<DB extends Database>(db: QueryCreator<DB>, ticketId: number, authorId: number | null, via: string, metadata: Record<string, unknown>) {
    const comment = this.pendingComment;
    const auditIdOf = sql<number>`(SELECT id FROM audit)`;
    // Without a comment, `comment` is an empty SELECT, so what follows refers to it the same way either way.
    return (db as unknown as QueryCreator<Database>)
      .with('audit', (db) => db.insertInto('ticket_audits').values({ ticket_id: ticketId, author_id: authorId, via_channel: via, metadata: JSON.stringify(metadata) }).returning(['id', 'created_at']))
      .with('comment', (db) => (comment ? db.insertInto('ticket_comments').values({ ...comment.row, audit_id: auditIdOf }).returning('id') : db.selectNoFrom(sql<number>`NULL::bigint`.as('id')).where(sql<boolean>`false`)))
      .with('events', (db) =>
        db
          .insertInto('ticket_audit_events')
          .columns(EVENT_COLUMNS)
          .expression(eventRows(auditIdOf, this.events, comment !== null))
          .returning(['type', 'comment_id']),
      ) as unknown as QueryCreator<DB & { audit: { id: number; created_at: Date }; comment: { id: number }; events: { type: string; comment_id: number | null } }>;
  }

  /** What follows a written audit: open pages are told, and the comment's files get its id. */
  private async written(tx: Executor, ticketId: number, authorId: number | null, row: { id: number; created_at: Date; comment_id: number | null }): Promise<void> {
    await announceLive(tx, { type: 'ticket', ticket_id: ticketId, author_id: authorId, at: row.created_at.toISOString() });
    if (this.pendingComment) await this.pendingComment.then?.(tx, Number(row.comment_id));
  }

  /** Writes the events (and the comment with them, in the same statement). */
  async flush(tx: Executor, auditId: number): Promise<void> {
    if (!this.events.length) return;
    const comment = this.pendingComment;
    const events = eventRows(auditId, this.events, comment !== null);
    if (!comment) {
      await tx.insertInto('ticket_audit_events').columns(EVENT_COLUMNS).expression(events).execute();
      return;
    }
    const rows = await tx
      .with('comment', (db) => db.insertInto('ticket_comments').values({ ...comment.row, audit_id: auditId }).returning('id'))
      .insertInto('ticket_audit_events')
      .columns(EVENT_COLUMNS)
      .expression(events)
      .returning(['type', 'comment_id'])
      .execute();
    const commentId = rows.find((r) => r.type === 'Comment' && r.comment_id !== null)!.comment_id!;
    await comment.then?.(tx, commentId);
  }
}
