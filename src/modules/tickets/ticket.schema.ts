import { z } from 'zod';
import { emailField, idField } from '../../platform/validation.js';
import { MAX_CCS, type CcChange, type CommentInput, type TicketChanges } from './ticket-input.js';

export const priority = z.enum(['urgent', 'high', 'normal', 'low']);
const status = z.enum(['new', 'open', 'pending', 'hold', 'solved', 'closed']);
const ticketType = z.enum(['problem', 'incident', 'question', 'task']);
const tags = z.array(z.string().trim().min(1).max(80).regex(/^[^\s,]+$/, 'tags cannot contain spaces or commas')).max(100);

export const commentSchema = z.object({
  body: z.string().max(65_535, 'is too long (maximum is 65535 characters)').optional(),
  html_body: z.string().max(262_144, 'is too long').optional(),
  public: z.boolean().optional(),
  uploads: z.array(z.string().min(1).max(100)).max(50, 'can hold at most 50 files').optional(),
  author_id: idField.optional(),
});

const ccEntry = z.union([
  emailField,
  z
    .object({ user_id: idField.optional(), user_email: emailField.optional(), user_name: z.string().max(255).optional(), action: z.enum(['put', 'delete']).optional() })
    .refine((o) => o.user_id !== undefined || o.user_email !== undefined, 'needs user_id or user_email'),
]);
const ccList = z.array(ccEntry).max(MAX_CCS, `can have at most ${MAX_CCS} CCs`);

export const customFieldsSchema = z.array(z.object({ id: idField, value: z.unknown() })).max(200);

export const subjectField = z.string().max(150, 'is too long (maximum is 150 characters)');

/** Fields shared by ticket create and update (Zendesk's `ticket` object, write side). */
export const ticketWriteFields = {
  subject: subjectField.optional(),
  raw_subject: subjectField.optional(),
  comment: commentSchema.optional(),
  priority: priority.nullable().optional(),
  type: ticketType.nullable().optional(),
  status: status.optional(),
  assignee_id: idField.nullable().optional(),
  assignee_email: emailField.optional(),
  group_id: idField.nullable().optional(),
  organization_id: idField.nullable().optional(),
  ticket_form_id: idField.optional(),
  do_not_close: z.boolean().optional(),
  tags: tags.optional(),
  external_id: z.string().max(255).nullable().optional(),
  custom_fields: customFieldsSchema.optional(),
  fields: customFieldsSchema.optional(),
  email_ccs: ccList.optional(),
  collaborators: ccList.optional(),
  collaborator_ids: z.array(idField).max(MAX_CCS, `can have at most ${MAX_CCS} CCs`).optional(),
  solve_override_reason: z.string().trim().min(3, 'must explain why').max(1000).optional(),
};

export const ticketCreateSchema = z.object({
  ticket: z.object({
    ...ticketWriteFields,
    comment: commentSchema,
    requester_id: idField.optional(),
    requester: z.object({ email: emailField, name: z.string().trim().max(255).optional() }).optional(),
    submitter_id: idField.optional(),
    via_followup_source_id: idField.optional(),
  }),
});

export const ticketUpdateSchema = z.object({
  ticket: z.object({ ...ticketWriteFields, safe_update: z.boolean().optional(), updated_stamp: z.iso.datetime({ offset: true }).optional() }),
});

type CcInput = z.infer<typeof ccEntry>;
export function toCcChanges(lists: (CcInput[] | undefined)[], ids?: number[]): CcChange[] | undefined {
  const entries = lists.flatMap((l) => l ?? []);
  if (!entries.length && !ids) return undefined;
  const changes: CcChange[] = entries.map((e) =>
    typeof e === 'string' ? { email: e, action: 'put' } : { userId: e.user_id, email: e.user_email, name: e.user_name, action: e.action ?? 'put' },
  );
  for (const id of ids ?? []) changes.push({ userId: id, action: 'put' });
  return changes;
}

export const toComment = (c: z.infer<typeof commentSchema>): CommentInput => ({ body: c.body, htmlBody: c.html_body, public: c.public, uploads: c.uploads, authorId: c.author_id });

type WriteInput = { [K in keyof typeof ticketWriteFields]?: z.infer<(typeof ticketWriteFields)[K]> };
export function toTicketChanges(t: WriteInput): TicketChanges {
  return {
    subject: t.subject ?? t.raw_subject,
    comment: t.comment ? toComment(t.comment) : undefined,
    priority: t.priority,
    type: t.type,
    status: t.status,
    assigneeId: t.assignee_id,
    assigneeEmail: t.assignee_email,
    groupId: t.group_id,
    organizationId: t.organization_id,
    formId: t.ticket_form_id,
    doNotClose: t.do_not_close,
    tags: t.tags,
    externalId: t.external_id,
    customFields: t.custom_fields ?? t.fields,
    ccs: toCcChanges([t.email_ccs, t.collaborators], t.collaborator_ids),
    solveOverrideReason: t.solve_override_reason,
  };
}
