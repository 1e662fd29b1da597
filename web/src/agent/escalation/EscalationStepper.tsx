import { Stepper, Text } from '@mantine/core';
import type { Escalation, EscalationStage } from '../api/escalations';
import { dateTime } from '../format';
import { PATH, STAGE_LABEL } from './escalationText';

/**
 * Where the escalation stands on its path. The escalation keeps when it started and when it closed;
 * the stages between are shown as reached, without their own times (those are the customer
 * updates in the conversation).
 */
export function EscalationStepper({ escalation }: { escalation: Escalation }) {
  const closedWithoutChange = escalation.stage === 'closed_without_change';
  // A closed-without-change escalation no longer says how far it got: show start and end only.
  const steps: EscalationStage[] = closedWithoutChange ? ['escalated', 'closed_without_change'] : PATH;
  const current = steps.indexOf(escalation.stage);
  // Open: the current stage is the active one. Closed: every shown step is complete.
  const active = escalation.open ? current : steps.length;

  const description = (stage: EscalationStage, i: number) => {
    if (stage === 'escalated') return dateTime(escalation.created_at);
    if (i === current && !escalation.open && escalation.closed_at) {
      return `${dateTime(escalation.closed_at)}${stage === 'fix_in_production' && escalation.fix_version ? ` · version ${escalation.fix_version}` : ''}`;
    }
    if (i === current) return 'Current stage';
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
