-- Every node caches the desk's configuration (ticket forms and fields, SLA targets, holidays, triggers,
-- groups, settings) instead of reading it on each ticket write (issue 10: 6–8 of a write's ~40 statements).
-- A node knows its copy is current by comparing it with this version, which it reads in the statement
-- that authenticates each request. Any statement that changes one of those tables gives the version a new
-- random value inside the changing transaction: the new value becomes visible exactly when the change
-- commits, and a rolled-back change leaves a value nobody ever sees. Random values, not a counter, so
-- copies cached from different databases (tests run many in one process) can never be confused.
CREATE TABLE config_version (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  version uuid NOT NULL DEFAULT gen_random_uuid()
);
INSERT INTO config_version DEFAULT VALUES;

CREATE FUNCTION bump_config_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE config_version SET version = gen_random_uuid();
  RETURN NULL;
END
$$;

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['ticket_forms', 'ticket_form_fields', 'ticket_fields', 'ticket_field_options', 'sla_policies', 'sla_policy_metrics',
                           'business_schedules', 'business_holidays', 'triggers', 'groups', 'settings'] LOOP
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION bump_config_version()', t || '_config_version', t);
  END LOOP;
END
$$;
