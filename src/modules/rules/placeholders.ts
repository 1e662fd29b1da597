import type { Executor } from '../../platform/db.js';
import type { Ticket } from '../../platform/db-types.js';
import { latestRatings } from '../satisfaction/ratings.repository.js';
import { escapeHtml } from '../../platform/html.js';

interface Person {
  id: number;
  name: string;
  email: string;
}

/** Everything Zendesk-style placeholders ({{ticket.id}}, {{ticket.requester.name}}, ...) can show. */
export interface PlaceholderData {
  publicUrl: string;
  ticket: Ticket;
  requester: Person | null;
  assignee: Person | null;
  currentUser: Person | null;
  group: { id: number; name: string } | null;
  organization: { id: number; name: string } | null;
  /** Newest first. */
  comments: { body: string; public: boolean; author: string; created_at: Date }[];
  /** Custom field option names by field id and option value. */
  optionTitles: Map<string, Map<string, string>>;
  satisfaction: { score: string; comment: string | null } | null;
}

/** How substituted values are escaped: as-is, inside a JSON string, or as HTML text. */
export type PlaceholderEscape = 'text' | 'json' | 'html';

const title = (s: string | null | undefined) => (s ? s.charAt(0).toUpperCase() + s.slice(1).replace(/_/g, ' ') : '');
const iso = (d: Date | null) => (d ? d.toISOString().replace(/\.\d{3}Z$/, 'Z') : '');
const VIA_TITLES: Record<string, string> = { web: 'Web Form', email: 'Mail', api: 'Web Service', rule: 'Rule' };

function person(prefix: string, p: Person | null): Record<string, string> {
  const [first, ...rest] = (p?.name ?? '').split(/\s+/);
  return {
    [`${prefix}.id`]: p ? String(p.id) : '',
    [`${prefix}.name`]: p?.name ?? '',
    [`${prefix}.first_name`]: p ? first : '',
    [`${prefix}.last_name`]: p ? rest.join(' ') : '',
    [`${prefix}.email`]: p?.email ?? '',
  };
}

/** The value of every supported placeholder, by its name without braces. */
export function placeholderValues(d: PlaceholderData): Record<string, string> {
  const t = d.ticket;
  const host = new URL(d.publicUrl).host;
  const publicComments = d.comments.filter((c) => c.public);
  const formatted = publicComments
    .slice(0, 10)
    .map((c) => `${c.author}, ${iso(c.created_at)}\n\n${c.body}`)
    .join('\n\n----------------------------------------------\n\n');
  const values: Record<string, string> = {
    'ticket.id': String(t.id),
    'ticket.title': t.subject,
    'ticket.subject': t.subject,
    'ticket.description': t.description,
    'ticket.status': title(t.status),
    'ticket.priority': title(t.priority),
    'ticket.ticket_type': title(t.type),
    'ticket.via': VIA_TITLES[t.via_channel] ?? title(t.via_channel),
    'ticket.tags': t.tags.join(' '),
    'ticket.external_id': t.external_id ?? '',
    'ticket.created_at': iso(t.created_at),
    'ticket.updated_at': iso(t.updated_at),
    // Zendesk's {{ticket.url}} has no scheme; {{ticket.link}} has one.
    'ticket.url': `${host}/agent/tickets/${t.id}`,
    'ticket.link': `${d.publicUrl}/agent/tickets/${t.id}`,
    'ticket.account': host,
    'ticket.group.id': d.group ? String(d.group.id) : '',
    'ticket.group.name': d.group?.name ?? '',
    'ticket.organization.id': d.organization ? String(d.organization.id) : '',
    'ticket.organization.name': d.organization?.name ?? '',
    'ticket.latest_comment': d.comments[0]?.body ?? '',
    'ticket.latest_public_comment': publicComments[0]?.body ?? '',
    'ticket.comments_formatted': formatted,
    'ticket.public_comments_formatted': formatted,
    'satisfaction.current_rating': d.satisfaction?.score ?? '',
    'satisfaction.current_comment': d.satisfaction?.comment ?? '',
    ...person('ticket.requester', d.requester),
    ...person('ticket.assignee', d.assignee),
    ...person('current_user', d.currentUser),
  };
  for (const [id, value] of Object.entries(t.custom_fields as Record<string, unknown>)) {
    const text = Array.isArray(value) ? value.join(' ') : value === null || value === undefined ? '' : String(value);
    values[`ticket.ticket_field_${id}`] = text;
    const options = d.optionTitles.get(id);
    values[`ticket.ticket_field_option_title_${id}`] = Array.isArray(value)
      ? value.map((v) => options?.get(String(v)) ?? String(v)).join(', ')
      : (options?.get(text) ?? text);
  }
  return values;
}

