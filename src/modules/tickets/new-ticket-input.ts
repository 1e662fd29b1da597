import type { z } from 'zod';
import type { NewTicketInput } from './ticket-input.js';
import { toCcChanges, toComment, toTicketChanges, type ticketCreateSchema } from './ticket.schema.js';

/** A validated API `ticket` object (POST /tickets, one item of create_many) as createTicket's input. */
export function toNewTicketInput(t: z.output<typeof ticketCreateSchema>['ticket'], via: string): NewTicketInput {
  return {
    ...toTicketChanges(t),
    comment: toComment(t.comment),
    requesterId: t.requester_id,
    requester: t.requester,
    via,
    followupSourceId: t.via_followup_source_id,
    ccs: toCcChanges([t.email_ccs, t.collaborators], t.collaborator_ids),
  };
}
