import { Hono } from 'hono';
import { z } from 'zod';
import { rubricSchema } from '../../core/rubric.js';
import { getJob, insertJob, listJobs, setJobRubric } from '../../db/queries/jobs.js';
import type { App, AppEnv } from '../context.js';
import { orNotFound } from '../errors.js';
import { parseId, readJson, requireHr } from '../http.js';
import { jobView } from '../views.js';
import { readRoutes } from '../lib/paging.js';

export const createJob = z.strictObject({
  title: z.string().trim().min(1).max(200),
  description: z.string().trim().min(1).max(20_000),
  companyName: z.string().trim().min(1).max(200),
  /** Left out: the default rubric. */
  rubric: rubricSchema.optional(),
});

export const putRubric = z.strictObject({ rubric: rubricSchema.nullable() });

export function jobRoutes(app: App) {
  const r = new Hono<AppEnv>().use(requireHr(app));

  r.post('/', async (c) => {
    const body = await readJson(c, createJob);
    const job = await insertJob(app.deps.db, {
      organization_id: c.get('hr').organizationId,
      title: body.title,
      description: body.description,
      company_name: body.companyName,
      rubric: body.rubric ? JSON.stringify(body.rubric) : null,
    });
    return c.json(jobView(job), 201);
  });

  // Applies to evaluations made from now on (and re-evaluations); stored ones keep their rubric.
  r.put('/:id/rubric', async (c) => {
    const id = parseId(c.req.param('id'), 'Job');
    const body = await readJson(c, putRubric);
    const job = orNotFound(await setJobRubric(app.deps.db, c.get('hr').organizationId, id, body.rubric), 'Job');
    return c.json(jobView(job));
  });

  readRoutes(r, app, 'Job', { list: listJobs, get: getJob }, jobView);

  return r;
}
