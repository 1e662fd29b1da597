import type { Selectable } from 'kysely';
import type { Executor } from '../../platform/db.js';
import type { EscalationLinksTable, EscalationsTable, EscalationStage, Plan, Priority, Status } from '../../platform/db-types.js';

export type Escalation = Selectable<EscalationsTable>;
export type EscalationLink = Selectable<EscalationLinksTable>;

/** What the escalation lists filter on; every filter is optional. */
export interface EscalationFilter {
  stage?: EscalationStage;
  /** true: only open escalations; false: only closed ones. */
  open?: boolean;
  ticketId?: number;
  /** By creation time; oldest first by default (the board works the oldest first). */
  order?: 'asc' | 'desc';
  limit?: number;
}

/** One list query; the stage and open filters use escalations_stage_idx / the partial open index. */
export function findEscalations(db: Executor, f: EscalationFilter): Promise<Escalation[]> {
  return db
    .selectFrom('escalations')
    .selectAll()
    .$if(f.stage !== undefined, (q) => q.where('stage', '=', f.stage!))
    .$if(f.open === true, (q) => q.where('closed_at', 'is', null))
    .$if(f.open === false, (q) => q.where('closed_at', 'is not', null))
    .$if(f.ticketId !== undefined, (q) => q.where('ticket_id', '=', f.ticketId!))
    .orderBy('created_at', f.order ?? 'asc')
    .orderBy('id', f.order ?? 'asc')
    .limit(f.limit ?? 500)
    .execute();
}

/** The links of many escalations in one query (no query per escalation), grouped by escalation id. */
export async function linksByEscalation(db: Executor, escalationIds: number[]): Promise<Map<number, EscalationLink[]>> {
  const byId = new Map<number, EscalationLink[]>(escalationIds.map((id) => [id, []]));
  if (!escalationIds.length) return byId;
  const rows = await db.selectFrom('escalation_links').selectAll().where('escalation_id', 'in', escalationIds).orderBy('id').execute();
  for (const link of rows) byId.get(link.escalation_id)?.push(link);
  return byId;
}

export type StageChange = { stage: string; fix_version: string | null; changed_by: number | null; via: string; changed_at: Date };

/** Each escalation's stage history, oldest first, in one query. */
export async function historyByEscalation(db: Executor, escalationIds: number[]): Promise<Map<number, StageChange[]>> {
  const byId = new Map<number, StageChange[]>(escalationIds.map((id) => [id, []]));
  if (!escalationIds.length) return byId;
  const rows = await db.selectFrom('escalation_stage_changes').selectAll().where('escalation_id', 'in', escalationIds).orderBy('id').execute();
  for (const r of rows) byId.get(r.escalation_id)?.push(r);
  return byId;
}

/** What the engineering board shows of an escalated ticket: the ticket with its organization and plan. */
export interface BoardTicket {
  id: number;
  subject: string;
  priority: Priority | null;
  status: Status;
  organization_id: number | null;
  organization_name: string | null;
  support_plan: Plan | null;
  created_at: Date;
}

/** The tickets behind a list of escalations, with organization name and plan: one query, one join. */
export function boardTickets(db: Executor, ticketIds: number[]): Promise<BoardTicket[]> {
  if (!ticketIds.length) return Promise.resolve([]);
  return db
    .selectFrom('tickets')
    .leftJoin('organizations', 'organizations.id', 'tickets.organization_id')
    .select([
      'tickets.id',
      'tickets.subject',
      'tickets.priority',
      'tickets.status',
      'tickets.organization_id',
      'organizations.name as organization_name',
      'organizations.support_plan',
      'tickets.created_at',
    ])
    .where('tickets.id', 'in', [...new Set(ticketIds)])
    .where('tickets.deleted_at', 'is', null)
    .orderBy('tickets.id')
    .execute();
}
