-- Business rules (Zendesk's Macros, Triggers and Webhooks APIs). Conditions and actions are kept as
-- the JSON the API speaks ({field, operator, value} / {field, value}); they are validated on write
-- against the definitions in src/modules/rules/ and interpreted by the trigger runner.

-- Macros: canned ticket changes an agent applies (previewed by /apply; nothing is saved by it).
-- restriction_type NULL = every agent; 'User' = personal macros of restriction_ids; 'Group' = members.
CREATE TABLE macros (
  id               bigserial PRIMARY KEY,
  title            text NOT NULL,
  description      text,
  active           boolean NOT NULL DEFAULT true,
  position         integer NOT NULL DEFAULT 0,
  actions          jsonb NOT NULL DEFAULT '[]',
  restriction_type text CHECK (restriction_type IN ('User','Group')),
  restriction_ids  bigint[] NOT NULL DEFAULT '{}',
  created_by       bigint REFERENCES users(id) ON DELETE SET NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  CHECK ((restriction_type IS NULL) = (cardinality(restriction_ids) = 0))
);
CREATE INDEX macros_position_idx ON macros (position, id);

-- Triggers run after every ticket create/update, in position order (trigger_runs below).
CREATE TABLE triggers (
  id          bigserial PRIMARY KEY,
  title       text NOT NULL,
  description text,
  active      boolean NOT NULL DEFAULT true,
  position    integer NOT NULL DEFAULT 0,
  category_id text,
  conditions  jsonb NOT NULL DEFAULT '{"all":[],"any":[]}',
  actions     jsonb NOT NULL DEFAULT '[]',
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX triggers_active_position_idx ON triggers (position, id) WHERE active;

-- One row per ticket audit the triggers were evaluated for: a retried or duplicated triggers.run job
-- finds its audit here and does nothing, so each update runs the trigger cycle exactly once.
CREATE TABLE trigger_runs (
  audit_id   bigint PRIMARY KEY REFERENCES ticket_audits(id) ON DELETE CASCADE,
  ticket_id  bigint NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  fired      bigint[] NOT NULL DEFAULT '{}',
  -- actions that could not be applied (e.g. solving without an assignee), with the reason
  skipped    jsonb NOT NULL DEFAULT '[]',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX trigger_runs_ticket_idx ON trigger_runs (ticket_id);

-- Webhooks: ids are ULIDs (Zendesk's are strings). The signing secret is shown to admins on request
-- (GET .../signing_secret), so it is stored as is; authentication data is write-only in the API.
CREATE TABLE webhooks (
  id             text PRIMARY KEY,
  name           text NOT NULL,
  description    text,
  status         text NOT NULL DEFAULT 'active' CHECK (status IN ('active','inactive')),
  endpoint       text NOT NULL,
  http_method    text NOT NULL CHECK (http_method IN ('GET','POST','PUT','PATCH','DELETE')),
  request_format text NOT NULL CHECK (request_format IN ('json','xml','form_encoded')),
  subscriptions  text[] NOT NULL DEFAULT '{conditional_ticket_events}',
  authentication jsonb,
  custom_headers jsonb NOT NULL DEFAULT '{}',
  signing_secret text NOT NULL,
  created_by     bigint REFERENCES users(id) ON DELETE SET NULL,
  updated_by     bigint REFERENCES users(id) ON DELETE SET NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);

-- One invocation per trigger action (or test); each try is an attempt. Delivered by the
-- webhooks.deliver job, retried with backoff on 5xx, 409, 429, timeouts and connection errors.
CREATE TABLE webhook_invocations (
  id               text PRIMARY KEY,
  webhook_id       text NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
  event_type       text NOT NULL DEFAULT 'conditional_ticket_events',
  ticket_id        bigint REFERENCES tickets(id) ON DELETE SET NULL,
  trigger_id       bigint REFERENCES triggers(id) ON DELETE SET NULL,
  audit_id         bigint REFERENCES ticket_audits(id) ON DELETE SET NULL,
  body             text NOT NULL,
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','success','failed')),
  attempts         integer NOT NULL DEFAULT 0,
  last_status_code integer,
  created_at       timestamptz NOT NULL DEFAULT now(),
  completed_at     timestamptz
);
CREATE INDEX webhook_invocations_webhook_idx ON webhook_invocations (webhook_id, id DESC);

CREATE TABLE webhook_attempts (
  id               bigserial PRIMARY KEY,
  invocation_id    text NOT NULL REFERENCES webhook_invocations(id) ON DELETE CASCADE,
  attempt          integer NOT NULL,
  status           text NOT NULL CHECK (status IN ('success','failed')),
  request_headers  jsonb NOT NULL,
  request_body     text NOT NULL,
  response_status  integer,
  response_headers jsonb,
  response_body    text,
  error            text,
  duration_ms      integer NOT NULL,
  completed_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (invocation_id, attempt)
);
