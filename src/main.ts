import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from './config.js';
import { DataDirInUseError } from './platform/embedded-postgres.js';
import { openDatabase, startSundial } from './server.js';
import { createAdmin } from './modules/accounts/create-admin.js';
import { seedDemo } from './modules/demo/seed-demo.js';
import { recomputeSla } from './modules/sla/recompute.js';
import { runZendeskExport, runZendeskImport } from './modules/export/zendesk-cli.js';
import { recomputeFacts } from './modules/reports/recompute-facts.js';

const USAGE = `Usage: sundial <command> [options]

Commands:
  serve                                   start the web server and background workers (default)
  migrate                                 apply database migrations and exit
  create-admin --email E --password P --name N
                                          create an administrator (or promote and reset an existing user)
  seed-demo                               fill the database with demo organizations, agents and tickets
  sla recompute [--ticket N]              rebuild SLA ledgers from ticket history and report differences
  import zendesk <dir> [--report FILE]    import a Zendesk export (incremental-export JSON/NDJSON, attachments), keeping ids;
                                          re-running skips what is there; problems go to <dir>/import-report.json
  export zendesk <dir>                    write this Sundial in the same layout (for a round trip or another Sundial)
  reports recompute [--ticket N]          rebuild report facts from ticket history and report differences
  bench load --tickets N [--force]        fill an empty database with N generated tickets and their people (bench/load.ts)

Environment: PORT, DATA_DIR, DATABASE_URL, PUBLIC_URL, SMTP_URL, AUTO_CLOSE_AFTER (see README).`;

async function serve(config: Config) {
  // Signals are handled from the first moment: a stop during start-up waits for it, then closes cleanly.
  const starting = startSundial(config);
  const stop = async (signal: string) => {
    console.log(`\n${signal}: shutting down`);
    const node = await starting.catch(() => null);
    await node?.close();
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, () => void stop(signal));
  const node = await starting;
  const admins = await node.ctx.db.selectFrom('users').select('email').where('role', '=', 'admin').where('active', '=', true).execute();
  console.log(`\nSundial is running at ${config.publicUrl} (listening on ${node.url})`);
  console.log(`  API: ${config.publicUrl}/api/v2   OpenAPI: ${config.publicUrl}/api/docs`);
  if (node.smtpPort) console.log(`  Inbound mail: SMTP on port ${node.smtpPort} for ${config.supportAddresses.join(', ')}`);
  if (admins.length) console.log(`  Sign in as an administrator: ${admins.map((a) => a.email).join(', ')}`);
  else console.log(`  No administrator yet. In another terminal run:\n    npx sundial create-admin --email you@example.com --password 'a long password' --name 'Your Name'`);
}

async function withDatabase<T>(config: Config, fn: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>): Promise<T> {
  const database = await openDatabase(config, { attachToRunning: true });
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}

async function main(argv: string[]) {
  const [command = 'serve', ...rest] = argv;
  if (command === 'help' || command === '--help' || command === '-h') return console.log(USAGE);
  const config = loadConfig();
  switch (command) {
    case 'serve':
      return serve(config);
    case 'migrate':
      return withDatabase(config, async () => console.log('Database is up to date.'));
    case 'create-admin': {
      const { values } = parseArgs({ args: rest, options: { email: { type: 'string' }, password: { type: 'string' }, name: { type: 'string' } } });
      if (!values.email || !values.password || !values.name) throw new UsageError('create-admin needs --email, --password and --name');
      const admin = await withDatabase(config, ({ db }) => createAdmin(db, { email: values.email!, password: values.password!, name: values.name! }));
      return console.log(`Administrator ${admin.email} (id ${admin.id}) is ready. Sign in at ${config.publicUrl}/login or use Basic auth on the API.`);
    }
    case 'seed-demo': {
      const summary = await withDatabase(config, ({ db }) => seedDemo(db));
      return console.log(summary);
    }
    case 'sla': {
      const { positionals, values } = parseArgs({ args: rest, allowPositionals: true, options: { ticket: { type: 'string' } } });
      if (positionals[0] !== 'recompute') throw new UsageError('sla needs a subcommand: recompute');
      const ticketId = values.ticket !== undefined ? Number(values.ticket) : undefined;
      if (ticketId !== undefined && !Number.isSafeInteger(ticketId)) throw new UsageError('--ticket must be a ticket id');
      const r = await withDatabase(config, ({ db }) => recomputeSla(db, { ticketId, onProgress: (n) => process.stderr.write(`\r${n} tickets`) }));
      return console.log(`\n${r.tickets} tickets in ${r.seconds.toFixed(1)} s (${(r.tickets / Math.max(r.seconds, 0.001)).toFixed(0)}/s): ${r.matching} matched their history, ${r.rebuilt} rebuilt.`);
    }
    case 'reports': {
      const { positionals, values } = parseArgs({ args: rest, allowPositionals: true, options: { ticket: { type: 'string' } } });
      if (positionals[0] !== 'recompute') throw new UsageError('reports needs a subcommand: recompute');
      const ticketId = values.ticket !== undefined ? Number(values.ticket) : undefined;
      if (ticketId !== undefined && !Number.isSafeInteger(ticketId)) throw new UsageError('--ticket must be a ticket id');
      const r = await withDatabase(config, ({ db }) => recomputeFacts(db, { ticketIds: ticketId !== undefined ? [ticketId] : undefined, onProgress: (n) => process.stderr.write(`\r${n} tickets`) }));
      const diff = Object.entries(r.differences).map(([c, n]) => `${c} ${n}`).join(', ');
      return console.log(`\n${r.tickets} tickets in ${r.seconds.toFixed(1)} s: ${r.matching} matched their history, ${r.rebuilt} rebuilt${diff ? ` (${diff})` : ''}.`);
    }
    case 'import':
    case 'export': {
      const { positionals, values } = parseArgs({ args: rest, allowPositionals: true, options: { report: { type: 'string' } } });
      if (positionals[0] !== 'zendesk' || !positionals[1]) throw new UsageError(`${command} needs: ${command} zendesk <dir>`);
      return console.log(command === 'import' ? await runZendeskImport(config, positionals[1], values.report) : await runZendeskExport(config, positionals[1]));
    }
    case 'bench': {
      if (rest[0] !== 'load') throw new UsageError('bench needs a subcommand: load');
      // Loaded on demand: the generator lives with the benchmarks, outside the server's code.
      const { runLoadCommand } = await import('../bench/load.js');
      return runLoadCommand(rest.slice(1));
    }
    default:
      throw new UsageError(`Unknown command "${command}"`);
  }
}

class UsageError extends Error {}

main(process.argv.slice(2)).catch((e) => {
  if (e instanceof UsageError) console.error(`${e.message}\n\n${USAGE}`);
  else if (e instanceof ConfigError || e instanceof DataDirInUseError) console.error(e.message);
  else if (e?.code === 'EADDRINUSE') console.error(`Port ${e.port} is already in use: stop what listens there or set PORT to another port.`);
  else console.error(e?.details ? `${e.message}: ${JSON.stringify(e.details)}` : e);
  process.exit(1);
});
