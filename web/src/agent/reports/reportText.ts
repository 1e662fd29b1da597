import type { EscalationStage } from '../api/escalations';
import { STAGE_LABEL } from '../escalation/escalationText';
import { minutesText } from '../sla/slaText';

/* How report figures read, in one place so cards, tables, the matrix and the drawer agree. */

/** "87.5%", "100%", or "—" when there was nothing to measure. */
export const pctText = (pct: number | null | undefined) => (pct === null || pct === undefined ? '—' : `${Math.round(pct * 10) / 10}%`);

/** "40 min", "3 h 10 min", "2 d 4 h", or "—" when nothing was measured. */
export const durationText = (minutes: number | null | undefined) => (minutes === null || minutes === undefined ? '—' : minutesText(minutes));

export const countText = (n: number | null | undefined) => (n === null || n === undefined ? '—' : n.toLocaleString('en'));

/** Escalation stages as the board names them; the report also counts on-hold tickets without one. */
export const stageLabel = (stage: string) => (stage === 'no_escalation' ? 'Not escalated' : (STAGE_LABEL[stage as EscalationStage] ?? stage.replace(/_/g, ' ')));
