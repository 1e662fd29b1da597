import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { AppError, forbidden } from '../../platform/errors.js';
import { parseBody, parseId } from '../../platform/http.js';
import { enforceRateLimits } from '../../platform/rate-limit.js';
import { requireActor, requireAdmin } from '../../permissions/guards.js';
import { iso } from './users.presenter.js';
import { openSession } from './portal.service.js';
import { sendSession } from './portal.routes.js';
import { completeTwoFactorLogin, confirmLoginEnrollment, startLoginEnrollment } from './two-factor-login.js';
import { disableTwoFactor, regenerateRecoveryCodes } from './two-factor-reconfirm.js';
import {
  confirmEnrollment,
  getSecuritySettings,
  isStaffRole,
  resetTwoFactor,
  saveSecuritySettings,
  startEnrollment,
  twoFactorStatus,
  type SecondFactor,
  type TwoFactorStatus,
} from './two-factor.service.js';

const token = z.string().min(20).max(200);
const code = z.string().trim().regex(/^\d{6}$/, 'must be the 6-digit code from your authenticator app');
const recoveryCode = z.string().trim().min(8).max(40);
const codeStepBody = z.union([z.object({ challenge_token: token, code }), z.object({ challenge_token: token, recovery_code: recoveryCode })]);
const loginEnrollBody = z.object({ challenge_token: token });
const loginEnrollConfirmBody = z.object({ challenge_token: token, code });
const confirmBody = z.object({ code });
/** Disable and new recovery codes re-confirm the person: password and a code or a recovery code. */
const reconfirmBody = z.union([
  z.object({ password: z.string().min(1).max(200), code }),
  z.object({ password: z.string().min(1).max(200), recovery_code: recoveryCode }),
]);
const settingsBody = z.object({ security_settings: z.object({ require_two_factor_for_staff: z.boolean({ error: 'must be true or false' }) }) });

const factorOf = (body: { code: string } | { recovery_code: string }): SecondFactor => ('code' in body ? { code: body.code } : { recoveryCode: body.recovery_code });

const presentStatus = (s: TwoFactorStatus, required: boolean) => ({
  enabled: s.enabled,
  enabled_at: iso(s.enabledAt),
  recovery_codes_remaining: s.recoveryCodesRemaining,
  required,
});

