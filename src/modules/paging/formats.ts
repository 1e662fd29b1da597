import type { PagingKind } from '../../platform/db-types.js';

/** What every channel says about a page; each format renders it its own way. */
export interface PageMessage {
  pageId: number;
  ticketId: number;
  subject: string;
  priority: string;
  organization: string;
  pagedName: string | null;
  level: 'primary' | 'backup';
  sendNo: number;
  reason: 'created' | 'priority_raised' | 'first_reply_75';
  ticketUrl: string;
  ackUrl: string;
  event: 'trigger' | 'acknowledge' | 'resolve';
}

const REASONS: Record<PageMessage['reason'], string> = {
  created: 'was opened',
  priority_raised: 'was raised',
  first_reply_75: 'has used 75% of its first-reply target without a reply',
};

export function headline(m: PageMessage): string {
  const what = `Premier ${m.priority} ticket #${m.ticketId} from ${m.organization}`;
  if (m.event === 'acknowledge') return `${what} was acknowledged`;
  if (m.event === 'resolve') return `${what} no longer needs the on-call engineer`;
  return `${what} ${REASONS[m.reason]}`;
}

function who(m: PageMessage): string {
  const person = m.pagedName ?? 'nobody is on call';
  const escalated = m.level === 'backup' ? ' — escalated to the backup, the primary did not acknowledge' : '';
  return `Paging ${person}${escalated} (page ${m.sendNo > 1 ? `repeated, send ${m.sendNo}` : 'sent'})`;
}

/** Mattermost incoming webhook: markdown text. */
function mattermost(m: PageMessage) {
  const text =
    m.event === 'trigger'
      ? `#### :rotating_light: ${headline(m)}\n**${m.subject}**\n${who(m)}\n[Acknowledge](${m.ackUrl}) · [Open ticket #${m.ticketId}](${m.ticketUrl})`
      : `:white_check_mark: ${headline(m)}: [#${m.ticketId}](${m.ticketUrl})`;
  return { username: 'Sundial', text };
}

/** Slack incoming webhook: mrkdwn with <url|label> links, plus a plain-text fallback. */
function slack(m: PageMessage) {
  const text =
    m.event === 'trigger'
      ? `:rotating_light: *${headline(m)}*\n*${m.subject}*\n${who(m)}\n<${m.ackUrl}|Acknowledge> · <${m.ticketUrl}|Open ticket #${m.ticketId}>`
      : `:white_check_mark: ${headline(m)}: <${m.ticketUrl}|#${m.ticketId}>`;
  return { text: headline(m), blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}

/** PagerDuty Events API v2; the dedup key ties trigger, acknowledge and resolve to one incident. */
function pagerduty(m: PageMessage, routingKey: string) {
  const base = { routing_key: routingKey, dedup_key: `sundial-page-${m.pageId}`, event_action: m.event };
  if (m.event !== 'trigger') return base;
  return {
    ...base,
    client: 'Sundial',
    client_url: m.ticketUrl,
    payload: {
      summary: `${headline(m)}: ${m.subject}`.slice(0, 1024),
      source: 'sundial',
      severity: m.priority === 'urgent' ? 'critical' : 'error',
      component: `ticket #${m.ticketId}`,
      custom_details: { organization: m.organization, priority: m.priority, paged: m.pagedName, level: m.level, send: m.sendNo, acknowledge: m.ackUrl },
    },
    links: [
      { href: m.ticketUrl, text: `Ticket #${m.ticketId}` },
      { href: m.ackUrl, text: 'Acknowledge in Sundial' },
    ],
  };
}

export function webhookPayload(kind: Exclude<PagingKind, 'email'>, m: PageMessage, routingKey: string | null): unknown {
  if (kind === 'mattermost') return mattermost(m);
  if (kind === 'slack') return slack(m);
  return pagerduty(m, routingKey ?? '');
}

export function pageMail(m: PageMessage): { subject: string; text: string } {
  return {
    subject: `[Page] ${headline(m)}`,
    text: `${headline(m)}.\n\n${m.subject}\n\n${who(m)}\n\nAcknowledge: ${m.ackUrl}\nTicket: ${m.ticketUrl}\n`,
  };
}

export const PAGERDUTY_EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';
