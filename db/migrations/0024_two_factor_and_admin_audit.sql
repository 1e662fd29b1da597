-- Two-factor authentication (TOTP, RFC 6238) for agents and admins, and the audit log of
-- administrative actions (issue 11).

-- One authenticator per user. The shared secret is encrypted (AES-256-GCM, key derived from the
-- deployment's signing key) and never leaves the server after enrollment. `enabled_at` is null while
-- an enrollment waits for its first code.
CREATE TABLE user_two_factor (
  user_id          bigint PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  secret_encrypted text NOT NULL,
  enabled_at       timestamptz,
  -- replay protection: a code is accepted only for a time step after the last one used
  last_used_step   bigint,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);

-- Ten single-use recovery codes per user (80 random bits each), kept as SHA-256 digests.
CREATE TABLE two_factor_recovery_codes (
  id         bigserial PRIMARY KEY,
  user_id    bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  code_hash  bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  used_at    timestamptz,
  UNIQUE (user_id, code_hash)
);

-- The short-lived token between the password step and the code step of a sign-in ('verify'), or
-- the forced enrollment of a staff account when an admin requires two-factor ('enroll').
CREATE TABLE login_challenges (
  id          bigserial PRIMARY KEY,
  user_id     bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  purpose     text NOT NULL CHECK (purpose IN ('verify','enroll')),
  token_hash  bytea NOT NULL UNIQUE,
  attempts    integer NOT NULL DEFAULT 0,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz
);
CREATE INDEX login_challenges_user_idx ON login_challenges (user_id);
CREATE INDEX login_challenges_expiry_idx ON login_challenges (expires_at);

-- Who did what to which administrative object, when and from where. Written in the transaction of
-- the change itself, so a rolled-back change leaves no entry and a committed one always has one.
CREATE TABLE admin_audit_logs (
  id                 bigserial PRIMARY KEY,
  -- null for the command line (`sundial export zendesk`) and background work
  actor_id           bigint REFERENCES users(id) ON DELETE SET NULL,
  -- the actor's email at the time, kept when the user is later renamed or removed
  actor_label        text NOT NULL DEFAULT '',
  action             text NOT NULL CHECK (length(action) BETWEEN 1 AND 64),
  source_type        text NOT NULL CHECK (length(source_type) BETWEEN 1 AND 64),
  source_id          bigint,
  source_label       text NOT NULL DEFAULT '',
  change_description text NOT NULL DEFAULT '',
  before             jsonb,
  after              jsonb,
  ip_address         text,
  user_agent         text,
  created_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX admin_audit_logs_created_idx ON admin_audit_logs (created_at, id);
CREATE INDEX admin_audit_logs_source_idx ON admin_audit_logs (source_type, id);
CREATE INDEX admin_audit_logs_actor_idx ON admin_audit_logs (actor_id, id);
