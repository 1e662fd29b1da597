-- One warning per clock instance when 75 % of its target has passed.
CREATE TABLE sla_warnings (
  ticket_id   bigint NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  metric      text NOT NULL,
  instance_id integer NOT NULL,
  breach_at   timestamptz NOT NULL,
  warned_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (ticket_id, metric, instance_id)
);