/**
 * Replaces `{{name}}` placeholders (spaces inside the braces allowed). Unknown placeholders become
 * empty, as in Zendesk. Values are escaped for where the text goes: a JSON body keeps valid JSON
 * when a ticket title contains quotes, an HTML body cannot be injected into.
 */
export function renderPlaceholders(template: string, values: Record<string, string>, escape: PlaceholderEscape = 'text'): string {
  return template.replace(/\{\{\s*([a-z0-9_.]+)\s*\}\}/gi, (_m, name: string) => {
    const value = values[name.toLowerCase()] ?? '';
    if (escape === 'json') return JSON.stringify(value).slice(1, -1);
    if (escape === 'html') return escapeHtml(value);
    return value;
  });
}

/** Loads what placeholders need for one ticket, as `currentUserId` (the updater; null for rules). */
export async function loadPlaceholderData(db: Executor, publicUrl: string, ticket: Ticket, currentUserId: number | null): Promise<PlaceholderData> {
  const userIds = [ticket.requester_id, ticket.assignee_id, currentUserId].filter((id): id is number => id !== null);
  const users = await db.selectFrom('users').select(['id', 'name', 'email']).where('id', 'in', userIds).execute();
  const byId = (id: number | null) => users.find((u) => u.id === id) ?? null;
  const group = ticket.group_id ? await db.selectFrom('groups').select(['id', 'name']).where('id', '=', ticket.group_id).executeTakeFirst() : undefined;
  const organization = ticket.organization_id ? await db.selectFrom('organizations').select(['id', 'name']).where('id', '=', ticket.organization_id).executeTakeFirst() : undefined;
  const comments = await db
    .selectFrom('ticket_comments')
    .innerJoin('users', 'users.id', 'ticket_comments.author_id')
    .select(['ticket_comments.body', 'ticket_comments.public', 'users.name as author', 'ticket_comments.created_at'])
    .where('ticket_comments.ticket_id', '=', ticket.id)
    .orderBy('ticket_comments.id', 'desc')
    .limit(20)
    .execute();
  const fieldIds = Object.keys(ticket.custom_fields as Record<string, unknown>).map(Number).filter(Number.isSafeInteger);
  const options = fieldIds.length ? await db.selectFrom('ticket_field_options').select(['field_id', 'value', 'name']).where('field_id', 'in', fieldIds).execute() : [];
  const optionTitles = new Map<string, Map<string, string>>();
  for (const o of options) {
    if (!optionTitles.has(String(o.field_id))) optionTitles.set(String(o.field_id), new Map());
    optionTitles.get(String(o.field_id))!.set(o.value, o.name);
  }
  const rating = (await latestRatings(db, [ticket.id])).get(ticket.id);
  return {
    publicUrl,
    ticket,
    requester: byId(ticket.requester_id),
    assignee: byId(ticket.assignee_id),
    currentUser: byId(currentUserId),
    group: group ?? null,
    organization: organization ?? null,
    comments,
    optionTitles,
    satisfaction: rating ? { score: rating.score, comment: rating.comment } : null,
  };
}
