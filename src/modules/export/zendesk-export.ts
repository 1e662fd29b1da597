import { createWriteStream, existsSync, statSync, type WriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { AppContext } from '../../platform/context.js';
import { iso } from '../accounts/users.presenter.js';
import { presentGroup, presentMembership } from '../accounts/groups.presenter.js';
import { presentRating } from '../satisfaction/satisfaction.presenter.js';
import { presentComment } from '../tickets/tickets.presenter.js';
import { commentFiles } from '../tickets/comments.repository.js';
import { decodeCursor, MAX_PER_PAGE, type Position } from './incremental.paging.js';
import { organizationsByCursor, ticketsByCursor, usersByCursor, type CursorResult, type ExportScope } from './incremental.service.js';

/**
 * `sundial export zendesk <dir>`: writes Sundial out in the layout `sundial import zendesk` reads
 * (see zendesk-import.ts), each record in the shape the incremental export API gives it:
 *   organizations.jsonl, groups.jsonl, group_memberships.jsonl, users.jsonl, tickets.jsonl (deleted
 *   tickets with status "deleted"), ticket_comments.jsonl (`{"ticket_id", "comments": [...]}` per
 *   ticket, comments as GET /tickets/{id}/comments shows them), satisfaction_ratings.jsonl (plus the
 *   solve a rating is about), attachments/<id> (the bytes), manifest.json (counts).
 * A snapshot: unlike the API it does not hold back the last minute. Re-running over the same folder
 * rewrites the files and skips attachment files already there with the right size.
 */
export async function exportZendesk(ctx: Pick<AppContext, 'db' | 'blobs' | 'config'>, options: { dir: string; progress?: (phase: string, done: number, total: number) => void }) {
  const dir = resolve(options.dir);
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new Error(`${options.dir} is not a directory`);
  await mkdir(join(dir, 'attachments'), { recursive: true });
  const progress = options.progress ?? (() => undefined);
  // Safe-update stamps may run a few seconds ahead of the clock: a day of margin takes every row.
  const scope: ExportScope = { db: ctx.db, base: ctx.config.publicUrl, until: new Date(Date.now() + 86_400_000) };
  const count = async (table: 'organizations' | 'users' | 'tickets') => Number((await ctx.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const counts: Record<string, number> = {};

  counts.organizations = await walk(join(dir, 'organizations.jsonl'), await count('organizations'), 'organizations', progress, (start) => organizationsByCursor(scope, start));
  counts.users = await walk(join(dir, 'users.jsonl'), await count('users'), 'users', progress, (start) => usersByCursor(scope, start));

  const groups = await ctx.db.selectFrom('groups').selectAll().orderBy('id').execute();
  await writeLines(join(dir, 'groups.jsonl'), groups.map((g) => presentGroup(scope.base, g)));
  const memberships = await ctx.db.selectFrom('group_memberships').selectAll().orderBy('id').execute();
  await writeLines(join(dir, 'group_memberships.jsonl'), memberships.map((m) => presentMembership(scope.base, m)));
  counts.groups = groups.length;
  counts.group_memberships = memberships.length;

  const commentsOut = createWriteStream(join(dir, 'ticket_comments.jsonl'));
  counts.comments = 0;
  counts.attachments = 0;
  counts.tickets = await walk(join(dir, 'tickets.jsonl'), await count('tickets'), 'tickets', progress, async (start) => {
    const page = await ticketsByCursor(scope, start, { excludeDeleted: false });
    const ids = page.rows.map((t) => t.id);
    const rows = ids.length ? await ctx.db.selectFrom('ticket_comments').selectAll().select(commentFiles).where('ticket_id', 'in', ids).orderBy('ticket_id').orderBy('id').execute() : [];
    const byTicket = new Map<number, typeof rows>();
    for (const c of rows) byTicket.set(c.ticket_id, [...(byTicket.get(c.ticket_id) ?? []), c]);
    for (const [ticketId, comments] of byTicket) {
      await write(commentsOut, `${JSON.stringify({ ticket_id: ticketId, comments: comments.map((c) => presentComment(scope.base, c)) })}\n`);
      counts.comments += comments.length;
      for (const a of comments.flatMap((c) => c.attachments)) {
        const path = join(dir, 'attachments', String(a.id));
        if (!existsSync(path) || statSync(path).size !== a.size) await pipeline(ctx.blobs.get(a.storage_key), createWriteStream(path));
        counts.attachments++;
      }
    }
    return page;
  });
  await close(commentsOut);

  const ratings = await ctx.db.selectFrom('satisfaction_ratings').selectAll().orderBy('id').execute();
  await writeLines(
    join(dir, 'satisfaction_ratings.jsonl'),
    ratings.map((r) => ({ ...presentRating(scope.base, r), ticket_solved_at: iso(r.ticket_solved_at), offered_at: iso(r.offered_at), rated_at: iso(r.rated_at) })),
  );
  counts.satisfaction_ratings = ratings.length;
  await writeFile(join(dir, 'manifest.json'), `${JSON.stringify({ format: 'zendesk-incremental-export', producer: 'sundial', exported_at: new Date().toISOString(), base_url: scope.base, counts }, null, 2)}\n`);
  return counts;
}

/** Follows after_cursor from the beginning to end_of_stream, one record per line. */
async function walk(path: string, total: number, phase: string, progress: (phase: string, done: number, total: number) => void, page: (start: { cursor?: Position; startTime?: number; perPage: number }) => Promise<CursorResult<unknown>>) {
  const out = createWriteStream(path);
  let start: { cursor?: Position; startTime?: number; perPage: number } = { startTime: 0, perPage: MAX_PER_PAGE };
  let n = 0;
  progress(phase, 0, total);
  for (;;) {
    const r = await page(start);
    for (const record of r.records) await write(out, `${JSON.stringify(record)}\n`);
    n += r.records.length;
    progress(phase, Math.min(n, total), total);
    if (r.endOfStream) break;
    start = { cursor: decodeCursor(r.afterCursor), perPage: MAX_PER_PAGE };
  }
  await close(out);
  return n;
}

async function writeLines(path: string, records: unknown[]) {
  const out = createWriteStream(path);
  for (const r of records) await write(out, `${JSON.stringify(r)}\n`);
  await close(out);
}

/** Writes with back-pressure, so a big export never buffers the whole file in memory. */
function write(out: WriteStream, chunk: string): Promise<void> {
  return out.write(chunk) ? Promise.resolve() : new Promise((r) => out.once('drain', () => r()));
}

function close(out: WriteStream): Promise<void> {
  return new Promise((resolveClose, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolveClose())));
}
