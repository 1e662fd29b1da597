import type { Readable } from 'node:stream';
import type { AppContext } from '../../platform/context.js';
import type { Executor } from '../../platform/db.js';
import type { Attachment } from '../../platform/db-types.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import { newSecret } from '../../platform/secrets.js';
import type { Actor } from '../accounts/actor.js';
import { canSeeComment, canSeeTicket } from '../../permissions/tickets.js';
import { loadTicketRelations } from './tickets.repository.js';

const UPLOAD_TTL_MS = 60 * 60_000;

const TYPES: Record<string, string> = {
  png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp', txt: 'text/plain', log: 'text/plain',
  json: 'application/json', pdf: 'application/pdf', zip: 'application/zip', gz: 'application/gzip', tgz: 'application/gzip',
  csv: 'text/csv', yaml: 'application/yaml', yml: 'application/yaml', mp4: 'video/mp4', mov: 'video/quicktime', html: 'text/html', svg: 'image/svg+xml',
};

/** Strips directories, control characters and reserved characters: the name is only ever a label. */
export function safeFileName(raw: string): string {
  const base = raw.split(/[\\/]/).pop() ?? '';
  const cleaned = base.replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '').replace(/^\.+/, '').trim().slice(0, 255);
  return cleaned || 'attachment';
}

function contentTypeFor(fileName: string, declared: string | undefined): string {
  const ext = fileName.split('.').pop()?.toLowerCase() ?? '';
  const clean = declared?.split(';')[0].trim().toLowerCase();
  if (clean && clean !== 'application/binary' && clean !== 'application/octet-stream' && /^[a-z]+\/[a-z0-9.+-]+$/.test(clean)) return clean;
  return TYPES[ext] ?? 'application/octet-stream';
}

/**
 * Streams one file into storage and adds it to an upload (a new one, or the caller's existing `token`).
 * The size limit is enforced while streaming; nothing is recorded for a rejected file.
 */
export async function uploadFile(
  ctx: AppContext,
  input: { actor: Actor; fileName: string; contentType?: string; token?: string; body: Readable; declaredLength?: number },
): Promise<{ token: string; expiresAt: Date; attachments: Attachment[] }> {
  const max = ctx.config.maxUploadBytes;
  if (input.declaredLength !== undefined && input.declaredLength > max) {
    input.body.resume();
    throw new AppError('PayloadTooLarge', `The file is larger than the ${Math.floor(max / 1048576)} MB limit`);
  }
  let existing = null;
  if (input.token) {
    existing = await ctx.db.selectFrom('uploads').selectAll().where('token', '=', input.token).where('uploader_id', '=', input.actor.user.id).executeTakeFirst();
    if (!existing || existing.consumed_at || existing.expires_at.getTime() < Date.now()) {
      input.body.resume();
      throw invalid('token', 'Token: is not a valid, unused upload token of yours');
    }
  }
  const fileName = safeFileName(input.fileName);
  const stored = await ctx.blobs.put(input.body, max);
  try {
    return await ctx.db.transaction().execute(async (tx) => {
      const upload =
        existing ??
        (await tx
          .insertInto('uploads')
          .values({ token: newSecret(18), uploader_id: input.actor.user.id, expires_at: new Date(Date.now() + UPLOAD_TTL_MS) })
          .returningAll()
          .executeTakeFirstOrThrow());
      await tx
        .insertInto('attachments')
        .values({
          upload_id: upload.id,
          uploader_id: input.actor.user.id,
          file_name: fileName,
          content_type: contentTypeFor(fileName, input.contentType),
          size: stored.size,
          sha256: stored.sha256,
          storage_key: stored.key,
        })
        .execute();
      const attachments = await tx.selectFrom('attachments').selectAll().where('upload_id', '=', upload.id).where('deleted_at', 'is', null).orderBy('id').execute();
      return { token: upload.token, expiresAt: upload.expires_at, attachments };
    });
  } catch (e) {
    await ctx.blobs.delete(stored.key);
    throw e;
  }
}

/** Deletes an upload that has not been attached yet. */
export async function deleteUpload(ctx: AppContext, actor: Actor, token: string): Promise<void> {
  const keys = await ctx.db.transaction().execute(async (tx) => {
    const upload = await tx.selectFrom('uploads').selectAll().where('token', '=', token).where('uploader_id', '=', actor.user.id).where('consumed_at', 'is', null).forUpdate().executeTakeFirst();
    if (!upload) throw notFound();
    const rows = await tx.deleteFrom('attachments').where('upload_id', '=', upload.id).returning('storage_key').execute();
    await tx.deleteFrom('uploads').where('id', '=', upload.id).execute();
    return rows.map((r) => r.storage_key);
  });
  await Promise.all(keys.map((k) => ctx.blobs.delete(k)));
}

/**
 * Moves the files of `tokens` onto a comment. Tokens must belong to the author, be unused and unexpired;
 * consuming them under a row lock means one upload can never end up on two comments.
 */
export async function attachUploads(tx: Executor, input: { tokens: string[]; uploaderId: number; ticketId: number; commentId: number }): Promise<number> {
  if (!input.tokens.length) return 0;
  const uploads = await tx.selectFrom('uploads').selectAll().where('token', 'in', input.tokens).forUpdate().execute();
  for (const token of input.tokens) {
    const u = uploads.find((x) => x.token === token);
    if (!u || u.uploader_id !== input.uploaderId || u.consumed_at || u.expires_at.getTime() < Date.now()) {
      throw invalid('uploads', `Uploads: ${token.slice(0, 40)} is not a valid, unused upload token of the comment's author`);
    }
  }
  const ids = uploads.map((u) => u.id);
  await tx.updateTable('uploads').set({ consumed_at: new Date() }).where('id', 'in', ids).execute();
  const res = await tx.updateTable('attachments').set({ ticket_id: input.ticketId, comment_id: input.commentId }).where('upload_id', 'in', ids).executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/**
 * An attachment the actor may read: their own pending upload, or a file on a comment they can see.
 * Everything else is "not found", so ids cannot be probed.
 */
export async function getVisibleAttachment(ctx: AppContext, actor: Actor, id: number): Promise<Attachment> {
  const att = await ctx.db.selectFrom('attachments').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
  if (!att) throw notFound();
  if (!att.comment_id || !att.ticket_id) {
    // Not attached yet: private to whoever uploaded it.
    if (att.uploader_id === actor.user.id) return att;
    throw notFound();
  }
  const comment = await ctx.db.selectFrom('ticket_comments').select(['public']).where('id', '=', att.comment_id).executeTakeFirst();
  const ticket = await ctx.db.selectFrom('tickets').selectAll().where('id', '=', att.ticket_id).executeTakeFirst();
  if (!comment || !ticket) throw notFound();
  const rel = await loadTicketRelations(ctx.db, ticket.id, actor);
  if (!canSeeTicket(actor, ticket, rel) || !canSeeComment(actor, comment)) throw notFound();
  return att;
}

/** Types a browser would render or execute are served as opaque bytes. */
export function downloadContentType(stored: string): string {
  return /html|xml|svg|javascript|ecmascript/i.test(stored) ? 'application/octet-stream' : stored;
}
