-- Every message that reached the inbound router, with what became of it. The Message-ID is unique,
-- so a message delivered twice (retries, two MX paths) is handled once.
CREATE TABLE inbound_mail (
  id           bigserial PRIMARY KEY,
  message_id   text NOT NULL UNIQUE,
  from_address text NOT NULL,
  to_addresses text[] NOT NULL DEFAULT '{}',
  subject      text NOT NULL DEFAULT '',
  channel      text NOT NULL CHECK (channel IN ('smtp','http')),
  outcome      text NOT NULL CHECK (outcome IN ('comment','ticket','follow_up','ignored','rejected')),
  reason       text,
  ticket_id    bigint REFERENCES tickets(id) ON DELETE SET NULL,
  comment_id   bigint REFERENCES ticket_comments(id) ON DELETE SET NULL,
  size_bytes   int NOT NULL,
  received_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX inbound_mail_received_idx ON inbound_mail (received_at DESC);
CREATE INDEX inbound_mail_ticket_idx ON inbound_mail (ticket_id) WHERE ticket_id IS NOT NULL;

-- Replies go to a per-ticket address (support+token@host) so they thread without headers.
ALTER TABLE mail_outbox ADD COLUMN reply_to text;
ALTER TABLE mail_outbox ADD COLUMN from_name text;
CREATE INDEX mail_outbox_ticket_idx ON mail_outbox (ticket_id) WHERE ticket_id IS NOT NULL;

-- A comment that arrived by mail keeps the Message-ID it came with: our answer threads under it in the
-- customer's client, and their next reply to any message of the conversation finds the ticket.
ALTER TABLE ticket_comments ADD COLUMN mail_message_id text;
CREATE INDEX ticket_comments_mail_message_idx ON ticket_comments (mail_message_id) WHERE mail_message_id IS NOT NULL;
