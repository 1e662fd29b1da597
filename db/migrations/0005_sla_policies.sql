-- SLA policies as data: one per support plan, a target per priority and metric (spec §4.1, §4.4).
CREATE TABLE sla_policies (
  id          bigserial PRIMARY KEY,
  title       text NOT NULL,
  description text NOT NULL DEFAULT '',
  -- the organization support plan the policy applies to; free plans get no policy
  plan        text NOT NULL UNIQUE CHECK (plan IN ('professional','enterprise','premier')),
  position    integer NOT NULL DEFAULT 0,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sla_policy_metrics (
  id             bigserial PRIMARY KEY,
  policy_id      bigint NOT NULL REFERENCES sla_policies(id) ON DELETE CASCADE,
  priority       text NOT NULL CHECK (priority IN ('urgent','high','normal','low')),
  metric         text NOT NULL CHECK (metric IN ('first_reply_time','next_reply_time','pausable_update_time','periodic_update_time','requester_wait_time','agent_work_time')),
  target_minutes integer NOT NULL CHECK (target_minutes >= 1),
  business_hours boolean NOT NULL,
  -- true: an internal team target (spec §4.4), not a contractual commitment to the customer
  internal       boolean NOT NULL DEFAULT false,
  UNIQUE (policy_id, priority, metric)
);

INSERT INTO sla_policies (title, description, plan, position) VALUES
  ('Professional', 'Initial response within business hours of the requester (9–17 local, Mon–Fri).', 'professional', 1),
  ('Enterprise', 'Urgent and high in calendar hours; normal and low in business hours.', 'enterprise', 2),
  ('Premier', 'Urgent and high around the clock, with weekend cover; normal and low in business hours.', 'premier', 3);

-- (plan, priority, metric, minutes, business hours, internal)
INSERT INTO sla_policy_metrics (policy_id, priority, metric, target_minutes, business_hours, internal)
SELECT p.id, v.priority, v.metric, v.minutes, v.business, v.internal
FROM (VALUES
  -- first reply: the published SLA (S7, 2025); "N Hours" without "Business" are calendar hours; 1 business day = 8 business hours
  ('professional','urgent','first_reply_time', 240, true,  false),
  ('professional','high',  'first_reply_time', 480, true,  false),
  ('professional','normal','first_reply_time', 480, true,  false),
  ('professional','low',   'first_reply_time', 960, true,  false),
  ('enterprise',  'urgent','first_reply_time', 120, false, false),
  ('enterprise',  'high',  'first_reply_time', 240, false, false),
  ('enterprise',  'normal','first_reply_time', 480, true,  false),
  ('enterprise',  'low',   'first_reply_time', 480, true,  false),
  ('premier',     'urgent','first_reply_time',  60, false, false),
  ('premier',     'high',  'first_reply_time', 120, false, false),
  ('premier',     'normal','first_reply_time', 240, true,  false),
  ('premier',     'low',   'first_reply_time', 480, true,  false),
  -- next reply and regular updates: internal targets from the handbook proposal (PR #264); E20 values also serve Professional
  ('professional','urgent','next_reply_time',  240, false, true),
  ('professional','high',  'next_reply_time',  480, false, true),
  ('professional','normal','next_reply_time', 1440, true,  true),
  ('professional','low',   'next_reply_time', 1440, true,  true),
  ('enterprise',  'urgent','next_reply_time',  240, false, true),
  ('enterprise',  'high',  'next_reply_time',  480, false, true),
  ('enterprise',  'normal','next_reply_time', 1440, true,  true),
  ('enterprise',  'low',   'next_reply_time', 1440, true,  true),
  ('premier',     'urgent','next_reply_time',  120, false, true),
  ('premier',     'high',  'next_reply_time',  240, false, true),
  ('premier',     'normal','next_reply_time', 1440, true,  true),
  ('premier',     'low',   'next_reply_time', 1440, true,  true),
  ('professional','urgent','pausable_update_time',  480, false, true),
  ('professional','high',  'pausable_update_time',  960, false, true),
  ('professional','normal','pausable_update_time', 2880, true,  true),
  ('professional','low',   'pausable_update_time', 2880, true,  true),
  ('enterprise',  'urgent','pausable_update_time',  480, false, true),
  ('enterprise',  'high',  'pausable_update_time',  960, false, true),
  ('enterprise',  'normal','pausable_update_time', 2880, true,  true),
  ('enterprise',  'low',   'pausable_update_time', 2880, true,  true),
  ('premier',     'urgent','pausable_update_time',  240, false, true),
  ('premier',     'high',  'pausable_update_time',  480, false, true),
  ('premier',     'normal','pausable_update_time', 2880, true,  true),
  ('premier',     'low',   'pausable_update_time', 2880, true,  true)
) AS v(plan, priority, metric, minutes, business, internal)
JOIN sla_policies p ON p.plan = v.plan;
