-- Search's free words match any part of a person's name or email (ILIKE '%word%'), and a search
-- without type: looks for people as well as tickets. No b-tree serves a pattern with a leading
-- wildcard, so at 100k users every such search read the whole users table: 200 ms for "websocket",
-- most of a full-text search's time at 1M tickets. Trigram indexes answer the same query in 0.1 ms.
-- pg_trgm ships with PostgreSQL (contrib) and is a trusted extension: a database owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX users_name_trgm_idx ON users USING gin (name gin_trgm_ops);
CREATE INDEX users_email_trgm_idx ON users USING gin (lower(email) gin_trgm_ops);
CREATE INDEX organizations_name_trgm_idx ON organizations USING gin (name gin_trgm_ops);
