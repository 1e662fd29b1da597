import type { Attachment } from '../../api/client';

/** API statuses; customers see fewer labels (see status.ts). */
export type RequestStatus = 'new' | 'open' | 'hold' | 'pending' | 'solved' | 'closed';
export type Priority = 'urgent' | 'high' | 'normal' | 'low';

export interface CustomFieldValue {
  id: number;
  value: string | number | boolean | string[] | null;
}

/** A ticket as the Requests API shows it to its requester, CCs and organization. */
export interface SupportRequest {
  id: number;
  subject: string;
  description: string;
  status: RequestStatus;
  priority: Priority | null;
  created_at: string;
  updated_at: string;
  requester_id: number;
  email_cc_ids: number[];
  can_comment: boolean;
  can_be_solved_by_me: boolean;
  followup_source_id: number | null;
  followup_ids: number[];
  ticket_form_id: number | null;
  custom_fields: CustomFieldValue[];
  /** The latest satisfaction survey: `{score: 'offered'}` while unanswered, else the rating. */
  satisfaction_rating?: SatisfactionRating | null;
}

export type SatisfactionScore = 'offered' | 'good' | 'bad';

export interface SatisfactionRating {
  id?: number;
  score: SatisfactionScore;
  comment?: string | null;
}

/** Offset-paginated list answer shared by /requests, /requests/ccd, /requests/organization and /requests/search. */
export interface RequestListPage {
  requests: SupportRequest[];
  next_page: string | null;
  previous_page: string | null;
  count: number;
}

export interface FieldOption {
  id: number;
  name: string;
  value: string;
  description?: string | null;
}

export interface TicketField {
  id: number;
  type: string;
  title: string;
  title_in_portal?: string;
  description: string | null;
  required_in_portal: boolean;
  regexp_for_validation?: string | null;
  custom_field_options?: FieldOption[];
}

export interface FormCondition {
  parent_field_id: number;
  value: string | boolean;
  child_fields: { id: number; is_required: boolean }[];
}

export interface TicketForm {
  id: number;
  name: string;
  display_name: string;
  description: string | null;
  kind?: string;
  ticket_field_ids: number[];
  end_user_conditions: FormCondition[] | null;
}

export interface Comment {
  id: number;
  author_id: number;
  body: string;
  html_body: string;
  created_at: string;
  attachments: Attachment[];
}

export interface CommentAuthor {
  id: number;
  name: string;
  agent: boolean;
}
