-- Cursor pages of the agent views (issue 10) read a range of (sort, id) after or before the cursor, ordered
-- by `sort, id` with PostgreSQL's default NULL placement, so one ascending btree on (…, sort, id) serves a
-- view in both directions: forwards for `page[after]`, backwards for `page[before]` and for `sort=-field`.
--
-- "Recently solved" lists the newest update first. 0025 gave it (updated_at DESC NULLS LAST, id DESC),
-- which matches only `ORDER BY updated_at DESC NULLS LAST`; the view's pages now order by `updated_at DESC`
-- (updated_at is NOT NULL, so the NULL placement changes nothing but the index match). EXPLAIN ANALYZE at
-- 100k tickets: with the old index the page before a cursor 90 % down the view read 2,744 rows and sorted
-- them (50 ms); with this one every page of the view is one index range of 31 rows (< 1 ms). Same rows,
-- same size as the index it replaces.
CREATE INDEX tickets_solved_or_closed_updated_idx ON tickets (updated_at, id) WHERE status IN ('solved', 'closed') AND deleted_at IS NULL;
DROP INDEX tickets_solved_updated_idx;
