/**
 * Where the nodes' background work lands, counted at the receiving end: an SMTP server for mail (the
 * tests' MailCatcher) and an HTTP receiver for pages (the tests' WebhookReceiver, posing as PagerDuty's
 * Events API). What the database says was sent is the expectation; what arrived is compared with it
 * one by one, so a mail or page sent twice by two nodes, or never, shows up by name.
 */
import type pg from 'pg';
import { MailCatcher } from '../../test/mail-catcher.js';
import { WebhookReceiver } from '../../test/webhook-receiver.js';

export interface Receivers {
  mail: MailCatcher;
  hooks: WebhookReceiver;
  /** The paging target (kind pagerduty) that points at `hooks`. */
  targetId: number;
  /** Mail rows and page deliveries before the benchmark: only later ones are counted. */
  mailIdBefore: number;
}

export interface Tally {
  what: string;
  expected: number;
  received: number;
  /** Sent more than once: (extra copies). */
  duplicates: number;
  missing: number;
  /** Arrived without a row that says it was sent. */
  unexpected: number;
}

export async function startReceivers(db: pg.Client): Promise<Receivers> {
  const mail = await new MailCatcher().start();
  const hooks = await new WebhookReceiver().start();
  const { rows } = await db.query(
    "INSERT INTO paging_targets (name, kind, url, routing_key, active) VALUES ('bench nodes receiver', 'pagerduty', $1, 'bench-nodes', true) RETURNING id::int",
    [`${hooks.url}/pagerduty`],
  );
  const before = await db.query('SELECT coalesce(max(id), 0)::int AS id FROM mail_outbox');
  return { mail, hooks, targetId: rows[0].id, mailIdBefore: before.rows[0].id };
}

export async function stopReceivers(db: pg.Client, r: Receivers, keepTarget: boolean): Promise<void> {
  // A kept database must not page a receiver that no longer listens.
  if (keepTarget) await db.query('UPDATE paging_targets SET active = false WHERE id = $1', [r.targetId]);
  await r.mail.stop();
  await r.hooks.stop();
}

/** Compares expected keys (one per row that must arrive once) with the keys that arrived. */
function tally(what: string, expected: string[], arrived: string[]): Tally {
  const want = new Set(expected);
  const seen = new Map<string, number>();
  for (const k of arrived) seen.set(k, (seen.get(k) ?? 0) + 1);
  let duplicates = 0;
  let unexpected = 0;
  for (const [k, n] of seen) {
    if (!want.has(k)) unexpected += n;
    else duplicates += n - 1;
  }
  const missing = [...want].filter((k) => !seen.has(k)).length;
  return { what, expected: want.size, received: arrived.length, duplicates, missing, unexpected };
}

/**
 * Every mail queued from the start until `cutoff`, by kind, against the Message-IDs the SMTP server
 * received. Mail queued after the cutoff (background sweeps go on) is left out on both sides; a message
 * that matches no row at all counts as unexpected.
 */
export async function tallyMail(db: pg.Client, r: Receivers, cutoff: Date, ticketIds: number[] | null = null): Promise<Tally[]> {
  const { rows: every } = await db.query<{ message_id: string; kind: string; late: boolean }>(
    'SELECT message_id, kind, created_at > $3 AS late FROM mail_outbox WHERE id > $1 AND ($2::bigint[] IS NULL OR ticket_id = ANY($2)) ORDER BY id',
    [r.mailIdBefore, ticketIds, cutoff],
  );
  const rows = every.filter((m) => !m.late);
  const late = new Set(every.filter((m) => m.late).map((m) => m.message_id));
  const kindOf = new Map(rows.map((m) => [m.message_id, m.kind]));
  const arrived = r.mail.messages.map((m) => m.messageId).filter((id) => !late.has(id));
  const kinds = [...new Set(rows.map((m) => m.kind))].sort();
  const scope = ticketIds ? ' (these tickets)' : '';
  // On a kept database, mail queued by an earlier run and still unsent then is delivered by this run's nodes:
  // the durable queue doing its job, listed apart rather than as unexpected.
  const unknown = arrived.filter((id) => !kindOf.has(id));
  const earlier = ticketIds || !unknown.length ? [] : (await db.query<{ message_id: string }>('SELECT message_id FROM mail_outbox WHERE id <= $1 AND message_id = ANY($2)', [r.mailIdBefore, unknown])).rows.map((m) => m.message_id);
  const earlierSet = new Set(earlier);
  return [
    tally(`mail, all kinds${scope}`, rows.map((m) => m.message_id), ticketIds ? arrived.filter((id) => kindOf.has(id)) : arrived.filter((id) => !earlierSet.has(id))),
    ...(earlier.length ? [tally('mail queued before this run (kept database), delivered during it', earlier, unknown.filter((id) => earlierSet.has(id)))] : []),
    ...kinds.map((k) => tally(`mail "${k}"${scope}`, rows.filter((m) => m.kind === k).map((m) => m.message_id), arrived.filter((id) => kindOf.get(id) === k))),
  ];
}

/** Every page delivery to the receiver's target until `cutoff`, by event, against what PagerDuty would have received. */
export async function tallyPages(db: pg.Client, r: Receivers, cutoff: Date, pageIds: number[] | null = null): Promise<Tally[]> {
  const { rows } = await db.query<{ page_id: number; event: string; send_no: number }>(
    'SELECT page_id::int, event, send_no FROM page_deliveries WHERE target_id = $1 AND ($2::bigint[] IS NULL OR page_id = ANY($2)) AND created_at <= $3',
    [r.targetId, pageIds, cutoff],
  );
  // Acknowledge and resolve happen once per page; a trigger once per send of the page.
  const key = (page: number | string, event: string, send: number | string | undefined) => `${page}|${event}|${event === 'trigger' ? send : '-'}`;
  const arrived = r.hooks.received
    .filter((h) => h.path === '/pagerduty')
    .map((h) => key(String(h.body?.dedup_key ?? '').replace('sundial-page-', ''), h.body?.event_action, h.body?.payload?.custom_details?.send))
    .filter((k) => !pageIds || pageIds.some((p) => k.startsWith(`${p}|`)));
  const scope = pageIds ? ' (these pages)' : '';
  return ['trigger', 'acknowledge', 'resolve'].map((event) =>
    tally(`page ${event}${scope}`, rows.filter((d) => d.event === event).map((d) => key(d.page_id, d.event, d.send_no)), arrived.filter((k) => k.includes(`|${event}|`))),
  );
}

/**
 * Waits until every mail row and page delivery queued up to `cutoff` has been sent (or has failed for
 * good), then `graceMs` for late copies, and checks again: a transaction that began before the cutoff
 * may commit its rows after the first look.
 */
export async function drained(db: pg.Client, r: Receivers, cutoff: Date, timeoutMs: number, graceMs = 5000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (let quietLooks = 0; quietLooks < 2; ) {
    const { rows } = await db.query(
      `SELECT (SELECT count(*) FROM mail_outbox WHERE id > $1 AND created_at <= $3 AND sent_at IS NULL)::int AS mail,
              (SELECT count(*) FROM page_deliveries WHERE target_id = $2 AND created_at <= $3 AND status = 'queued')::int AS pages`,
      [r.mailIdBefore, r.targetId, cutoff],
    );
    if (rows[0].mail === 0 && rows[0].pages === 0) {
      quietLooks++;
      await new Promise((res) => setTimeout(res, graceMs));
      continue;
    }
    quietLooks = 0;
    if (Date.now() > deadline) return false;
    await new Promise((res) => setTimeout(res, 500));
  }
  return true;
}
