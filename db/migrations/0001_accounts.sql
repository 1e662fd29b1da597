-- Accounts: organizations, users, groups, sessions, tokens, rate limits.

CREATE TABLE organizations (
  id              bigserial PRIMARY KEY,
  name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
  support_plan    text NOT NULL DEFAULT 'free' CHECK (support_plan IN ('free','professional','enterprise','premier')),
  time_zone       text NOT NULL DEFAULT 'America/Los_Angeles',
  -- lower-cased; a sign-up whose email domain is listed joins the organization
  domain_names    text[] NOT NULL DEFAULT '{}',
  shared_tickets  boolean NOT NULL DEFAULT false,
  shared_comments boolean NOT NULL DEFAULT false,
  external_id     text,
  details         text,
  notes           text,
  tags            text[] NOT NULL DEFAULT '{}',
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  deleted_at      timestamptz
);
CREATE UNIQUE INDEX organizations_name_key ON organizations (lower(name)) WHERE deleted_at IS NULL;
CREATE INDEX organizations_domains_idx ON organizations USING gin (domain_names);

CREATE TABLE groups (
  id          bigserial PRIMARY KEY,
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
  description text NOT NULL DEFAULT '',
  -- stable handle for the seeded groups the workflows route to
  key         text UNIQUE,
  is_default  boolean NOT NULL DEFAULT false,
  is_public   boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  deleted_at  timestamptz
);
CREATE UNIQUE INDEX groups_name_key ON groups (lower(name)) WHERE deleted_at IS NULL;

INSERT INTO groups (name, description, key, is_default) VALUES
  ('Technical Support', 'Technical Support team: every Technical Support form request lands here', 'technical', true),
  ('Sales', 'Sales Support team; its queue is the Billing Queue', 'sales', false),
  ('Sustained Engineering', 'Sustained Engineering Team (SET): engineering escalations', 'engineering', false);

CREATE TABLE users (
  id                 bigserial PRIMARY KEY,
  name               text NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
  email              text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
  role               text NOT NULL DEFAULT 'end-user' CHECK (role IN ('end-user','agent','admin')),
  organization_id    bigint REFERENCES organizations(id),
  password_hash      text,
  verified           boolean NOT NULL DEFAULT false,
  active             boolean NOT NULL DEFAULT true,
  suspended          boolean NOT NULL DEFAULT false,
  time_zone          text,
  -- follow-the-sun region of an agent
  region             text CHECK (region IN ('amer','emea','apac')),
  default_group_id   bigint REFERENCES groups(id),
  -- end users: 'organization' lets this user see the organization's tickets even when the organization does not share
  ticket_restriction text CHECK (ticket_restriction IN ('requested','organization')),
  external_id        text,
  phone              text,
  details            text,
  notes              text,
  tags               text[] NOT NULL DEFAULT '{}',
  last_login_at      timestamptz,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE INDEX users_organization_idx ON users (organization_id);
CREATE INDEX users_role_idx ON users (role) WHERE role <> 'end-user';

CREATE TABLE group_memberships (
  id         bigserial PRIMARY KEY,
  user_id    bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  group_id   bigint NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
  is_default boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (user_id, group_id)
);
CREATE INDEX group_memberships_group_idx ON group_memberships (group_id);

-- Only SHA-256 digests of secrets are stored: a database leak yields no usable session or token.
CREATE TABLE sessions (
  id           bigserial PRIMARY KEY,
  user_id      bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  token_hash   bytea NOT NULL UNIQUE,
  csrf_token   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  revoked_at   timestamptz
);
CREATE INDEX sessions_user_idx ON sessions (user_id) WHERE revoked_at IS NULL;

CREATE TABLE api_tokens (
  id           bigserial PRIMARY KEY,
  user_id      bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  description  text NOT NULL DEFAULT '',
  token_hash   bytea NOT NULL UNIQUE,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at   timestamptz
);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id);

CREATE TABLE user_tokens (
  id         bigserial PRIMARY KEY,
  user_id    bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  purpose    text NOT NULL CHECK (purpose IN ('verify','reset')),
  token_hash bytea NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at    timestamptz,
  voided_at  timestamptz
);
CREATE INDEX user_tokens_user_idx ON user_tokens (user_id, purpose);

-- Fixed-window counters shared by every node.
CREATE TABLE rate_limit_hits (
  key          text NOT NULL,
  window_start timestamptz NOT NULL,
  hits         integer NOT NULL DEFAULT 0,
  PRIMARY KEY (key, window_start)
);
