import type { Executor } from '../../platform/db.js';
import type { Ticket } from '../../platform/db-types.js';
import { resourceUrl } from '../../platform/http.js';
import type { Actor } from '../accounts/actor.js';
import { commentBodies, sanitizeCommentHtml, textToHtml } from '../tickets/comment-body.js';
import { applyTagEdit } from '../tickets/tags.service.js';
import { tagList } from './actions.js';
import { customFieldId } from './conditions.js';
import { loadPlaceholderData, placeholderValues, renderPlaceholders } from './placeholders.js';
import type { Macro } from './rules.presenter.js';

const commentText = (value: unknown) => String(Array.isArray(value) ? value[value.length - 1] : (value ?? ''));

/**
 * What applying a macro would change (Zendesk's "show changes to ticket"): nothing is saved; the
 * agent's client sends the result with its own ticket update. With a ticket, placeholders in the
 * comment and subject are filled from it and tag actions yield the resulting tag list; without one,
 * the macro's text is returned as written.
 */
export async function previewMacro(db: Executor, a: { actor: Actor; macro: Macro; ticket: Ticket | null; base: string; publicUrl: string }) {
  const { actor, macro, ticket } = a;
  const values = ticket ? placeholderValues(await loadPlaceholderData(db, a.publicUrl, ticket, actor.user.id)) : null;
  const fill = (text: string, escape: 'text' | 'html' = 'text') => (values ? renderPlaceholders(text, values, escape) : text);

  const result: Record<string, unknown> = ticket ? { id: ticket.id, url: resourceUrl(a.base, `tickets/${ticket.id}`) } : {};
  const tags: { set?: string[]; add: string[]; remove: string[] } = { add: [], remove: [] };
  const custom: { id: number; value: unknown }[] = [];
  const bodies: string[] = [];
  const htmlBodies: string[] = [];
  let isPublic: boolean | null = null;

  for (const { field, value } of macro.actions) {
    const fieldId = customFieldId(field);
    if (fieldId !== null) {
      custom.push({ id: fieldId, value });
      continue;
    }
    switch (field) {
      case 'status':
      case 'priority':
        result[field] = value;
        break;
      case 'type':
        result.type = value === '' ? null : value;
        break;
      case 'subject':
        result.subject = fill(String(value));
        break;
      case 'assignee_id':
        result.assignee_id = value === 'current_user' ? actor.user.id : value === '' || value === null ? null : Number(value);
        break;
      case 'group_id':
        result.group_id = value === 'current_groups' ? (actor.user.default_group_id ?? actor.groupIds[0] ?? null) : value === '' || value === null ? null : Number(value);
        break;
      case 'set_tags':
        tags.set = tagList(value) ?? [];
        break;
      case 'current_tags':
        tags.add.push(...(tagList(value) ?? []));
        break;
      case 'remove_tags':
        tags.remove.push(...(tagList(value) ?? []));
        break;
      case 'comment_value':
        bodies.push(commentText(value));
        break;
      case 'comment_value_html':
        htmlBodies.push(commentText(value));
        break;
      case 'comment_mode_is_public':
        isPublic = String(value) === 'true';
        break;
    }
  }

  if (ticket) {
    if (tags.set || tags.add.length || tags.remove.length) result.tags = applyTagEdit(ticket.tags, tags);
  } else if (tags.set) {
    result.tags = applyTagEdit([], tags);
  } else {
    if (tags.add.length) result.additional_tags = [...new Set(tags.add)];
    if (tags.remove.length) result.remove_tags = [...new Set(tags.remove)];
  }
  if (custom.length) {
    result.custom_fields = custom;
    result.fields = custom;
  }

  const out: Record<string, unknown> = { ticket: result };
  if (bodies.length || htmlBodies.length) {
    // HTML given by the macro wins (sanitized, placeholders HTML-escaped); else the text becomes HTML.
    const html = htmlBodies.length ? sanitizeCommentHtml(fill(htmlBodies.join(''), 'html')) : textToHtml(fill(bodies.join('\n\n')));
    const body = htmlBodies.length ? commentBodies({ html_body: html }).body : fill(bodies.join('\n\n'));
    out.comment = { body, html_body: html, public: isPublic ?? true, scoped_body: [['channel:all', body]] };
  } else if (isPublic !== null) {
    out.comment = { body: '', html_body: '', public: isPublic, scoped_body: [] };
  }
  return { result: out };
}
