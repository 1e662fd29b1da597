import type { Executor } from '../../platform/db.js';
import type { Organization, Ticket } from '../../platform/db-types.js';
import { iso } from '../accounts/users.presenter.js';
import { presentOrganization } from '../accounts/organizations.presenter.js';
import { presentComment, type TicketExtras } from '../tickets/tickets.presenter.js';
import { commentAttachments } from '../tickets/comments.repository.js';
import { presentTickets } from '../tickets/ticket-views.js';
import type { AuditRow } from './incremental.repository.js';

/** Zendesk names the channel of a ticket event in words ("Web form", "Mail", "Web service"). */
const VIA_NAMES: Record<string, string> = { web: 'Web form', email: 'Mail', api: 'Web service', rule: 'Rule', mobile: 'Mobile', chat: 'Chat', voice: 'Voice', import: 'Import' };
export const viaName = (channel: string) => VIA_NAMES[channel] ?? channel.charAt(0).toUpperCase() + channel.slice(1);
/** The reverse of viaName, for imports that read ticket events. */
export const viaChannel = (name: string | null | undefined) =>
  (Object.entries(VIA_NAMES).find(([, v]) => v.toLowerCase() === String(name ?? '').toLowerCase())?.[0] ?? String(name ?? 'web').toLowerCase()) || 'web';

/**
 * Tickets as the incremental export shows them: the agent ticket object, with deleted tickets kept
 * and shown with `status: "deleted"` (Zendesk's convention; their `updated_at` is when they were deleted).
 */
export async function presentExportTickets(db: Executor, base: string, rows: Ticket[], extras: Map<number, TicketExtras>) {
  const present = await presentTickets(db, base, rows, extras);
  return rows.map((t) => {
    const shown = present(t);
    return t.deleted_at ? { ...shown, status: 'deleted' } : shown;
  });
}

/** An organization in the export, with `deleted_at` so deleted organizations can be told apart. */
export const presentExportOrganization = (base: string, o: Organization) => ({ ...presentOrganization(base, o), deleted_at: iso(o.deleted_at) });

/**
 * Audits as Zendesk's incremental ticket events: one event per audit with its `child_events`.
 * Changes carry Zendesk's keyed form (`"status": "solved", "previous_value": "open"`) as well as
 * `field_name`/`value`; comments appear only with `include=comment_events`, with the comment's id.
 */
export async function presentTicketEvents(db: Executor, base: string, audits: AuditRow[], options: { comments: boolean }) {
  const ids = audits.map((a) => a.id);
  const events = ids.length ? await db.selectFrom('ticket_audit_events').selectAll().where('audit_id', 'in', ids).orderBy('id').execute() : [];
  const commentIds = events.map((e) => e.comment_id).filter((x): x is number => x !== null);
  const rows = commentIds.length ? await db.selectFrom('ticket_comments').selectAll().select(commentAttachments).where('id', 'in', commentIds).execute() : [];
  const publicById = new Map(rows.map((c) => [c.id, c.public]));
  const commentById = new Map(options.comments ? rows.map((c) => [c.id, c]) : []);
  const byAudit = new Map<number, typeof events>();
  for (const e of events) byAudit.set(e.audit_id, [...(byAudit.get(e.audit_id) ?? []), e]);

  return audits.map((a) => {
    const via = viaName(a.via_channel);
    const mine = byAudit.get(a.id) ?? [];
    const commentEvents = mine.filter((e) => e.type === 'Comment' && e.comment_id !== null);
    const child_events = mine.flatMap((e): Record<string, unknown>[] => {
      const common = { via, via_reference_id: null };
      if (e.type === 'Comment') {
        const c = e.comment_id !== null ? commentById.get(e.comment_id) : undefined;
        if (!c) return [];
        return [{ ...presentComment(base, c), ...common, event_type: 'Comment', comment_present: true, comment_public: c.public }];
      }
      const keyed = e.field_name && !/^\d+$/.test(e.field_name) ? { [e.field_name]: e.value } : {};
      const tags =
        e.field_name === 'tags' && e.type === 'Change'
          ? { added_tags: diff(e.value, e.previous_value), removed_tags: diff(e.previous_value, e.value) }
          : e.field_name === 'tags' && e.type === 'Create'
            ? { added_tags: Array.isArray(e.value) ? e.value : [], removed_tags: [] }
            : {};
      return [
        {
          id: e.id,
          ...common,
          event_type: e.type,
          field_name: e.field_name,
          value: e.value,
          ...(e.type === 'Change' ? { previous_value: e.previous_value } : {}),
          ...keyed,
          ...tags,
        },
      ];
    });
    return {
      id: a.id,
      ticket_id: a.ticket_id,
      timestamp: Math.floor(a.created_at.getTime() / 1000),
      created_at: iso(a.created_at),
      updater_id: a.author_id ?? -1,
      via,
      system: {},
      metadata: { system: {}, custom: a.metadata ?? {} },
      event_type: 'Audit',
      comment_present: commentEvents.length > 0,
      comment_public: commentEvents.some((e) => publicById.get(e.comment_id!) === true),
      merged_ticket_ids: [],
      child_events,
    };
  });
}

function diff(a: unknown, b: unknown): string[] {
  const left = Array.isArray(a) ? (a as string[]) : [];
  const right = new Set(Array.isArray(b) ? (b as string[]) : []);
  return left.filter((x) => !right.has(x));
}
