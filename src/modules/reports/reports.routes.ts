import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import { requireAgent } from '../../permissions/guards.js';
import './fact-hooks.js';
import { currentFacts } from './fact-store.js';
import { objectsToCsv, summaryCsv } from './reports.presenter.js';
import { deflectionRate } from '../helpcenter/deflection.service.js';
import { parseDrillQuery, parseLimit, parseReportQuery, type ReportQuery } from './reports.schema.js';
import {
  backlogReport,
  csatReport,
  drillDownReport,
  onHoldReport,
  slaAchievementReport,
  summaryReport,
  ticketScoreReport,
} from './reports.service.js';

const TICKET_COLUMNS = ['id', 'subject', 'status', 'priority', 'organization_name', 'assignee_name', 'created_at', 'solved_at', 'first_reply_minutes', 'resolution_minutes'];

/** A report as JSON under its root key, or as a CSV download when `format=csv`. */
function send(reply: FastifyReply, q: ReportQuery, name: string, json: Record<string, unknown>, csv: () => string) {
  if (q.format !== 'csv') return json;
  const period = name === 'backlog' || name === 'on-hold' || name === 'ticket-score' ? '' : `-${q.from}-to-${q.to}`;
  return reply
    .header('Content-Type', 'text/csv; charset=utf-8')
    .header('Content-Disposition', `attachment; filename="sundial-${name}${period}.csv"`)
    .send(csv());
}

/**
 * Support reports (issue 7), agents only: figures of a period (`from`/`to`, UTC days, default the last
 * 30) with the same filters everywhere, the tickets behind each figure, and CSV of every table.
 */
export function registerReportRoutes(app: FastifyInstance, ctx: AppContext) {
  // Load this node's copy of the facts in the background at start (seconds for a million tickets),
  // so the first dashboard after a deploy does not wait for it.
  app.addHook('onReady', async () => {
    void currentFacts(ctx.db).catch((err) => app.log.warn({ err }, 'loading report facts failed; the first report will retry'));
  });
  const query = (req: FastifyRequest) => {
    requireAgent(req);
    return parseReportQuery(req.query, ctx.clock.now());
  };

  app.get('/api/v2/reports/summary', async (req, reply) => {
    const q = query(req);
    const report = await summaryReport(ctx, q);
    return send(reply, q, `summary-by-${q.groupBy}`, { report }, () => summaryCsv(report.rows, report.totals));
  });

  app.get('/api/v2/reports/sla_achievement', async (req, reply) => {
    const q = query(req);
    const cells = await slaAchievementReport(ctx, q);
    return send(reply, q, 'sla-achievement', { sla_achievement: cells }, () => objectsToCsv(cells, ['metric', 'priority', 'plan', 'measured', 'achieved', 'breached', 'achieved_pct']));
  });

  app.get('/api/v2/reports/backlog', async (req, reply) => {
    const q = query(req);
    const cells = await backlogReport(ctx, q);
    return send(reply, q, 'backlog', { backlog: cells }, () => objectsToCsv(cells, ['status', 'age_bucket', 'count']));
  });

  app.get('/api/v2/reports/on_hold', async (req, reply) => {
    const q = query(req);
    const stages = await onHoldReport(ctx, q);
    return send(reply, q, 'on-hold', { on_hold: stages }, () => objectsToCsv(stages, ['stage', 'count', 'oldest_days']));
  });

  app.get('/api/v2/reports/csat', async (req, reply) => {
    const q = query(req);
    const csat = await csatReport(ctx, q, parseLimit(req.query, q.format === 'csv' ? 10_000 : 50, 10_000));
    return send(reply, q, 'csat', { csat }, () => objectsToCsv(csat.comments, ['ticket_id', 'score', 'comment', 'rated_at']));
  });

  app.get('/api/v2/reports/ticket_score', async (req, reply) => {
    const q = query(req);
    const scores = await ticketScoreReport(ctx, q);
    return send(reply, q, 'ticket-score', { ticket_scores: scores }, () =>
      objectsToCsv(scores, ['organization_id', 'organization_name', 'plan', 'tickets_90d', 'health_pct', 'score']),
    );
  });

  // Help-center deflection over the same period: requests answered by an article vs created on the web.
  app.get('/api/v2/reports/deflection', async (req, reply) => {
    const q = query(req);
    const rate = await deflectionRate(ctx.db, { from: new Date(q.fromMs), to: new Date(q.toMs) });
    return send(reply, q, 'deflection', { deflection: rate }, () => objectsToCsv([rate], ['from', 'to', 'deflections', 'web_requests', 'deflection_rate_pct']));
  });

  app.get('/api/v2/reports/tickets', async (req, reply) => {
    requireAgent(req);
    const q = parseDrillQuery(req.query, ctx.clock.now());
    const page = await drillDownReport(ctx, q);
    let nextPage: string | null = null;
    if (page.next) {
      const url = new URL(req.originalUrl, `${req.protocol}://${req.host}`);
      url.searchParams.set('cursor', page.next);
      nextPage = `${req.protocol}://${req.host}${url.pathname}${url.search}`;
    }
    return send(reply, q, `tickets-${q.metric}`, { tickets: page.tickets, count: page.count, next_page: nextPage }, () => objectsToCsv(page.tickets, TICKET_COLUMNS));
  });
}
