import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import type { Actor } from '../src/modules/accounts/actor.js';
import { createUser } from '../src/modules/accounts/users.service.js';
import type { NewTicketInput } from '../src/modules/tickets/ticket-input.js';
import type { AppContext } from '../src/platform/context.js';
import type { Db } from '../src/platform/db.js';
import type { Priority, User } from '../src/platform/db-types.js';
import { digest, newSecret } from '../src/platform/secrets.js';
import { startSundial, type RunningSundial } from '../src/server.js';

/** The machine's PostgreSQL (trust auth): without DATABASE_URL each run gets a throwaway database there. */
const SERVER_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** `--name N` integer options with defaults, plus `--keep`; anything else is a usage error. */
export function readOptions<K extends string>(defaults: Record<K, number>): Record<K, number> & { keep: boolean } {
  const names = Object.keys(defaults) as K[];
  const { values } = parseArgs({
    options: { keep: { type: 'boolean', default: false }, ...Object.fromEntries(names.map((n) => [n, { type: 'string' as const }])) },
  });
  const numbers = {} as Record<K, number>;
  for (const n of names) {
    const raw = (values as Record<string, unknown>)[n];
    const value = typeof raw === 'string' ? Number(raw) : defaults[n];
    if (!Number.isSafeInteger(value) || value < 1) throw new Error(`--${n} must be a positive integer (got "${raw}")`);
    numbers[n] = value;
  }
  return { ...numbers, keep: values.keep === true };
}

async function onServer(statement: string): Promise<void> {
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  try {
    await admin.query(statement);
  } finally {
    await admin.end();
  }
}

export interface Bench {
  node: RunningSundial;
  ctx: AppContext;
  /** Where the data went, for the report. */
  databaseLabel: string;
}

/**
 * Boots Sundial without job workers (mail is queued in the outbox and pg-boss, never sent) on DATABASE_URL
 * or a fresh sundial_bench_<timestamp> database, runs `body`, then shuts down and drops what it created.
 * The deadline and Ctrl-C still clean up, so an interrupted run leaves no database behind.
 */
export async function runBench(o: { keep: boolean; listen: boolean; deadlineMs: number }, body: (bench: Bench) => Promise<void>): Promise<void> {
  const given = process.env.DATABASE_URL;
  const name = given ? null : `sundial_bench_${Date.now()}`;
  const url = given ?? Object.assign(new URL(SERVER_URL), { pathname: `/${name}` }).href;
  if (name) await onServer(`CREATE DATABASE ${name}`);
  const dataDir = mkdtempSync(join(tmpdir(), 'sundial-bench-'));
  let node: RunningSundial | null = null;

  let cleaning: Promise<void> | null = null;
  const cleanUp = () =>
    (cleaning ??= (async () => {
      await node?.close().catch((e) => console.error(`closing Sundial failed: ${e}`));
      rmSync(dataDir, { recursive: true, force: true });
      if (name && o.keep) console.log(`Kept database ${name} (--keep).`);
      else if (name) await onServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    })());
  const abort = (why: string, code: number) => {
    console.error(`\n${why}: cleaning up and exiting.`);
    void cleanUp().finally(() => process.exit(code));
  };
  const deadline = setTimeout(() => abort(`Deadline of ${Math.round(o.deadlineMs / 1000)} s exceeded`, 2), o.deadlineMs).unref();
  const onSignal = () => abort('Interrupted', 130);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, onSignal);

  try {
    // The per-user API limit stays on (its counting is part of what is measured) but never refuses a benchmark request.
    const config = loadConfig({ DATABASE_URL: url, DATA_DIR: dataDir, LOG_LEVEL: 'silent', HOST: '127.0.0.1', PORT: '0', PUBLIC_URL: 'http://sundial.bench', API_RATE_LIMIT: '100000000', SMTP_INBOUND_PORT: '0' });
    node = await startSundial(config, { logger: false, listen: o.listen, workers: false });
    await body({ node, ctx: node.ctx, databaseLabel: name ? `${name} on 127.0.0.1:5432${o.keep ? ' (kept)' : ' (dropped at the end)'}` : 'DATABASE_URL (left in place)' });
  } finally {
    clearTimeout(deadline);
    await cleanUp();
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
  }
}

