import type { Attachment, Ticket, TicketComment, TicketForm } from '../../platform/db-types.js';
import { resourceUrl } from '../../platform/http.js';
import { iso } from '../accounts/users.presenter.js';
import type { FieldWithOptions } from './forms.repository.js';
import { customerStatus } from './status-machine.js';
import type { RatingSummary } from '../satisfaction/ratings.repository.js';
import { ticketRating } from '../satisfaction/satisfaction.presenter.js';

export interface TicketExtras {
  collaboratorIds: number[];
  followupIds: number[];
  /** The latest satisfaction survey, loaded for the whole page (ticket-views). */
  satisfaction?: RatingSummary | null;
  /** Whether the description (first comment) is public: loaded for requests only. */
  descriptionPublic?: boolean;
}

const via = (channel: string, followupSourceId: number | null) => ({
  channel,
  source: followupSourceId ? { from: { ticket_id: followupSourceId }, to: {}, rel: 'follow_up' } : { from: {}, to: {}, rel: null },
});

const customFieldList = (t: Ticket) => Object.entries(t.custom_fields as Record<string, unknown>).map(([id, value]) => ({ id: Number(id), value }));

/** Zendesk's ticket object (agents). */
export function presentTicket(base: string, t: Ticket, x: TicketExtras) {
  const fields = customFieldList(t);
  return {
    url: resourceUrl(base, `tickets/${t.id}`),
    id: t.id,
    external_id: t.external_id,
    via: via(t.via_channel, t.via_followup_source_id),
    created_at: iso(t.created_at),
    updated_at: iso(t.updated_at),
    generated_timestamp: Math.floor(t.updated_at.getTime() / 1000),
    type: t.type,
    subject: t.subject,
    raw_subject: t.subject,
    description: t.description,
    priority: t.priority,
    status: t.status,
    custom_status_id: null,
    recipient: null,
    requester_id: t.requester_id,
    submitter_id: t.submitter_id,
    assignee_id: t.assignee_id,
    organization_id: t.organization_id,
    group_id: t.group_id,
    collaborator_ids: x.collaboratorIds,
    follower_ids: [],
    email_cc_ids: x.collaboratorIds,
    forum_topic_id: null,
    problem_id: null,
    has_incidents: false,
    is_public: true,
    due_at: null,
    tags: t.tags,
    custom_fields: fields,
    fields,
    satisfaction_rating: ticketRating(x.satisfaction),
    // Zendesk's predicted satisfaction (an add-on); null, as Zendesk sends it without the add-on.
    satisfaction_probability: null,
    sharing_agreement_ids: [],
    followup_ids: x.followupIds,
    via_followup_source_id: t.via_followup_source_id,
    ticket_form_id: t.form_id,
    brand_id: null,
    do_not_close: t.do_not_close,
    solved_at: iso(t.solved_at),
    sla_next_breach_at: iso(t.sla_next_breach_at),
    sla_breached_since: iso(t.sla_breached_since),
    allow_channelback: false,
    allow_attachments: true,
    from_messaging_channel: false,
  };
}

/** Zendesk's request object: what the requester sees (no internal status, tags or agent-only data). */
export function presentRequest(
  base: string,
  t: Ticket,
  x: TicketExtras & { canBeSolvedByMe: boolean; canComment: boolean; hiddenFieldIds?: ReadonlySet<number>; descriptionVisible?: boolean },
) {
  // Agent-only fields' values and a private first comment (the description) stay with the agents.
  const fields = customFieldList(t).filter((f) => !x.hiddenFieldIds?.has(f.id));
  return {
    url: resourceUrl(base, `requests/${t.id}`),
    id: t.id,
    status: customerStatus(t.status),
    priority: t.priority,
    type: t.type,
    subject: t.subject,
    description: x.descriptionVisible === false ? '' : t.description,
    organization_id: t.organization_id,
    via: via(t.via_channel, t.via_followup_source_id),
    custom_fields: fields,
    fields,
    requester_id: t.requester_id,
    collaborator_ids: x.collaboratorIds,
    email_cc_ids: x.collaboratorIds,
    is_public: true,
    due_at: null,
    can_be_solved_by_me: x.canBeSolvedByMe,
    can_comment: x.canComment,
    created_at: iso(t.created_at),
    updated_at: iso(t.updated_at),
    recipient: null,
    followup_source_id: t.via_followup_source_id,
    followup_ids: x.followupIds,
    assignee_id: t.assignee_id,
    ticket_form_id: t.form_id,
    solved: t.status === 'solved' || t.status === 'closed',
    satisfaction_rating: ticketRating(x.satisfaction),
  };
}

