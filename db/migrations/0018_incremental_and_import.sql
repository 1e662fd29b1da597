-- Zendesk's incremental exports (/api/v2/incremental/*) walk each table in (time, id) order with
-- keyset paging, never OFFSET. tickets (updated_at, id) is tickets_updated_idx from 0002.
CREATE INDEX users_updated_idx ON users (updated_at, id);
CREATE INDEX organizations_updated_idx ON organizations (updated_at, id);
CREATE INDEX ticket_audits_created_idx ON ticket_audits (created_at, id);

-- What `sundial import zendesk` brought in: a re-run skips these, and references in later records
-- (a ticket's requester, a user's organization) resolve through them to the Sundial row.
CREATE TABLE zendesk_import_items (
  kind        text NOT NULL CHECK (kind IN ('organization','group','user','ticket')),
  source_id   bigint NOT NULL,
  sundial_id  bigint NOT NULL,
  -- 'created': inserted by the import (with the source id when it was free);
  -- 'matched': an existing record with the same email (users) or name (organizations, groups)
  outcome     text NOT NULL CHECK (outcome IN ('created','matched')),
  -- imported tickets whose SLA ledger is still to be built (set on insert, cleared once built)
  sla_pending boolean NOT NULL DEFAULT false,
  imported_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (kind, source_id)
);
CREATE INDEX zendesk_import_items_sla_idx ON zendesk_import_items (sundial_id) WHERE sla_pending;
