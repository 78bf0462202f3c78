import { Hono } from 'hono';
import { z } from 'zod';
import { getCandidate, insertCandidate, listCandidates } from '../../db/queries/candidates.js';
import type { App, AppEnv } from '../context.js';
import { ApiError } from '../errors.js';
import { readJson, requireHr } from '../http.js';
import { normalizePhone } from '../lib/phone.js';
import { candidateView } from '../views.js';
import { readRoutes } from './paging.js';

export const createCandidate = z.strictObject({
  firstName: z.string().trim().min(1).max(100),
  lastName: z.string().trim().min(1).max(100),
  email: z.string().trim().email().max(320),
  phoneNumber: z.string().trim().min(3).max(32),
  resumeText: z.string().max(100_000).default(''),
});

export function candidateRoutes(app: App) {
  const r = new Hono<AppEnv>().use(requireHr(app));

  r.post('/', async (c) => {
    const body = await readJson(c, createCandidate);
    const phone = normalizePhone(body.phoneNumber, app.config.defaultPhoneRegion);
    if (!phone) throw new ApiError('VALIDATION_FAILED', 'phoneNumber: not a valid phone number');
    const candidate = await insertCandidate(app.deps.db, {
      organization_id: c.get('hr').organizationId,
      first_name: body.firstName,
      last_name: body.lastName,
      email: body.email.toLowerCase(),
      phone_e164: phone,
      resume_text: body.resumeText,
    });
    return c.json(candidateView(candidate), 201);
  });

  readRoutes(r, app, 'Candidate', { list: listCandidates, get: getCandidate }, candidateView);

  return r;
}
