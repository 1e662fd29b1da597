-- Search at scale (see src/modules/search/windows.ts).
--
-- 1. One document per ticket. ticket_search.vector now holds the subject, the description and every
--    comment, so a query of several words is one GIN lookup that intersects their postings inside the
--    index; with a vector per comment, each word needed its own read of every match. comment_search
--    stays for the `comment:` keyword.
-- 2. Id windows. Reading every match of a word from the index costs one random heap page per match: a
--    word in 3 % of a million tickets is 30,000 pages for the 100 results of a page. Each document
--    therefore also carries lexemes naming the block of ticket ids it belongs to, at four sizes (4,096,
--    16,384, 65,536 and 262,144 ids). A search for the newest matches ANDs the lexemes of a window into
--    its tsquery, so the index keeps only matches among the newest ids, which sit together on few heap
--    pages, and widens the window until it has enough. The lexemes start with '~', which the text
--    parser never produces, so no typed word matches them.
CREATE FUNCTION search_windows(ticket_id bigint) RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT array_to_tsvector(ARRAY['~12.' || (ticket_id >> 12), '~14.' || (ticket_id >> 14), '~16.' || (ticket_id >> 16), '~18.' || (ticket_id >> 18)])
$$;

-- A tsvector holds at most 1 MB: text past the first 400,000 characters of a ticket's document stays
-- searchable through `comment:` only.
CREATE FUNCTION search_document(id bigint) RETURNS tsvector LANGUAGE sql STABLE AS $$
  SELECT to_tsvector('simple', left(t.subject || ' ' || t.description || ' ' ||
           coalesce((SELECT string_agg(c.body, ' ' ORDER BY c.id) FROM ticket_comments c WHERE c.ticket_id = t.id), ''), 400000))
         || search_windows(t.id)
  FROM tickets t WHERE t.id = search_document.id
$$;

-- Deleted tickets have no document: a search reads ticket ids from the index alone, without visiting
-- the tickets to skip deleted ones.
CREATE OR REPLACE FUNCTION ticket_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.deleted_at IS NOT NULL THEN
    DELETE FROM ticket_search WHERE ticket_id = NEW.id;
  ELSE
    INSERT INTO ticket_search (ticket_id, vector) VALUES (NEW.id, search_document(NEW.id))
    ON CONFLICT (ticket_id) DO UPDATE SET vector = EXCLUDED.vector;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER ticket_search_delete AFTER UPDATE OF deleted_at ON tickets FOR EACH ROW
  WHEN ((OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL)) EXECUTE FUNCTION ticket_search_sync();
DELETE FROM ticket_search s USING tickets t WHERE t.id = s.ticket_id AND t.deleted_at IS NOT NULL;

CREATE OR REPLACE FUNCTION comment_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO comment_search (comment_id, ticket_id, vector) VALUES (NEW.id, NEW.ticket_id, to_tsvector('simple', NEW.body))
  ON CONFLICT (comment_id) DO UPDATE SET vector = EXCLUDED.vector, ticket_id = EXCLUDED.ticket_id;
  IF TG_OP = 'INSERT' THEN
    -- A new comment extends its ticket's document (the row lock serializes concurrent comments).
    UPDATE ticket_search SET vector = CASE WHEN pg_column_size(vector) < 600000 THEN vector || to_tsvector('simple', left(NEW.body, 400000)) ELSE vector END
    WHERE ticket_id = NEW.ticket_id;
  ELSE
    -- An edited (redacted) or moved comment: rebuild the documents it left and joined.
    UPDATE ticket_search SET vector = search_document(ticket_id) WHERE ticket_id IN (OLD.ticket_id, NEW.ticket_id);
  END IF;
  RETURN NULL;
END $$;
DROP TRIGGER comment_search_update ON ticket_comments;
CREATE TRIGGER comment_search_update AFTER UPDATE OF body, ticket_id ON ticket_comments FOR EACH ROW
  WHEN (OLD.body IS DISTINCT FROM NEW.body OR OLD.ticket_id IS DISTINCT FROM NEW.ticket_id) EXECUTE FUNCTION comment_search_sync();

-- Rebuilding the index after the rewrite is much faster than updating it row by row.
DROP INDEX ticket_search_idx;
UPDATE ticket_search SET vector = search_document(ticket_id);
CREATE INDEX ticket_search_idx ON ticket_search USING gin (vector);
-- Searches size their first id window from the planner's estimate of how many documents hold a word;
-- statistics over the 5,000 most common lexemes (not the default 1,000) make that estimate close for
-- words down to about one ticket in a thousand. ANALYZE samples 150,000 documents for it.
ALTER TABLE ticket_search ALTER COLUMN vector SET STATISTICS 500;

-- Searches without words sort by creation time by default.
CREATE INDEX IF NOT EXISTS tickets_created_idx ON tickets (created_at, id);
