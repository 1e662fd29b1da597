import type { ExpressionBuilder } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { Database } from '../../platform/db-types.js';

/**
 * A comment's attachments (not deleted, in id order) as a JSON column of a `ticket_comments` query:
 * comments and their files come in one statement instead of two.
 */
export const commentAttachments = (eb: ExpressionBuilder<Database, 'ticket_comments'>) => jsonArrayFrom(attachmentsOf(eb)).as('attachments');

/** As commentAttachments, with where each file is stored: for exports that copy the files. */
export const commentFiles = (eb: ExpressionBuilder<Database, 'ticket_comments'>) => jsonArrayFrom(attachmentsOf(eb).select('attachments.storage_key')).as('attachments');

const attachmentsOf = (eb: ExpressionBuilder<Database, 'ticket_comments'>) =>
  eb
    .selectFrom('attachments')
    .select(['attachments.id', 'attachments.file_name', 'attachments.content_type', 'attachments.size', 'attachments.sha256', 'attachments.deleted_at'])
    .whereRef('attachments.comment_id', '=', 'ticket_comments.id')
    .where('attachments.deleted_at', 'is', null)
    .orderBy('attachments.id');
