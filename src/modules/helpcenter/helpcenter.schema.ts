import { z } from 'zod';
import { idField } from '../../platform/validation.js';

const name = z.string().trim().min(1, 'cannot be blank').max(255, 'is too long (maximum is 255 characters)');
const description = z.string().max(5000, 'is too long (maximum is 5000 characters)');
const position = z.number().int().min(0).max(1_000_000);
const locale = z.string().regex(/^en(-us)?$/i, 'is not a locale of this help center (en-us)');

export const categoryCreateSchema = z.object({ category: z.object({ name, description: description.optional(), position: position.optional(), locale: locale.optional() }) });
export const categoryUpdateSchema = z.object({ category: z.object({ name: name.optional(), description: description.optional(), position: position.optional() }) });

export const sectionCreateSchema = z.object({ section: z.object({ name, description: description.optional(), position: position.optional(), locale: locale.optional() }) });
export const sectionUpdateSchema = z.object({
  section: z.object({ name: name.optional(), description: description.optional(), position: position.optional(), category_id: idField.optional() }),
});

export const VISIBILITIES = ['public', 'signed_in', 'organizations', 'plans', 'agents_only'] as const;
export const PLANS = ['free', 'professional', 'enterprise', 'premier'] as const;

const body = z.string().max(500_000, 'is too long (maximum is 500000 characters)');
const articleFields = {
  title: name,
  /** Markdown, or HTML as Zendesk clients send it; rendered and sanitized for readers. */
  body: body.optional(),
  body_markdown: body.optional(),
  draft: z.boolean().optional(),
  position: position.optional(),
  promoted: z.boolean().optional(),
  comments_disabled: z.boolean().optional(),
  label_names: z.array(z.string().trim().min(1).max(100)).max(50).optional(),
  locale: locale.optional(),
  visibility: z.enum(VISIBILITIES).optional(),
  organization_ids: z.array(idField).max(500).optional(),
  plans: z.array(z.enum(PLANS)).max(4).optional(),
};
export const articleCreateSchema = z.object({ article: z.object(articleFields) });
export const articleUpdateSchema = z.object({ article: z.object({ ...articleFields, title: name.optional(), section_id: idField.optional() }) });
export type ArticleInput = z.output<typeof articleUpdateSchema>['article'];

export const draftSchema = z.object({ draft: z.object({ title: name, body: body }) });
export const previewSchema = z.object({ body });

export const feedbackSchema = z.object({
  feedback: z.object({ helpful: z.boolean(), comment: z.string().trim().max(5000, 'is too long (maximum is 5000 characters)').optional() }),
});

const subject = z.string().max(1000, 'is too long (maximum is 1000 characters)');
export const suggestionsSchema = z.object({
  deflection: z.object({ subject: subject.default(''), description: z.string().max(20_000).default(''), ticket_form_id: idField.optional() }),
});
export const answeredSchema = z.object({
  deflection: z.object({ article_id: idField, subject: subject.default(''), ticket_form_id: idField.optional() }),
});
