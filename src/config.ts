import { resolve } from 'node:path';
import { z } from 'zod';

/** Parses "48h", "5s", "30m", "2d" or a bare number of seconds into milliseconds. */
export function parseDuration(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/i.exec(text);
  if (!m) return null;
  const unit = (m[2] ?? 's').toLowerCase();
  const factor: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
  return Math.round(Number(m[1]) * factor[unit]);
}

const duration = (name: string, fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((v, ctx) => {
      const ms = parseDuration(v);
      if (ms === null || ms <= 0) {
        ctx.addIssue({ code: 'custom', message: `${name} must be a duration such as 5s, 30m, 48h or 2d (got "${v}")` });
        return z.NEVER;
      }
      return ms;
    });

const url = (name: string, protocols: string[]) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return undefined;
      try {
        const u = new URL(v);
        if (!protocols.includes(u.protocol)) throw new Error('protocol');
        return v;
      } catch {
        ctx.addIssue({ code: 'custom', message: `${name} must be a ${protocols.join(' or ')} URL (got "${v}")` });
        return z.NEVER;
      }
    });

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: url('DATABASE_URL', ['postgres:', 'postgresql:']),
  PUBLIC_URL: url('PUBLIC_URL', ['http:', 'https:']),
  SMTP_URL: url('SMTP_URL', ['smtp:', 'smtps:']),
  MAIL_FROM: z.string().default('Sundial Support <support@sundial.localhost>'),
  AUTO_CLOSE_AFTER: duration('AUTO_CLOSE_AFTER', '48h'),
  MAX_UPLOAD_BYTES: z.coerce.number().int().positive().default(50 * 1024 * 1024),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  JOB_POLL_SECONDS: z.coerce.number().min(0.5).default(2),
  GITHUB_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  ISSUES_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(2).max(200).default(10),
  DATABASE_CONNECT_TIMEOUT: duration('DATABASE_CONNECT_TIMEOUT', '5s'),
  DATABASE_STATEMENT_TIMEOUT: duration('DATABASE_STATEMENT_TIMEOUT', '30s'),
  TRUST_PROXY: z.enum(['true', 'false', '1', '0']).default('false').transform((v) => v === 'true' || v === '1'),
  PAGE_REPEAT_AFTER: duration('PAGE_REPEAT_AFTER', '15m'),
  PAGE_ESCALATE_AFTER: duration('PAGE_ESCALATE_AFTER', '30m'),
  SMTP_INBOUND_PORT: z.coerce.number().int().min(0).max(65535).default(2525),
  SMTP_INBOUND_HOST: z.string().default('0.0.0.0'),
  SUPPORT_ADDRESSES: z.string().optional(),
  INBOUND_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  INBOUND_MAX_BYTES: z.coerce.number().int().positive().default(40 * 1024 * 1024),
  CSAT_AFTER: duration('CSAT_AFTER', '24h'),
  PENDING_REMINDERS: z
    .string()
    .default('3d,7d')
    .transform((v, ctx) => {
      const parts = v.split(',').map((p) => p.trim()).filter(Boolean);
      const ms = parts.map(parseDuration);
      if (ms.some((x) => x === null || x <= 0)) {
        ctx.addIssue({ code: 'custom', message: `PENDING_REMINDERS must be durations separated by commas, such as 3d,7d (got "${v}")` });
        return z.NEVER;
      }
      return (ms as number[]).sort((a, b) => a - b);
    }),
  PENDING_AUTO_SOLVE: duration('PENDING_AUTO_SOLVE', '14d'),
  WEBHOOK_ALLOW_PRIVATE: z.enum(['true', 'false', '1', '0']).default('false').transform((v) => v === 'true' || v === '1'),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  SEARCH_FILTER_FIRST_ROWS: z.coerce.number().int().min(0).default(20_000),
  // Zendesk's per-minute API budget per user (700 is the plan value its recorded responses show); 0 turns a limit off.
  API_RATE_LIMIT: z.coerce.number().int().min(0).default(700),
  API_RATE_LIMIT_INCREMENTAL: z.coerce.number().int().min(0).default(10),
  API_RATE_LIMIT_SEARCH_EXPORT: z.coerce.number().int().min(0).default(100),
  API_RATE_LIMIT_TICKET_UPDATES: z.coerce.number().int().min(0).default(30),
  API_RATE_LIMIT_TICKET_DELETES: z.coerce.number().int().min(0).default(400),
});

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  publicUrl: string;
  smtpUrl?: string;
  mailFrom: string;
  autoCloseAfterMs: number;
  maxUploadBytes: number;
  logLevel: string;
  jobPollSeconds: number;
  /** Shared secret of the GitHub webhook; the endpoint refuses every delivery without it. */
  githubWebhookSecret?: string;
  /** Shared secret of the generic issue-tracker webhook (X-Sundial-Signature). */
  issuesWebhookSecret?: string;
  /** Connections each node keeps to PostgreSQL (requests wait beyond it). */
  databasePoolSize: number;
  /** Longest wait for a connection (a new one, or a free one of the pool) before answering 503. */
  databaseConnectTimeoutMs: number;
  /** Longest statement of a serving node; one that runs longer, or a server that stops answering, gives 503. */
  databaseStatementTimeoutMs: number;
  /** Honour X-Forwarded-* (only behind a proxy you run): per-IP rate limits depend on it. */
  trustProxy: boolean;
  /** An unacknowledged page is sent again after this long. */
  pageRepeatAfterMs: number;
  /** An unacknowledged page goes to the backup after this long. */
  pageEscalateAfterMs: number;
  /** Let outbound webhooks reach loopback and private networks (tests, on-premises receivers). */
  webhookAllowPrivate: boolean;
  /** Port of the built-in SMTP server for inbound mail; 0 turns it off. */
  smtpInboundPort: number;
  smtpInboundHost: string;
  /** Addresses that open tickets (lower case); replies thread by token or headers whatever the address. */
  supportAddresses: string[];
  /** Secret for POST /api/v2/inbound/mime; unset turns that endpoint off. */
  inboundToken?: string;
  /** Largest inbound message accepted, in bytes. */
  inboundMaxBytes: number;
  /** How long after a ticket is solved the satisfaction survey is sent. */
  csatAfterMs: number;
  /** Reminders to the requester of a pending ticket, after these times in pending (ascending). */
  pendingRemindersMs: number[];
  /** A ticket pending this long is solved automatically, with a message to the requester. */
  pendingAutoSolveMs: number;
  /** Bearer token of GET /metrics (Prometheus); unset turns the endpoint off (404). */
  metricsToken?: string;
  /** Per-user API rate limits, as Zendesk counts them; 0 turns one off. */
  apiRateLimits: ApiRateLimits;
  /**
   * A search whose field filters leave fewer tickets than this (planner's estimate) reads those
   * tickets and checks each for the words; otherwise the words' index drives it.
   */
  searchFilterFirstRows: number;
};

