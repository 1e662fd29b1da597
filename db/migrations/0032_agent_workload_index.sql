-- Routing's least_open strategy orders a region's candidate agents by their workload (new, open and
-- pending tickets), counted per candidate under the routing lock, for every routed ticket. The count
-- went through tickets_assignee_idx to the heap: at 1M tickets (~2,450 such tickets an agent, 15
-- candidates) one pick read 40,000 heap pages, 814 ms, while every other routing job waited on the lock.
-- Over exactly those rows the count is an index-only scan: 13 ms for the same pick, cold.
CREATE INDEX tickets_agent_workload_idx ON tickets (assignee_id) WHERE status IN ('new', 'open', 'pending') AND deleted_at IS NULL;
