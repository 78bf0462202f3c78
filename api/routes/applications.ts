import { Hono } from 'hono';
import { z } from 'zod';
import { getApplication, insertApplication, listApplications } from '../../db/queries/applications.js';
import { isUniqueViolation } from '../../db/queries/interviews.js';
import type { App, AppEnv } from '../context.js';
import { ApiError, notFound } from '../errors.js';
import { readJson, requireHr } from '../http.js';
import { applicationView } from '../views.js';
import { readRoutes } from '../lib/paging.js';

export const createApplication = z.strictObject({ jobId: z.string().uuid(), candidateId: z.string().uuid() });

export function applicationRoutes(app: App) {
  const r = new Hono<AppEnv>().use(requireHr(app));

  r.post('/', async (c) => {
    const body = await readJson(c, createApplication);
    try {
      const row = await insertApplication(app.deps.db, { organizationId: c.get('hr').organizationId, ...body });
      // Another organization's job or candidate looks exactly like a missing one.
      if (!row) throw notFound('Job or candidate');
      return c.json(applicationView(row), 201);
    } catch (e) {
      if (isUniqueViolation(e)) throw new ApiError('CONFLICT', 'This candidate has already applied to this job');
      throw e;
    }
  });

  readRoutes(r, app, 'Application', { list: listApplications, get: getApplication }, applicationView);

  return r;
}
