import type { Priority, Status, TicketType } from '../../platform/db-types.js';

export interface CommentInput {
  body?: string;
  htmlBody?: string;
  public?: boolean;
  uploads?: string[];
  authorId?: number;
  /** Message-ID of the mail this comment came from (email channel). */
  mailMessageId?: string;
}

/** One CC change: add (`put`, the default) or remove (`delete`) by user id or email. */
export interface CcChange {
  userId?: number;
  email?: string;
  name?: string;
  action: 'put' | 'delete';
}

/** Fields a write may change, already shape-checked by the route's schema. */
export interface TicketChanges {
  subject?: string;
  priority?: Priority | null;
  type?: TicketType | null;
  status?: Status;
  assigneeId?: number | null;
  assigneeEmail?: string;
  groupId?: number | null;
  organizationId?: number | null;
  formId?: number;
  doNotClose?: boolean;
  tags?: string[];
  externalId?: string | null;
  customFields?: { id: number; value: unknown }[];
  ccs?: CcChange[];
  comment?: CommentInput;
  /** Requests API: the customer marks their request solved. */
  solvedByRequester?: boolean;
  /** Why the ticket may be solved although a guard (an open escalation) objects; kept on the audit. */
  solveOverrideReason?: string;
}

export interface NewTicketInput extends TicketChanges {
  requesterId?: number;
  requester?: { email: string; name?: string };
  via: string;
  followupSourceId?: number;
  comment: CommentInput;
}

export const MAX_CCS = 48;
