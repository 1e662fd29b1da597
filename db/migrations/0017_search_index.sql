-- Search (Zendesk's /search) matches words in comments as well as subjects and descriptions.
CREATE INDEX ticket_comments_text_idx ON ticket_comments USING gin (to_tsvector('simple', body));
-- Tags are matched with @>, which a GIN index serves.
CREATE INDEX tickets_tags_idx ON tickets USING gin (tags) WHERE deleted_at IS NULL;
