-- Bulk API jobs (Zendesk's job_statuses): tickets create_many / update_many / destroy_many,
-- users create_many and ticket merges run on the durable queue ('bulk.run'). The request is kept in
-- `payload`; each finished item writes one row of job_status_results, so a retried job skips what is
-- done. The id is a random string, as Zendesk's are; `seq` orders lists.
CREATE TABLE job_statuses (
  id            text PRIMARY KEY,
  seq           bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  user_id       bigint NOT NULL REFERENCES users(id),
  -- how the creator authenticated, so the worker acts as the same actor
  actor_via     text NOT NULL,
  job_type      text NOT NULL,
  status        text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued','working','completed','failed','killed')),
  total         integer NOT NULL CHECK (total >= 0),
  message       text,
  payload       jsonb NOT NULL,
  -- runs started (pg-boss retries); the last allowed run records unexpected errors per item
  attempts      integer NOT NULL DEFAULT 0,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  completed_at  timestamptz
);
CREATE INDEX job_statuses_user_idx ON job_statuses (user_id, seq DESC);

CREATE TABLE job_status_results (
  job_status_id text NOT NULL REFERENCES job_statuses(id) ON DELETE CASCADE,
  index         integer NOT NULL,
  result        jsonb NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (job_status_id, index)
);

-- Ticket merges (POST /tickets/{id}/merge): which ticket went into which. The rows are written with
-- the target's merge comment; the source steps stamp their progress so a retried job resumes.
CREATE TABLE ticket_merges (
  source_ticket_id    bigint PRIMARY KEY REFERENCES tickets(id),
  target_ticket_id    bigint NOT NULL REFERENCES tickets(id),
  job_status_id       text REFERENCES job_statuses(id) ON DELETE SET NULL,
  merged_by           bigint NOT NULL REFERENCES users(id),
  created_at          timestamptz NOT NULL DEFAULT now(),
  source_commented_at timestamptz,
  source_closed_at    timestamptz,
  CHECK (source_ticket_id <> target_ticket_id)
);
CREATE INDEX ticket_merges_target_idx ON ticket_merges (target_ticket_id);
