import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { bodyOf as ok } from '../api.js';
import { createAgent, createCustomer, createOrganization, technicalRequest, uniq } from '../factories.js';
import type { TestEnv } from '../harness.js';
import { withBrowserApp } from './browser.js';
import { signedIn } from './ui.js';

/**
 * Issue 11, "Bad input → XSS", the response side: every page and API answer carries a strict CSP and the
 * security headers, and files a customer or an author uploads (HTML, SVG with script) only ever download.
 */

let env: TestEnv;
let browser: Browser;
withBrowserApp((e, b) => {
  env = e;
  browser = b;
});

describe('Hostile files and security headers', () => {
  it('sends CSP and security headers on pages and API; uploads download with nosniff, HTML and SVG never render', { timeout: 60_000 }, async () => {
    const agent = await createAgent(env, { groups: ['technical'] });
    const headersOf = async (path: string, init: RequestInit = {}) => (await fetch(`${env.url}${path}`, { redirect: 'manual', ...init })).headers;
    const auth = { authorization: `Basic ${Buffer.from(`${agent.user.email}/token:${agent.token}`).toString('base64')}` };
    for (const [path, init] of [['/', {}], ['/agent', {}], ['/help/articles/1', {}], ['/requests/1', {}], ['/api/v2/users/me', { headers: auth }], ['/api/v2/tickets', { headers: auth }], ['/api/v2/nothing-here', {}]] as const) {
      const h = await headersOf(path, init);
      const csp = h.get('content-security-policy') ?? '';
      const directive = (name: string) => csp.split(';').map((d) => d.trim()).find((d) => d.startsWith(`${name} `)) ?? '';
      expect(csp, `${path}: Content-Security-Policy`).not.toBe('');
      const scripts = directive('script-src') || directive('default-src');
      expect(scripts, `${path}: script-src`).toMatch(/'self'|'none'/);
      expect(scripts, `${path}: script-src`).not.toMatch(/unsafe-inline|unsafe-eval|\*|data:/);
      expect(directive('object-src') || directive('default-src'), `${path}: object-src`).toMatch(/'none'|'self'/);
      expect(directive('frame-ancestors') || (h.get('x-frame-options') ?? ''), `${path}: framing`).toMatch(/'none'|DENY|SAMEORIGIN|'self'/i);
      expect(h.get('x-content-type-options'), `${path}: nosniff`).toBe('nosniff');
      expect(h.get('referrer-policy'), `${path}: Referrer-Policy`).toMatch(/no-referrer|same-origin|strict-origin/);
    }

    // Files a customer could send to an agent: an HTML page and an SVG with script, and a real PNG.
    const org = await createOrganization(env);
    const customer = await createCustomer(env, org);
    const files = {
      'invoice.html': ['text/html', '<!doctype html><script>top.__xss=901;fetch("/__xss/901")</script><img src=x onerror="top.__xss=902">'],
      'diagram.svg': ['image/svg+xml', '<svg xmlns="http://www.w3.org/2000/svg" onload="top.__xss=903"><script>top.__xss=904;fetch("/__xss/904")</script></svg>'],
      'notes.txt': ['text/plain', '<script>top.__xss=905</script>'],
      'pixel.png': ['image/png', Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64')],
    } as const;
    let token: string | undefined;
    for (const [name, [type, body]] of Object.entries(files)) {
      const res = await customer.api.post(`/api/v2/uploads?filename=${name}${token ? `&token=${token}` : ''}`, typeof body === 'string' ? Buffer.from(body) : body, { 'content-type': type });
      token = ok(res, `upload ${name}`).upload.token;
    }
    const request = ok(await customer.api.post('/api/v2/requests', await technicalRequest(customer.api, { comment: { body: 'Files attached', uploads: [token] } })), 'request').request;
    const [comment] = ok(await agent.api.get(`/api/v2/tickets/${request.id}/comments`), 'comments').comments as { attachments: { id: number; file_name: string; content_url: string }[] }[];
    expect(comment.attachments.map((a) => a.file_name).sort()).toEqual(Object.keys(files).sort());
    for (const a of comment.attachments) {
      const res = await fetch(`${env.url}/api/v2/attachments/${a.id}/content`, { headers: auth });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-disposition'), a.file_name).toMatch(/^attachment;/);
      expect(res.headers.get('x-content-type-options'), a.file_name).toBe('nosniff');
      expect(res.headers.get('content-type') ?? '', a.file_name).not.toMatch(/html|svg|xml|javascript/i);
    }

    // In Chromium, signed in as the agent: opening each file downloads it; nothing renders or runs.
    const page = await signedIn(browser, env.url, `/agent/tickets/${request.id}`, agent);
    const markers: string[] = [];
    page.context().on('request', (r) => void (r.url().includes('/__xss') && markers.push(r.url())));
    await page.getByText('Files attached').first().waitFor();
    await page.waitForTimeout(200);
    expect(await page.evaluate(() => (window as { __xss?: unknown }).__xss ?? null)).toBeNull();
    for (const a of comment.attachments) {
      const tab = await page.context().newPage();
      const [download] = await Promise.all([tab.waitForEvent('download', { timeout: 10_000 }), tab.goto(`/api/v2/attachments/${a.id}/content`).catch(() => null)]);
      expect(download.suggestedFilename()).toBe(a.file_name);
      expect(await tab.evaluate(() => (window as { __xss?: unknown }).__xss ?? null).catch(() => null)).toBeNull();
      await tab.close();
    }

    // Help-center files: a PNG is shown in place, an SVG or HTML file only ever downloads.
    const section = await env.ctx.db.selectFrom('help_sections').select('id').orderBy('id').executeTakeFirstOrThrow();
    const article = ok(await agent.api.post(`/api/v2/help_center/sections/${section.id}/articles`, { article: { title: `Files ${uniq()}`, body: 'See the files.' } }), 'article').article;
    for (const [name, [type, body]] of Object.entries(files)) {
      const res = await agent.api.post(`/api/v2/help_center/articles/${article.id}/attachments?filename=${name}&inline=true`, typeof body === 'string' ? Buffer.from(body) : body, { 'content-type': type });
      const att = ok(res, `article file ${name}`).article_attachment as { id: number };
      const served = await fetch(`${env.url}/api/v2/help_center/articles/attachments/${att.id}/content`);
      expect(served.headers.get('x-content-type-options'), name).toBe('nosniff');
      expect(served.headers.get('content-disposition'), name).toMatch(name === 'pixel.png' ? /^inline;/ : /^attachment;/);
      expect(served.headers.get('content-type') ?? '', name).not.toMatch(/html|svg|xml|javascript/i);
      if (name !== 'pixel.png') {
        const tab = await page.context().newPage();
        const [download] = await Promise.all([tab.waitForEvent('download', { timeout: 10_000 }), tab.goto(`/api/v2/help_center/articles/attachments/${att.id}/content`).catch(() => null)]);
        expect(download.suggestedFilename()).toBe(name);
        await tab.close();
      }
    }
    expect(markers).toEqual([]);
    expect(page.errors).toEqual([]);
  });
});
