import { iso } from '../accounts/users.presenter.js';
import type { Instance } from './clocks.js';

/** Zendesk's `ticket.slas` side-load: the targets on the ticket and when each is (or was) due. */
export function presentSlas(instances: Instance[]) {
  const withTargets = instances.filter((i) => i.target && i.stage !== 'cancelled');
  return {
    policy_metrics: withTargets.map((i) => {
      const minutes = i.target!.minutes;
      return {
        metric: i.metric,
        instance_id: i.instance,
        stage: i.breached ? 'breached' : i.stage,
        breach_at: iso(i.breachAt),
        business_hours: i.target!.businessHours,
        policy_id: i.target!.policyId,
        days: Math.floor(minutes / 1440),
        hours: Math.floor((minutes % 1440) / 60),
        minutes: minutes % 60,
        elapsed_minutes: Math.round(i.elapsedMs / 60_000),
      };
    }),
  };
}