/** Runs task(0 … count-1) on `lanes` concurrent lanes; the first failure stops every lane and is thrown. */
export async function inParallel(count: number, lanes: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const lane = async () => {
    while (!failed && next < count) {
      const i = next++;
      await task(i).catch((e) => {
        failed = true;
        throw e;
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(lanes, count) }, lane));
}

export interface Cast {
  agent: User;
  /** The agent as the use cases see it when it calls through the API. */
  actor: Actor;
  customers: User[];
}

/** One organization, one agent and `customers` verified customers; no passwords, as argon2 would dominate. */
export async function seedCast(db: Db, customers: number): Promise<Cast> {
  // Names are unique per run so a DATABASE_URL can be benchmarked more than once.
  const run = Date.now().toString(36);
  const domain = `bench-${run}.test`;
  const org = await db
    .insertInto('organizations')
    .values({ name: `Bench Customer ${run}`, support_plan: 'enterprise', domain_names: [domain], updated_at: new Date() })
    .returning('id')
    .executeTakeFirstOrThrow();
  const agent = await createUser(db, { name: 'Bench Agent', email: `agent-${run}@bench-staff.test`, role: 'agent', verified: true, organizationId: null });
  const people: User[] = new Array(customers);
  await inParallel(customers, 8, async (i) => {
    people[i] = await createUser(db, { name: `Customer ${i}`, email: `customer${i}@${domain}`, verified: true, organizationId: org.id });
  });
  const groupIds = (await db.selectFrom('group_memberships').select('group_id').where('user_id', '=', agent.id).execute()).map((g) => g.group_id);
  return { agent, actor: { user: agent, organization: null, groupIds, via: 'api_token' }, customers: people };
}

/** A fresh API token for `user`, stored as its digest the way Sundial stores tokens. */
export async function apiToken(db: Db, user: User): Promise<string> {
  const token = newSecret();
  await db.insertInto('api_tokens').values({ user_id: user.id, description: 'bench', token_hash: digest(token) }).execute();
  return token;
}

export interface TechnicalForm {
  id: number;
  field: { category: number; environment: number; version: number; mobileVersion: number };
  categories: string[];
  environments: string[];
}

/** The seeded Technical Support form, its fields looked up by key and options by value, as a client would. */
export async function technicalForm(db: Db): Promise<TechnicalForm> {
  const form = await db.selectFrom('ticket_forms').select('id').where('kind', '=', 'technical').executeTakeFirstOrThrow();
  const keys = ['technical_category', 'environment', 'mattermost_version', 'mattermost_mobile_version'];
  const fields = await db.selectFrom('ticket_fields').select(['id', 'key']).where('key', 'in', keys).execute();
  const id = (key: string) => fields.find((f) => f.key === key)?.id ?? raise(`ticket field ${key} is missing`);
  const options = (fieldId: number) =>
    db.selectFrom('ticket_field_options').select('value').where('field_id', '=', fieldId).orderBy('position').execute().then((rows) => rows.map((r) => r.value));
  const field = { category: id('technical_category'), environment: id('environment'), version: id('mattermost_version'), mobileVersion: id('mattermost_mobile_version') };
  return { id: form.id, field, categories: await options(field.category), environments: await options(field.environment) };
}

const raise = (message: string): never => {
  throw new Error(message);
};

const PRIORITIES: Priority[] = ['low', 'normal', 'high', 'urgent'];

/** The i-th benchmark ticket: a customer's Technical Support request filed by the agent, one other customer CC'd. */
export function ticketInput(form: TechnicalForm, cast: Cast, i: number): NewTicketInput {
  const category = form.categories[i % form.categories.length];
  const customFields = [
    { id: form.field.category, value: category },
    { id: form.field.environment, value: form.environments[i % form.environments.length] },
    { id: form.field.version, value: `9.${i % 12}.${i % 5}` },
  ];
  // The form makes the mobile app version required for the Mobile category.
  if (category === 'mobile') customFields.push({ id: form.field.mobileVersion, value: '2.21.0' });
  const n = cast.customers.length;
  return {
    formId: form.id,
    subject: `Bench #${i}: ${category.replace(/_/g, ' ')} problem after upgrade`,
    priority: PRIORITIES[i % PRIORITIES.length],
    requesterId: cast.customers[i % n].id,
    ccs: n > 1 ? [{ userId: cast.customers[(i + 1) % n].id, action: 'put' }] : [],
    customFields,
    via: 'api',
    comment: { body: `Since the upgrade, ${category} misbehaves for some of our users (case ${i}).\n\nSteps to reproduce and logs are below.\n\n- server log excerpt\n- browser console excerpt` },
  };
}

export const postgresVersion = async (db: Db) => (await sql<{ server_version: string }>`SHOW server_version`.execute(db)).rows[0].server_version;

export const seconds = (ms: number) => (ms / 1000).toFixed(1);
