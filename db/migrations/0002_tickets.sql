-- Tickets: forms and fields as data, tickets, comments, attachments, audits, outbound mail.

CREATE TABLE ticket_fields (
  id                    bigserial PRIMARY KEY,
  -- system types: subject, description, priority, status, tickettype, group, assignee; custom: text, textarea, tagger, regexp, checkbox, integer, decimal, date
  type                  text NOT NULL,
  key                   text UNIQUE,
  title                 text NOT NULL,
  title_in_portal       text NOT NULL,
  description           text NOT NULL DEFAULT '',
  agent_description     text,
  position              integer NOT NULL DEFAULT 0,
  active                boolean NOT NULL DEFAULT true,
  required              boolean NOT NULL DEFAULT false,
  required_in_portal    boolean NOT NULL DEFAULT false,
  visible_in_portal     boolean NOT NULL DEFAULT true,
  editable_in_portal    boolean NOT NULL DEFAULT true,
  regexp_for_validation text,
  removable             boolean NOT NULL DEFAULT true,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE ticket_field_options (
  id          bigserial PRIMARY KEY,
  field_id    bigint NOT NULL REFERENCES ticket_fields(id) ON DELETE CASCADE,
  name        text NOT NULL,
  value       text NOT NULL,
  description text NOT NULL DEFAULT '',
  position    integer NOT NULL DEFAULT 0,
  is_default  boolean NOT NULL DEFAULT false,
  UNIQUE (field_id, value)
);

CREATE TABLE ticket_forms (
  id                  bigserial PRIMARY KEY,
  -- 'technical' | 'sales': the workflow a form's tickets follow
  kind                text NOT NULL UNIQUE CHECK (kind IN ('technical','sales')),
  name                text NOT NULL,
  display_name        text NOT NULL,
  description         text NOT NULL DEFAULT '',
  position            integer NOT NULL DEFAULT 0,
  active              boolean NOT NULL DEFAULT true,
  end_user_visible    boolean NOT NULL DEFAULT true,
  is_default          boolean NOT NULL DEFAULT false,
  -- Zendesk's conditional fields: [{parent_field_id, value, child_fields:[{id, is_required}]}]
  end_user_conditions jsonb NOT NULL DEFAULT '[]',
  agent_conditions    jsonb NOT NULL DEFAULT '[]',
  default_group_key   text NOT NULL REFERENCES groups(key),
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE ticket_form_fields (
  form_id  bigint NOT NULL REFERENCES ticket_forms(id) ON DELETE CASCADE,
  field_id bigint NOT NULL REFERENCES ticket_fields(id) ON DELETE CASCADE,
  position integer NOT NULL,
  PRIMARY KEY (form_id, field_id)
);

CREATE TABLE tickets (
  id                     bigserial PRIMARY KEY,
  form_id                bigint NOT NULL REFERENCES ticket_forms(id),
  subject                text NOT NULL,
  description            text NOT NULL,
  priority               text CHECK (priority IN ('urgent','high','normal','low')),
  type                   text CHECK (type IN ('problem','incident','question','task')),
  status                 text NOT NULL CHECK (status IN ('new','open','pending','hold','solved','closed')),
  requester_id           bigint NOT NULL REFERENCES users(id),
  submitter_id           bigint NOT NULL REFERENCES users(id),
  assignee_id            bigint REFERENCES users(id),
  group_id               bigint REFERENCES groups(id),
  organization_id        bigint REFERENCES organizations(id),
  do_not_close           boolean NOT NULL DEFAULT false,
  via_channel            text NOT NULL DEFAULT 'web',
  via_followup_source_id bigint REFERENCES tickets(id),
  external_id            text,
  tags                   text[] NOT NULL DEFAULT '{}',
  -- {"<field id>": value} for custom fields of the ticket's form
  custom_fields          jsonb NOT NULL DEFAULT '{}',
  created_at             timestamptz NOT NULL DEFAULT now(),
  -- whole seconds, strictly increasing per ticket: the safe-update stamp clients echo back
  updated_at             timestamptz NOT NULL DEFAULT date_trunc('second', now()),
  solved_at              timestamptz,
  closed_at              timestamptz,
  deleted_at             timestamptz
);
CREATE INDEX tickets_requester_idx ON tickets (requester_id, id);
CREATE INDEX tickets_organization_idx ON tickets (organization_id, id);
CREATE INDEX tickets_assignee_idx ON tickets (assignee_id, status);
CREATE INDEX tickets_group_status_idx ON tickets (group_id, status);
CREATE INDEX tickets_updated_idx ON tickets (updated_at, id);
CREATE INDEX tickets_solved_idx ON tickets (solved_at) WHERE status = 'solved';
CREATE INDEX tickets_external_idx ON tickets (external_id) WHERE external_id IS NOT NULL;

CREATE TABLE ticket_collaborators (
  ticket_id  bigint NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  user_id    bigint NOT NULL REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (ticket_id, user_id)
);
CREATE INDEX ticket_collaborators_user_idx ON ticket_collaborators (user_id, ticket_id);

CREATE TABLE ticket_audits (
  id          bigserial PRIMARY KEY,
  ticket_id   bigint NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  author_id   bigint REFERENCES users(id),
  via_channel text NOT NULL,
  metadata    jsonb NOT NULL DEFAULT '{}',
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ticket_audits_ticket_idx ON ticket_audits (ticket_id, id);

CREATE TABLE ticket_comments (
  id          bigserial PRIMARY KEY,
  ticket_id   bigint NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  audit_id    bigint NOT NULL REFERENCES ticket_audits(id),
  author_id   bigint NOT NULL REFERENCES users(id),
  body        text NOT NULL,
  html_body   text NOT NULL,
  public      boolean NOT NULL,
  via_channel text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ticket_comments_ticket_idx ON ticket_comments (ticket_id, id);

CREATE TABLE ticket_audit_events (
  id             bigserial PRIMARY KEY,
  audit_id       bigint NOT NULL REFERENCES ticket_audits(id) ON DELETE CASCADE,
  -- Create | Change | Comment | FollowUp
  type           text NOT NULL,
  field_name     text,
  value          jsonb,
  previous_value jsonb,
  comment_id     bigint REFERENCES ticket_comments(id)
);
CREATE INDEX ticket_audit_events_audit_idx ON ticket_audit_events (audit_id);

CREATE TABLE uploads (
  id          bigserial PRIMARY KEY,
  token       text NOT NULL UNIQUE,
  uploader_id bigint NOT NULL REFERENCES users(id),
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  consumed_at timestamptz
);

CREATE TABLE attachments (
  id           bigserial PRIMARY KEY,
  upload_id    bigint REFERENCES uploads(id),
  ticket_id    bigint REFERENCES tickets(id) ON DELETE CASCADE,
  comment_id   bigint REFERENCES ticket_comments(id) ON DELETE CASCADE,
  uploader_id  bigint NOT NULL REFERENCES users(id),
  file_name    text NOT NULL,
  content_type text NOT NULL,
  size         bigint NOT NULL,
  sha256       text NOT NULL,
  storage_key  text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  deleted_at   timestamptz
);
CREATE INDEX attachments_comment_idx ON attachments (comment_id);
CREATE INDEX attachments_upload_idx ON attachments (upload_id);

-- Outbound mail is written in the transaction that causes it and sent by a job after commit.
CREATE TABLE mail_outbox (
  id          bigserial PRIMARY KEY,
  to_address  text NOT NULL,
  subject     text NOT NULL,
  text_body   text NOT NULL,
  html_body   text,
  message_id  text NOT NULL UNIQUE,
  in_reply_to text,
  references_ids text[] NOT NULL DEFAULT '{}',
  ticket_id   bigint REFERENCES tickets(id) ON DELETE SET NULL,
  kind        text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  sent_at     timestamptz,
  attempts    integer NOT NULL DEFAULT 0,
  last_error  text
);
CREATE INDEX mail_outbox_unsent_idx ON mail_outbox (created_at) WHERE sent_at IS NULL;
