import type { Executor } from '../../platform/db.js';
import type { Ticket, User } from '../../platform/db-types.js';
import { invalid, Problems } from '../../platform/errors.js';
import { findOrCreateEndUser, findUser } from '../accounts/users.service.js';
import { attachUploads } from './attachments.service.js';
import type { AuditWriter } from './audit-writer.js';
import { commentBodies } from './comment-body.js';
import { MAX_CCS, type CcChange, type CommentInput } from './ticket-input.js';

/** An assignee must be an active agent in the ticket's group (when it has one). */
export async function checkAssignee(db: Executor, assigneeId: number, groupId: number | null): Promise<User> {
  const user = await findUser(db, assigneeId);
  if (!user || user.role === 'end-user' || !user.active || user.suspended) {
    throw invalid('assignee_id', `Assignee: ${assigneeId} is not an active agent`, 'InvalidValue', { ticket_field_type: 'FieldAssignee' });
  }
  if (groupId !== null) {
    const member = await db.selectFrom('group_memberships').select('id').where('user_id', '=', assigneeId).where('group_id', '=', groupId).executeTakeFirst();
    if (!member) throw invalid('assignee_id', `Assignee: ${user.name} is not a member of the ticket's group`, 'InvalidValue', { ticket_field_type: 'FieldAssignee' });
  }
  return user;
}

export async function checkGroup(db: Executor, groupId: number): Promise<void> {
  const group = await db.selectFrom('groups').select('id').where('id', '=', groupId).where('deleted_at', 'is', null).executeTakeFirst();
  if (!group) throw invalid('group_id', `Group: ${groupId} does not exist`);
}

export async function checkOrganization(db: Executor, organizationId: number): Promise<void> {
  const org = await db.selectFrom('organizations').select('id').where('id', '=', organizationId).where('deleted_at', 'is', null).executeTakeFirst();
  if (!org) throw invalid('organization_id', `Organization: ${organizationId} does not exist`);
}

export async function userIdForEmail(db: Executor, email: string): Promise<number> {
  const user = await db.selectFrom('users').select('id').where(({ fn }) => fn('lower', ['email']), '=', email.toLowerCase()).executeTakeFirst();
  if (!user) throw invalid('assignee_email', `Assignee email: ${email} is not a known agent`);
  return user.id;
}

/**
 * Applies CC changes: emails become (possibly new, unverified) end-user accounts, the requester is
 * never their own CC, and a ticket holds at most 48 CCs (Zendesk's limit).
 */
export async function applyCcChanges(tx: Executor, ticket: Ticket, changes: CcChange[], audit: AuditWriter): Promise<void> {
  if (!changes.length) return;
  const current = (await tx.selectFrom('ticket_collaborators').select('user_id').where('ticket_id', '=', ticket.id).execute()).map((r) => r.user_id);
  const next = new Set(current);
  for (const change of changes) {
    let userId = change.userId;
    if (userId === undefined && change.email) {
      userId = change.action === 'delete'
        ? (await tx.selectFrom('users').select('id').where(({ fn }) => fn('lower', ['email']), '=', change.email.toLowerCase()).executeTakeFirst())?.id
        : (await findOrCreateEndUser(tx, change.email, change.name)).id;
    } else if (userId !== undefined) {
      const exists = await tx.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst();
      if (!exists) throw invalid('email_ccs', `Email CCs: user ${userId} does not exist`);
    }
    if (userId === undefined) continue;
    if (change.action === 'delete') next.delete(userId);
    else if (userId !== ticket.requester_id) next.add(userId);
  }
  if (next.size > MAX_CCS) throw invalid('email_ccs', `Email CCs: a ticket can have at most ${MAX_CCS} CCs`, 'TooMany');
  const added = [...next].filter((id) => !current.includes(id));
  const removed = current.filter((id) => !next.has(id));
  if (added.length) await tx.insertInto('ticket_collaborators').values(added.map((user_id) => ({ ticket_id: ticket.id, user_id }))).execute();
  if (removed.length) await tx.deleteFrom('ticket_collaborators').where('ticket_id', '=', ticket.id).where('user_id', 'in', removed).execute();
  audit.change('collaborator_ids', current, [...next]);
}

export interface WrittenComment {
  public: boolean;
  authorId: number;
  authorIsEndUser: boolean;
  body: string;
  html: string;
}

/** Validates a comment before anything is written, so a bad one leaves the ticket untouched. */
export function checkComment(comment: CommentInput, problems: Problems, field = 'comment'): { body: string; html: string } | null {
  const bodies = commentBodies({ body: comment.body, html_body: comment.htmlBody });
  if (!bodies.body && !(comment.uploads?.length)) {
    problems.add(field === 'description' ? 'description' : 'comment', `${field === 'description' ? 'Description' : 'Comment'}: cannot be blank`, 'BlankValue');
    return null;
  }
  if (bodies.body.length > 65_535) problems.add('comment', 'Comment: is too long (maximum is 65535 characters)', 'ValueTooLong');
  return bodies;
}

/** Adds a comment to the audit, written when the audit is flushed; its files are attached then. */
export function writeComment(
  input: { ticketId: number; author: User; isPublic: boolean; body: string; html: string; via: string; uploads: string[]; uploaderId: number; mailMessageId?: string },
  audit: AuditWriter,
): WrittenComment {
  audit.comment(
    {
      ticket_id: input.ticketId,
      author_id: input.author.id,
      body: input.body,
      html_body: input.html,
      public: input.isPublic,
      via_channel: input.via,
      mail_message_id: input.mailMessageId ?? null,
    },
    input.uploads.length ? (tx, commentId) => attachUploads(tx, { tokens: input.uploads, uploaderId: input.uploaderId, ticketId: input.ticketId, commentId }) : undefined,
  );
  return { public: input.isPublic, authorId: input.author.id, authorIsEndUser: input.author.role === 'end-user', body: input.body, html: input.html };
}

export async function resolveRequester(tx: Executor, input: { requesterId?: number; requester?: { email: string; name?: string } }, fallback: User): Promise<User> {
  if (input.requesterId !== undefined) {
    const user = await findUser(tx, input.requesterId);
    if (!user) throw invalid('requester_id', `Requester: ${input.requesterId} does not exist`);
    return user;
  }
  if (input.requester) return findOrCreateEndUser(tx, input.requester.email, input.requester.name);
  return fallback;
}
