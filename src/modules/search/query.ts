/**
 * Zendesk's search syntax (spec zendesk-api §7.1), parsed into terms: free words and quoted phrases,
 * `key:value`, `key<value`, `key>value`, `key<=value`, `key>=value`, a leading `-` to negate, a
 * trailing `*` as a prefix wildcard. Values may be quoted: `organization:"Northwind Logistics"`.
 */
export type Operator = ':' | '<' | '>' | '<=' | '>=';

export interface TextTerm {
  kind: 'text';
  text: string;
  phrase: boolean;
  prefix: boolean;
  negated: boolean;
}

export interface FieldTerm {
  kind: 'field';
  key: string;
  op: Operator;
  value: string;
  negated: boolean;
}

export type Term = TextTerm | FieldTerm;

export class QueryError extends Error {}

const TOKEN = /(-?)(?:([A-Za-z_][\w.]*)(<=|>=|:|<|>)("([^"]*)"|[^\s"]*)|"([^"]*)"|(\S+))/g;

export function parseQuery(query: string): Term[] {
  if (query.length > 2000) throw new QueryError('The query is longer than 2000 characters');
  const terms: Term[] = [];
  for (const m of query.matchAll(TOKEN)) {
    const negated = m[1] === '-';
    if (m[2] !== undefined) {
      const value = m[5] ?? m[4];
      if (value === '') throw new QueryError(`${m[2]}${m[3]} needs a value`);
      terms.push({ kind: 'field', key: m[2].toLowerCase(), op: m[3] as Operator, value, negated });
    } else if (m[6] !== undefined) {
      if (m[6].trim()) terms.push({ kind: 'text', text: m[6].trim(), phrase: true, prefix: false, negated });
    } else if (m[7] !== undefined) {
      const raw = m[7];
      if (raw === '-') continue;
      const prefix = raw.endsWith('*') && raw.length > 1;
      const text = prefix ? raw.slice(0, -1) : raw;
      if (text.replace(/[^\p{L}\p{N}]/gu, '')) terms.push({ kind: 'text', text, phrase: false, prefix, negated });
    }
  }
  return terms;
}

const UNITS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000, week: 7 * 86_400_000, month: 30 * 86_400_000, year: 365 * 86_400_000 };

/**
 * A date value: `2026-11-01`, an ISO date-time, or a relative age such as `4hours`, `2days`, `1week`
 * (meaning that long before `now`). Returns the instant and, for a calendar day, its end.
 */
export function parseDateValue(value: string, now: Date): { start: Date; end: Date } {
  const relative = /^(\d{1,5})\s*(minute|hour|day|week|month|year)s?$/i.exec(value);
  if (relative) {
    const at = new Date(now.getTime() - Number(relative[1]) * UNITS[relative[2].toLowerCase()]);
    return { start: at, end: at };
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const start = new Date(`${value}T00:00:00Z`);
    if (Number.isNaN(start.getTime())) throw new QueryError(`${value} is not a date`);
    return { start, end: new Date(start.getTime() + 86_400_000) };
  }
  const at = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(at.getTime())) {
    throw new QueryError(`${value} is not a date (use YYYY-MM-DD, an ISO time, or an age such as 4hours, 2days, 1week)`);
  }
  return { start: at, end: at };
}
