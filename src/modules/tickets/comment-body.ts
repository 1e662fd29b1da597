import sanitizeHtml from 'sanitize-html';
import { escapeHtml } from '../../platform/html.js';


const ALLOWED = {
  allowedTags: ['p', 'br', 'b', 'strong', 'i', 'em', 'u', 's', 'a', 'ul', 'ol', 'li', 'blockquote', 'code', 'pre', 'h1', 'h2', 'h3', 'h4', 'hr', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'span', 'div'],
  allowedAttributes: { a: ['href', 'title'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer nofollow', target: '_blank' }) },
};

/** Plain text → safe HTML paragraphs, the way Zendesk renders `body`. */
export function textToHtml(text: string): string {
  const paragraphs = text.replace(/\r\n?/g, '\n').split(/\n{2,}/);
  return paragraphs.map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`).join('');
}

export const sanitizeCommentHtml = (html: string) => sanitizeHtml(html, ALLOWED);

export function htmlToText(html: string): string {
  return sanitizeHtml(html.replace(/<br\s*\/?>/gi, '\n').replace(/<\/(p|div|li|h\d|tr)>/gi, '\n'), { allowedTags: [], allowedAttributes: {} })
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Both representations of a comment, from whichever the client sent; HTML is always sanitized. */
export function commentBodies(input: { body?: string; html_body?: string }): { body: string; html: string } {
  if (input.html_body !== undefined && input.html_body.trim() !== '') {
    const html = sanitizeCommentHtml(input.html_body);
    return { body: htmlToText(html), html };
  }
  const body = (input.body ?? '').trim();
  return { body, html: textToHtml(body) };
}
