import { AppError } from '../../platform/errors.js';
import { parseBody } from '../../platform/http.js';
import { addUser } from '../accounts/add-user.service.js';
import { userCreateSchema } from '../accounts/user.schema.js';
import { createTicket } from '../tickets/create-ticket.service.js';
import { deleteTicket } from '../tickets/delete-ticket.service.js';
import { toNewTicketInput } from '../tickets/new-ticket-input.js';
import { editTicketTags } from '../tickets/tags.service.js';
import { ticketCreateSchema, toTicketChanges } from '../tickets/ticket.schema.js';
import { updateTicket } from '../tickets/update-ticket.service.js';
import type { BulkJobType, BulkKind, ItemRun } from './bulk-kind.js';
import { oneOfManyChange, sameChangeBody, type BulkTicketChange } from './bulk.schema.js';
import type { JobStatus } from './job-status.repository.js';

/** What each job type keeps of its request (job_statuses.payload). */
export interface ItemsPayload {
  items: Record<string, unknown>[];
}
export interface IdsPayload {
  ids: number[];
}
export type UpdateManyPayload = (IdsPayload & { ticket: unknown }) | ItemsPayload;

const payloadOf = <T>(job: JobStatus) => job.payload as T;
const of = (job: JobStatus, index: number) => `${index + 1} of ${job.total}`;

const createTickets: BulkKind = {
  progress: (job, index) => `Creating ticket ${of(job, index)}`,
  failure: (_job, index) => ({ index, action: 'create' }),
  async run({ ctx, actor, job, index, record }) {
    const { ticket: t } = parseBody(ticketCreateSchema, { ticket: payloadOf<ItemsPayload>(job).items[index] }, 'ticket');
    const { ticket } = await createTicket(ctx, { actor, input: toNewTicketInput(t, 'api') });
    await record({ index, id: ticket.id, action: 'create', success: true, status: 'Created' });
  },
};

/** The ticket an update_many item is about, when it can be told (for the result of a failed item). */
function updateTarget(job: JobStatus, index: number): number | undefined {
  const p = payloadOf<UpdateManyPayload>(job);
  if ('ids' in p) return p.ids[index];
  const id = p.items[index]?.id;
  return typeof id === 'number' || (typeof id === 'string' && /^\d{1,15}$/.test(id)) ? Number(id) : undefined;
}

/** One ticket's change: `additional_tags`/`remove_tags` apply to the tags it has when it is written. */
async function applyChange({ ctx, actor, record }: ItemRun, ticketId: number, t: BulkTicketChange): Promise<void> {
  const result = { id: ticketId, action: 'update', success: true, status: 'Updated' };
  const args = {
    actor,
    ticketId,
    via: 'api',
    safeUpdate: t.safe_update,
    updatedStamp: t.updated_stamp ? new Date(t.updated_stamp) : undefined,
    within: (tx: Parameters<typeof record>[1]) => record(result, tx),
  };
  const changes = toTicketChanges(t);
  if (t.additional_tags || t.remove_tags) {
    await editTicketTags(ctx, { ...args, edit: { set: changes.tags, add: t.additional_tags, remove: t.remove_tags }, changes: { ...changes, tags: undefined } });
  } else {
    await updateTicket(ctx, { ...args, changes });
  }
  // A change that changed nothing writes no audit and never reached `within`.
  await record(result);
}

const updateTickets: BulkKind = {
  progress: (job, index) => `Updating ticket ${updateTarget(job, index) ?? of(job, index)}`,
  failure: (job, index) => {
    const id = updateTarget(job, index);
    return 'ids' in payloadOf<UpdateManyPayload>(job) ? { id, action: 'update' } : { index, ...(id !== undefined ? { id } : {}), action: 'update' };
  },
  async run(item) {
    const p = payloadOf<UpdateManyPayload>(item.job);
    if ('ids' in p) {
      const { ticket } = parseBody(sameChangeBody, { ticket: p.ticket }, 'ticket');
      await applyChange(item, p.ids[item.index], ticket);
    } else {
      const { ticket } = parseBody(oneOfManyChange, { ticket: p.items[item.index] }, 'ticket');
      await applyChange(item, ticket.id, ticket);
    }
  },
};

const destroyTickets: BulkKind = {
  progress: (job, index) => `Deleting ticket ${payloadOf<IdsPayload>(job).ids[index]}`,
  failure: (job, index) => ({ id: payloadOf<IdsPayload>(job).ids[index], action: 'delete' }),
  async run({ ctx, actor, job, index, record }) {
    const ticketId = payloadOf<IdsPayload>(job).ids[index];
    try {
      await deleteTicket(ctx, { actor, ticketId });
    } catch (e) {
      // Deleted since the job was accepted: by an earlier run of this job that stopped before it
      // recorded the item, or by someone else. Either way the ticket is gone, as asked.
      if (!(e instanceof AppError && e.code === 'NotFound')) throw e;
      const gone = await ctx.db.selectFrom('tickets').select('deleted_at').where('id', '=', ticketId).executeTakeFirst();
      if (!gone?.deleted_at || gone.deleted_at < job.created_at) throw e;
    }
    await record({ id: ticketId, action: 'delete', success: true, status: 'Deleted' });
  },
};

const createUsers: BulkKind = {
  progress: (job, index) => `Creating user ${of(job, index)}`,
  failure: (_job, index) => ({ index, action: 'create' }),
  async run({ ctx, actor, job, index, record }) {
    const { user: input } = parseBody(userCreateSchema, { user: payloadOf<ItemsPayload>(job).items[index] }, 'user');
    const user = await addUser(ctx, { actor, input });
    await record({ index, id: user.id, action: 'create', success: true, status: 'Created' });
  },
};

export const recordKinds: Record<Exclude<BulkJobType, 'merge_tickets'>, BulkKind> = {
  create_many_tickets: createTickets,
  update_many_tickets: updateTickets,
  destroy_many_tickets: destroyTickets,
  create_many_users: createUsers,
};
