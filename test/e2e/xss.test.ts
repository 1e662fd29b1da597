import nodemailer from 'nodemailer';
import { describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { freePort } from '../../src/platform/embedded-postgres.js';
import { bodyOf as ok } from '../api.js';
import { createAgent, createCustomer, createOrganization, technicalRequest, uniq } from '../factories.js';
import type { TestEnv } from '../harness.js';
import { XSS_PAYLOADS } from '../fixtures/xss-payloads.js';
import { newPage, withBrowserApp } from './browser.js';

/**
 * Issue 11, "Bad input → XSS": every payload of the corpus is planted through the API and inbound mail
 * into every field a person can write, then every portal, help-center, agent and admin page showing
 * those fields is opened in Chromium. Each planted value starts with a token (`xss<field><nn>`) so the
 * test knows the field really reached the page; a payload that ran would set `top.__xss`, request a
 * `/__xss/` marker, open a dialog, trip the CSP, or leave live markup (handlers, javascript: URLs,
 * frames, scripts) in the DOM — each of which fails the test.
 */

const smtpPort = await freePort();
let env: TestEnv;
let browser: Browser;
withBrowserApp(
  (e, b) => {
    env = e;
    browser = b;
  },
  { SMTP_INBOUND_PORT: String(smtpPort), SMTP_INBOUND_HOST: '127.0.0.1', SUPPORT_ADDRESSES: 'support@sundial.test' },
);

const FIELDS = {
  su: 'ticket subject',
  cb: 'public comment (text)',
  ch: 'public comment (html_body)',
  ib: 'internal note (text)',
  ih: 'internal note (html_body)',
  un: 'user name',
  on: 'organization name',
  fn: 'attachment filename',
  xs: 'escalation summary',
  at: 'article title',
  ab: 'article body (markdown)',
  es: 'email subject',
  eh: 'email HTML body',
  en: 'email sender name',
} as const;
type Field = keyof typeof FIELDS;

const N = XSS_PAYLOADS.length;
const num = (i: number) => String(i).padStart(2, '0');
/** The token a planted value carries: field code and payload number (1-based, as in the corpus). */
const tok = (f: Field, i: number) => `xss${f}${num(i)}`;
const TOKEN = /xss([a-z]{2})(\d{2})/g;
/** Text fields: token first, then the payload. */
const plant = (f: Field, i: number) => `${tok(f, i)} ${XSS_PAYLOADS[i - 1].text}`;
/** Between payloads sharing one HTML body: ends any raw-text element a payload left open, so it cannot swallow the next. */
const RESET = '</style></noscript></textarea></title></script></math></svg>';
const payloads = Array.from({ length: N }, (_, k) => k + 1);

async function inBatches<T, R>(items: T[], size: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let k = 0; k < items.length; k += size) out.push(...(await Promise.all(items.slice(k, k + size).map(fn))));
  return out;
}

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

// ---------------------------------------------------------------------------------------------------
// The browser side: what every page is checked for.

