import { Hono } from 'hono';
import { z } from 'zod';
import { getJob, insertJob, listJobs } from '../../db/queries/jobs.js';
import type { App, AppEnv } from '../context.js';
import { readJson, requireHr } from '../http.js';
import { jobView } from '../views.js';
import { readRoutes } from './paging.js';

const createJob = z.strictObject({
  title: z.string().trim().min(1).max(200),
  description: z.string().trim().min(1).max(20_000),
  companyName: z.string().trim().min(1).max(200),
});

export function jobRoutes(app: App) {
  const r = new Hono<AppEnv>().use(requireHr(app));

  r.post('/', async (c) => {
    const body = await readJson(c, createJob);
    const job = await insertJob(app.deps.db, {
      organization_id: c.get('hr').organizationId,
      title: body.title,
      description: body.description,
      company_name: body.companyName,
    });
    return c.json(jobView(job), 201);
  });

  readRoutes(r, app, 'Job', { list: listJobs, get: getJob }, jobView);

  return r;
}
