import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import { registerArticleFileRoutes } from './article-files.routes.js';
import { registerArticleRoutes } from './articles.routes.js';
import { registerDeflectionRoutes } from './deflection.routes.js';
import { seedStarterArticles } from './starter-seed.service.js';
import { registerHelpCenterStructureRoutes } from './structure.routes.js';

/** The help center (issue 9): Zendesk's Help Center API, authoring, feedback and deflection. */
export async function registerHelpCenterRoutes(app: FastifyInstance, ctx: AppContext) {
  // Starter articles are written once per desk, on the first boot that finds none recorded.
  app.addHook('onReady', async () => {
    await seedStarterArticles(ctx);
  });
  registerHelpCenterStructureRoutes(app, ctx);
  registerArticleRoutes(app, ctx);
  registerDeflectionRoutes(app, ctx);
  await registerArticleFileRoutes(app, ctx);
}