/** Runs in every document before the app: records CSP violations (an injected inline script or handler trips them). */
const INIT = () => {
  (window as unknown as { __csp: string[] }).__csp = [];
  document.addEventListener('securitypolicyviolation', (e) => (window as unknown as { __csp: string[] }).__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`));
};

/** Live markup that no planted value may produce: handlers, script-ish URLs, frames, scripts, styles. */
const SCAN = () => {
  const bad: string[] = [];
  const urlAttrs = ['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'poster', 'background', 'srcset', 'content'];
  const scriptish = (v: string) => /^(javascript|vbscript|data):/i.test(v.replace(/[\u0000-\u0020\u007f-\u00a0\u200b-\u200f\u202a-\u202e\u2060\ufeff]/g, ''));
  for (const el of Array.from(document.querySelectorAll('*'))) {
    const tag = el.tagName.toLowerCase();
    const inHead = !!el.closest('head');
    for (const attr of Array.from(el.attributes)) {
      const name = attr.name.toLowerCase();
      const value = attr.value;
      if (name.startsWith('on')) bad.push(`<${tag} ${name}="${value.slice(0, 60)}">`);
      else if (name === 'srcdoc') bad.push(`<${tag} srcdoc>`);
      else if (urlAttrs.includes(name) && (scriptish(value) && !(tag === 'img' && name === 'src' && /^data:image\/(png|gif|jpeg|webp)/i.test(value)))) bad.push(`<${tag} ${name}="${value.slice(0, 60)}">`);
      else if (urlAttrs.includes(name) && value.includes('__xss')) bad.push(`<${tag} ${name}="${value.slice(0, 60)}">`);
      else if (name === 'style' && /expression\s*\(|javascript:|__xss/i.test(value)) bad.push(`<${tag} style="${value.slice(0, 60)}">`);
    }
    if (['iframe', 'frame', 'object', 'embed', 'applet', 'base', 'meta', 'link', 'script', 'style', 'form'].includes(tag) && (!inHead || el.outerHTML.includes('__xss'))) {
      // The app's own forms (search, reply) post through script; a form from a planted value carries the marker.
      if (tag === 'form' && !el.outerHTML.includes('__xss')) continue;
      if (tag === 'style' && el.hasAttribute('data-mantine-styles')) continue;
      // Mantine puts its style tags in the head; a style or script in the body comes from content.
      bad.push(`<${tag}> ${el.outerHTML.slice(0, 80)}`);
    }
  }
  const w = window as unknown as { __xss?: unknown; __csp?: string[] };
  return { flag: w.__xss ?? null, csp: w.__csp ?? [], bad, text: document.body?.innerText ?? '' };
};

interface Findings {
  executed: string[];
  markers: string[];
  dialogs: string[];
  pages: number;
  seen: Map<Field, Set<number>>;
}
const findings: Findings = { executed: [], markers: [], dialogs: [], pages: 0, seen: new Map() };

/** Watches one browser context: requests to the marker, dialogs, and the CSP recorder in every document. */
async function watch(context: BrowserContext) {
  await context.addInitScript(INIT);
  context.on('request', (req) => {
    if (req.url().includes('/__xss')) findings.markers.push(req.url());
  });
  context.on('page', (p) => watchPage(p));
  for (const p of context.pages()) watchPage(p);
}
function watchPage(p: Page) {
  p.on('dialog', (d) => {
    findings.dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss().catch(() => {});
  });
}

/** Text tokens found in a page's text, recorded as "field f of payload n reached a page". */
function record(text: string): Map<Field, Set<number>> {
  const here = new Map<Field, Set<number>>();
  for (const m of text.matchAll(TOKEN)) {
    const f = m[1] as Field;
    if (!(f in FIELDS)) continue;
    const n = Number(m[2]);
    if (!here.has(f)) here.set(f, new Set());
    here.get(f)!.add(n);
    if (!findings.seen.has(f)) findings.seen.set(f, new Set());
    findings.seen.get(f)!.add(n);
  }
  return here;
}

/**
 * Opens `path` in the app (a client-side navigation once the app is loaded, as a click would), waits
 * until every `expect`ed token is on the page, lets late handlers (onerror, onload, autofocus) run, then
 * checks the page. `absent` tokens must not be there (internal notes on the portal).
 */
async function check(page: Page, path: string, o: { expect?: string[]; absent?: string[]; any?: RegExp; full?: boolean } = {}) {
  const label = path;
  if (o.full || !page.url().startsWith(env.url)) await page.goto(path);
  else
    await page.evaluate((p) => {
      history.pushState({}, '', p);
      dispatchEvent(new PopStateEvent('popstate'));
    }, path);
  const wanted = o.expect ?? [];
  try {
    await page.waitForFunction(
      ({ wanted, any }) => {
        const text = document.body?.innerText ?? '';
        return wanted.every((t) => text.includes(t)) && (!any || new RegExp(any).test(text));
      },
      { wanted, any: o.any?.source },
      { timeout: 15_000, polling: 100 },
    );
  } catch {
    const text = await page.evaluate(() => document.body?.innerText ?? '');
    throw new Error(`${label}: expected ${wanted.filter((t) => !text.includes(t)).join(', ') || o.any} on the page; it shows:\n${text.slice(0, 1500)}`);
  }
  await page.waitForTimeout(150);
  await inspect(page, label, o.absent);
}

/** Checks every frame of the page as it is now. */
async function inspect(page: Page, label: string, absent: string[] = [], countAsPage = true) {
  if (countAsPage) findings.pages++;
  for (const frame of page.frames()) {
    const r = await frame.evaluate(SCAN).catch(() => null);
    if (!r) continue;
    if (r.flag !== null) findings.executed.push(`${label}: top.__xss=${String(r.flag)} (${XSS_PAYLOADS[Number(r.flag) - 1]?.name})`);
    for (const c of r.csp) findings.executed.push(`${label}: CSP violation ${c}`);
    for (const b of r.bad) findings.executed.push(`${label}: live markup ${b}`);
    const leaked = absent.filter((t) => r.text.includes(t));
    if (leaked.length) findings.executed.push(`${label}: shows ${leaked.join(', ')} (internal)`);
    record(r.text);
  }
  const errors = (page as Page & { errors?: string[] }).errors ?? [];
  if (errors.length) findings.executed.push(`${label}: page errors ${errors.join('; ')}`);
}

// ---------------------------------------------------------------------------------------------------

describe('XSS: planted payloads never run in any page that shows them', () => {
  it('plants the corpus through API and mail, renders every page in Chromium, nothing executes', { timeout: 150_000 }, async () => {
    const started = Date.now();
    const admin = await createAgent(env, { admin: true, groups: ['technical'], name: 'Xss Admin' });
    const viewerOrg = await createOrganization(env, { sharedTickets: true, sharedComments: true });
    const viewer = await createCustomer(env, viewerOrg, { name: 'Vera Viewer' });
    const base = (await technicalRequest(admin.api)).request;
    const section = await env.ctx.db.selectFrom('help_sections').select('id').orderBy('id').executeTakeFirstOrThrow();
    const newTicket = async (subject: string, requesterId: number, comment: Record<string, unknown>, cc: number[] = []) =>
      ok(
        await admin.api.post('/api/v2/tickets', {
          ticket: { ticket_form_id: base.ticket_form_id, custom_fields: base.custom_fields, priority: 'normal', subject, comment, requester_id: requesterId, collaborator_ids: cc },
        }),
        'ticket',
      ).ticket as { id: number };
    const lines = (f: Field, group: number[]) => group.map((i) => plant(f, i)).join('\n\n');
    const html = (f: Field, i: number) => `<p>${tok(f, i)}</p>${XSS_PAYLOADS[i - 1].text}`;

    // Per payload, through the API: an organization and a requester named with it, a ticket with it as
    // subject (the customer is CC'd, so the portal lists it too), and a published help-center article.
    const perPayload = inBatches(payloads, 6, async (i) => {
      const org = ok(await admin.api.post('/api/v2/organizations', { organization: { name: plant('on', i) } }), 'organization').organization;
      const user = ok(await admin.api.post('/api/v2/users', { user: { name: plant('un', i), email: `xss${i}-${uniq()}@payload.test`, role: 'end-user', organization_id: org.id, verified: true } }), 'user').user;
      const ticket = await newTicket(plant('su', i), user.id, { body: `Payload ${i}` }, [viewer.user.id]);
      const article = ok(
        await admin.api.post(`/api/v2/help_center/sections/${section.id}/articles`, { article: { title: plant('at', i), body: `${tok('ab', i)} xsscorpus\n\n${XSS_PAYLOADS[i - 1].text}\n` } }),
        'article',
      ).article;
      return { i, ticketId: ticket.id, articleId: article.id as number };
    });

    // Conversations: three tickets of the customer's, each carrying a third of the corpus — every payload
    // its own public html_body comment and its own internal html_body note, the plain-text comment and
    // note with the third's payloads line by line, one attachment per payload (the payload is its file
    // name), and an escalation whose summary holds them.
    const groups = [0, 1, 2].map((g) => payloads.filter((i) => i % 3 === g));
    const carriers = Promise.all(
      groups.map(async (group) => {
        let token: string | undefined;
        for (const i of group) {
          const fileName = `${XSS_PAYLOADS[i - 1].text} ${tok('fn', i)}.txt`;
          token = ok(await admin.api.post(`/api/v2/uploads?filename=${encodeURIComponent(fileName)}${token ? `&token=${token}` : ''}`, Buffer.from(`log of payload ${i}\n`), { 'content-type': 'text/plain' }), 'upload').upload.token;
        }
        const ticket = await newTicket(`Conversation ${group[0]}-${group[group.length - 1]}`, viewer.user.id, { body: lines('cb', group), uploads: [token] });
        const update = async (comment: Record<string, unknown>) => ok(await admin.api.put(`/api/v2/tickets/${ticket.id}`, { ticket: { comment } }), 'comment');
        await update({ body: lines('ib', group), public: false });
        for (const i of group) {
          await update({ html_body: html('ch', i), public: true });
          await update({ html_body: html('ih', i), public: false });
        }
        ok(await admin.api.post(`/api/v2/tickets/${ticket.id}/escalations`, { escalation: { classification: 'bug', summary: lines('xs', group) } }), 'escalation');
        return ticket.id;
      }),
    );

    // Through mail: one message per payload from a new customer of the viewer's domain (display name) with
    // it as subject, and one HTML-only message carrying every payload in its body.
    const smtp = nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true });
    const mailed = inBatches([0, ...payloads], 6, (i) =>
      smtp.sendMail({
        messageId: `<${uniq('xss')}@client.example>`,
        from: i ? { name: plant('en', i), address: `mail${i}-${uniq()}@${viewerOrg.domain}` } : viewer.user.email,
        to: 'support@sundial.test',
        subject: i ? plant('es', i) : 'Every payload in one mail',
        ...(i ? { text: `Payload ${i} by mail` } : { html: payloads.map((n) => `<div>${html('eh', n)}</div>${RESET}`).join('\n') }),
      }),
    );
    const [planted, carrierIds] = await Promise.all([perPayload, carriers, mailed]);
    smtp.close();
    const combined = ok(
      await admin.api.post(`/api/v2/help_center/sections/${section.id}/articles`, {
        article: { title: 'Every payload in one article', body: payloads.map((i) => `${tok('ab', i)}\n\n${XSS_PAYLOADS[i - 1].text}\n\n${RESET}\n`).join('\n') },
      }),
      'combined article',
    ).article;
    const byMail = await until(
      () => env.ctx.db.selectFrom('tickets').select(['id', 'subject']).where('via_channel', '=', 'email').execute(),
      (rows) => rows.length >= N + 1,
    );
    const allInOneMail = byMail.find((t) => t.subject === 'Every payload in one mail')!.id;
    const plantedMs = Date.now() - started;

    // ---- Agent and admin pages.
    const agentPage = await newPage(browser, env.url);
    await watch(agentPage.context());
    watchPage(agentPage);
    await agentPage.goto('/agent');
    await agentPage.getByLabel(/^Email/).fill(admin.user.email);
    await agentPage.getByLabel(/^Password/).fill(admin.password);
    await agentPage.getByRole('button', { name: 'Sign in' }).click();
    await agentPage.getByRole('button', { name: 'Sign in' }).waitFor({ state: 'detached' });
    // The detectors are not blind: markup slipped past the app (innerHTML) is blocked by the CSP and caught by the scan.
    await agentPage.evaluate(() => document.body.insertAdjacentHTML('beforeend', '<div id="canary"><img src=x onerror="top.__xss=-1"></div>'));
    await expect.poll(() => agentPage.evaluate(SCAN).then((r) => r.csp.length > 0 && r.bad.length > 0)).toBe(true);
    await agentPage.evaluate(() => document.getElementById('canary')?.remove());
    await agentPage.reload();
    await check(agentPage, '/agent', { any: /xss(su|es)\d\d/ });
    const views = ok(await admin.api.get('/api/v2/views?per_page=100'), 'views').views as { id: number }[];
    // View pages follow cursors, as the page's Next button does (30 tickets a page, the page's own size).
    for (const v of views) {
      if (!ok(await admin.api.get(`/api/v2/views/${v.id}/count`), 'view count').view_count?.value) continue;
      let after: string | null = null;
      for (let p = 1; p <= 5; p++) {
        await check(agentPage, `/agent/views/${v.id}${after ? `?after=${encodeURIComponent(after)}` : ''}`, { any: /xss[a-z]{2}\d\d|Conversation/ });
        const cursor: string = after ? `&page[after]=${encodeURIComponent(after)}` : '';
        const meta: { has_more: boolean; after_cursor: string | null } = ok(await admin.api.get(`/api/v2/views/${v.id}/tickets?page[size]=30${cursor}`), 'view page').meta;
        if (!meta.has_more) break;
        after = meta.after_cursor;
      }
    }
    for (const [g, id] of carrierIds.entries()) {
      const group = groups[g];
      await check(agentPage, `/agent/tickets/${id}`, { expect: (['cb', 'ch', 'ib', 'ih', 'fn', 'xs'] as Field[]).flatMap((f) => group.map((i) => tok(f, i))) });
    }
    for (const { i, ticketId } of planted.slice(0, 3)) await check(agentPage, `/agent/tickets/${ticketId}`, { expect: (['su', 'un', 'on'] as Field[]).map((f) => tok(f, i)) });
    await check(agentPage, `/agent/tickets/${allInOneMail}`, { expect: payloads.map((i) => tok('eh', i)) });
    await check(agentPage, `/agent/tickets/${byMail.find((t) => t.subject.startsWith(tok('es', 1)))!.id}`, { expect: [tok('es', 1), tok('en', 1)] });
    await check(agentPage, '/agent/escalations', { any: /Conversation/ });
    await check(agentPage, '/agent/reports', { any: /Tickets created/ });
    await agentPage.getByRole('button', { name: /^Tickets created: \d+/ }).first().click();
    await agentPage.getByRole('region', { name: 'Tickets: Tickets created' }).getByText(/xss(su|es)\d\d/).first().waitFor();
    await agentPage.waitForTimeout(150);
    await inspect(agentPage, '/agent/reports (drill-down)');
    await check(agentPage, '/agent/help', { any: /xssat\d\d/ });
    await check(agentPage, `/agent/help/articles/${combined.id}`, { expect: payloads.slice(0, 5).map((i) => tok('ab', i)) });
    await check(agentPage, '/admin/users?tab=customers', { any: /xss(un|en)\d\d/, full: true });
    await check(agentPage, '/admin/organizations', { any: /xsson\d\d/ });

    // ---- Portal and help center, as the customer: requester of the conversations, CC'd on every ticket.
    const portal = await newPage(browser, env.url);
    await watch(portal.context());
    watchPage(portal);
    await portal.goto('/login');
    await portal.getByRole('textbox', { name: 'Email' }).fill(viewer.user.email);
    await portal.getByLabel(/^Password/).fill(viewer.password);
    await portal.getByRole('button', { name: 'Sign in' }).click();
    await portal.getByRole('heading', { name: 'How can we help?' }).waitFor();
    const internal = (group: number[]) => group.flatMap((i) => [tok('ib', i), tok('ih', i), tok('xs', i)]);
    await check(portal, '/requests', { any: /Conversation/ });
    for (const p of [1, 2, 3]) await check(portal, `/requests?tab=ccd&page=${p}`, { any: /xsssu\d\d/ });
    for (const p of [1, 2, 3]) await check(portal, `/requests?tab=organization&page=${p}`, { any: /xsses\d\d/ });
    await check(portal, `/requests?tab=ccd&q=${tok('su', 2)}`, { any: /xsssu02/ });
    for (const [g, id] of carrierIds.entries()) {
      const group = groups[g];
      await check(portal, `/requests/${id}`, { expect: (['cb', 'ch', 'fn'] as Field[]).flatMap((f) => group.map((i) => tok(f, i))), absent: internal(group) });
    }
    await check(portal, `/requests/${allInOneMail}`, { expect: payloads.map((i) => tok('eh', i)) });
    await check(portal, `/requests/${planted[0].ticketId}`, { expect: [tok('su', 1)] });
    await check(portal, `/help/sections/${section.id}`, { any: /xssat\d\d/ });
    await check(portal, '/help/search?q=xsscorpus', { any: /xssat\d\d/ });
    await check(portal, `/help/articles/${combined.id}`, { expect: payloads.map((i) => tok('ab', i)) });
    for (const { i, articleId } of planted.slice(0, 3)) await check(portal, `/help/articles/${articleId}`, { expect: [tok('at', i), tok('ab', i)] });

    // ---- Outbound mail that carried the planted values, each HTML body rendered as a mail client would.
    const mailPage = await newPage(browser, env.url);
    await watch(mailPage.context());
    watchPage(mailPage);
    await mailPage.setContent('<img src=x onerror="top.__xss=-1">', { waitUntil: 'load' });
    await expect.poll(() => mailPage.evaluate(SCAN).then((r) => r.flag)).toBe(-1); // without CSP it would run, and be seen
    await mailPage.reload();
    let mails = 0;
    for (const m of env.mail.messages) {
      if (!m.html || !/xss[a-z]{2}\d{2}/.test(m.html)) continue;
      await mailPage.setContent(m.html, { waitUntil: 'load' });
      mails++;
      await inspect(mailPage, `mail "${m.subject}"`, m.to.includes(viewer.user.email) ? internal(payloads) : [], false);
    }

    // Coverage: every field of every payload reached at least one page (lists fill in what detail pages do not).
    const missing = (Object.keys(FIELDS) as Field[]).flatMap((f) => payloads.filter((i) => !findings.seen.get(f)?.has(i)).map((i) => tok(f, i)));
    expect(missing, 'planted values that no page showed').toEqual([]);
    const fields = Object.keys(FIELDS).length;
    const executed = findings.executed.length + findings.markers.length + findings.dialogs.length;
    console.log(`xss: ${N} payloads × ${fields} fields rendered on ${findings.pages} pages, ${executed} executed`);
    console.log(`xss: also ${mails} outbound mails rendered; planting took ${(plantedMs / 1000).toFixed(1)} s, all ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(findings.executed, 'payloads that ran or left live markup').toEqual([]);
    expect(findings.markers, 'requests to the marker path').toEqual([]);
    expect(findings.dialogs, 'dialogs opened').toEqual([]);
  });
});