export interface ApiRateLimits {
  /** Requests per minute per user on every /api/ route (X-Rate-Limit). */
  perMinute: number;
  /** Incremental export requests per minute per user. */
  incrementalPerMinute: number;
  /** GET /api/v2/search/export requests per minute per user. */
  searchExportPerMinute: number;
  /** Updates of one ticket per 10 minutes per user. */
  ticketUpdatesPer10Minutes: number;
  /** Ticket deletions per minute per user. */
  ticketDeletesPerMinute: number;
}

/** Reads the environment once; throws with every problem listed so the operator can fix them at once. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  - ${i.path.join('.') || 'env'}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    publicUrl,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    autoCloseAfterMs: e.AUTO_CLOSE_AFTER,
    maxUploadBytes: e.MAX_UPLOAD_BYTES,
    logLevel: e.LOG_LEVEL,
    jobPollSeconds: e.JOB_POLL_SECONDS,
    trustProxy: e.TRUST_PROXY,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    databaseConnectTimeoutMs: e.DATABASE_CONNECT_TIMEOUT,
    databaseStatementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT,
    githubWebhookSecret: e.GITHUB_WEBHOOK_SECRET,
    issuesWebhookSecret: e.ISSUES_WEBHOOK_SECRET,
    pageRepeatAfterMs: e.PAGE_REPEAT_AFTER,
    pageEscalateAfterMs: e.PAGE_ESCALATE_AFTER,
    webhookAllowPrivate: e.WEBHOOK_ALLOW_PRIVATE,
    smtpInboundPort: e.SMTP_INBOUND_PORT,
    smtpInboundHost: e.SMTP_INBOUND_HOST,
    supportAddresses: (e.SUPPORT_ADDRESSES ?? `support@${new URL(publicUrl).hostname}`)
      .split(',')
      .map((a) => a.trim().toLowerCase())
      .filter(Boolean),
    inboundToken: e.INBOUND_TOKEN,
    inboundMaxBytes: e.INBOUND_MAX_BYTES,
    csatAfterMs: e.CSAT_AFTER,
    pendingRemindersMs: e.PENDING_REMINDERS,
    pendingAutoSolveMs: e.PENDING_AUTO_SOLVE,
    metricsToken: e.METRICS_TOKEN,
    searchFilterFirstRows: e.SEARCH_FILTER_FIRST_ROWS,
    apiRateLimits: {
      perMinute: e.API_RATE_LIMIT,
      incrementalPerMinute: e.API_RATE_LIMIT_INCREMENTAL,
      searchExportPerMinute: e.API_RATE_LIMIT_SEARCH_EXPORT,
      ticketUpdatesPer10Minutes: e.API_RATE_LIMIT_TICKET_UPDATES,
      ticketDeletesPerMinute: e.API_RATE_LIMIT_TICKET_DELETES,
    },
  };
}

export class ConfigError extends Error {}
