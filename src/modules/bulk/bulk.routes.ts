import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import { baseUrl, parseBody, parseId, parseIdList } from '../../platform/http.js';
import { pageEnvelope, readPageRequest, sliceOf } from '../../platform/pagination.js';
import { requireActor, requireAgent } from '../../permissions/guards.js';
import type { IdsPayload, ItemsPayload, UpdateManyPayload } from './bulk-items.js';
import { itemsBody, mergeBody, sameChangeBody } from './bulk.schema.js';
import { presentJobStatus } from './job-status.presenter.js';
import { countJobStatuses, findJobStatuses, listJobStatuses, resultsOf, type JobStatus } from './job-status.repository.js';
import { checkMerge } from './merge-tickets.js';
import { startBulkJob } from './run-bulk-job.js';

/** `ids=1,2` for bulk writes: required, at most 100. */
function requiredIds(req: FastifyRequest): number[] {
  const ids = [...new Set(parseIdList((req.query as Record<string, unknown>).ids))];
  if (!ids.length) throw new AppError('BadRequest', 'ids is required, e.g. ids=1,2,3');
  return ids;
}

/**
 * Zendesk's bulk endpoints and job statuses (spec zendesk-api §3, §7.3). Each bulk write answers at
 * once with a queued job_status and runs on the job queue ('bulk.run'); clients poll the job.
 */
export function registerBulkRoutes(app: FastifyInstance, ctx: AppContext) {
  const accepted = (req: FastifyRequest, job: JobStatus) => ({ job_status: presentJobStatus(baseUrl(req), job, []) });
  const presentAll = async (req: FastifyRequest, jobs: JobStatus[]) => {
    const results = await resultsOf(ctx.db, jobs.map((j) => j.id));
    return jobs.map((j) => presentJobStatus(baseUrl(req), j, results.get(j.id) ?? []));
  };

  app.post('/api/v2/tickets/create_many', async (req) => {
    const actor = requireAgent(req);
    const { tickets } = parseBody(itemsBody('tickets'), req.body);
    const payload: ItemsPayload = { items: tickets };
    return accepted(req, await startBulkJob(ctx, { actor, jobType: 'create_many_tickets', total: tickets.length, payload }));
  });

  app.put('/api/v2/tickets/update_many', async (req) => {
    const actor = requireAgent(req);
    let payload: UpdateManyPayload;
    if ((req.query as Record<string, unknown>).ids !== undefined) {
      const ids = requiredIds(req);
      // One change for every ticket: a malformed change is refused now rather than failing n times.
      parseBody(sameChangeBody, req.body, 'ticket');
      payload = { ids, ticket: (req.body as { ticket: unknown }).ticket };
    } else {
      payload = { items: parseBody(itemsBody('tickets'), req.body).tickets };
    }
    const total = 'ids' in payload ? payload.ids.length : payload.items.length;
    return accepted(req, await startBulkJob(ctx, { actor, jobType: 'update_many_tickets', total, payload }));
  });

  app.delete('/api/v2/tickets/destroy_many', async (req) => {
    const actor = requireAgent(req);
    const payload: IdsPayload = { ids: requiredIds(req) };
    return accepted(req, await startBulkJob(ctx, { actor, jobType: 'destroy_many_tickets', total: payload.ids.length, payload }));
  });

  app.post('/api/v2/users/create_many', async (req) => {
    const actor = requireAgent(req);
    const { users } = parseBody(itemsBody('users'), req.body);
    // The request is stored until the job has run: never keep a password in it.
    const withPassword = users.findIndex((u) => 'password' in u);
    if (withPassword >= 0) throw invalid(`users.${withPassword}.password`, 'Password: cannot be set in bulk; use PUT /api/v2/users/{id}/password or an invitation');
    const payload: ItemsPayload = { items: users };
    return accepted(req, await startBulkJob(ctx, { actor, jobType: 'create_many_users', total: users.length, payload }));
  });

  app.post('/api/v2/tickets/:id/merge', async (req) => {
    const actor = requireAgent(req);
    const targetId = parseId((req.params as { id: string }).id);
    const payload = await checkMerge(ctx.db, targetId, parseBody(mergeBody, req.body));
    return accepted(req, await startBulkJob(ctx, { actor, jobType: 'merge_tickets', total: payload.source_ids.length + 1, payload }));
  });

  app.get('/api/v2/job_statuses', async (req) => {
    const actor = requireActor(req);
    const page = readPageRequest(req);
    const jobs = await listJobStatuses(ctx.db, actor, sliceOf(page));
    const presented = new Map((await presentAll(req, jobs)).map((p) => [p.id, p]));
    const count = page.mode === 'offset' ? await countJobStatuses(ctx.db, actor) : undefined;
    const rows = jobs.map((j) => ({ id: j.seq, job: j }));
    return pageEnvelope(req, page, 'job_statuses', rows, (r) => presented.get(r.job.id), count);
  });

  app.get('/api/v2/job_statuses/show_many', async (req) => {
    const actor = requireActor(req);
    const ids = [...new Set(String((req.query as Record<string, unknown>).ids ?? '').split(',').map((s) => s.trim()).filter(Boolean))];
    if (ids.length > 100) throw new AppError('BadRequest', 'At most 100 ids may be requested at once');
    return { job_statuses: await presentAll(req, await findJobStatuses(ctx.db, actor, ids)) };
  });

  app.get('/api/v2/job_statuses/:id', async (req) => {
    const actor = requireActor(req);
    const [job] = await findJobStatuses(ctx.db, actor, [(req.params as { id: string }).id]);
    if (!job) throw notFound();
    return { job_status: (await presentAll(req, [job]))[0] };
  });
}
