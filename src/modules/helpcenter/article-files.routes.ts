import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { baseUrl, parseId } from '../../platform/http.js';
import { requireAgent } from '../../permissions/guards.js';
import { addArticleAttachment, deleteArticleAttachment, findArticleAttachment, listArticleAttachments } from './article-files.service.js';
import { presentArticleAttachment } from './helpcenter.presenter.js';

const idParam = (req: FastifyRequest) => parseId((req.params as Record<string, string>).id);

/**
 * Article images and files. Uploads take the raw file as the body with `?filename=` (as
 * /api/v2/uploads does; Zendesk's multipart form is not needed by Sundial's editor); files are read by
 * whoever can read the article, images in place and everything else as a download.
 */
export async function registerArticleFileRoutes(app: FastifyInstance, ctx: AppContext) {
  await app.register(async (scoped) => {
    scoped.removeAllContentTypeParsers();
    scoped.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
    scoped.post('/api/v2/help_center/articles/:id/attachments', async (req, reply) => {
      const body = (req.body as Readable | undefined) ?? req.raw;
      const actor = (() => {
        try {
          return requireAgent(req);
        } catch (e) {
          body.resume();
          throw e;
        }
      })();
      const q = req.query as Record<string, unknown>;
      const fileName = typeof q.filename === 'string' ? q.filename : '';
      if (!fileName.trim()) {
        body.resume();
        throw new AppError('RecordInvalid', 'Record validation errors', { filename: [{ description: 'Filename: cannot be blank (pass ?filename=)', error: 'BlankValue' }] });
      }
      const att = await addArticleAttachment(ctx, {
        actor,
        articleId: idParam(req),
        fileName,
        body,
        declaredLength: req.headers['content-length'] ? Number(req.headers['content-length']) : undefined,
        inline: q.inline === undefined ? undefined : String(q.inline) === 'true',
      });
      return reply.code(201).send({ article_attachment: presentArticleAttachment(baseUrl(req), att) });
    });
  });

  app.get('/api/v2/help_center/articles/:id/attachments', async (req) => {
    const rows = await listArticleAttachments(ctx, req.actor, idParam(req));
    return { article_attachments: rows.map((a) => presentArticleAttachment(baseUrl(req), a)) };
  });
  app.get('/api/v2/help_center/articles/attachments/:id', async (req) => ({
    article_attachment: presentArticleAttachment(baseUrl(req), await findArticleAttachment(ctx, req.actor, idParam(req))),
  }));
  app.get('/api/v2/help_center/articles/attachments/:id/content', async (req, reply) => {
    const att = await findArticleAttachment(ctx, req.actor, idParam(req));
    const encoded = encodeURIComponent(att.file_name);
    const disposition = att.inline ? 'inline' : 'attachment';
    return reply
      .header('Content-Type', att.content_type)
      .header('Content-Length', String(att.size))
      .header('Content-Disposition', `${disposition}; filename="${att.file_name.replace(/[^\x20-\x7e]|"/g, '_')}"; filename*=UTF-8''${encoded}`)
      .header('X-Content-Type-Options', 'nosniff')
      .header('Content-Security-Policy', "sandbox; default-src 'none'")
      .header('Cache-Control', 'private, max-age=300')
      .send(ctx.blobs.get(att.storage_key));
  });
  app.delete('/api/v2/help_center/articles/attachments/:id', async (req, reply) => {
    await deleteArticleAttachment(ctx, requireAgent(req), idParam(req));
    return reply.code(204).send();
  });
}
