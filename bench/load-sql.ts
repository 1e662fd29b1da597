/**
 * The SQL of the benchmark's data generator (bench/load.ts): what it refers to in the database (forms,
 * groups, fields, regions), the formulas that map a row number to its organization, plan and time zone,
 * and the statements that write one chunk of tickets with everything that hangs off them.
 */
import type pg from 'pg';
import {
  AGENT_SENTENCES, ATTACHMENTS, CUSTOMER_SENTENCES, INTERNAL_SENTENCES, SALES_SUBJECTS, sqlArray, TECHNICAL_SYMPTOMS, TIME_ZONES,
} from './load-text.js';
/** Counts the generator derives from --tickets (agents do not scale: a team stays a team). */
export function shapeFor(tickets: number) {
  const f = tickets / 1_000_000;
  return { tickets, organizations: Math.max(20, Math.round(2000 * f)), endUsers: Math.max(200, Math.round(100_000 * f)), agents: 60 };
}

export interface Catalogue {
  forms: { technical: number; sales: number };
  groups: { technical: number; sales: number; engineering: number };
  fields: Record<'technical_category' | 'sales_category' | 'environment' | 'mattermost_version' | 'mattermost_mobile_version' | 'mobile_device', number>;
  options: { technical: { value: string; name: string }[]; sales: { value: string; name: string }[]; environment: string[] };
  regions: { id: number; name: string }[];
}

export async function readCatalogue(c: pg.ClientBase): Promise<Catalogue> {
  const one = async <T>(text: string, params: unknown[] = []) => (await c.query(text, params)).rows as T[];
  const forms = await one<{ id: number; kind: 'technical' | 'sales' }>('SELECT id::int, kind FROM ticket_forms');
  const groups = await one<{ id: number; key: string }>("SELECT id::int, key FROM groups WHERE key IN ('technical','sales','engineering')");
  const fields = await one<{ id: number; key: string }>('SELECT id::int, key FROM ticket_fields WHERE key IS NOT NULL');
  const options = async (key: string) =>
    one<{ value: string; name: string }>('SELECT o.value, o.name FROM ticket_field_options o JOIN ticket_fields f ON f.id = o.field_id WHERE f.key = $1 AND o.active ORDER BY o.position', [key]);
  const id = <T extends { id: number }>(rows: T[], pick: (r: T) => boolean, what: string) => rows.find(pick)?.id ?? fail(`${what} is missing: is this a migrated Sundial database?`);
  const field = (key: string) => id(fields, (f) => f.key === key, `ticket field ${key}`);
  return {
    forms: { technical: id(forms, (f) => f.kind === 'technical', 'technical form'), sales: id(forms, (f) => f.kind === 'sales', 'sales form') },
    groups: { technical: id(groups, (g) => g.key === 'technical', 'group technical'), sales: id(groups, (g) => g.key === 'sales', 'group sales'), engineering: id(groups, (g) => g.key === 'engineering', 'group engineering') },
    fields: {
      technical_category: field('technical_category'), sales_category: field('sales_category'), environment: field('environment'),
      mattermost_version: field('mattermost_version'), mattermost_mobile_version: field('mattermost_mobile_version'), mobile_device: field('mobile_device'),
    },
    options: { technical: await options('technical_category'), sales: await options('sales_category'), environment: (await options('environment')).map((o) => o.value) },
    regions: await one<{ id: number; name: string }>('SELECT id::int, name FROM regions ORDER BY position, id'),
  };
}

export const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

const fail = (message: string): never => {
  throw new Error(message);
};

/** First ids of the generated organizations, end users and agents, the fill's "now" and its run tag. */
export interface Bases {
  org: number;
  user: number;
  agent: number;
  now: string;
  tag: string;
}

/** Organization number (1…O) of end user number u (1…U): monotonic, so neighbours share one; early organizations are big. */
export const orgOf = (u: string, U: number, O: number) => `(1 + floor(${O} * power((${u} - 1)::float8 / ${U}, 1.8)))::int`;
export const planOf = (o: string) => `(CASE WHEN ${o} % 20 < 4 THEN 'free' WHEN ${o} % 20 < 11 THEN 'professional' WHEN ${o} % 20 < 18 THEN 'enterprise' ELSE 'premier' END)`;
export const zoneOf = (o: string) => `(${sqlArray(TIME_ZONES)})[1 + ${o} % ${TIME_ZONES.length}]`;
export const pick = (items: readonly string[], r: string) => `(${sqlArray(items)})[1 + floor(${r} * ${items.length})::int]`;

