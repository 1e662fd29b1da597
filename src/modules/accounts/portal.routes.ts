import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { baseUrl, parseBody } from '../../platform/http.js';
import { enforceRateLimits } from '../../platform/rate-limit.js';
import { emailField, nameField, passwordField } from '../../platform/validation.js';
import { requireActor } from '../../permissions/guards.js';
import { SESSION_COOKIE } from './authenticate.js';
import { presentUser } from './users.presenter.js';
import * as portal from './portal.service.js';

const signupBody = z.object({ name: nameField, email: emailField, password: passwordField });
const loginBody = z.object({ email: z.string().trim().min(1).max(254), password: z.string().min(1).max(200) });
const resetBody = z.object({ email: emailField });
const confirmBody = z.object({ token: z.string().min(10).max(200), password: passwordField });
const changeBody = z.object({ current_password: z.string().min(1).max(200), password: passwordField });

const MINUTE = 60;
const HOUR = 3600;

/** Sets the session cookie (HttpOnly, SameSite=Lax) and answers with the user and the CSRF token. */
export function sendSession(req: FastifyRequest, reply: FastifyReply, session: portal.NewSession, secure: boolean, extra: Record<string, unknown> = {}) {
  reply.setCookie(SESSION_COOKIE, session.token, { httpOnly: true, sameSite: 'lax', secure, path: '/', expires: session.expiresAt });
  return { user: presentUser(baseUrl(req), session.user, false), csrf_token: session.csrfToken, ...extra };
}

/** Customer account endpoints (fixed paths used by the portal UI). */
export function registerPortalRoutes(app: FastifyInstance, ctx: AppContext) {
  const secure = ctx.config.publicUrl.startsWith('https:');
  const limit = (req: FastifyRequest, action: string, email: string | undefined, perIp: number, perEmail: number, window: number) =>
    enforceRateLimits(ctx.db, [
      { key: `${action}:ip:${req.ip}`, max: perIp, windowSeconds: window },
      ...(email ? [{ key: `${action}:email:${email.trim().toLowerCase().slice(0, 254)}`, max: perEmail, windowSeconds: window }] : []),
    ]);
  const accepted = (reply: FastifyReply, message: string) => reply.code(202).send({ status: 'accepted', message });

  app.post('/api/portal/signup', async (req, reply) => {
    const email = (req.body as { email?: unknown } | undefined)?.email;
    await limit(req, 'signup', typeof email === 'string' ? email : undefined, 20, 3, HOUR);
    const body = parseBody(signupBody, req.body);
    await portal.signUp(ctx, body);
    return accepted(reply, 'Check your inbox: we sent a link to finish setting up your account.');
  });

  app.get('/api/portal/verify', async (req, reply) => {
    const token = String((req.query as { token?: unknown }).token ?? '');
    const result = token ? await portal.verifyEmail(ctx, token) : { problem: 'invalid' as const };
    const target = 'ok' in result ? '/login?verified=1' : `/login?verify_error=${result.problem}`;
    return reply.redirect(target, 303);
  });

  app.post('/api/portal/verification/resend', async (req, reply) => {
    const actor = requireActor(req);
    await limit(req, 'resend', actor.user.email, 20, 3, HOUR);
    await portal.resendVerification(ctx, actor.user);
    return accepted(reply, 'If your address is not verified yet, a new link is on its way.');
  });

  app.post('/api/portal/login', async (req, reply) => {
    const email = (req.body as { email?: unknown } | undefined)?.email;
    await limit(req, 'login', typeof email === 'string' ? email : undefined, 30, 10, 10 * MINUTE);
    const body = parseBody(loginBody, req.body);
    const result = await portal.logIn(ctx, { ...body, replacesSessionId: req.actor?.sessionId });
    if ('challenge' in result) {
      // No session yet: the second step (code, or enrollment when an admin requires it) trades this token for one.
      return { two_factor_required: true, purpose: result.challenge.purpose, challenge_token: result.challenge.token, expires_in: 300 };
    }
    return sendSession(req, reply, result.session, secure);
  });

  app.post('/api/portal/logout', async (req, reply) => {
    if (req.actor?.sessionId) await portal.logOut(ctx, req.actor.sessionId);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(204).send();
  });

  app.get('/api/portal/session', async (req) => {
    const actor = requireActor(req);
    return { user: presentUser(baseUrl(req), actor.user, false), csrf_token: actor.csrfToken ?? null };
  });

  app.post('/api/portal/password-reset', async (req, reply) => {
    const email = (req.body as { email?: unknown } | undefined)?.email;
    await limit(req, 'reset', typeof email === 'string' ? email : undefined, 20, 5, HOUR);
    const body = parseBody(resetBody, req.body);
    await portal.requestPasswordReset(ctx, body.email);
    return accepted(reply, 'If an account exists for that address, a reset link is on its way.');
  });

  app.post('/api/portal/password-reset/confirm', async (req) => {
    await limit(req, 'reset-confirm', undefined, 30, 0, HOUR);
    const body = parseBody(confirmBody, req.body);
    await portal.confirmPasswordReset(ctx, body);
    return { status: 'ok', message: 'Your password is set. Sign in with it now.' };
  });

  app.post('/api/portal/password', async (req) => {
    const actor = requireActor(req);
    await limit(req, 'password-change', actor.user.email, 30, 10, HOUR);
    const body = parseBody(changeBody, req.body);
    await portal.changePassword(ctx, { user: actor.user, sessionId: actor.sessionId, currentPassword: body.current_password, password: body.password });
    return { status: 'ok', message: 'Password changed. Your other sessions were signed out.' };
  });
}