/** Two-factor sign-in step, self-service enrollment for staff, and the admin controls. */
export function registerTwoFactorRoutes(app: FastifyInstance, ctx: AppContext) {
  const secure = ctx.config.publicUrl.startsWith('https:');
  /** Guessing codes through enrollment, disable or new recovery codes is limited like the sign-in code step. */
  const limitSignedIn = (userId: number) => enforceRateLimits(ctx.db, [{ key: `two-factor-self:user:${userId}`, max: 10, windowSeconds: 600 }]);

  // ---- sign-in, second step (no session yet: the challenge token from /api/portal/login) ----

  app.post('/api/portal/login/two_factor', async (req, reply) => {
    const body = parseBody(codeStepBody, req.body);
    const { user } = await completeTwoFactorLogin(ctx, { token: body.challenge_token, factor: factorOf(body), ip: req.ip });
    return sendSession(req, reply, await openSession(ctx, user, req.actor?.sessionId), secure);
  });

  app.post('/api/portal/login/two_factor/enrollment', async (req) => {
    const body = parseBody(loginEnrollBody, req.body);
    const enrollment = await startLoginEnrollment(ctx, { token: body.challenge_token, ip: req.ip });
    return { enrollment: { secret: enrollment.secret, otpauth_uri: enrollment.otpauthUri } };
  });

  app.post('/api/portal/login/two_factor/enrollment/confirm', async (req, reply) => {
    const body = parseBody(loginEnrollConfirmBody, req.body);
    const { user, recoveryCodes } = await confirmLoginEnrollment(ctx, { token: body.challenge_token, code: body.code, ip: req.ip });
    return sendSession(req, reply, await openSession(ctx, user, req.actor?.sessionId), secure, { recovery_codes: recoveryCodes });
  });

  // ---- the signed-in agent's or admin's own two-factor ----

  app.get('/api/portal/two_factor', async (req) => {
    const actor = requireActor(req);
    const required = isStaffRole(actor.user.role) && (await getSecuritySettings(ctx.db)).requireTwoFactorForStaff;
    return { two_factor: presentStatus(await twoFactorStatus(ctx.db, actor.user.id), required) };
  });

  app.post('/api/portal/two_factor/enrollment', async (req) => {
    const actor = requireActor(req);
    if (!isStaffRole(actor.user.role)) throw forbidden();
    const enrollment = await startEnrollment(ctx, actor.user);
    return { enrollment: { secret: enrollment.secret, otpauth_uri: enrollment.otpauthUri } };
  });

  app.post('/api/portal/two_factor/enrollment/confirm', async (req) => {
    const actor = requireActor(req);
    if (!isStaffRole(actor.user.role)) throw forbidden();
    await limitSignedIn(actor.user.id);
    const body = parseBody(confirmBody, req.body);
    const recoveryCodes = await confirmEnrollment(ctx, { user: actor.user, code: body.code, keepSessionId: actor.sessionId });
    const required = (await getSecuritySettings(ctx.db)).requireTwoFactorForStaff;
    return { two_factor: presentStatus(await twoFactorStatus(ctx.db, actor.user.id), required), recovery_codes: recoveryCodes };
  });

  app.post('/api/portal/two_factor/disable', async (req) => {
    const actor = requireActor(req);
    await limitSignedIn(actor.user.id);
    const body = parseBody(reconfirmBody, req.body);
    await disableTwoFactor(ctx, { user: actor.user, password: body.password, factor: factorOf(body) });
    return { two_factor: presentStatus(await twoFactorStatus(ctx.db, actor.user.id), false) };
  });

  /** New recovery codes (shown once) in place of all the old ones. */
  app.post('/api/portal/two_factor/recovery_codes', async (req) => {
    const actor = requireActor(req);
    await limitSignedIn(actor.user.id);
    const body = parseBody(reconfirmBody, req.body);
    const recoveryCodes = await regenerateRecoveryCodes(ctx, { user: actor.user, password: body.password, factor: factorOf(body) });
    const required = isStaffRole(actor.user.role) && (await getSecuritySettings(ctx.db)).requireTwoFactorForStaff;
    return { two_factor: presentStatus(await twoFactorStatus(ctx.db, actor.user.id), required), recovery_codes: recoveryCodes };
  });

  // ---- administrators ----

  app.get('/api/v2/users/:id/two_factor', async (req) => {
    requireAdmin(req);
    const id = parseId((req.params as { id: string }).id);
    const user = await ctx.db.selectFrom('users').select(['id', 'role']).where('id', '=', id).executeTakeFirst();
    if (!user) throw new AppError('NotFound', 'Not found');
    const required = isStaffRole(user.role) && (await getSecuritySettings(ctx.db)).requireTwoFactorForStaff;
    return { two_factor: presentStatus(await twoFactorStatus(ctx.db, id), required) };
  });

  app.delete('/api/v2/users/:id/two_factor', async (req, reply) => {
    requireAdmin(req);
    await resetTwoFactor(ctx, { userId: parseId((req.params as { id: string }).id) });
    return reply.code(204).send();
  });

  app.get('/api/v2/security_settings', async (req) => {
    requireAdmin(req);
    const s = await getSecuritySettings(ctx.db);
    return { security_settings: { require_two_factor_for_staff: s.requireTwoFactorForStaff } };
  });

  app.put('/api/v2/security_settings', async (req) => {
    const actor = requireAdmin(req);
    const { security_settings: input } = parseBody(settingsBody, req.body, 'security_settings');
    const s = await saveSecuritySettings(ctx, { actor: actor.user, requireTwoFactorForStaff: input.require_two_factor_for_staff });
    return { security_settings: { require_two_factor_for_staff: s.requireTwoFactorForStaff } };
  });
}
