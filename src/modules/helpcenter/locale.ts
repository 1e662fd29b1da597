import type { FastifyRequest } from 'fastify';
import { notFound } from '../../platform/errors.js';

/**
 * Zendesk serves the help center with and without a locale segment (`/help_center/en-us/articles`).
 * Both forms of `path` are returned; handlers call `checkLocale` so an unknown locale is a 404.
 */
export const hcPaths = (path: string) => [`/api/v2/help_center/${path}`, `/api/v2/help_center/:locale/${path}`];

export function checkLocale(req: FastifyRequest): void {
  const locale = (req.params as { locale?: string }).locale;
  if (locale !== undefined && !/^en(-us)?$/i.test(locale)) throw notFound();
}
