import type { Readable } from 'node:stream';
import type { AppContext } from '../../platform/context.js';
import type { Selectable } from 'kysely';
import type { HelpArticleAttachmentsTable } from '../../platform/db-types.js';
import { AppError, forbidden, notFound } from '../../platform/errors.js';
import { canAuthorArticles } from '../../permissions/articles.js';
import type { Actor } from '../accounts/actor.js';
import { safeFileName } from '../tickets/attachments.service.js';
import { findArticle } from './articles.service.js';

export type ArticleAttachment = Selectable<HelpArticleAttachmentsTable>;

// Only raster images are shown in place; everything else (SVG included, which can carry script) is
// served as a download, whatever the uploader declared.
const INLINE_IMAGES: Record<string, string> = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp' };

const imageTypeOf = (fileName: string) => INLINE_IMAGES[fileName.split('.').pop()?.toLowerCase() ?? ''];

/** Streams a file into the blob store and attaches it to an article the author may edit. */
export async function addArticleAttachment(
  ctx: AppContext,
  input: { actor: Actor; articleId: number; fileName: string; body: Readable; declaredLength?: number; inline?: boolean },
): Promise<ArticleAttachment> {
  if (!canAuthorArticles(input.actor)) {
    input.body.resume();
    throw forbidden();
  }
  await findArticle(ctx.db, input.actor, input.articleId).catch((e) => {
    input.body.resume();
    throw e;
  });
  const max = ctx.config.maxUploadBytes;
  if (input.declaredLength !== undefined && input.declaredLength > max) {
    input.body.resume();
    throw new AppError('PayloadTooLarge', `The file is larger than the ${Math.floor(max / 1048576)} MB limit`);
  }
  const fileName = safeFileName(input.fileName);
  const image = imageTypeOf(fileName);
  const stored = await ctx.blobs.put(input.body, max);
  try {
    return await ctx.db
      .insertInto('help_article_attachments')
      .values({
        article_id: input.articleId,
        uploader_id: input.actor.user.id,
        file_name: fileName,
        content_type: image ?? 'application/octet-stream',
        size: stored.size,
        sha256: stored.sha256,
        storage_key: stored.key,
        inline: (input.inline ?? !!image) && !!image,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (e) {
    await ctx.blobs.delete(stored.key);
    throw e;
  }
}

export async function listArticleAttachments(ctx: AppContext, actor: Actor | null, articleId: number): Promise<ArticleAttachment[]> {
  await findArticle(ctx.db, actor, articleId);
  return ctx.db.selectFrom('help_article_attachments').selectAll().where('article_id', '=', articleId).orderBy('id').execute();
}

/** A file is readable by whoever may read its article (anonymous readers of public articles too). */
export async function findArticleAttachment(ctx: AppContext, actor: Actor | null, id: number): Promise<ArticleAttachment> {
  const att = await ctx.db.selectFrom('help_article_attachments').selectAll().where('id', '=', id).executeTakeFirst();
  if (!att) throw notFound();
  await findArticle(ctx.db, actor, att.article_id);
  return att;
}

export async function deleteArticleAttachment(ctx: AppContext, actor: Actor, id: number): Promise<void> {
  if (!canAuthorArticles(actor)) throw forbidden();
  const row = await ctx.db.deleteFrom('help_article_attachments').where('id', '=', id).returning('storage_key').executeTakeFirst();
  if (!row) throw notFound();
  await ctx.blobs.delete(row.storage_key);
}
