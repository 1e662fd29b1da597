-- Report facts (issue 7, spec §4.5, §6, §7, §13): one row per ticket holding what the reports count,
-- computed from the ticket row, its SLA replay (the same replay that writes ticket_metric_events) and
-- its satisfaction rating. Kept in the transaction of every ticket write, SLA breach and rating, so a
-- report never replays histories; `reports recompute` rebuilds every row from history.
--
-- Reply times are business minutes on the ticket's business-hours calendar (requester organization's
-- zone, holidays, Premier weekend cover for urgent/high); wait and resolution are calendar minutes.
CREATE TABLE ticket_facts (
  ticket_id                    bigint PRIMARY KEY REFERENCES tickets(id) ON DELETE CASCADE,
  created_at                   timestamptz NOT NULL,
  -- the latest solve (tickets.solved_at); null while unsolved
  solved_at                    timestamptz,
  status                       text NOT NULL,
  deleted                      boolean NOT NULL DEFAULT false,
  -- the support plan of the ticket's SLA context (stamped on its latest clock-moving audit)
  plan                         text NOT NULL,
  priority                     text,
  form_kind                    text NOT NULL,
  -- option value of the form's category field
  category                     text,
  group_id                     bigint,
  assignee_id                  bigint,
  organization_id              bigint,
  -- first reply: creation → first public agent reply; null until answered (or when solved unanswered)
  first_reply_minutes          double precision,
  first_reply_calendar_minutes double precision,
  -- measured against a target: achieved (replied in time) or breached (also while still unanswered)
  first_reply_sla              text CHECK (first_reply_sla IN ('achieved','breached')),
  -- next reply: business minutes of each answered instance (oldest unanswered customer comment → agent reply)
  next_reply_minutes           double precision[] NOT NULL DEFAULT '{}',
  next_reply_achieved          integer NOT NULL DEFAULT 0,
  next_reply_breached          integer NOT NULL DEFAULT 0,
  -- regular updates (pausable update): instances fulfilled in time, and breached
  updates_achieved             integer NOT NULL DEFAULT 0,
  updates_breached             integer NOT NULL DEFAULT 0,
  -- solved tickets only: time the requester waited (not pending, all solves), and creation → latest solve
  requester_wait_minutes       double precision,
  resolution_minutes           double precision,
  -- the ticket's latest good/bad rating
  csat_score                   text CHECK (csat_score IN ('good','bad')),
  csat_rated_at                timestamptz,
  csat_rating_id               bigint,
  csat_has_comment             boolean NOT NULL DEFAULT false,
  -- false: filled by this migration's SQL backfill, the replayed columns still to come (reports.facts-sweep job)
  replayed                     boolean NOT NULL DEFAULT true,
  refreshed_at                 timestamptz NOT NULL DEFAULT now(),
  -- the writing transaction: report nodes keep an in-memory copy and fetch only rows written by
  -- transactions at or after the oldest one still running at their previous fetch (exact change feed)
  txid                         xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE INDEX ticket_facts_txid_idx ON ticket_facts (txid);
CREATE INDEX ticket_facts_unreplayed_idx ON ticket_facts (ticket_id) WHERE NOT replayed;

-- CSAT comments of a period, newest first.
CREATE INDEX satisfaction_ratings_rated_idx ON satisfaction_ratings (rated_at) WHERE score <> 'offered';

-- Backfill: what SQL can say at once (dimensions, resolution, rating); reply clocks follow from the
-- replay done by the reports.facts-sweep job, which picks up every row with replayed = false.
INSERT INTO ticket_facts (ticket_id, created_at, solved_at, status, deleted, plan, priority, form_kind, category, group_id, assignee_id, organization_id,
                          resolution_minutes, csat_score, csat_rated_at, csat_rating_id, csat_has_comment, replayed)
SELECT t.id, t.created_at, t.solved_at, t.status, t.deleted_at IS NOT NULL,
       coalesce((SELECT a.metadata #>> '{sla,plan}' FROM ticket_audits a WHERE a.ticket_id = t.id AND a.metadata ? 'sla' ORDER BY a.id DESC LIMIT 1), o.support_plan, 'free'),
       t.priority, f.kind,
       (SELECT t.custom_fields ->> tf.id::text FROM ticket_form_fields ff JOIN ticket_fields tf ON tf.id = ff.field_id
         WHERE ff.form_id = t.form_id AND tf.key LIKE '%category' ORDER BY ff.position LIMIT 1),
       t.group_id, t.assignee_id, t.organization_id,
       CASE WHEN t.status IN ('solved','closed') AND t.solved_at IS NOT NULL THEN extract(epoch FROM t.solved_at - t.created_at)::float8 / 60 END,
       r.score, r.rated_at, r.id, coalesce(r.comment IS NOT NULL, false), false
FROM tickets t
JOIN ticket_forms f ON f.id = t.form_id
LEFT JOIN organizations o ON o.id = t.organization_id
LEFT JOIN LATERAL (SELECT id, score, rated_at, comment FROM satisfaction_ratings s WHERE s.ticket_id = t.id AND s.score IN ('good','bad') ORDER BY s.id DESC LIMIT 1) r ON true;
