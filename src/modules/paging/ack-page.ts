import type { Page } from './pages.js';
import { escapeHtml as escape } from '../../platform/html.js';


const shell = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escape(title)} · Sundial</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#1f2933}
button{font-size:1rem;padding:.6rem 1.2rem;border:0;border-radius:.4rem;background:#c92a2a;color:#fff;cursor:pointer}
a{color:#1864ab}</style></head><body>${body}</body></html>`;

/** The page a signed acknowledge link opens: what is being acknowledged, and one button. */
export function ackPage(page: { id: number; status: string; ticket_id: number; subject: string }, signature: string): string {
  const ticket = `ticket #${page.ticket_id} “${escape(page.subject)}”`;
  if (page.status !== 'open') return shell('Page', `<h1>Page #${page.id}</h1><p>This page about ${ticket} is already ${escape(page.status)}.</p><p><a href="/agent/tickets/${page.ticket_id}">Open the ticket</a></p>`);
  return shell(
    'Acknowledge page',
    `<h1>Acknowledge page #${page.id}</h1><p>Premier ${ticket} is waiting for the on-call engineer. Acknowledging stops the repeats and the escalation to the backup.</p>
<form method="post" action="/pages/${page.id}/acknowledge?signature=${encodeURIComponent(signature)}"><button type="submit">Acknowledge</button></form>
<p><a href="/agent/tickets/${page.ticket_id}">Open the ticket</a></p>`,
  );
}

export function ackResultPage(page: Page, already: boolean, who: string | null): string {
  const by = who ? ` by ${escape(who)}` : '';
  const text = already ? `Page #${page.id} was already acknowledged${by}.` : `Page #${page.id} is acknowledged${by}. No more repeats will be sent.`;
  return shell('Page acknowledged', `<h1>Acknowledged</h1><p>${text}</p><p><a href="/agent/tickets/${page.ticket_id}">Open ticket #${page.ticket_id}</a></p>`);
}
