// HR's interviews (camelCase) and the public interview URL of seed 002's links.
import { Hono } from 'hono';
import { z } from 'zod';
import { reevaluate } from '../../core/interview-lifecycle.js';
import { INTERVIEW_STATUSES } from '../../core/domain.js';
import { getApplication } from '../../db/queries/applications.js';
import { listAudit } from '../../db/queries/audit.js';
import { listEvaluations } from '../../db/queries/evaluations.js';
import { insertInterview, interviewDetail, listInterviews, loadInterviewContext } from '../../db/queries/interviews.js';
import type { App, AppEnv } from '../context.js';
import { ApiError, notFound } from '../errors.js';
import { parseId, parseWith, readJson, requireHr } from '../http.js';
import { createInterview } from '../lib/interview-body.js';
import { readPage } from '../lib/paging.js';
import { endInterview, openRoom } from '../services/interviews.js';
import { issueLink, openLink } from '../services/links.js';
import { evaluationView, interviewView, questionView, roomView, turnView } from '../views.js';

const REEVALUATION_ERRORS = {
  not_ended: () => new ApiError('CONFLICT', 'Only an interview that has ended can be re-evaluated'),
  no_llm: () => new ApiError('CONFLICT', 'No language model is configured, so there is nothing to re-evaluate with'),
  busy: () => new ApiError('CONFLICT', 'This interview is being re-evaluated already; try again in a moment'),
  llm_failed: () =>
    new ApiError(
      'SERVICE_UNAVAILABLE',
      'The language model did not answer; the current evaluation is unchanged. Try again later',
      {},
      { 'retry-after': '30' },
    ),
};

export const listFilter = z.object({ status: z.enum(INTERVIEW_STATUSES).optional() });

export function interviewRoutes(app: App) {
  const r = new Hono<AppEnv>();
  const { db } = app.deps;
  const hr = requireHr(app);

  // Seed 002's public_interview_url: what a link holder may see before starting.
  r.get('/public/:token', async (c) => {
    const ctx = await openLink(c, app, c.req.param('token'));
    const link = issueLink(app, ctx);
    return c.json({
      interview_id: ctx.id,
      candidate_first_name: ctx.first_name,
      job_title: ctx.job_title,
      company_name: ctx.company_name,
      ai_interview_type: ctx.interview_type.toLowerCase(),
      instructions: ctx.instructions,
      max_duration: ctx.max_duration_s,
      scheduled_at: ctx.scheduled_at?.toISOString() ?? null,
      opens_at: new Date(link.notBefore).toISOString(),
      expires_at: new Date(link.expiresAt).toISOString(),
      status: ctx.status,
      ai_interview_url: `${app.config.publicBaseUrl}/api/ai-interview/public/start/`,
    });
  });

  r.post('/', hr, async (c) => {
    const body = await readJson(c, createInterview);
    const { organizationId } = c.get('hr');
    const application = await getApplication(db, organizationId, body.applicationId);
    if (!application) throw notFound('Application');
    const row = await insertInterview(db, {
      organization_id: organizationId,
      application_id: application.id,
      interview_type: body.interviewType,
      scheduled_at: body.scheduledAt,
      max_duration_s: body.maxDuration,
      instructions: body.instructions,
      reveal_results_to_candidate: body.revealResultsToCandidate,
      language: body.language,
    });
    return c.json(interviewView(row), 201);
  });

  r.get('/', hr, async (c) => {
    const { status, ...rest } = c.req.query();
    const filter = parseWith(listFilter, { status }, 'status filter');
    const page = await listInterviews(db, c.get('hr').organizationId, readPage(c, rest), filter);
    return c.json({
      items: page.items.map((i) => ({
        ...interviewView(i),
        candidateName: `${i.first_name} ${i.last_name}`,
        jobTitle: i.job_title,
      })),
      nextCursor: page.nextCursor,
    });
  });

  async function ownInterview(organizationId: string, rawId: string) {
    const ctx = await loadInterviewContext(db, parseId(rawId, 'Interview'));
    if (!ctx || ctx.organization_id !== organizationId) throw notFound('Interview');
    return ctx;
  }

  r.get('/:id', hr, async (c) => {
    const ctx = await ownInterview(c.get('hr').organizationId, c.req.param('id'));
    const [detail, evaluations, audit] = await Promise.all([
      interviewDetail(db, ctx.id),
      listEvaluations(db, ctx.id),
      listAudit(db, ctx.id),
    ]);
    return c.json({
      ...interviewView(ctx),
      candidate: { firstName: ctx.first_name, lastName: ctx.last_name, email: ctx.candidate_email },
      job: { title: ctx.job_title, companyName: ctx.company_name },
      questions: detail.questions.map(questionView),
      transcript: detail.transcript.map(turnView),
      // The current evaluation (the highest version); every version under `evaluations`.
      evaluation: evaluations[0] ? evaluationView(evaluations[0]) : null,
      evaluations: evaluations.map(evaluationView),
      statusHistory: detail.history.map((h) => ({
        from: h.from_status,
        to: h.to_status,
        reason: h.reason,
        at: h.changed_at.toISOString(),
      })),
      audit: audit.map((a) => ({ action: a.action, actor: a.actor, details: a.details, at: a.created_at.toISOString() })),
    });
  });

  r.get('/:id/evaluations', hr, async (c) => {
    const ctx = await ownInterview(c.get('hr').organizationId, c.req.param('id'));
    return c.json({ items: (await listEvaluations(db, ctx.id)).map(evaluationView) });
  });

  // A new version with today's model, prompt and the job's current rubric. It runs in the request
  // (HR waits for the result); the lease in reevaluate() keeps it to one at a time per interview.
  r.post('/:id/evaluations', hr, async (c) => {
    const user = c.get('hr');
    const ctx = await ownInterview(user.organizationId, c.req.param('id'));
    const result = await reevaluate(app.deps, ctx, `hr:${user.userId}`);
    if (result.ok) return c.json(evaluationView(result.evaluation), 201);
    throw REEVALUATION_ERRORS[result.reason]();
  });

  r.post('/:id/room', hr, async (c) => {
    const user = c.get('hr');
    const ctx = await ownInterview(user.organizationId, c.req.param('id'));
    if (!ctx.room_code) await openRoom(app, ctx, `hr:${user.userId}`);
    return c.json(roomView((await loadInterviewContext(db, ctx.id))!), ctx.room_code ? 200 : 201);
  });

  r.post('/:id/end', hr, async (c) => {
    const user = c.get('hr');
    const ctx = await ownInterview(user.organizationId, c.req.param('id'));
    await endInterview(app, ctx.id, `hr:${user.userId}`, 'hr_ended');
    return c.json(interviewView((await loadInterviewContext(db, ctx.id))!));
  });

  return r;
}
