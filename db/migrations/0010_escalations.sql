-- Escalations to Sustained Engineering (spec §9): one open escalation per ticket at a time.
CREATE TABLE escalations (
  id              bigserial PRIMARY KEY,
  ticket_id       bigint NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  classification  text NOT NULL CHECK (classification IN ('bug','feature_request','configuration','unsupported_configuration','needs_info')),
  summary         text NOT NULL,
  stage           text NOT NULL DEFAULT 'escalated' CHECK (stage IN ('escalated','confirmed_product_issue','action_plan_created','action_plan_executed','fix_in_production','closed_without_change')),
  teams           text[] NOT NULL DEFAULT '{support,sustained_engineering}',
  fix_version     text,
  created_by      bigint NOT NULL REFERENCES users(id),
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  closed_at       timestamptz
);
CREATE UNIQUE INDEX escalations_one_open_per_ticket ON escalations (ticket_id) WHERE closed_at IS NULL;
CREATE INDEX escalations_stage_idx ON escalations (stage, created_at);

CREATE TABLE escalation_links (
  id            bigserial PRIMARY KEY,
  escalation_id bigint NOT NULL REFERENCES escalations(id) ON DELETE CASCADE,
  url           text NOT NULL,
  -- 'pull_request' (GitHub PR URL) or 'issue' (any other tracker URL)
  kind          text NOT NULL CHECK (kind IN ('pull_request','issue')),
  -- owner/repo#number for GitHub pull requests, so webhooks can find the escalation
  pr_key        text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (escalation_id, url)
);
CREATE INDEX escalation_links_pr_idx ON escalation_links (pr_key) WHERE pr_key IS NOT NULL;
