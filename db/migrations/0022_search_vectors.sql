-- Stored search vectors, beside the rows they index so `SELECT *` on tickets and comments stays lean:
-- phrase checks and ranking read them instead of re-parsing every matching subject, description and
-- comment (which made common words and phrases slow at scale). Database triggers keep them current for
-- every writer, bulk SQL and imports included.
CREATE TABLE ticket_search (
  ticket_id bigint PRIMARY KEY REFERENCES tickets(id) ON DELETE CASCADE,
  vector    tsvector NOT NULL
);
CREATE TABLE comment_search (
  comment_id bigint PRIMARY KEY REFERENCES ticket_comments(id) ON DELETE CASCADE,
  ticket_id  bigint NOT NULL,
  vector     tsvector NOT NULL
);

CREATE FUNCTION ticket_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO ticket_search (ticket_id, vector) VALUES (NEW.id, to_tsvector('simple', NEW.subject || ' ' || NEW.description))
  ON CONFLICT (ticket_id) DO UPDATE SET vector = EXCLUDED.vector;
  RETURN NULL;
END $$;
CREATE TRIGGER ticket_search_insert AFTER INSERT ON tickets FOR EACH ROW EXECUTE FUNCTION ticket_search_sync();
CREATE TRIGGER ticket_search_update AFTER UPDATE OF subject, description ON tickets FOR EACH ROW
  WHEN (OLD.subject IS DISTINCT FROM NEW.subject OR OLD.description IS DISTINCT FROM NEW.description) EXECUTE FUNCTION ticket_search_sync();

CREATE FUNCTION comment_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO comment_search (comment_id, ticket_id, vector) VALUES (NEW.id, NEW.ticket_id, to_tsvector('simple', NEW.body))
  ON CONFLICT (comment_id) DO UPDATE SET vector = EXCLUDED.vector, ticket_id = EXCLUDED.ticket_id;
  RETURN NULL;
END $$;
CREATE TRIGGER comment_search_insert AFTER INSERT ON ticket_comments FOR EACH ROW EXECUTE FUNCTION comment_search_sync();
CREATE TRIGGER comment_search_update AFTER UPDATE OF body ON ticket_comments FOR EACH ROW
  WHEN (OLD.body IS DISTINCT FROM NEW.body) EXECUTE FUNCTION comment_search_sync();

INSERT INTO ticket_search (ticket_id, vector) SELECT id, to_tsvector('simple', subject || ' ' || description) FROM tickets;
INSERT INTO comment_search (comment_id, ticket_id, vector) SELECT id, ticket_id, to_tsvector('simple', body) FROM ticket_comments;
CREATE INDEX ticket_search_idx ON ticket_search USING gin (vector);
CREATE INDEX comment_search_idx ON comment_search USING gin (vector);
DROP INDEX IF EXISTS tickets_text_idx;
DROP INDEX IF EXISTS ticket_comments_text_idx;
