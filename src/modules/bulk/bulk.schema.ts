import { z } from 'zod';
import { idField } from '../../platform/validation.js';
import { ticketUpdateSchema, ticketWriteFields } from '../tickets/ticket.schema.js';

/** Zendesk takes at most 100 records per bulk request. */
export const MAX_BULK_ITEMS = 100;

/**
 * `{tickets: [...]}` / `{users: [...]}`: only the envelope is checked when the job is accepted; each item
 * is validated when it runs, so one bad item fails alone, with its error in the job's results.
 */
export const itemsBody = <K extends string>(key: K) =>
  z.object({ [key]: z.array(z.record(z.string(), z.unknown())).min(1, 'cannot be empty').max(MAX_BULK_ITEMS, `can hold at most ${MAX_BULK_ITEMS} records`) } as { [P in K]: z.ZodArray<z.ZodRecord<z.ZodString, z.ZodUnknown>> });

/** One change for update_many: a ticket update plus Zendesk's `additional_tags` and `remove_tags`. */
export const bulkTicketChange = ticketUpdateSchema.shape.ticket.extend({ additional_tags: ticketWriteFields.tags, remove_tags: ticketWriteFields.tags });
export type BulkTicketChange = z.output<typeof bulkTicketChange>;

/** update_many?ids=1,2 applies one `{ticket: {...}}` to every listed ticket. */
export const sameChangeBody = z.object({ ticket: bulkTicketChange });
/** update_many without ids: `{tickets: [{id, ...}, ...]}`, one change per ticket. */
export const oneOfManyChange = z.object({ ticket: bulkTicketChange.extend({ id: idField }) });

const commentText = z.string().trim().min(1, 'cannot be blank').max(65_535, 'is too long (maximum is 65535 characters)');

/** POST /tickets/{id}/merge. */
export const mergeBody = z.object({
  ids: z.array(idField).min(1, 'cannot be empty').max(MAX_BULK_ITEMS, `can hold at most ${MAX_BULK_ITEMS} tickets`),
  target_comment: commentText.optional(),
  source_comment: commentText.optional(),
  target_comment_is_public: z.boolean().optional(),
  source_comment_is_public: z.boolean().optional(),
});
export type MergeRequest = z.output<typeof mergeBody>;
