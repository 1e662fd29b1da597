import type { Executor } from '../../platform/db.js';
import { iso } from '../accounts/users.presenter.js';
import { commentAttachments } from './comments.repository.js';
import { presentComment } from './tickets.presenter.js';

interface AuditEvent {
  id: number;
  type: string;
  field_name: string | null;
  value: unknown;
  previous_value: unknown;
  comment_id: number | null;
}

/**
 * Audits with their events in Zendesk's shape; comment events embed the comment (agents only). The
 * audits come with their events (`auditEvents`); their comments are one more statement.
 */
export async function presentAudits(
  db: Executor,
  base: string,
  audits: { id: number; ticket_id: number; author_id: number | null; via_channel: string; metadata: unknown; created_at: Date; events: AuditEvent[] }[],
) {
  const commentIds = audits.flatMap((a) => a.events.map((e) => e.comment_id)).filter((x): x is number => x !== null);
  const comments = commentIds.length ? await db.selectFrom('ticket_comments').selectAll().select(commentAttachments).where('id', 'in', commentIds).execute() : [];
  const commentById = new Map(comments.map((c) => [c.id, c]));
  return (audit: (typeof audits)[number]) => ({
    id: audit.id,
    ticket_id: audit.ticket_id,
    created_at: iso(audit.created_at),
    author_id: audit.author_id ?? -1,
    via: { channel: audit.via_channel, source: { from: {}, to: {}, rel: audit.via_channel === 'rule' ? 'automation' : null } },
    metadata: { system: {}, custom: audit.metadata ?? {} },
    events: audit.events.map((e) => {
      if (e.type === 'Comment' && e.comment_id && commentById.has(e.comment_id)) return { ...presentComment(base, commentById.get(e.comment_id)!), id: e.id, comment_id: e.comment_id };
      return e.type === 'Change'
        ? { id: e.id, type: e.type, field_name: e.field_name, value: e.value, previous_value: e.previous_value }
        : { id: e.id, type: e.type, field_name: e.field_name, value: e.value };
    }),
  });
}
