import type { ValidAuthorization } from './authorization.js';
import { describeScope } from './scopes.js';
import { escapeHtml } from '../../platform/html.js';


const STYLE = `body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;background:#f4f5f7;color:#1f2328;margin:0}
main{max-width:30rem;margin:4rem auto;background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:2rem}
h1{font-size:1.3rem;margin:0 0 1rem}ul{padding-left:1.2rem}li{margin:.3rem 0}.who{color:#57606a;font-size:.9rem}
.actions{display:flex;gap:.75rem;margin-top:1.5rem}button{font:inherit;padding:.55rem 1.2rem;border-radius:6px;border:1px solid #d0d7de;background:#f6f8fa;cursor:pointer}
button.allow{background:#1f6feb;border-color:#1f6feb;color:#fff}.error{color:#cf222e}`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)} · Sundial</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

/**
 * The consent page of the authorization-code flow. Every parameter travels back in hidden fields and
 * is checked again on POST; `csrfToken` is the session's own token, which another site cannot read.
 */
export function consentPage(a: ValidAuthorization, user: { name: string; email: string }, csrfToken: string, switchAccountUrl: string): string {
  const hidden = (name: string, value: string | undefined) => (value === undefined ? '' : `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`);
  const by = a.client.company ? ` (${escapeHtml(a.client.company)})` : '';
  const body = `<h1>Allow ${escapeHtml(a.client.name)}${by} to use your Sundial account?</h1>
${a.client.description ? `<p>${escapeHtml(a.client.description)}</p>` : ''}
<p>It asks to:</p>
<ul>${a.scopes.map((s) => `<li>${escapeHtml(describeScope(s))}</li>`).join('')}</ul>
<p class="who">Signed in as ${escapeHtml(user.name)} &lt;${escapeHtml(user.email)}&gt;. <a href="${escapeHtml(switchAccountUrl)}">Not you?</a></p>
<p class="who">You will be sent back to ${escapeHtml(new URL(a.redirectUri).origin)}.</p>
<form method="post" action="/oauth/authorizations">
${hidden('authenticity_token', csrfToken)}${hidden('response_type', 'code')}${hidden('client_id', a.client.identifier)}${hidden('redirect_uri', a.redirectUri)}${hidden('scope', a.scopes.join(' '))}${hidden('state', a.state)}${hidden('code_challenge', a.challenge)}${hidden('code_challenge_method', a.challenge ? 'S256' : undefined)}
<div class="actions"><button class="allow" type="submit" name="decision" value="allow">Allow</button><button type="submit" name="decision" value="deny">Deny</button></div>
</form>`;
  return page(`Authorize ${a.client.name}`, body);
}

/** Shown instead of redirecting when the client or its redirect_uri cannot be trusted. */
export function authorizationErrorPage(description: string): string {
  return page('Authorization failed', `<h1>This authorization request cannot be completed</h1><p class="error">${escapeHtml(description)}</p>
<p>Ask the developer of the application to check its OAuth client settings in Sundial.</p>`);
}
