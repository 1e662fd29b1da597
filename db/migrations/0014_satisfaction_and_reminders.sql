-- Customer satisfaction (spec §7): one survey per solve. A row is created when the survey is sent
-- ('offered') or when the requester rates before any survey; rating and re-rating update it while
-- the ticket stays solved. A reopen-and-solve is a new solve, so a new row (the old one is history).
CREATE TABLE satisfaction_ratings (
  id               bigserial PRIMARY KEY,
  ticket_id        bigint NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  -- tickets.solved_at of the solve this survey is about
  ticket_solved_at timestamptz NOT NULL,
  requester_id     bigint NOT NULL REFERENCES users(id),
  -- assignee and group when offered, then when last rated
  assignee_id      bigint REFERENCES users(id) ON DELETE SET NULL,
  group_id         bigint REFERENCES groups(id) ON DELETE SET NULL,
  score            text NOT NULL CHECK (score IN ('offered','good','bad')),
  comment          text CHECK (char_length(comment) <= 5000),
  offered_at       timestamptz,
  rated_at         timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (ticket_id, ticket_solved_at)
);
CREATE INDEX satisfaction_ratings_ticket_idx ON satisfaction_ratings (ticket_id, id DESC);
CREATE INDEX satisfaction_ratings_updated_idx ON satisfaction_ratings (updated_at, id);

-- Pending reminders (spec §5.2 proposal): since when the ticket waits on the requester, how many
-- reminders went out for this wait, and why auto-solve could not happen (no assignee, a solve guard).
-- Kept by a ticket write hook; the sweep claims rows with FOR UPDATE SKIP LOCKED.
ALTER TABLE tickets ADD COLUMN pending_since timestamptz;
ALTER TABLE tickets ADD COLUMN pending_reminders_sent smallint NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN pending_auto_solve_blocked text;
CREATE INDEX tickets_pending_since_idx ON tickets (pending_since) WHERE status = 'pending' AND deleted_at IS NULL;

-- Tickets already pending start their wait now: an upgrade must not mass-remind or mass-solve.
UPDATE tickets SET pending_since = now() WHERE status = 'pending';