/** The SQL of one chunk: plan the tickets and comments in temp tables, then write every table from them. */
export function chunkSql(cat: Catalogue, shape: ReturnType<typeof shapeFor>, b: Bases, count: number, lean: boolean): string[] {
  const U = shape.endUsers;
  const O = shape.organizations;
  const now = `'${b.now}'::timestamptz`;
  const tech = cat.options.technical;
  const sales = cat.options.sales;
  const f = cat.fields;
  const techAgent = (r: string) => `(${b.agent} + floor(${r} * 44))::bigint`;
  const salesAgent = (r: string) => `(${b.agent} + 44 + floor(${r} * 10))::bigint`;
  const sentences = (bank: readonly string[], rs: string[]) => rs.map((r) => pick(bank, r)).join(` || ' ' || `);
  const unlessLean = (...statements: string[]) => (lean ? [] : statements);
  return [
    // 1. Ticket plan: every attribute of `count` tickets, with their ids taken from the sequence.
    `CREATE TEMP TABLE gt ON COMMIT DROP AS
     WITH r AS MATERIALIZED (
       SELECT g, random() AS r_form, random() AS r_status, random() AS r_prio, random() AS r_user, random() AS r_age, random() AS r_cat, random() AS r_env,
              random() AS r_via, random() AS r_nc, random() AS r_agent, random() AS r_solve, random() AS r_cc, random() AS r_s, random() AS r_d1,
              random() AS r_d2, random() AS r_d3, random() AS r_act, random() AS r_ver, random() AS r_dev
       FROM generate_series(1, ${count}) g),
     a AS (
       SELECT r.*, r_form < 0.8 AS technical,
              CASE WHEN r_status < 0.04 THEN 'new' WHEN r_status < 0.12 THEN 'open' WHEN r_status < 0.17 THEN 'pending' WHEN r_status < 0.20 THEN 'hold'
                   WHEN r_status < 0.23 THEN 'solved' ELSE 'closed' END AS status,
              (1 + floor(${U} * power(r_user, 1.4)))::int AS user_no,
              interval '1 hour' * (1 + 320 * power(r_solve, 3)) AS res
       FROM r),
     b AS (
       SELECT a.*, CASE WHEN user_no % 25 = 0 THEN NULL ELSE ${orgOf('user_no', U, O)} END AS org_no,
              CASE status WHEN 'closed' THEN ${now} - interval '20 days' - r_age * interval '710 days'
                          WHEN 'solved' THEN ${now} - r_age * interval '46 hours' - res
                          WHEN 'pending' THEN ${now} - r_act * interval '13 days' - power(r_age, 2) * interval '40 days'
                          ELSE ${now} - power(r_age, 2) * interval '60 days' END AS created_at
       FROM a),
     c AS (
       SELECT b.*, CASE WHEN status IN ('solved','closed') THEN created_at + res END AS solved_at,
              CASE WHEN status = 'closed' THEN created_at + res + interval '48 hours' END AS closed_at,
              CASE WHEN status IN ('solved','closed') THEN created_at + res
                   WHEN status = 'new' THEN created_at
                   WHEN status = 'pending' THEN ${now} - r_act * interval '13 days'
                   ELSE created_at + (${now} - created_at) * r_act END AS conv_end,
              CASE WHEN technical THEN ${pick(tech.map((o) => o.value), 'r_cat')} ELSE ${pick(sales.map((o) => o.value), 'r_cat')} END AS category,
              CASE WHEN technical THEN ${pick(tech.map((o) => o.name), 'r_cat')} ELSE NULL END AS category_name,
              CASE WHEN NOT technical THEN 'normal' WHEN r_prio < 0.05 THEN 'urgent' WHEN r_prio < 0.20 THEN 'high' WHEN r_prio < 0.75 THEN 'normal' ELSE 'low' END AS priority
       FROM b)
     SELECT nextval('tickets_id_seq') AS id, c.*,
            ${b.user - 1} + user_no AS requester_id,
            CASE WHEN org_no IS NULL THEN NULL ELSE ${b.org - 1} + org_no END AS organization_id,
            CASE WHEN org_no IS NULL THEN 'free' ELSE ${planOf('org_no')} END AS plan,
            CASE WHEN org_no IS NULL THEN 'America/Los_Angeles' ELSE ${zoneOf('org_no')} END AS tz,
            CASE WHEN technical THEN ${cat.forms.technical} ELSE ${cat.forms.sales} END AS form_id,
            CASE WHEN technical THEN ${cat.groups.technical} ELSE ${cat.groups.sales} END AS group_id,
            CASE WHEN status = 'new' AND r_agent < 0.95 THEN NULL WHEN technical THEN ${techAgent('r_agent')} ELSE ${salesAgent('r_agent')} END AS assignee_id,
            CASE WHEN r_via < 0.6 THEN 'web' WHEN r_via < 0.9 THEN 'email' ELSE 'api' END AS via,
            CASE WHEN status = 'new' THEN 1 ELSE 2 + floor(r_nc * 7)::int END AS ncomments,
            CASE WHEN r_cc < 0.15 THEN ${b.user} + user_no % ${U} END AS cc_id,
            CASE WHEN technical THEN left(category_name || ': ' || ${pick(TECHNICAL_SYMPTOMS, 'r_s')}, 150) ELSE ${pick(SALES_SUBJECTS, 'r_s')} END AS subject,
            ${sentences(CUSTOMER_SENTENCES, ['r_d1', 'r_d2', 'r_d3'])} || ' Reference ERR-' || (10000 + floor(r_d1 * 90000))::int || '.' AS description,
            CASE WHEN technical THEN
              jsonb_build_object('${f.technical_category}', category, '${f.environment}', ${pick(cat.options.environment, 'r_env')},
                                 '${f.mattermost_version}', (ARRAY['9.11','10.2','10.5','10.8','10.11'])[1 + floor(r_ver * 5)::int] || '.' || floor(r_env * 6)::int)
              || CASE WHEN category = 'mobile' THEN jsonb_build_object('${f.mattermost_mobile_version}', '2.' || (20 + floor(r_ver * 6)::int) || '.0', '${f.mobile_device}', CASE WHEN r_dev < 0.5 THEN 'ios' ELSE 'android' END) ELSE '{}'::jsonb END
            ELSE jsonb_build_object('${f.sales_category}', category) END AS custom_fields,
            CASE WHEN status = 'new' THEN created_at + interval '1 hour' * (CASE priority WHEN 'urgent' THEN 2 WHEN 'high' THEN 4 WHEN 'normal' THEN 8 ELSE 16 END)
                 WHEN status = 'open' THEN conv_end + interval '24 hours' END AS sla_next_breach_at
     FROM c`,
    // 2. Comment plan: the description, then replies, customer answers and internal notes in time order.
    `CREATE TEMP TABLE gc ON COMMIT DROP AS
     WITH x AS MATERIALIZED (
       SELECT t.id AS ticket_id, t.requester_id, t.assignee_id, t.technical, t.created_at AS t0, t.conv_end, t.ncomments, t.via, t.description, n,
              random() AS r_pub, random() AS r_a, random() AS r_b, random() AS r_att, random() AS r_agent
       FROM gt t CROSS JOIN LATERAL generate_series(1, t.ncomments) n)
     SELECT nextval('ticket_comments_id_seq') AS id, nextval('ticket_audits_id_seq') AS audit_id, ticket_id, n, ncomments,
            n = 1 OR r_pub >= 0.4167 AS public,
            n > 1 AND (r_pub < 0.4167 OR n % 2 = 0) AS by_agent,
            CASE WHEN n = 1 THEN requester_id
                 WHEN r_pub < 0.4167 OR n % 2 = 0 THEN coalesce(assignee_id, CASE WHEN technical THEN ${techAgent('r_agent')} ELSE ${salesAgent('r_agent')} END)
                 ELSE requester_id END AS author_id,
            CASE WHEN n = 1 THEN t0 ELSE t0 + (conv_end - t0) * ((n - 1)::float8 / (ncomments - 1)) END AS created_at,
            CASE WHEN n = 1 THEN description
                 WHEN r_pub < 0.4167 THEN ${sentences(INTERNAL_SENTENCES, ['r_a'])}
                 WHEN n % 2 = 0 THEN ${sentences(AGENT_SENTENCES, ['r_a', 'r_b'])}
                 ELSE ${sentences(CUSTOMER_SENTENCES, ['r_a', 'r_b'])} END AS body,
            CASE WHEN n = 1 THEN via WHEN r_pub < 0.4167 OR n % 2 = 0 THEN 'web' ELSE via END AS via_channel,
            r_att < 0.08 AS has_attachment, r_att AS r_file
     FROM x`,
    // 3. Audits that are not a comment's: the solve and, for closed tickets, the auto-close.
    `CREATE TEMP TABLE gx ON COMMIT DROP AS
     SELECT nextval('ticket_audits_id_seq') AS audit_id, id AS ticket_id, 'solve' AS kind, assignee_id AS author_id, 'web' AS via, '{}'::jsonb AS metadata, solved_at AS at
     FROM gt WHERE status IN ('solved','closed')
     UNION ALL
     SELECT nextval('ticket_audits_id_seq'), id, 'close', NULL, 'rule', '{"rule": "auto-close", "after_ms": 172800000}'::jsonb, closed_at FROM gt WHERE status = 'closed'`,
    `INSERT INTO tickets (id, form_id, subject, description, priority, status, requester_id, submitter_id, assignee_id, group_id, organization_id, via_channel,
                          tags, custom_fields, created_at, updated_at, solved_at, closed_at, sla_next_breach_at, sla_breached_since, pending_since, pending_reminders_sent)
     SELECT id, form_id, subject, description, priority, status, requester_id, CASE WHEN via = 'api' THEN coalesce(assignee_id, ${b.agent}) ELSE requester_id END,
            assignee_id, group_id, organization_id, via, ARRAY[category], custom_fields, created_at,
            date_trunc('second', CASE WHEN status = 'closed' THEN closed_at ELSE conv_end END), solved_at, closed_at,
            sla_next_breach_at, CASE WHEN sla_next_breach_at < ${now} THEN sla_next_breach_at END,
            CASE WHEN status = 'pending' THEN conv_end END,
            CASE WHEN status = 'pending' THEN (conv_end < ${now} - interval '3 days')::int + (conv_end < ${now} - interval '7 days')::int ELSE 0 END
     FROM gt ORDER BY id`,
    `INSERT INTO ticket_audits (id, ticket_id, author_id, via_channel, metadata, created_at)
     SELECT c.audit_id, c.ticket_id, c.author_id, c.via_channel,
            CASE WHEN c.n = 1 THEN jsonb_build_object('sla', jsonb_build_object('plan', t.plan, 'time_zone', t.tz)) ELSE '{}'::jsonb END, c.created_at
     FROM gc c JOIN gt t ON t.id = c.ticket_id
     UNION ALL SELECT audit_id, ticket_id, author_id, via, metadata, at FROM gx
     ORDER BY 1`,
    `INSERT INTO ticket_comments (id, ticket_id, audit_id, author_id, body, html_body, public, via_channel, created_at)
     SELECT id, ticket_id, audit_id, author_id, body, '<p>' || body || '</p>', public, via_channel, created_at FROM gc ORDER BY id`,
    ...unlessLean(`INSERT INTO ticket_audit_events (audit_id, type, field_name, value, previous_value, comment_id)
     SELECT c.audit_id, 'Create', e.k, e.v, NULL::jsonb, NULL::bigint
     FROM gc c JOIN gt t ON t.id = c.ticket_id
     CROSS JOIN LATERAL (VALUES ('subject', to_jsonb(t.subject)), ('status', '"new"'::jsonb), ('priority', to_jsonb(t.priority)), ('requester_id', to_jsonb(t.requester_id)),
                                ('group_id', to_jsonb(t.group_id)), ('organization_id', to_jsonb(t.organization_id)), ('ticket_form_id', to_jsonb(t.form_id))) e(k, v)
     WHERE c.n = 1 AND e.v <> 'null'::jsonb
     UNION ALL SELECT c.audit_id, 'Create', e.key, e.value, NULL, NULL FROM gc c JOIN gt t ON t.id = c.ticket_id CROSS JOIN LATERAL jsonb_each(t.custom_fields) e WHERE c.n = 1
     UNION ALL SELECT audit_id, 'Comment', NULL, NULL, NULL, id FROM gc
     UNION ALL SELECT c.audit_id, 'Change', 'status', '"open"', '"new"', NULL FROM gc c WHERE c.n = 2
     UNION ALL SELECT c.audit_id, 'Change', 'assignee_id', to_jsonb(t.assignee_id), 'null', NULL FROM gc c JOIN gt t ON t.id = c.ticket_id WHERE c.n = 2 AND t.assignee_id IS NOT NULL
     UNION ALL SELECT c.audit_id, 'Change', 'status', to_jsonb(t.status), '"open"', NULL FROM gc c JOIN gt t ON t.id = c.ticket_id WHERE c.n = c.ncomments AND c.n > 1 AND t.status IN ('pending','hold')
     UNION ALL SELECT audit_id, 'Change', 'status', CASE kind WHEN 'solve' THEN '"solved"'::jsonb ELSE '"closed"' END, CASE kind WHEN 'solve' THEN '"open"'::jsonb ELSE '"solved"' END, NULL FROM gx`),
    ...unlessLean(`INSERT INTO attachments (ticket_id, comment_id, uploader_id, file_name, content_type, size, sha256, storage_key, created_at)
     SELECT ticket_id, id, author_id, (${sqlArray(ATTACHMENTS.map((a) => a[0]))})[1 + floor(r_file * 12.5 * ${ATTACHMENTS.length})::int % ${ATTACHMENTS.length}],
            (${sqlArray(ATTACHMENTS.map((a) => a[1]))})[1 + floor(r_file * 12.5 * ${ATTACHMENTS.length})::int % ${ATTACHMENTS.length}],
            (2000 + r_file * 60000000)::bigint, md5(id::text) || md5(ticket_id::text), 'bench/' || id, created_at
     FROM gc WHERE has_attachment`),
    `INSERT INTO ticket_collaborators (ticket_id, user_id, created_at) SELECT id, cc_id, created_at FROM gt WHERE cc_id IS NOT NULL AND cc_id <> requester_id`,
    // 4. SLA ledger, as the engine writes it for a ticket's life (targets from the plan's policy).
    ...unlessLean(`INSERT INTO ticket_metric_events (ticket_id, metric, instance_id, type, time, sla, recorded_at)
     SELECT t.id, m.metric, 1, m.type, m.time, m.sla, m.time
     FROM gt t
     LEFT JOIN (SELECT ticket_id, min(created_at) AS at FROM gc WHERE by_agent AND public GROUP BY ticket_id) fr ON fr.ticket_id = t.id
     LEFT JOIN (SELECT p.plan, m.priority, m.metric, jsonb_build_object('target', m.target_minutes, 'policy_id', p.id, 'business_hours', m.business_hours) AS sla
                FROM sla_policy_metrics m JOIN sla_policies p ON p.id = m.policy_id) fp ON fp.plan = t.plan AND fp.priority = t.priority AND fp.metric = 'first_reply_time'
     LEFT JOIN (SELECT p.plan, m.priority, m.metric, jsonb_build_object('target', m.target_minutes, 'policy_id', p.id, 'business_hours', m.business_hours) AS sla
                FROM sla_policy_metrics m JOIN sla_policies p ON p.id = m.policy_id) pu ON pu.plan = t.plan AND pu.priority = t.priority AND pu.metric = 'pausable_update_time'
     CROSS JOIN LATERAL (VALUES
       ('first_reply_time', 'activate', t.created_at, NULL::jsonb), ('first_reply_time', 'apply_sla', t.created_at, fp.sla),
       ('requester_wait_time', 'activate', t.created_at, NULL), ('requester_wait_time', 'apply_sla', t.created_at, NULL),
       ('agent_work_time', 'activate', t.created_at, NULL), ('agent_work_time', 'apply_sla', t.created_at, NULL),
       ('total_resolution_time', 'activate', t.created_at, NULL), ('total_resolution_time', 'apply_sla', t.created_at, NULL),
       ('first_reply_time', 'fulfill', fr.at, NULL),
       ('pausable_update_time', 'activate', fr.at, NULL), ('pausable_update_time', 'apply_sla', fr.at, pu.sla),
       ('requester_wait_time', 'fulfill', t.solved_at, NULL), ('agent_work_time', 'fulfill', t.solved_at, NULL),
       ('total_resolution_time', 'fulfill', t.solved_at, NULL), ('pausable_update_time', 'fulfill', CASE WHEN fr.at IS NOT NULL THEN t.solved_at END, NULL)
     ) m(metric, type, time, sla)
     WHERE m.time IS NOT NULL
     ORDER BY t.id`),
    // 5. Report facts as the 0016 backfill writes them; the replay of reply clocks is left to the sweep / `reports recompute`.
    ...unlessLean(`INSERT INTO ticket_facts (ticket_id, created_at, solved_at, status, plan, priority, form_kind, category, group_id, assignee_id, organization_id, resolution_minutes, replayed)
     SELECT id, created_at, solved_at, status, plan, priority, CASE WHEN technical THEN 'technical' ELSE 'sales' END, category, group_id, assignee_id, organization_id,
            CASE WHEN solved_at IS NOT NULL THEN extract(epoch FROM solved_at - created_at)::float8 / 60 END, false
     FROM gt`),
  ];
}
