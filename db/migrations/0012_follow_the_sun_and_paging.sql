-- Follow-the-sun regions (spec §10). Shift hours are UTC; shift_days are the ISO weekdays (1 = Monday)
-- on which a shift *starts*, in UTC: APAC's Monday begins on Sunday 21:00 UTC.
CREATE TABLE regions (
  id          bigserial PRIMARY KEY,
  name        text NOT NULL UNIQUE,
  shift_start smallint NOT NULL CHECK (shift_start BETWEEN 0 AND 1439),
  shift_end   smallint NOT NULL CHECK (shift_end BETWEEN 0 AND 1439),
  shift_days  smallint[] NOT NULL DEFAULT '{1,2,3,4,5}',
  position    int NOT NULL DEFAULT 0,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
INSERT INTO regions (name, shift_start, shift_end, shift_days, position) VALUES
  ('APAC', 21 * 60, 6 * 60, '{7,1,2,3,4}', 1),
  ('EMEA', 6 * 60, 13 * 60, '{1,2,3,4,5}', 2),
  ('AMER', 13 * 60, 21 * 60, '{1,2,3,4,5}', 3);

ALTER TABLE users ADD COLUMN region_id bigint REFERENCES regions(id) ON DELETE SET NULL;
UPDATE users SET region_id = regions.id FROM regions WHERE upper(users.region) = regions.name;
ALTER TABLE users DROP COLUMN region;
-- Away agents are skipped by routing; last_routed_at drives round robin.
ALTER TABLE users ADD COLUMN away boolean NOT NULL DEFAULT false;
ALTER TABLE users ADD COLUMN last_routed_at timestamptz;
CREATE INDEX users_region_idx ON users (region_id) WHERE region_id IS NOT NULL;
CREATE INDEX tickets_assignee_open_idx ON tickets (assignee_id) WHERE status IN ('new','open','pending','hold') AND deleted_at IS NULL;

-- Desk-wide settings edited by admins, one JSON document per key.
CREATE TABLE settings (
  key        text PRIMARY KEY,
  value      jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO settings (key, value) VALUES ('routing', '{"enabled": true, "strategy": "least_open"}');

-- Technical tickets waiting for an on-shift agent; a row leaves when the ticket is assigned.
CREATE TABLE routing_queue (
  ticket_id bigint PRIMARY KEY REFERENCES tickets(id) ON DELETE CASCADE,
  urgent    boolean NOT NULL,
  queued_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX routing_queue_order_idx ON routing_queue (urgent DESC, queued_at);

-- One handover note per region and shift end.
CREATE TABLE handovers (
  id              bigserial PRIMARY KEY,
  from_region_id  bigint NOT NULL REFERENCES regions(id) ON DELETE CASCADE,
  to_region_id    bigint REFERENCES regions(id) ON DELETE SET NULL,
  shift_ended_at  timestamptz NOT NULL,
  -- [{ticket_id, subject, priority, status, assignee_id, reasons[], due_at}] as of the hand-over
  items           jsonb NOT NULL DEFAULT '[]',
  -- [{ticket_id, from_assignee_id, to_assignee_id}]
  reassigned      jsonb NOT NULL DEFAULT '[]',
  notes           text NOT NULL DEFAULT '',
  created_at      timestamptz NOT NULL DEFAULT now(),
  acknowledged_at timestamptz,
  acknowledged_by bigint REFERENCES users(id),
  UNIQUE (from_region_id, shift_ended_at)
);
CREATE INDEX handovers_recent_idx ON handovers (shift_ended_at DESC);

-- On-call rotations: participants take turns of rotation_hours from rotation_start; the backup is
-- the next participant. Overrides replace either role for a time range.
CREATE TABLE on_call_schedules (
  id              bigserial PRIMARY KEY,
  name            text NOT NULL UNIQUE,
  time_zone       text NOT NULL DEFAULT 'UTC',
  rotation_start  timestamptz NOT NULL,
  rotation_hours  int NOT NULL DEFAULT 168 CHECK (rotation_hours BETWEEN 1 AND 8760),
  participant_ids bigint[] NOT NULL DEFAULT '{}',
  -- pages for Premier urgent/high tickets go to this schedule's on-call engineer
  paging          boolean NOT NULL DEFAULT true,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE on_call_overrides (
  id          bigserial PRIMARY KEY,
  schedule_id bigint NOT NULL REFERENCES on_call_schedules(id) ON DELETE CASCADE,
  role        text NOT NULL CHECK (role IN ('primary','backup')),
  user_id     bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  starts_at   timestamptz NOT NULL,
  ends_at     timestamptz NOT NULL CHECK (ends_at > starts_at),
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX on_call_overrides_range_idx ON on_call_overrides (schedule_id, ends_at);

-- Where pages go (spec §9.3): chat webhooks, PagerDuty Events API v2, or email.
CREATE TABLE paging_targets (
  id          bigserial PRIMARY KEY,
  name        text NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('mattermost','slack','pagerduty','email')),
  url         text,
  routing_key text,
  active      boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Acknowledge links carry an HMAC of the page id (settings.signing_key), so nothing secret is stored per page.
CREATE TABLE pages (
  id              bigserial PRIMARY KEY,
  ticket_id       bigint NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  schedule_id     bigint REFERENCES on_call_schedules(id) ON DELETE SET NULL,
  reason          text NOT NULL CHECK (reason IN ('created','priority_raised','first_reply_75')),
  level           text NOT NULL DEFAULT 'primary' CHECK (level IN ('primary','backup')),
  user_id         bigint REFERENCES users(id) ON DELETE SET NULL,
  status          text NOT NULL DEFAULT 'open' CHECK (status IN ('open','acknowledged','resolved')),
  sends           int NOT NULL DEFAULT 0,
  next_send_at    timestamptz NOT NULL,
  escalate_at     timestamptz NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  acknowledged_at timestamptz,
  acknowledged_by bigint REFERENCES users(id) ON DELETE SET NULL,
  acknowledged_via text,
  resolved_at     timestamptz,
  resolved_reason text
);
CREATE INDEX pages_due_idx ON pages (next_send_at) WHERE status = 'open';
CREATE INDEX pages_ticket_idx ON pages (ticket_id, id);
CREATE UNIQUE INDEX pages_one_open_per_schedule ON pages (ticket_id, coalesce(schedule_id, 0)) WHERE status = 'open';

-- One row per page × target × send; the delivery job posts it once and records the outcome.
CREATE TABLE page_deliveries (
  id              bigserial PRIMARY KEY,
  page_id         bigint NOT NULL REFERENCES pages(id) ON DELETE CASCADE,
  target_id       bigint NOT NULL REFERENCES paging_targets(id) ON DELETE CASCADE,
  send_no         int NOT NULL,
  event           text NOT NULL DEFAULT 'trigger' CHECK (event IN ('trigger','acknowledge','resolve')),
  level           text NOT NULL,
  user_id         bigint REFERENCES users(id) ON DELETE SET NULL,
  status          text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued','sent','failed')),
  attempts        int NOT NULL DEFAULT 0,
  response_status int,
  error           text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  sent_at         timestamptz,
  UNIQUE (page_id, target_id, send_no, event)
);
