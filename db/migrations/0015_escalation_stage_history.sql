-- When each escalation reached each stage, by whom and through what (agent, GitHub, tracker webhook).
CREATE TABLE escalation_stage_changes (
  id            bigserial PRIMARY KEY,
  escalation_id bigint NOT NULL REFERENCES escalations(id) ON DELETE CASCADE,
  stage         text NOT NULL,
  fix_version   text,
  changed_by    bigint REFERENCES users(id) ON DELETE SET NULL,
  via           text NOT NULL DEFAULT 'api',
  changed_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX escalation_stage_changes_idx ON escalation_stage_changes (escalation_id, id);
-- Escalations made before this table: their start is known, the stages between are not.
INSERT INTO escalation_stage_changes (escalation_id, stage, changed_by, changed_at)
SELECT id, 'escalated', created_by, created_at FROM escalations;
