-- Deactivated options stay readable on old tickets but cannot be chosen for new values.
ALTER TABLE ticket_field_options ADD COLUMN active boolean NOT NULL DEFAULT true;

-- Who has a ticket open right now, per node connection; rows expire when heartbeats stop.
CREATE TABLE ticket_viewers (
  ticket_id     bigint NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  user_id       bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  connection_id text NOT NULL,
  seen_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (ticket_id, connection_id)
);
CREATE INDEX ticket_viewers_seen_idx ON ticket_viewers (seen_at);

-- Customers search their requests by words in the subject and description.
CREATE INDEX tickets_text_idx ON tickets USING gin (to_tsvector('simple', subject || ' ' || description));
