import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';

/**
 * Reading an export directory (the layout is documented in zendesk-import.ts). Every record file may
 * be NDJSON (one value per line), one JSON array, or API page envelopes (`{"tickets": [...], ...}`,
 * one per file or one per line); `<kind>/` may hold many such files (pages), read in name order.
 * NDJSON is streamed; a whole-file JSON document is parsed in memory, so big exports should use NDJSON.
 */

export type Json = Record<string, unknown>;

export interface SourceRecord {
  value: Json;
  /** "tickets.jsonl:12" — where the record came from, for the report. */
  where: string;
  /** Position in the stream of this kind: the same on every pass over unchanged files. */
  seq: number;
}

export interface BadLine {
  where: string;
  reason: string;
}

/** The envelope keys of each kind: Zendesk's plural list key and singular key. */
const ENVELOPE_KEYS: Record<string, [string, string]> = {
  organizations: ['organizations', 'organization'],
  groups: ['groups', 'group'],
  group_memberships: ['group_memberships', 'group_membership'],
  users: ['users', 'user'],
  tickets: ['tickets', 'ticket'],
  satisfaction_ratings: ['satisfaction_ratings', 'satisfaction_rating'],
  ticket_events: ['ticket_events', 'ticket_event'],
  ticket_comments: ['comments', 'comment'],
};

const DATA_FILE = /\.(json|jsonl|ndjson)$/i;

/** The files holding records of `kind`: `<kind>.json|.jsonl|.ndjson` and `<kind>/*` in name order. */
export function filesOf(dir: string, kind: string): string[] {
  const files = ['json', 'jsonl', 'ndjson'].map((ext) => join(dir, `${kind}.${ext}`)).filter((f) => existsSync(f) && statSync(f).isFile());
  const sub = join(dir, kind);
  if (existsSync(sub) && statSync(sub).isDirectory()) {
    files.push(...readdirSync(sub).filter((f) => DATA_FILE.test(f)).sort().map((f) => join(sub, f)));
  }
  return files;
}

export interface Line {
  text: string;
  offset: number;
  length: number;
  number: number;
}

/** Lines of a file with their byte offsets (split on LF bytes, so multi-byte UTF-8 is never cut). */
export async function* linesOf(path: string): AsyncGenerator<Line> {
  let carry = Buffer.alloc(0);
  let offset = 0;
  let number = 0;
  for await (const chunk of createReadStream(path)) {
    let buf = carry.length ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
    let nl: number;
    while ((nl = buf.indexOf(0x0a)) !== -1) {
      number++;
      yield { text: buf.subarray(0, nl).toString('utf8'), offset, length: nl, number };
      offset += nl + 1;
      buf = buf.subarray(nl + 1);
    }
    carry = Buffer.from(buf);
  }
  if (carry.length) yield { text: carry.toString('utf8'), offset, length: carry.length, number: number + 1 };
}

