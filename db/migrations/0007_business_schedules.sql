-- Business-hours schedules with holidays, in Zendesk's shape. Ticket clocks use the requester
-- organization's time zone for the hours and the default schedule's holidays (spec §4.6).
CREATE TABLE business_schedules (
  id         bigserial PRIMARY KEY,
  name       text NOT NULL,
  time_zone  text NOT NULL,
  -- Zendesk intervals: minutes from Sunday 00:00, [{start_time, end_time}]
  intervals  jsonb NOT NULL,
  is_default boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX business_schedules_default_key ON business_schedules (is_default) WHERE is_default;

CREATE TABLE business_holidays (
  id          bigserial PRIMARY KEY,
  schedule_id bigint NOT NULL REFERENCES business_schedules(id) ON DELETE CASCADE,
  name        text NOT NULL,
  start_date  date NOT NULL,
  end_date    date NOT NULL CHECK (end_date >= start_date),
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX business_holidays_schedule_idx ON business_holidays (schedule_id, start_date);

INSERT INTO business_schedules (name, time_zone, intervals, is_default) VALUES
  ('Business hours (requester local time)', 'America/Los_Angeles',
   '[{"start_time":1980,"end_time":2460},{"start_time":3420,"end_time":3900},{"start_time":4860,"end_time":5340},{"start_time":6300,"end_time":6780},{"start_time":7740,"end_time":8220}]', true);
