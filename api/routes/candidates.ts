import { Hono } from 'hono';
import { z } from 'zod';
import { RACE_ETHNICITY_CATEGORIES, SEX_CATEGORIES } from '../../core/demographics.js';
import { getCandidate, insertCandidate, listCandidates } from '../../db/queries/candidates.js';
import { getDemographics, saveDemographics } from '../../db/queries/demographics.js';
import type { App, AppEnv } from '../context.js';
import { ApiError, notFound } from '../errors.js';
import { parseId, readJson, requireHr } from '../http.js';
import { normalizePhone } from '../lib/phone.js';
import { candidateView } from '../views.js';
import { readRoutes } from '../lib/paging.js';

export const createCandidate = z.strictObject({
  firstName: z.string().trim().min(1).max(100),
  lastName: z.string().trim().min(1).max(100),
  email: z.string().trim().email().max(320),
  phoneNumber: z.string().trim().min(3).max(32),
  resumeText: z.string().max(100_000).default(''),
});

// Self-reported categories for the bias-audit export (core/demographics.ts). A field left out keeps
// what is stored; null clears it.
export const demographicsBody = z.strictObject({
  sex: z.enum(SEX_CATEGORIES).nullable().optional(),
  raceEthnicity: z.enum(RACE_ETHNICITY_CATEGORIES).nullable().optional(),
});

const demographicsView = (d: { candidate_id: string; sex: string | null; race_ethnicity: string | null; updated_at: Date | null }) => ({
  candidateId: d.candidate_id,
  sex: d.sex,
  raceEthnicity: d.race_ethnicity,
  updatedAt: d.updated_at ? d.updated_at.toISOString() : null,
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

  r.get('/:id/demographics', async (c) => {
    const d = await getDemographics(app.deps.db, c.get('hr').organizationId, parseId(c.req.param('id'), 'Candidate'));
    if (!d) throw notFound('Candidate');
    return c.json(demographicsView(d));
  });

  r.put('/:id/demographics', async (c) => {
    const id = parseId(c.req.param('id'), 'Candidate');
    const body = await readJson(c, demographicsBody);
    const saved = await saveDemographics(app.deps.db, c.get('hr').organizationId, id, body);
    if (!saved) throw notFound('Candidate');
    return c.json(demographicsView(saved));
  });

  return r;
}