/** The records one parsed JSON value holds: an array, an envelope (plural or singular key) or one record. */
export function recordsIn(value: unknown, kind: string): Json[] {
  const [plural, singular] = ENVELOPE_KEYS[kind] ?? [kind, kind];
  if (Array.isArray(value)) return value.filter(isObject);
  if (!isObject(value)) return [];
  // `{"ticket_id": 5, "comments": [...]}` names its ticket: kept whole, the comment reader expands it.
  if (kind === 'ticket_comments' && value.ticket_id !== undefined && Array.isArray(value.comments)) return [value];
  if (Array.isArray(value[plural])) return (value[plural] as unknown[]).filter(isObject);
  if (isObject(value[singular]) && value.id === undefined) return [value[singular] as Json];
  return [value];
}

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A file is read line by line when it says so (.jsonl/.ndjson) or when it is not one JSON document. */
async function wholeDocument(path: string): Promise<unknown | undefined> {
  if (!/\.json$/i.test(path)) return undefined;
  const text = await readFile(path, 'utf8');
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** One JSON value of a file: the whole document, or one NDJSON line with its byte range. */
interface FileValue {
  value: unknown;
  where: string;
  line?: Line;
}

/** The values of one file. Lines that are not JSON are reported through `bad` and skipped. */
async function* valuesOf(dir: string, path: string, bad: (b: BadLine) => void): AsyncGenerator<FileValue> {
  const name = path.slice(dir.length + 1);
  const whole = await wholeDocument(path);
  if (whole !== undefined) {
    yield { value: whole, where: name };
    return;
  }
  for await (const line of linesOf(path)) {
    if (!line.text.trim()) continue;
    let value: unknown;
    try {
      value = JSON.parse(line.text);
    } catch (e) {
      bad({ where: `${name}:${line.number}`, reason: `not valid JSON (${(e as Error).message})` });
      continue;
    }
    yield { value, where: `${name}:${line.number}`, line };
  }
}

/** Every record of `kind`, in a stable order; one broken line does not stop an import. */
export async function* readRecords(dir: string, kind: string, bad: (b: BadLine) => void): AsyncGenerator<SourceRecord> {
  let seq = 0;
  for (const path of filesOf(dir, kind)) {
    for await (const v of valuesOf(dir, path, bad)) {
      const records = recordsIn(v.value, kind);
      for (let i = 0; i < records.length; i++) yield { value: records[i], where: records.length > 1 ? `${v.where}[${i}]` : v.where, seq: seq++ };
    }
  }
}

/** Where comments of one ticket are: lines of NDJSON files (read back by offset) or values parsed in memory. */
type CommentLocation = { kind: CommentKind; where: string } & ({ path: string; offset: number; length: number } | { inline: Json });
type CommentKind = 'ticket_comments' | 'ticket_events';

/** A comment as found in any of the supported sources, before it is checked. */
export interface RawComment {
  value: Json;
  where: string;
  /** The audit (ticket event) it came in, when read from ticket events. */
  event?: Json;
}

export interface MaxIds {
  comment: number;
  audit: number;
  attachment: number;
}

/**
 * Finds every ticket's comments without holding them all in memory: a first pass over
 * `ticket_comments.*` and `ticket_events.*` records, per ticket, the byte ranges of the lines that
 * mention it (whole-file JSON documents stay parsed in memory); `comments/<ticket id>.json` files are
 * read when their ticket is imported. The same pass finds the largest comment, audit and attachment
 * ids, so sequences can be moved past them before anything is inserted.
 */
export class CommentIndex {
  private readonly locations = new Map<number, CommentLocation[]>();
  readonly max: MaxIds = { comment: 0, audit: 0, attachment: 0 };

  private constructor(private readonly dir: string) {}

  static async build(dir: string, bad: (b: BadLine) => void): Promise<CommentIndex> {
    const index = new CommentIndex(dir);
    for (const kind of ['ticket_comments', 'ticket_events'] as const) {
      for (const path of filesOf(dir, kind)) {
        for await (const v of valuesOf(dir, path, bad)) {
          recordsIn(v.value, kind).forEach((value, i) =>
            index.add(value, v.line ? { kind, path, offset: v.line.offset, length: v.line.length, where: v.where } : { kind, inline: value, where: `${v.where}[${i}]` }),
          );
        }
      }
    }
    const perTicket = join(dir, 'comments');
    if (existsSync(perTicket) && statSync(perTicket).isDirectory()) {
      for (const file of readdirSync(perTicket).filter((f) => DATA_FILE.test(f))) {
        const ticketId = Number(basename(file).replace(DATA_FILE, ''));
        if (!Number.isSafeInteger(ticketId)) continue;
        // Broken lines of these files are reported when their ticket is imported.
        for (const c of await index.perTicketFile(ticketId, () => undefined)) index.noteIds(c.value);
      }
    }
    return index;
  }

  private add(value: Json, location: CommentLocation) {
    const comments = location.kind === 'ticket_events' ? commentsOfEvent(value, location.where) : commentsOfRecord(value, location.where);
    const ticketId = Number(value.ticket_id);
    if (!comments.length || !Number.isSafeInteger(ticketId)) return;
    for (const c of comments) this.noteIds(c.value, c.event);
    const list = this.locations.get(ticketId) ?? [];
    const last = list[list.length - 1];
    // Several comments of a line are one location.
    if (!last || !('path' in last) || !('path' in location) || last.offset !== location.offset || last.path !== location.path) list.push(location);
    this.locations.set(ticketId, list);
  }

  private noteIds(c: Json, event?: Json) {
    const id = (v: unknown) => (Number.isSafeInteger(Number(v)) ? Number(v) : 0);
    this.max.comment = Math.max(this.max.comment, id(c.id));
    this.max.audit = Math.max(this.max.audit, id(c.audit_id ?? event?.id));
    for (const a of Array.isArray(c.attachments) ? c.attachments : []) if (isObject(a)) this.max.attachment = Math.max(this.max.attachment, id(a.id));
  }

  private async perTicketFile(ticketId: number, bad: (b: BadLine) => void): Promise<RawComment[]> {
    const out: RawComment[] = [];
    for (const ext of ['json', 'jsonl', 'ndjson']) {
      const path = join(this.dir, 'comments', `${ticketId}.${ext}`);
      if (!existsSync(path)) continue;
      for await (const v of valuesOf(this.dir, path, bad)) recordsIn(v.value, 'ticket_comments').forEach((r, i) => out.push(...commentsOfRecord(r, `${v.where}[${i}]`)));
    }
    return out;
  }

  /** Every comment found for a ticket, per-ticket files and comment files before ticket events. */
  async commentsOf(ticketId: number, bad: (b: BadLine) => void): Promise<RawComment[]> {
    const out = await this.perTicketFile(ticketId, bad);
    const fromEvents: RawComment[] = [];
    for (const loc of this.locations.get(ticketId) ?? []) {
      let value: unknown;
      if ('inline' in loc) value = loc.inline;
      else {
        const handle = await open(loc.path, 'r');
        try {
          const buf = Buffer.alloc(loc.length);
          await handle.read(buf, 0, loc.length, loc.offset);
          value = JSON.parse(buf.toString('utf8'));
        } finally {
          await handle.close();
        }
      }
      const isEvents = loc.kind === 'ticket_events';
      for (const record of 'inline' in loc ? [value as Json] : recordsIn(value, loc.kind)) {
        if (Number(record.ticket_id) !== ticketId) continue;
        if (isEvents) fromEvents.push(...commentsOfEvent(record, loc.where));
        else out.push(...commentsOfRecord(record, loc.where));
      }
    }
    return [...out, ...fromEvents];
  }
}

/** `{ticket_id, comments: [...]}` (one line per ticket) or a comment object that names its ticket. */
function commentsOfRecord(value: Json, where: string): RawComment[] {
  if (Array.isArray(value.comments)) return value.comments.filter(isObject).map((c, i) => ({ value: { ticket_id: value.ticket_id, ...c }, where: `${where} comment ${i + 1}` }));
  return value.id !== undefined ? [{ value, where }] : [];
}

/** The Comment child events of one ticket event (`include=comment_events`). */
function commentsOfEvent(event: Json, where: string): RawComment[] {
  const children = Array.isArray(event.child_events) ? event.child_events.filter(isObject) : [];
  return children.filter((c) => c.event_type === 'Comment' || c.type === 'Comment').map((c) => ({ value: c, where: `${where} event ${String(event.id ?? '')}`, event }));
}
