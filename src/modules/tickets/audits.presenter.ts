import type { Executor } from '../../platform/db.js';
import { iso } from '../accounts/users.presenter.js';
import { presentComment } from './tickets.presenter.js';
import { withAttachments } from './tickets.repository.js';

/** Audits with their events in Zendesk's shape; comment events embed the comment (agents only). */
export async function presentAudits(db: Executor, base: string, audits: { id: number; ticket_id: number; author_id: number | null; via_channel: string; metadata: unknown; created_at: Date }[]) {
  const ids = audits.map((a) => a.id);
  const events = ids.length ? await db.selectFrom('ticket_audit_events').selectAll().where('audit_id', 'in', ids).orderBy('id').execute() : [];
  const commentIds = events.map((e) => e.comment_id).filter((x): x is number => x !== null);
  const comments = commentIds.length ? await withAttachments(db, await db.selectFrom('ticket_comments').selectAll().where('id', 'in', commentIds).execute()) : [];
  const commentById = new Map(comments.map((c) => [c.id, c]));
  return (audit: (typeof audits)[number]) => ({
    id: audit.id,
    ticket_id: audit.ticket_id,
    created_at: iso(audit.created_at),
    author_id: audit.author_id ?? -1,
    via: { channel: audit.via_channel, source: { from: {}, to: {}, rel: audit.via_channel === 'rule' ? 'automation' : null } },
    metadata: { system: {}, custom: audit.metadata ?? {} },
    events: events
      .filter((e) => e.audit_id === audit.id)
      .map((e) => {
        if (e.type === 'Comment' && e.comment_id && commentById.has(e.comment_id)) return { ...presentComment(base, commentById.get(e.comment_id)!), id: e.id, comment_id: e.comment_id };
        return e.type === 'Change'
          ? { id: e.id, type: e.type, field_name: e.field_name, value: e.value, previous_value: e.previous_value }
          : { id: e.id, type: e.type, field_name: e.field_name, value: e.value };
      }),
  });
}