/** What an attachment shows: a row, or the columns a comment query embeds as JSON (where dates are strings). */
export type AttachmentFields = Pick<Attachment, 'id' | 'file_name' | 'content_type' | 'size' | 'sha256'> & { deleted_at: Date | string | null };

export function presentAttachment(base: string, a: AttachmentFields) {
  return {
    url: resourceUrl(base, `attachments/${a.id}`),
    id: a.id,
    file_name: a.file_name,
    content_url: `${base}/api/v2/attachments/${a.id}/content`,
    mapped_content_url: `${base}/api/v2/attachments/${a.id}/content`,
    content_type: a.content_type,
    size: a.size,
    sha256: a.sha256,
    width: null,
    height: null,
    inline: false,
    deleted: a.deleted_at !== null,
    malware_access_override: false,
    malware_scan_result: 'not_scanned',
    thumbnails: [],
  };
}

export function presentComment(base: string, c: TicketComment & { attachments: AttachmentFields[] }) {
  return {
    id: c.id,
    type: 'Comment',
    author_id: c.author_id,
    body: c.body,
    html_body: c.html_body,
    plain_body: c.body,
    public: c.public,
    attachments: c.attachments.map((a) => presentAttachment(base, a)),
    audit_id: c.audit_id,
    via: { channel: c.via_channel, source: { from: {}, to: {}, rel: null } },
    created_at: iso(c.created_at),
    metadata: { system: {}, custom: {} },
  };
}

export function presentForm(base: string, f: TicketForm, fieldIds: number[]) {
  return {
    url: resourceUrl(base, `ticket_forms/${f.id}`),
    id: f.id,
    name: f.name,
    raw_name: f.name,
    display_name: f.display_name,
    raw_display_name: f.display_name,
    description: f.description,
    kind: f.kind,
    end_user_visible: f.end_user_visible,
    position: f.position,
    ticket_field_ids: fieldIds,
    active: f.active,
    default: f.is_default,
    in_all_brands: true,
    restricted_brand_ids: [],
    agent_conditions: f.agent_conditions,
    end_user_conditions: f.end_user_conditions,
    created_at: iso(f.created_at),
    updated_at: iso(f.updated_at),
  };
}

export function presentField(base: string, f: FieldWithOptions) {
  const custom = f.options.length > 0;
  return {
    url: resourceUrl(base, `ticket_fields/${f.id}`),
    id: f.id,
    type: f.type,
    key: f.key,
    title: f.title,
    raw_title: f.title,
    description: f.description,
    raw_description: f.description,
    agent_description: f.agent_description,
    position: f.position,
    active: f.active,
    required: f.required,
    collapsed_for_agents: false,
    regexp_for_validation: f.regexp_for_validation,
    title_in_portal: f.title_in_portal,
    raw_title_in_portal: f.title_in_portal,
    visible_in_portal: f.visible_in_portal,
    editable_in_portal: f.editable_in_portal,
    required_in_portal: f.required_in_portal,
    tag: null,
    created_at: iso(f.created_at),
    updated_at: iso(f.updated_at),
    removable: f.removable,
    custom_field_options: custom
      ? f.options.map((o) => ({ id: o.id, name: o.name, raw_name: o.name, value: o.value, description: o.description, default: o.is_default, active: o.active }))
      : f.type === 'tagger'
        ? []
        : undefined,
    system_field_options:
      f.type === 'priority'
        ? ['Low', 'Normal', 'High', 'Urgent'].map((n) => ({ name: n, value: n.toLowerCase() }))
        : f.type === 'status'
          ? ['New', 'Open', 'Pending', 'On-hold', 'Solved', 'Closed'].map((n, i) => ({ name: n, value: ['new', 'open', 'pending', 'hold', 'solved', 'closed'][i] }))
          : undefined,
    sub_type_id: 0,
  };
}
