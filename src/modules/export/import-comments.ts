import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { StoredBlob } from '../../platform/blob-store.js';
import { safeFileName } from '../tickets/attachments.service.js';
import { htmlToText, sanitizeCommentHtml, textToHtml } from '../tickets/comment-body.js';
import { viaChannel } from './incremental.presenter.js';
import { dateOf, idOf, text, type ImportRun } from './import-run.js';
import { isObject, type CommentIndex, type Json, type RawComment } from './zendesk-files.js';

/** A source comment, checked and mapped to Sundial ids, ready to insert. */
export interface ImportComment {
  id: number;
  authorId: number;
  body: string;
  html: string;
  public: boolean;
  createdAt: Date;
  /** The audit it belonged to in the source, kept as its id when possible. */
  auditId: number | null;
  via: string;
  attachments: ImportAttachment[];
  where: string;
}

export interface ImportAttachment {
  id: number;
  fileName: string;
  contentType: string;
  /** The file under the export directory. */
  path: string;
  sha256: string | null;
  where: string;
  stored?: StoredBlob;
}

/**
 * The bytes of attachment `id`: `attachments/<id>` (a file), `attachments/<id>/<file name>` (the only
 * file of that folder), or the comment's `content_url` when it is a path inside the export.
 */
export function attachmentFile(dir: string, id: number, contentUrl: unknown): string | null {
  const direct = join(dir, 'attachments', String(id));
  if (existsSync(direct)) {
    const st = statSync(direct);
    if (st.isFile()) return direct;
    if (st.isDirectory()) {
      const first = readdirSync(direct).sort().map((f) => join(direct, f)).find((f) => statSync(f).isFile());
      if (first) return first;
    }
  }
  const url = text(contentUrl);
  if (url && !/^[a-z][a-z0-9+.-]*:/i.test(url)) {
    const path = resolve(dir, url);
    // Only inside the export: a crafted content_url must not read other files.
    if (!relative(resolve(dir), path).startsWith('..') && existsSync(path) && statSync(path).isFile()) return path;
  }
  return null;
}

/**
 * The comments of one source ticket, de-duplicated by id (the first source wins: per-ticket files,
 * then comment files, then ticket events), checked and in time order. Comments that cannot be
 * imported (no id, author not imported) and attachments without their file are reported.
 */
export async function commentsForTicket(run: ImportRun, index: CommentIndex, ticket: { id: number; via: string; createdAt: Date; embedded: unknown }): Promise<ImportComment[]> {
  const bad = (b: { where: string; reason: string }) => run.report.skip('file', null, b.where, b.reason);
  const raw: RawComment[] = [
    ...(Array.isArray(ticket.embedded) ? ticket.embedded.filter(isObject).map((value, i) => ({ value, where: `ticket ${ticket.id} comments[${i}]` })) : []),
    ...(await index.commentsOf(ticket.id, bad)),
  ];
  const seen = new Set<number>();
  const out: ImportComment[] = [];
  for (const r of raw) {
    const c = normalizeComment(run, r, ticket);
    if (!c || seen.has(c.id)) continue;
    seen.add(c.id);
    out.push(c);
  }
  return out.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id - b.id);
}

function normalizeComment(run: ImportRun, r: RawComment, ticket: { id: number; via: string; createdAt: Date }): ImportComment | null {
  const c = r.value;
  const e: Json = r.event ?? {};
  const id = idOf(c.id);
  if (id === null) {
    run.report.skip('comment', null, r.where, `a comment of ticket ${ticket.id} has no valid id`);
    return null;
  }
  const sourceAuthor = idOf(c.author_id) ?? idOf(e.updater_id);
  const authorId = sourceAuthor === null ? undefined : run.maps.user.get(sourceAuthor);
  if (authorId === undefined) {
    run.report.skip('comment', id, r.where, `comment ${id} of ticket ${ticket.id}: its author ${sourceAuthor ?? '(none)'} was not imported`);
    return null;
  }
  const html = text(c.html_body);
  const plain = text(c.body) ?? text(c.plain_body);
  const bodies = html !== null && html.trim() !== '' ? { html: sanitizeCommentHtml(html), body: plain ?? htmlToText(html) } : { body: plain ?? '', html: textToHtml(plain ?? '') };
  const via = isObject(c.via) ? text(c.via.channel) : text(c.via);
  const attachments: ImportAttachment[] = [];
  for (const a of Array.isArray(c.attachments) ? c.attachments.filter(isObject) : []) {
    const attachmentId = idOf(a.id);
    if (attachmentId === null) {
      run.report.skip('attachment', null, r.where, `an attachment of comment ${id} has no valid id`);
      continue;
    }
    const path = attachmentFile(run.dir, attachmentId, a.content_url);
    if (!path) {
      run.report.skip('attachment', attachmentId, r.where, `attachment ${attachmentId} of comment ${id}: no file at attachments/${attachmentId}`);
      continue;
    }
    attachments.push({
      id: attachmentId,
      fileName: safeFileName(text(a.file_name) ?? `attachment-${attachmentId}`),
      contentType: text(a.content_type) ?? 'application/octet-stream',
      path,
      sha256: text(a.sha256),
      where: r.where,
    });
  }
  return {
    id,
    authorId,
    ...bodies,
    public: typeof c.public === 'boolean' ? c.public : c.comment_public !== false,
    createdAt: dateOf(c.created_at) ?? dateOf(e.created_at) ?? dateOf(e.timestamp) ?? ticket.createdAt,
    auditId: idOf(c.audit_id) ?? idOf(e.id),
    via: via ? (r.event ? viaChannel(via) : via) : ticket.via,
    attachments,
    where: r.where,
  };
}

/**
 * Copies attachment bytes into the blob store (before the ticket's transaction, which then only
 * records them). A file whose SHA-256 differs from the one the export states is refused.
 */
export async function storeAttachments(run: ImportRun, comments: ImportComment[]): Promise<StoredBlob[]> {
  const stored: StoredBlob[] = [];
  for (const c of comments) {
    const kept: ImportAttachment[] = [];
    for (const a of c.attachments) {
      const blob = await run.ctx.blobs.put(createReadStream(a.path), Number.MAX_SAFE_INTEGER);
      if (a.sha256 && a.sha256.toLowerCase() !== blob.sha256) {
        await run.ctx.blobs.delete(blob.key);
        run.report.skip('attachment', a.id, a.where, `attachment ${a.id}: the file's SHA-256 is not the one the export states`);
        continue;
      }
      stored.push(blob);
      kept.push({ ...a, stored: blob });
    }
    c.attachments = kept;
  }
  return stored;
}
