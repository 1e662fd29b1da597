import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import type { HelpArticle } from '../../platform/db-types.js';
import { AppError } from '../../platform/errors.js';
import { baseUrl, created, parseBody, parseId, resourceUrl } from '../../platform/http.js';
import { pageEnvelope, readPageRequest } from '../../platform/pagination.js';
import { requireActor, requireAgent } from '../../permissions/guards.js';
import type { Actor } from '../accounts/actor.js';
import { renderArticleBody } from './article-body.js';
import { searchArticles } from './article-search.service.js';
import {
  articleVotes,
  createArticle,
  deleteArticle,
  findArticle,
  listArticles,
  listArticleVersions,
  publishArticle,
  restoreArticleVersion,
  saveArticleDraft,
  updateArticle,
  type ArticleFilter,
} from './articles.service.js';
import { listArticleFeedback, recordArticleFeedback } from './feedback.service.js';
import { presentArticle, presentFeedback, presentSearchResult, presentVersion, presentVote } from './helpcenter.presenter.js';
import { articleCreateSchema, articleUpdateSchema, draftSchema, feedbackSchema, previewSchema } from './helpcenter.schema.js';
import { checkLocale, hcPaths } from './locale.js';
import { findCategory, findSection } from './structure.service.js';

const idParam = (req: FastifyRequest, key = 'id') => parseId((req.params as Record<string, string>)[key]);

function intQuery(value: unknown, name: string, min: number, max: number, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new AppError('InvalidPaginationParameter', `${name} must be an integer of at least ${min}`);
  return Math.min(n, max);
}

