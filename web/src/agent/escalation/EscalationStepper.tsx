import { Stepper, Text } from '@mantine/core';
import type { Escalation, EscalationStage } from '../api/escalations';
import { dateTime } from '../format';
import { PATH, STAGE_LABEL } from './escalationText';

const VIA: Record<string, string> = { github: ' · by GitHub', issues: ' · by the issue tracker', api: '' };

/** Where the escalation stands on its path, with when (and through what) each stage was reached. */
export function EscalationStepper({ escalation }: { escalation: Escalation }) {
  const closedWithoutChange = escalation.stage === 'closed_without_change';
  // A closed-without-change escalation no longer says how far it got: show start and end only.
  const steps: EscalationStage[] = closedWithoutChange ? ['escalated', 'closed_without_change'] : PATH;
  const current = steps.indexOf(escalation.stage);
  // Open: the current stage is the active one. Closed: every shown step is complete.
  const active = escalation.open ? current : steps.length;

  const description = (stage: EscalationStage, i: number) => {
    const reached = escalation.stage_history.find((h) => h.stage === stage);
    if (reached) {
      const version = stage === 'fix_in_production' && reached.fix_version ? ` · version ${reached.fix_version}` : '';
      return `${dateTime(reached.changed_at)}${version}${VIA[reached.via] ?? ''}`;
    }
    if (stage === 'escalated') return dateTime(escalation.created_at);
    if (i === current) return 'Current stage';
    if (i < current) return 'Skipped';
    return undefined;
  };

  return (
    <Stepper active={active} orientation="vertical" size="xs" color={closedWithoutChange ? 'gray' : 'teal'} aria-label="Escalation stages" allowNextStepsSelect={false}>
      {steps.map((stage, i) => (
        <Stepper.Step
          key={stage}
          label={STAGE_LABEL[stage]}
          description={description(stage, i) && <Text size="xs" c="dimmed" component="span">{description(stage, i)}</Text>}
          aria-current={i === current ? 'step' : undefined}
          data-stage={stage}
        />
      ))}
    </Stepper>
  );
}
