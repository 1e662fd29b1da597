-- Search at scale (see src/modules/search/windows.ts). Reading every match of a word from the GIN
-- index costs one random heap page per match: a word in 3 % of a million tickets is 30,000 pages, for
-- the 100 results on a page. Each stored vector therefore also carries "window" lexemes naming the
-- block of ticket ids it belongs to, at four sizes (4,096, 16,384, 65,536 and 262,144 ids). A query for the
-- newest matches adds `& (window lexemes)` to its tsquery, so the index itself keeps only matches in
-- the newest ids, and those sit together on few heap pages; it widens the window until it has enough.
-- The lexemes start with '~', which the text parser never produces, so no typed word can match them.
CREATE FUNCTION search_windows(ticket_id bigint) RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT array_to_tsvector(ARRAY['~12.' || (ticket_id >> 12), '~14.' || (ticket_id >> 14), '~16.' || (ticket_id >> 16), '~18.' || (ticket_id >> 18)])
$$;

CREATE OR REPLACE FUNCTION ticket_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO ticket_search (ticket_id, vector) VALUES (NEW.id, to_tsvector('simple', NEW.subject || ' ' || NEW.description) || search_windows(NEW.id))
  ON CONFLICT (ticket_id) DO UPDATE SET vector = EXCLUDED.vector;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION comment_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO comment_search (comment_id, ticket_id, vector) VALUES (NEW.id, NEW.ticket_id, to_tsvector('simple', NEW.body) || search_windows(NEW.ticket_id))
  ON CONFLICT (comment_id) DO UPDATE SET vector = EXCLUDED.vector, ticket_id = EXCLUDED.ticket_id;
  RETURN NULL;
END $$;

-- Rebuilding the indexes after the rewrite is much faster than updating them row by row.
DROP INDEX ticket_search_idx;
DROP INDEX comment_search_idx;
UPDATE ticket_search SET vector = vector || search_windows(ticket_id);
UPDATE comment_search SET vector = vector || search_windows(ticket_id);
CREATE INDEX ticket_search_idx ON ticket_search USING gin (vector);
CREATE INDEX comment_search_idx ON comment_search USING gin (vector);

-- Filter-first searches check each candidate ticket's comments by ticket id.
CREATE INDEX IF NOT EXISTS comment_search_ticket_idx ON comment_search (ticket_id);
-- Searches without words sort by creation time by default.
CREATE INDEX IF NOT EXISTS tickets_created_idx ON tickets (created_at, id);
