-- Field searches without words list the newest matches first (created_at DESC) and count up to 1,001 of
-- them. A search filtered by status (`status:pending`, the most common filter) had no index in that
-- order: PostgreSQL read every ticket of the status from a bitmap and sorted them. At 1M tickets
-- `status:pending priority:high` read 35k heap blocks for 51k pending tickets, 475 ms cold and 77 ms of
-- CPU warm (bench/RESULTS.md). With (status, created_at, id) it reads the status's tickets newest
-- first and stops at the 1,001st match: 8k rows, 14 ms warm.
CREATE INDEX tickets_status_created_idx ON tickets (status, created_at, id) WHERE deleted_at IS NULL;
