import { ApiError } from '../../api/client';
import type { Classification, EscalationLink, EscalationStage, Team } from '../api/escalations';

/** The escalation path in order (spec §9.1); "closed without change" can end any open stage instead. */
export const PATH: EscalationStage[] = ['escalated', 'confirmed_product_issue', 'action_plan_created', 'action_plan_executed', 'fix_in_production'];
/** The stages an escalation is still open in: the board's columns. */
export const OPEN_STAGES: EscalationStage[] = ['escalated', 'confirmed_product_issue', 'action_plan_created', 'action_plan_executed'];
export const CLOSED_STAGES: EscalationStage[] = ['fix_in_production', 'closed_without_change'];

export const STAGE_LABEL: Record<EscalationStage, string> = {
  escalated: 'Escalated',
  confirmed_product_issue: 'Confirmed product issue',
  action_plan_created: 'Action plan created',
  action_plan_executed: 'Action plan executed',
  fix_in_production: 'Fix in production',
  closed_without_change: 'Closed without change',
};

/** The classifications of SET's reply templates (spec §9.1). */
export const CLASSIFICATION_LABEL: Record<Classification, string> = {
  bug: 'Bug',
  feature_request: 'Feature request',
  configuration: 'Configuration issue',
  unsupported_configuration: 'Unsupported configuration',
  needs_info: 'Needs more information',
};
export const CLASSIFICATION_COLOR: Record<Classification, string> = { bug: 'red', feature_request: 'grape', configuration: 'cyan', unsupported_configuration: 'orange', needs_info: 'gray' };
export const CLASSIFICATION_OPTIONS = (Object.keys(CLASSIFICATION_LABEL) as Classification[]).map((value) => ({ value, label: CLASSIFICATION_LABEL[value] }));

export const TEAM_LABEL: Record<Team, string> = {
  support: 'Support',
  sustained_engineering: 'Sustained Engineering',
  product: 'Product',
  customer_success: 'Customer Success',
  leadership: 'Leadership',
};
export const TEAM_OPTIONS = (Object.keys(TEAM_LABEL) as Team[]).map((value) => ({ value, label: TEAM_LABEL[value] }));

/** The stages an escalation may move to from `stage` (forward only; none once closed). */
export function laterStages(stage: EscalationStage): EscalationStage[] {
  const at = PATH.indexOf(stage);
  return at < 0 || stage === 'fix_in_production' ? [] : PATH.slice(at + 1);
}

/** "3 d", "5 h", "12 min": how long an escalation has been waiting, at a glance. */
export function ageText(iso: string, now = Date.now()): string {
  const minutes = Math.max(0, Math.floor((now - new Date(iso).getTime()) / 60_000));
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 24 * 60) return `${Math.floor(minutes / 60)} h`;
  return `${Math.floor(minutes / (24 * 60))} d`;
}

/** A short name for a link: owner/repo#123 for a pull request, the tracker key (MM-61234) for an issue. */
export function linkName(link: Pick<EscalationLink, 'url' | 'kind'>): string {
  const pr = /github\.com\/([\w.-]+\/[\w.-]+)\/pull\/(\d+)/i.exec(link.url);
  if (pr) return `${pr[1]}#${pr[2]}`;
  const key = /\/([A-Z][A-Z0-9]+-\d+)\/?(?:[?#].*)?$/.exec(link.url);
  if (key) return key[1];
  try {
    const u = new URL(link.url);
    return `${u.host}${u.pathname.length > 1 ? u.pathname : ''}`;
  } catch {
    return link.url;
  }
}

/** The part of a refused write that belongs to none of the form's fields (e.g. "already has an open escalation"). */
export function generalError(error: unknown, fields: readonly string[]): string | null {
  if (!error) return null;
  if (!(error instanceof ApiError)) return 'Something went wrong. Please try again.';
  const rest = Object.entries(error.details)
    .filter(([key]) => !fields.includes(key.split('.')[0]))
    .flatMap(([, problems]) => problems.map((p) => p.description));
  if (rest.length) return rest.join(' ');
  return Object.keys(error.details).length ? null : error.message;
}
