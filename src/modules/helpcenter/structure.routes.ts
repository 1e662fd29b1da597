import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import { baseUrl, created, parseBody, parseId, resourceUrl } from '../../platform/http.js';
import { pageEnvelope, readPageRequest } from '../../platform/pagination.js';
import { requireActor } from '../../permissions/guards.js';
import { pageOfSorted } from '../rules/rule-pages.js';
import { presentCategory, presentSection } from './helpcenter.presenter.js';
import { categoryCreateSchema, categoryUpdateSchema, sectionCreateSchema, sectionUpdateSchema } from './helpcenter.schema.js';
import { checkLocale, hcPaths } from './locale.js';
import {
  createCategory,
  createSection,
  deleteCategoryOrSection,
  findCategory,
  findSection,
  listCategories,
  listSections,
  updateCategory,
  updateSection,
} from './structure.service.js';

const idParam = (req: FastifyRequest, key = 'id') => parseId((req.params as Record<string, string>)[key]);

/** Zendesk's Help Center categories and sections: everyone reads what holds visible articles; admins write. */
export function registerHelpCenterStructureRoutes(app: FastifyInstance, ctx: AppContext) {
  for (const path of hcPaths('categories')) {
    app.get(path, async (req) => {
      checkLocale(req);
      const page = readPageRequest(req);
      const rows = await listCategories(ctx.db, req.actor);
      return pageEnvelope(req, page, 'categories', pageOfSorted(rows, page), (c) => presentCategory(baseUrl(req), c), rows.length);
    });
  }
  for (const path of hcPaths('categories/:id')) {
    app.get(path, async (req) => {
      checkLocale(req);
      return { category: presentCategory(baseUrl(req), await findCategory(ctx.db, req.actor, idParam(req))) };
    });
  }
  for (const path of hcPaths('sections')) {
    app.get(path, async (req) => {
      checkLocale(req);
      const page = readPageRequest(req);
      const rows = await listSections(ctx.db, req.actor);
      return pageEnvelope(req, page, 'sections', pageOfSorted(rows, page), (s) => presentSection(baseUrl(req), s), rows.length);
    });
  }
  for (const path of hcPaths('categories/:id/sections')) {
    app.get(path, async (req) => {
      checkLocale(req);
      const page = readPageRequest(req);
      const rows = await listSections(ctx.db, req.actor, { categoryId: idParam(req) });
      return pageEnvelope(req, page, 'sections', pageOfSorted(rows, page), (s) => presentSection(baseUrl(req), s), rows.length);
    });
  }
  for (const path of hcPaths('sections/:id')) {
    app.get(path, async (req) => {
      checkLocale(req);
      return { section: presentSection(baseUrl(req), await findSection(ctx.db, req.actor, idParam(req))) };
    });
  }

  for (const path of hcPaths('categories')) {
    app.post(path, async (req, reply) => {
      checkLocale(req);
      const actor = requireActor(req);
      const { category: input } = parseBody(categoryCreateSchema, req.body, 'category');
      const category = await createCategory(ctx.db, { actor, ...input });
      return created(reply, resourceUrl(baseUrl(req), `help_center/categories/${category.id}`), { category: presentCategory(baseUrl(req), category) });
    });
  }
  app.put('/api/v2/help_center/categories/:id', async (req) => {
    const actor = requireActor(req);
    const { category: input } = parseBody(categoryUpdateSchema, req.body, 'category');
    return { category: presentCategory(baseUrl(req), await updateCategory(ctx.db, { actor, id: idParam(req), ...input })) };
  });
  app.delete('/api/v2/help_center/categories/:id', async (req, reply) => {
    await deleteCategoryOrSection(ctx, { actor: requireActor(req), kind: 'category', id: idParam(req) });
    return reply.code(204).send();
  });

  for (const path of hcPaths('categories/:id/sections')) {
    app.post(path, async (req, reply) => {
      checkLocale(req);
      const actor = requireActor(req);
      const { section: input } = parseBody(sectionCreateSchema, req.body, 'section');
      const section = await createSection(ctx.db, { actor, categoryId: idParam(req), ...input });
      return created(reply, resourceUrl(baseUrl(req), `help_center/sections/${section.id}`), { section: presentSection(baseUrl(req), section) });
    });
  }
  app.put('/api/v2/help_center/sections/:id', async (req) => {
    const actor = requireActor(req);
    const { section: input } = parseBody(sectionUpdateSchema, req.body, 'section');
    const { category_id: categoryId, ...rest } = input;
    return { section: presentSection(baseUrl(req), await updateSection(ctx.db, { actor, id: idParam(req), categoryId, ...rest })) };
  });
  app.delete('/api/v2/help_center/sections/:id', async (req, reply) => {
    await deleteCategoryOrSection(ctx, { actor: requireActor(req), kind: 'section', id: idParam(req) });
    return reply.code(204).send();
  });
}
