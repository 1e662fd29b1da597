import type { TicketComment } from '../../platform/db-types.js';
import { iso } from '../accounts/users.presenter.js';
import type { AttachmentFields } from './tickets.presenter.js';
import { presentComment } from './tickets.presenter.js';

/** A comment as JSON inside its event: its time arrives as an ISO string. */
type CommentJson = Omit<TicketComment, 'created_at'> & { created_at: string; attachments: AttachmentFields[] };

interface AuditEvent {
  id: number;
  type: string;
  field_name: string | null;
  value: unknown;
  previous_value: unknown;
  comment_id: number | null;
  comment: CommentJson | null;
}

/** Audits with their events (`auditEvents`) in Zendesk's shape; comment events embed the comment (agents only). */
export function presentAudits(
  base: string,
  audits: { id: number; ticket_id: number; author_id: number | null; via_channel: string; metadata: unknown; created_at: Date; events: AuditEvent[] }[],
) {
  return (audit: (typeof audits)[number]) => ({
    id: audit.id,
    ticket_id: audit.ticket_id,
    created_at: iso(audit.created_at),
    author_id: audit.author_id ?? -1,
    via: { channel: audit.via_channel, source: { from: {}, to: {}, rel: audit.via_channel === 'rule' ? 'automation' : null } },
    metadata: { system: {}, custom: audit.metadata ?? {} },
    events: audit.events.map((e) => {
      if (e.type === 'Comment' && e.comment) return { ...presentComment(base, { ...e.comment, created_at: new Date(e.comment.created_at) }), id: e.id, comment_id: e.comment_id };
      return e.type === 'Change'
        ? { id: e.id, type: e.type, field_name: e.field_name, value: e.value, previous_value: e.previous_value }
        : { id: e.id, type: e.type, field_name: e.field_name, value: e.value };
    }),
  });
}
