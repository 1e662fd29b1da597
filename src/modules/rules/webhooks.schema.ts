import { z } from 'zod';

const upper = <T extends readonly [string, ...string[]]>(values: T) => z.string().transform((s) => s.toUpperCase()).pipe(z.enum(values));
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$/;

export const authenticationSchema = z
  .object({
    type: z.enum(['basic_auth', 'bearer_token', 'api_key']),
    add_position: z.literal('header').optional(),
    data: z.record(z.string().max(128), z.string().max(2000)).optional(),
  })
  .nullable();

const webhookFields = {
  name: z.string().trim().min(1, 'cannot be blank').max(255, 'is too long (maximum is 255 characters)'),
  description: z.string().max(1000, 'is too long (maximum is 1000 characters)').nullable().optional(),
  status: z.enum(['active', 'inactive']).optional(),
  endpoint: z.string().trim().min(1, 'cannot be blank').max(2000, 'is too long (maximum is 2000 characters)'),
  http_method: upper(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const),
  request_format: z.enum(['json', 'xml', 'form_encoded']),
  subscriptions: z.array(z.string().max(200)).max(50).optional(),
  authentication: authenticationSchema.optional(),
  custom_headers: z
    .record(z.string().regex(HEADER_NAME, 'header names must be HTTP tokens'), z.string().max(1000).regex(/^[^\r\n]*$/, 'header values must be one line'))
    .refine((h) => Object.keys(h).length <= 5, 'at most 5 custom headers')
    .nullable()
    .optional(),
  external_source: z.unknown().optional(),
};

export const webhookCreateSchema = z.object({ webhook: z.object(webhookFields) });
export const webhookPatchSchema = z.object({ webhook: z.object(webhookFields).partial() });
export type WebhookInput = z.infer<typeof webhookCreateSchema>['webhook'];
export type WebhookPatch = z.infer<typeof webhookPatchSchema>['webhook'];

/** `POST /webhooks/test`: a request to try, optionally with a saved webhook's secret and credentials. */
export const webhookTestSchema = z.object({
  request: z.object({
    endpoint: webhookFields.endpoint,
    http_method: webhookFields.http_method,
    request_format: webhookFields.request_format,
    authentication: authenticationSchema.optional(),
    custom_headers: webhookFields.custom_headers,
    headers: z.array(z.object({ key: z.string().regex(HEADER_NAME), value: z.string().max(1000).regex(/^[^\r\n]*$/) })).max(5).optional(),
    payload: z.string().max(262_144).optional(),
  }),
  webhook_id: z.string().max(40).optional(),
});
export type WebhookTestInput = z.infer<typeof webhookTestSchema>;
