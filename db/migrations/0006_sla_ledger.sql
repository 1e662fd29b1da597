-- The SLA ledger: every clock event of every ticket, appended in the transaction that causes it
-- (breaches by the job that observes them). Figures shown anywhere are sums over these rows.
CREATE TABLE ticket_metric_events (
  id          bigserial PRIMARY KEY,
  ticket_id   bigint NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  metric      text NOT NULL,
  instance_id integer NOT NULL,
  type        text NOT NULL CHECK (type IN ('activate','pause','fulfill','apply_sla','breach')),
  time        timestamptz NOT NULL,
  -- apply_sla: {policy_id, target, business_hours} or null when no target applies
  sla         jsonb,
  recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ticket_metric_events_ticket_idx ON ticket_metric_events (ticket_id, id);
CREATE INDEX ticket_metric_events_time_idx ON ticket_metric_events (time, id);
-- A breach is recorded once per clock instance, whichever node observes it first.
CREATE UNIQUE INDEX ticket_metric_events_breach_key ON ticket_metric_events (ticket_id, metric, instance_id) WHERE type = 'breach';

-- The soonest due time of any running target: queues sort by it, the breach job wakes at it.
ALTER TABLE tickets ADD COLUMN sla_next_breach_at timestamptz;
CREATE INDEX tickets_next_breach_idx ON tickets (sla_next_breach_at) WHERE sla_next_breach_at IS NOT NULL;
