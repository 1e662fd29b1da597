import type { FastifyInstance } from 'fastify';
import type { Readable } from 'node:stream';
import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { baseUrl, parseId } from '../../platform/http.js';
import { requireActor, requireVerified } from '../../permissions/guards.js';
import { iso } from '../accounts/users.presenter.js';
import { deleteUpload, downloadContentType, getVisibleAttachment, uploadFile } from './attachments.service.js';
import { presentAttachment } from './tickets.presenter.js';

/** Uploads take the raw file as the body (Zendesk's API); attachments are served as downloads only. */
export async function registerUploadRoutes(app: FastifyInstance, ctx: AppContext) {
  await app.register(async (scoped) => {
    // Any content type is a file here, JSON included: hand the raw stream to storage unparsed.
    scoped.removeAllContentTypeParsers();
    scoped.addContentTypeParser('*', (_req, payload, done) => done(null, payload));

    scoped.post('/api/v2/uploads', async (req, reply) => {
      const actor = requireActor(req);
      if (actor.user.role === 'end-user') requireVerified(actor);
      const q = req.query as Record<string, unknown>;
      const fileName = typeof q.filename === 'string' ? q.filename : '';
      if (!fileName.trim()) {
        (req.body as Readable | undefined)?.resume();
        throw new AppError('RecordInvalid', 'Record validation errors', { filename: [{ description: 'Filename: cannot be blank (pass ?filename=)', error: 'BlankValue' }] });
      }
      const length = req.headers['content-length'] ? Number(req.headers['content-length']) : undefined;
      const body = (req.body as Readable | undefined) ?? req.raw;
      const upload = await uploadFile(ctx, {
        actor,
        fileName,
        contentType: req.headers['content-type'],
        token: typeof q.token === 'string' && q.token ? q.token : undefined,
        body,
        declaredLength: length,
      });
      const base = baseUrl(req);
      const attachments = upload.attachments.map((a) => presentAttachment(base, a));
      return reply.code(201).send({ upload: { token: upload.token, expires_at: iso(upload.expiresAt), attachments, attachment: attachments[attachments.length - 1] } });
    });
  });

  app.delete('/api/v2/uploads/:token', async (req, reply) => {
    const actor = requireActor(req);
    await deleteUpload(ctx, actor, String((req.params as { token: string }).token));
    return reply.code(204).send();
  });

  app.get('/api/v2/attachments/:id', async (req) => {
    const actor = requireActor(req);
    const att = await getVisibleAttachment(ctx, actor, parseId((req.params as { id: string }).id));
    return { attachment: presentAttachment(baseUrl(req), att) };
  });

  app.get('/api/v2/attachments/:id/content', async (req, reply) => {
    const actor = requireActor(req);
    const att = await getVisibleAttachment(ctx, actor, parseId((req.params as { id: string }).id));
    const encoded = encodeURIComponent(att.file_name);
    return reply
      .header('Content-Type', downloadContentType(att.content_type))
      .header('Content-Length', String(att.size))
      .header('Content-Disposition', `attachment; filename="${att.file_name.replace(/[^\x20-\x7e]|"/g, '_')}"; filename*=UTF-8''${encoded}`)
      .header('X-Content-Type-Options', 'nosniff')
      .header('Content-Security-Policy', "sandbox; default-src 'none'")
      .header('Cache-Control', 'private, no-store')
      .send(ctx.blobs.get(att.storage_key));
  });
}
