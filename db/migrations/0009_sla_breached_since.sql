-- When the oldest running target of a ticket breached (null when none is breached): lists show it red.
ALTER TABLE tickets ADD COLUMN sla_breached_since timestamptz;
