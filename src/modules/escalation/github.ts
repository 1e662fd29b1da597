import { createHmac } from 'node:crypto';
import type { AppContext } from '../../platform/context.js';
import { sameSecret } from '../../platform/secrets.js';
import type { EscalationStage } from '../../platform/db-types.js';
import { moveLinkedEscalations } from './linked.js';

/** GitHub (and Sundial's generic webhook) sign the exact body bytes: `sha256=` + HMAC-SHA256(secret, body). */
export function validSignature(secret: string, body: Buffer, header: string | undefined): boolean {
  if (!header) return false;
  const expected = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
  return sameSecret(header, expected);
}

interface Payload {
  action?: string;
  repository?: { full_name?: string };
  pull_request?: { number?: number; merged?: boolean };
  release?: { tag_name?: string; body?: string | null };
}

/**
 * Moves the escalations linked to a pull request: opened → action plan created, merged → action plan
 * executed; a published release whose notes mention the PR → fix in production with its version.
 * Deliveries are idempotent (a stage never moves backwards), so a replayed delivery changes nothing.
 */
export async function handleGithubEvent(ctx: AppContext, event: string, payload: Payload): Promise<{ moved: number }> {
  const repo = payload.repository?.full_name?.toLowerCase();
  if (!repo) return { moved: 0 };
  let targets: { prKeys: string[]; stage: EscalationStage; fixVersion?: string }[] = [];
  if (event === 'pull_request' && payload.pull_request?.number) {
    const key = `${repo}#${payload.pull_request.number}`;
    if (payload.action === 'opened') targets = [{ prKeys: [key], stage: 'action_plan_created' }];
    if (payload.action === 'closed' && payload.pull_request.merged) targets = [{ prKeys: [key], stage: 'action_plan_executed' }];
  } else if (event === 'release' && payload.action === 'published' && payload.release) {
    const body = payload.release.body ?? '';
    const numbers = new Set<string>();
    for (const m of body.matchAll(/(?:^|[\s(])#(\d+)\b/g)) numbers.add(m[1]);
    for (const m of body.matchAll(/github\.com\/([\w.-]+\/[\w.-]+)\/pull\/(\d+)/gi)) if (m[1].toLowerCase() === repo) numbers.add(m[2]);
    const version = payload.release.tag_name?.replace(/^v/i, '') ?? undefined;
    targets = [{ prKeys: [...numbers].map((n) => `${repo}#${n}`), stage: 'fix_in_production', fixVersion: version }];
  }
  let moved = 0;
  for (const t of targets) moved += await moveLinkedEscalations(ctx, { prKeys: t.prKeys }, t.stage, t.fixVersion);
  return { moved };
}
