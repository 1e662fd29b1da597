-- "My open" (view 2): one agent's new and open tickets, oldest update first. tickets_assignee_open_idx
-- (assignee_id) finds them but not in order, so every page read all of the agent's open tickets and
-- sorted them, and a cursor could not bound the scan. With (assignee_id, updated_at, id) over the view's
-- rows each page, first, after or before a cursor, is one index range of a page. EXPLAIN ANALYZE at 1M
-- tickets for the agent with the most open tickets (2,175): page 1, the page after and the page before a
-- cursor each read 101 index entries, 0.06–0.12 ms, no sort.
CREATE INDEX tickets_my_open_idx ON tickets (assignee_id, updated_at, id) WHERE status IN ('new', 'open') AND deleted_at IS NULL;
