import type { AppContext } from '../../platform/context.js';
import type { EscalationStage } from '../../platform/db-types.js';
import { actorFor } from '../accounts/authenticate.js';
import { moveEscalation } from './escalations.service.js';
import { STAGES } from './stages.js';

/**
 * Moves the open escalations linked to these pull requests or issues to `stage`, if they are not
 * already there or beyond; returns how many moved. Stages never go back, so repeats are harmless.
 */
export async function moveLinkedEscalations(ctx: AppContext, links: { prKeys?: string[]; issueKeys?: string[] }, stage: EscalationStage, fixVersion?: string): Promise<number> {
  const via = links.prKeys?.length ? 'github' : 'issues';
  const prKeys = links.prKeys ?? [];
  const issueKeys = links.issueKeys ?? [];
  if (!prKeys.length && !issueKeys.length) return 0;
  const escalations = await ctx.db
    .selectFrom('escalations')
    .innerJoin('escalation_links', 'escalation_links.escalation_id', 'escalations.id')
    .select(['escalations.id', 'escalations.stage', 'escalations.created_by'])
    .distinct()
    .where((eb) => eb.or([eb('escalation_links.pr_key', 'in', prKeys.length ? prKeys : ['']), eb('escalation_links.issue_key', 'in', issueKeys.length ? issueKeys : [''])]))
    .where('escalations.closed_at', 'is', null)
    .execute();
  let moved = 0;
  for (const e of escalations) {
    if (stage !== 'closed_without_change' && STAGES.indexOf(e.stage) >= STAGES.indexOf(stage)) continue;
    // The update is posted in the name of the agent who escalated: the customer knows them.
    const actor = await actorFor(ctx.db, e.created_by, 'api_token');
    if (!actor) continue;
    await moveEscalation(ctx, { actor, escalationId: e.id, stage, fixVersion, via });
    moved++;
  }
  return moved;
}
