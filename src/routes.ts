import type { FastifyInstance } from 'fastify';
import type { AppContext } from './platform/context.js';
import { registerApiTokenRoutes } from './modules/accounts/api-tokens.routes.js';
import { registerGroupRoutes } from './modules/accounts/groups.routes.js';
import { registerOrganizationRoutes } from './modules/accounts/organizations.routes.js';
import { registerPortalRoutes } from './modules/accounts/portal.routes.js';
import { registerUserRoutes } from './modules/accounts/users.routes.js';
import { collectRoutes, registerDocsRoutes } from './modules/docs/openapi.routes.js';
import { registerFormRoutes } from './modules/tickets/forms.routes.js';
import { registerRequestRoutes } from './modules/tickets/requests.routes.js';
import { registerTicketRoutes } from './modules/tickets/tickets.routes.js';
import { registerUploadRoutes } from './modules/tickets/uploads.routes.js';
import { registerWebRoutes } from './modules/web/web.routes.js';
import { registerViewRoutes } from './modules/views/views.routes.js';
import { registerLiveRoutes } from './modules/live/live.routes.js';
import { registerSlaPolicyRoutes } from './modules/sla/policies.routes.js';
import { registerSlaExportRoutes, registerSlaTicketRoutes, registerSlaWarningRoutes } from './modules/sla/sla.routes.js';
import { registerScheduleRoutes } from './modules/sla/schedules.routes.js';
import { registerEscalationRoutes } from './modules/escalation/escalations.routes.js';

export async function registerRoutes(app: FastifyInstance, ctx: AppContext) {
  const routes = collectRoutes(app);
  registerPortalRoutes(app, ctx);
  registerUserRoutes(app, ctx);
  registerOrganizationRoutes(app, ctx);
  registerGroupRoutes(app, ctx);
  registerApiTokenRoutes(app, ctx);
  registerFormRoutes(app, ctx);
  registerTicketRoutes(app, ctx);
  registerRequestRoutes(app, ctx);
  registerViewRoutes(app, ctx);
  registerLiveRoutes(app, ctx);
  registerSlaPolicyRoutes(app, ctx);
  registerSlaTicketRoutes(app, ctx);
  registerSlaExportRoutes(app, ctx);
  registerSlaWarningRoutes(app, ctx);
  registerScheduleRoutes(app, ctx);
  registerEscalationRoutes(app, ctx);
  await registerUploadRoutes(app, ctx);
  registerDocsRoutes(app, routes);
  await registerWebRoutes(app);
  app.get('/healthz', async () => {
    await ctx.db.selectNoFrom((eb) => eb.val(1).as('ok')).execute();
    return { status: 'ok' };
  });
}
