-- Tracker keys (e.g. MM-61234) of linked issues, so signed issue webhooks can find their escalations.
ALTER TABLE escalation_links ADD COLUMN issue_key text;
CREATE INDEX escalation_links_issue_idx ON escalation_links (issue_key) WHERE issue_key IS NOT NULL;
