-- Indexes for a desk of a million tickets (issue 10). Each one was found by test/int/query-plans.test.ts
-- (a sequential scan of tickets) or by EXPLAIN ANALYZE of the agent views on the benchmark database
-- (bench/load.ts, 1M tickets), and removes a full read of tickets from a request path.

-- Follow-ups of a page of tickets (presenting any ticket asks for them): without it, every ticket list,
-- show, view and search page read the whole tickets table.
CREATE INDEX tickets_followup_source_idx ON tickets (via_followup_source_id) WHERE via_followup_source_id IS NOT NULL;

-- Live tickets by status in update order: the Pending and On hold views walk it in their sort order,
-- and counts by status (and the count of an offset-paged ticket list) are index-only scans of it.
CREATE INDEX tickets_live_status_idx ON tickets (status, updated_at, id) WHERE deleted_at IS NULL;

-- "All open" and "My open" in update order: open tickets are the newest, so walking tickets_updated_idx
-- from the oldest read most of the table before the first match.
CREATE INDEX tickets_open_updated_idx ON tickets (updated_at, id) WHERE status IN ('new', 'open') AND deleted_at IS NULL;

-- "Unassigned new technical" and "Billing Queue": new unassigned tickets of a form, oldest first; the
-- count is an index-only scan.
CREATE INDEX tickets_new_unassigned_idx ON tickets (form_id, created_at, id) WHERE status = 'new' AND assignee_id IS NULL AND deleted_at IS NULL;

-- "Recently solved": solved or closed within 7 days (tickets_solved_idx covers only status 'solved'),
-- counted on solved_at and listed newest update first.
CREATE INDEX tickets_solved_or_closed_idx ON tickets (solved_at) WHERE status IN ('solved', 'closed') AND deleted_at IS NULL;
CREATE INDEX tickets_solved_updated_idx ON tickets (updated_at DESC NULLS LAST, id DESC) WHERE status IN ('solved', 'closed') AND deleted_at IS NULL;

-- "Breaching soon": unsolved tickets by next breach (the view's order), carrying sla_breached_since so
-- the count is an index-only scan; the second index serves the breached side of the view's OR.
CREATE INDEX tickets_unsolved_breach_idx ON tickets (sla_next_breach_at, id) INCLUDE (sla_breached_since) WHERE status NOT IN ('solved', 'closed') AND deleted_at IS NULL;
CREATE INDEX tickets_breached_since_idx ON tickets (sla_breached_since) WHERE sla_breached_since IS NOT NULL;
