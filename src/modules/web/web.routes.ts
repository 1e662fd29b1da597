import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/context.js';

const page = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title} · Sundial Support</title><link rel="stylesheet" href="/assets/basic.css"></head>
<body><main><h1>Sundial Support</h1>${body}</main><script src="/assets/basic.js"></script></body></html>`;

const CSS = `body{font-family:system-ui,sans-serif;background:#f6f7f9;color:#1d2330;margin:0}main{max-width:28rem;margin:4rem auto;background:#fff;padding:2rem;border-radius:8px;box-shadow:0 1px 3px #0002}
label{display:block;margin:.8rem 0 .2rem}input{width:100%;padding:.5rem;box-sizing:border-box}button{margin-top:1rem;padding:.5rem 1rem}
.msg{padding:.6rem;border-radius:4px;background:#eef6ee}.msg.error{background:#fbeaea}`;

// Reads ?verified / ?verify_error / ?token and drives the two account forms; no inline script (CSP).
const JS = `(() => {
  const q = new URLSearchParams(location.search);
  const msg = document.getElementById('msg');
  const say = (text, error) => { if (msg) { msg.textContent = text; msg.className = error ? 'msg error' : 'msg'; msg.hidden = false; } };
  if (q.get('verified')) say('Your email address is verified. Sign in to submit requests.');
  const problems = { expired: 'This verification link has expired. Sign in and ask for a new one.', used: 'This verification link was already used or replaced by a newer one.', invalid: 'This verification link is not valid.' };
  if (q.get('verify_error')) say(problems[q.get('verify_error')] || problems.invalid, true);
  const post = async (url, body) => {
    const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), credentials: 'same-origin' });
    const data = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(Object.values(data.details || {}).flat().map((d) => d.description).join(' ') || data.description || data.error || 'Request failed');
    return data;
  };
  const login = document.getElementById('login');
  if (login) login.addEventListener('submit', async (e) => {
    e.preventDefault();
    try { const d = await post('/api/portal/login', { email: login.email.value, password: login.password.value }); say('Signed in as ' + d.user.name + '.'); }
    catch (err) { say(err.message, true); }
  });
  const reset = document.getElementById('reset');
  if (reset) reset.addEventListener('submit', async (e) => {
    e.preventDefault();
    try { const d = await post('/api/portal/password-reset/confirm', { token: q.get('token') || '', password: reset.password.value }); say(d.message); }
    catch (err) { say(err.message, true); }
  });
})();`;

/** Minimal account pages the mailed links land on; the full portal is served by the web app. */
export function registerWebRoutes(app: FastifyInstance, _ctx: AppContext) {
  app.get('/assets/basic.css', (_req, reply) => reply.type('text/css; charset=utf-8').send(CSS));
  app.get('/assets/basic.js', (_req, reply) => reply.type('text/javascript; charset=utf-8').send(JS));
  const html = (body: string, title: string) => (_req: unknown, reply: import('fastify').FastifyReply) => reply.type('text/html; charset=utf-8').send(page(title, body));
  app.get('/', html('<p id="msg" class="msg" hidden></p><p>Welcome. <a href="/login">Sign in</a> to follow your requests. Integrations use the <a href="/api/docs">Zendesk-compatible API</a>.</p>', 'Home'));
  app.get('/login', html('<p id="msg" class="msg" hidden></p><form id="login"><label>Email<input name="email" type="email" required autocomplete="username"></label><label>Password<input name="password" type="password" required autocomplete="current-password"></label><button>Sign in</button></form>', 'Sign in'));
  app.get('/reset-password', html('<p id="msg" class="msg" hidden></p><form id="reset"><label>New password (at least 8 characters)<input name="password" type="password" minlength="8" required autocomplete="new-password"></label><button>Set password</button></form>', 'Set your password'));
}