/** Zendesk's Help Center articles, plus Sundial's drafts, versions, preview and feedback for authors. */
export function registerArticleRoutes(app: FastifyInstance, ctx: AppContext) {
  const present = async (req: FastifyRequest, rows: HelpArticle[]) => {
    const votes = await articleVotes(ctx.db, rows.map((r) => r.id));
    return (a: HelpArticle) => presentArticle(baseUrl(req), req.actor, a, votes.get(a.id));
  };
  const one = async (req: FastifyRequest, article: HelpArticle) => ({ article: (await present(req, [article]))(article) });

  const list = (filterOf: (req: FastifyRequest) => Promise<ArticleFilter>) => async (req: FastifyRequest) => {
    checkLocale(req);
    const page = readPageRequest(req);
    const labels = (req.query as Record<string, unknown>).label_names;
    const filter = { ...(await filterOf(req)), labelNames: labels ? String(labels).split(',').map((s) => s.trim()).filter(Boolean) : undefined };
    const { rows, count } = await listArticles(ctx.db, req.actor, filter, page);
    return pageEnvelope(req, page, 'articles', rows, await present(req, rows), count);
  };
  for (const path of hcPaths('articles')) app.get(path, list(async () => ({})));
  // The articles of a section or category the reader may not see are "not found", like the section itself.
  for (const path of hcPaths('sections/:id/articles')) app.get(path, list(async (req) => ({ sectionId: (await findSection(ctx.db, req.actor, idParam(req))).id })));
  for (const path of hcPaths('categories/:id/articles')) app.get(path, list(async (req) => ({ categoryId: (await findCategory(ctx.db, req.actor, idParam(req))).id })));

  for (const path of hcPaths('articles/search')) {
    app.get(path, async (req) => {
      checkLocale(req);
      const q = req.query as Record<string, unknown>;
      const query = String(q.query ?? '').trim();
      if (!query) throw new AppError('BadRequest', 'query is required (the words to search for)');
      const page = intQuery(q.page, 'page', 1, 10_000, 1);
      const perPage = intQuery(q.per_page, 'per_page', 1, 100, 25);
      const { count, hits } = await searchArticles(ctx.db, req.actor, {
        query,
        page,
        perPage,
        sectionId: q.section !== undefined ? parseId(q.section) : undefined,
        categoryId: q.category !== undefined ? parseId(q.category) : undefined,
      });
      const pageCount = Math.max(1, Math.ceil(count / perPage));
      const link = (n: number) => `${baseUrl(req)}/api/v2/help_center/articles/search.json?${new URLSearchParams({ query, page: String(n), per_page: String(perPage) })}`;
      return {
        results: hits.map((h) => presentSearchResult(baseUrl(req), req.actor, h)),
        count,
        page,
        per_page: perPage,
        page_count: pageCount,
        next_page: page < pageCount ? link(page + 1) : null,
        previous_page: page > 1 ? link(page - 1) : null,
      };
    });
  }

  for (const path of hcPaths('articles/:id')) {
    app.get(path, async (req) => {
      checkLocale(req);
      return one(req, await findArticle(ctx.db, req.actor, idParam(req)));
    });
  }

  for (const path of hcPaths('sections/:id/articles')) {
    app.post(path, async (req, reply) => {
      checkLocale(req);
      const actor = requireAgent(req);
      const { article: input } = parseBody(articleCreateSchema, req.body, 'article');
      const article = await createArticle(ctx, { actor, sectionId: idParam(req), article: input });
      return created(reply, resourceUrl(baseUrl(req), `help_center/articles/${article.id}`), await one(req, article));
    });
  }
  for (const path of hcPaths('articles/:id')) {
    app.put(path, async (req) => {
      checkLocale(req);
      const actor = requireAgent(req);
      const { article: input } = parseBody(articleUpdateSchema, req.body, 'article');
      return one(req, await updateArticle(ctx, { actor, id: idParam(req), article: input }));
    });
    app.delete(path, async (req, reply) => {
      checkLocale(req);
      await deleteArticle(ctx, { actor: requireAgent(req), id: idParam(req) });
      return reply.code(204).send();
    });
  }

  // Authoring (Sundial): the working copy is saved apart from what readers see, then published.
  app.put('/api/v2/help_center/articles/:id/draft', async (req) => {
    const actor = requireAgent(req);
    const { draft } = parseBody(draftSchema, req.body, 'draft');
    return one(req, await saveArticleDraft(ctx, { actor, id: idParam(req), title: draft.title, body: draft.body }));
  });
  app.post('/api/v2/help_center/articles/:id/publish', async (req) => one(req, await publishArticle(ctx, { actor: requireAgent(req), id: idParam(req) })));
  app.get('/api/v2/help_center/articles/:id/versions', async (req) => {
    const versions = await listArticleVersions(ctx.db, requireAgent(req), idParam(req));
    return { versions: versions.map(presentVersion), count: versions.length };
  });
  app.post('/api/v2/help_center/articles/:id/versions/:number/restore', async (req) =>
    one(req, await restoreArticleVersion(ctx, { actor: requireAgent(req), id: idParam(req), number: idParam(req, 'number') })),
  );
  app.post('/api/v2/help_center/preview', async (req) => {
    requireAgent(req);
    const { body } = parseBody(previewSchema, req.body);
    return { html: renderArticleBody(body).html };
  });

  // Feedback: "was this helpful?" with an optional comment (anyone who can read the article), and
  // Zendesk's up/down votes (signed-in readers) on the same records.
  app.post('/api/v2/help_center/articles/:id/feedback', async (req, reply) => {
    const { feedback } = parseBody(feedbackSchema, req.body, 'feedback');
    const row = await recordArticleFeedback(ctx.db, { actor: req.actor, articleId: idParam(req), ...feedback });
    return reply.code(201).send({ feedback: presentFeedback(row) });
  });
  app.get('/api/v2/help_center/articles/:id/feedback', async (req) => {
    const rows = await listArticleFeedback(ctx.db, requireAgent(req), idParam(req));
    return { feedback: rows.map(presentFeedback), count: rows.length };
  });
  const vote = (helpful: boolean) => async (req: FastifyRequest) => {
    const actor: Actor = requireActor(req);
    return { vote: presentVote(baseUrl(req), await recordArticleFeedback(ctx.db, { actor, articleId: idParam(req), helpful })) };
  };
  app.post('/api/v2/help_center/articles/:id/up', vote(true));
  app.post('/api/v2/help_center/articles/:id/down', vote(false));
}
