import type { ParsedMail } from 'mailparser';

const header = (mail: ParsedMail, name: string): string => {
  const v = mail.headers.get(name);
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && 'value' in (v as object)) return String((v as { value: unknown }).value);
  return String(v);
};

/**
 * Why this message must not open a ticket or be answered, or null: auto-replies (RFC 3834),
 * bounces, list and bulk mail. Answering any of them risks a mail loop between two robots.
 */
export function automatedMailReason(mail: ParsedMail, envelopeFrom: string | null): string | null {
  const autoSubmitted = header(mail, 'auto-submitted').toLowerCase();
  if (autoSubmitted && autoSubmitted !== 'no') return `automated message (Auto-Submitted: ${autoSubmitted})`;
  const precedence = header(mail, 'precedence').toLowerCase();
  if (['bulk', 'junk', 'list', 'auto_reply'].includes(precedence)) return `bulk or list mail (Precedence: ${precedence})`;
  if (mail.headers.has('x-autoreply') || mail.headers.has('x-autorespond') || header(mail, 'x-auto-response-suppress').toLowerCase().includes('all')) return 'automatic reply (X-Autoreply)';
  // mailparser folds List-Id, List-Unsubscribe and friends into one 'list' header.
  if (mail.headers.has('list') || mail.headers.has('list-id') || mail.headers.has('list-unsubscribe')) return 'mailing-list message (List-Id)';
  if (envelopeFrom === '') return 'bounce (empty envelope sender)';
  const returnPath = header(mail, 'return-path').trim();
  if (returnPath === '<>') return 'bounce (Return-Path: <>)';
  const from = mail.from?.value[0]?.address?.toLowerCase() ?? '';
  if (/^(mailer-daemon|postmaster|no-?reply|noreply|bounces?)(\+[^@]*)?@/.test(from)) return `robot sender (${from})`;
  const contentType = header(mail, 'content-type').toLowerCase();
  if (contentType.includes('multipart/report')) return 'delivery or read report';
  return null;
}
