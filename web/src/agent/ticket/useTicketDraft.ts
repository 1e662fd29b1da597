import { useEffect, useState } from 'react';
import type { CustomFieldValue, Ticket, TicketPriority, TicketStatus, TicketUpdate } from '../api/types';

export type ComposerMode = 'public' | 'internal';

/** A file being uploaded or ready to go with the next comment. */
export interface PendingUpload {
  key: string;
  name: string;
  progress: number;
  token?: string;
  error?: string;
}

/** Property changes the agent has made but not submitted yet; unset keys mean "unchanged". */
export interface FieldEdits {
  status?: TicketStatus;
  priority?: TicketPriority;
  assignee_id?: number | null;
  group_id?: number | null;
  do_not_close?: boolean;
  custom?: Record<number, CustomFieldValue['value']>;
  ccEmails?: string[];
}

const storageKey = (ticketId: number) => `sundial.agent.draft.${ticketId}`;

function readStored(ticketId: number): { body: string; mode: ComposerMode } {
  try {
    const raw = sessionStorage.getItem(storageKey(ticketId));
    if (raw) return JSON.parse(raw);
  } catch {
    /* storage disabled or corrupt: start empty */
  }
  return { body: '', mode: 'public' };
}

/**
 * The agent's unsent work on one ticket: the reply text (kept in sessionStorage, so a reload or
 * a conflict never loses it), its mode, uploads and staged field edits.
 */
export function useTicketDraft(ticketId: number) {
  const [stored] = useState(() => readStored(ticketId));
  const [body, setBody] = useState(stored.body);
  const [mode, setMode] = useState<ComposerMode>(stored.mode);
  const [uploads, setUploads] = useState<PendingUpload[]>([]);
  const [fields, setFields] = useState<FieldEdits>({});

  useEffect(() => {
    if (body) sessionStorage.setItem(storageKey(ticketId), JSON.stringify({ body, mode }));
    else sessionStorage.removeItem(storageKey(ticketId));
  }, [ticketId, body, mode]);

  const clear = () => {
    setBody('');
    setUploads([]);
    setFields({});
  };
  return { body, setBody, mode, setMode, uploads, setUploads, fields, setFields, clear };
}

export type TicketDraft = ReturnType<typeof useTicketDraft>;

/** The CC change as Zendesk's email_ccs list: add the new addresses, remove the dropped ones. */
function ccChanges(current: string[], wanted: string[]) {
  const put = wanted.filter((e) => !current.includes(e)).map((user_email) => ({ user_email, action: 'put' as const }));
  const drop = current.filter((e) => !wanted.includes(e)).map((user_email) => ({ user_email, action: 'delete' as const }));
  return [...put, ...drop];
}

/** Turns the draft into one PUT body; `status` is the "Submit as" choice. */
export function buildUpdate(ticket: Ticket, draft: TicketDraft, currentCcEmails: string[], status: TicketStatus): TicketUpdate {
  const { fields } = draft;
  const update: TicketUpdate = {};
  if (status !== ticket.status) update.status = status;
  if (fields.priority && fields.priority !== ticket.priority) update.priority = fields.priority;
  if (fields.assignee_id !== undefined && fields.assignee_id !== ticket.assignee_id) update.assignee_id = fields.assignee_id;
  if (fields.group_id !== undefined && fields.group_id !== ticket.group_id) update.group_id = fields.group_id;
  if (fields.do_not_close !== undefined && fields.do_not_close !== ticket.do_not_close) update.do_not_close = fields.do_not_close;
  const custom = Object.entries(fields.custom ?? {}).map(([id, value]) => ({ id: Number(id), value }));
  if (custom.length) update.custom_fields = custom;
  if (fields.ccEmails) {
    const ccs = ccChanges(currentCcEmails, fields.ccEmails);
    if (ccs.length) update.email_ccs = ccs;
  }
  const tokens = draft.uploads.flatMap((u) => (u.token ? [u.token] : []));
  if (draft.body.trim() || tokens.length) update.comment = { body: draft.body, public: draft.mode === 'public', ...(tokens.length ? { uploads: tokens } : {}) };
  return update;
}
