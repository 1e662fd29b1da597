import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';
import { htmlToText } from '../tickets/comment-body.js';

// HTML inside markdown is allowed so Zendesk clients that send HTML bodies keep their markup; whatever
// markdown-it produces is then sanitized, so raw HTML gets no further than the allow-list below.
const markdown = new MarkdownIt({ html: true, linkify: true, breaks: false });

const ARTICLE_HTML: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'b', 'strong', 'i', 'em', 'u', 's', 'del', 'a', 'ul', 'ol', 'li', 'blockquote', 'code', 'pre', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'span', 'div', 'img'],
  allowedAttributes: { a: ['href', 'title'], img: ['src', 'alt', 'title', 'width', 'height'], th: ['align'], td: ['align'], ol: ['start'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  // Images come from this help center's attachments or https; no data: URLs (they can hide SVG script).
  allowedSchemesByTag: { img: ['https', 'http'] },
  allowProtocolRelative: false,
  transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer nofollow' }) },
};

/** Markdown (or HTML) source → sanitized HTML for readers, and its plain text for search and snippets. */
export function renderArticleBody(source: string): { html: string; text: string } {
  const html = sanitizeHtml(markdown.render(source), ARTICLE_HTML);
  return { html, text: htmlToText(html) };
}
