import type { EscalationStage } from '../../platform/db-types.js';

/** The seed's escalation path (spec §9.1), in order; the last two close the escalation. */
export const STAGES: readonly EscalationStage[] = ['escalated', 'confirmed_product_issue', 'action_plan_created', 'action_plan_executed', 'fix_in_production', 'closed_without_change'];
export const CLOSING: ReadonlySet<EscalationStage> = new Set(['fix_in_production', 'closed_without_change']);

/** Stages only move forward, and "closed without change" can end any open escalation. */
export function canMove(from: EscalationStage, to: EscalationStage): boolean {
  if (CLOSING.has(from)) return false;
  if (to === 'closed_without_change') return true;
  return STAGES.indexOf(to) > STAGES.indexOf(from);
}

/** The customer update each stage sends unless the agent edits it (the seed asks for one at every step). */
export function defaultCustomerUpdate(stage: EscalationStage, fixVersion?: string | null): string {
  switch (stage) {
    case 'escalated':
      return 'We have escalated your request to our Sustained Engineering Team for a deeper investigation. Your ticket is on hold while they work on it, and we will update you here at each step.';
    case 'confirmed_product_issue':
      return 'Our engineers have confirmed that this is a product issue. We are preparing a plan to fix it and will share it with you here.';
    case 'action_plan_created':
      return 'We have an action plan to address the issue: a fix is being developed. We will let you know as soon as it has been tested.';
    case 'action_plan_executed':
      return 'The fix has been implemented and tested internally. We will let you know which Mattermost release it ships in.';
    case 'fix_in_production':
      return `The fix has been released${fixVersion ? ` in Mattermost ${fixVersion}` : ' to the latest production version of Mattermost'}. Please upgrade and let us know whether it resolves the issue for you.`;
    case 'closed_without_change':
      return 'Our engineering team has completed its review. No product change is planned for this; we will follow up with you here on the next steps.';
  }
}
