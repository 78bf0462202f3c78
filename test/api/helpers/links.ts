// Seed 002's link endpoints as HR and the candidate call them, and the rows a link leaves.
import { expect } from 'vitest';
import { hrUser, json, type Harness } from '../../../testkit/api.js';
import { call } from './public.js';

export const BASE = 'http://localhost:8000';
export const JOB_TITLE = 'Senior Backend Developer - Fintech';
export const HOUR = 60 * 60_000;
export const LINK_FIELDS = [
  'ai_interview_type',
  'ai_interview_url',
  'ai_session_id',
  'candidate_email',
  'candidate_name',
  'expires_at',
  'interview_id',
  'job_title',
  'link_token',
  'message',
  'public_interview_url',
] as const;

export type LinkBody = { [K in (typeof LINK_FIELDS)[number]]: string };
export type Hr = Awaited<ReturnType<typeof hrUser>>;

export const pathOf = (url: string) => new URL(url).pathname;

export const generate = (h: Harness, hr: Hr, id: string, body?: unknown) =>
  call(h, `/api/ai-interview/generate-link/${id}/`, {
    method: 'POST',
    headers: { ...hr.auth, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
export const getLink = (h: Harness, hr: Hr, id: string) => call(h, `/api/ai-interview/get-link/${id}/`, { headers: hr.auth });
export const regenerate = (h: Harness, hr: Hr, id: string) =>
  call(h, `/api/ai-interview/regenerate-link/${id}/`, {
    method: 'POST',
    headers: { ...hr.auth, 'content-type': 'application/json' },
  });
export const start = (h: Harness, interviewId: string, token: string) =>
  call(h, '/api/ai-interview/public/start/', { method: 'POST', json: { interview_id: interviewId, link_token: token } });
export const publicView = (h: Harness, token: string) => call(h, `/api/interviews/public/${token}/`);

export async function generated(h: Harness, hr: Hr, id: string) {
  const res = await generate(h, hr, id);
  expect(res.status).toBe(200);
  return json<LinkBody>(res);
}

export const questionsOf = (h: Harness, interviewId: string) =>
  h.deps.db.selectFrom('interview_questions').selectAll().where('interview_id', '=', interviewId).orderBy('position').execute();

export const auditOf = (h: Harness, interviewId: string) =>
  h.deps.db.selectFrom('audit_log').selectAll().where('interview_id', '=', interviewId).orderBy('id').execute();

export async function linkVersion(h: Harness, id: string) {
  const row = await h.deps.db.selectFrom('interviews').select('link_version').where('id', '=', id).executeTakeFirstOrThrow();
  return row.link_version;
}

/** A scheduled interview whose candidate has the given résumé (the shared helper fixes it). */
export async function interviewWithResume(h: Harness, hr: Hr, resumeText: string) {
  const post = async (path: string, body: unknown) => {
    const res = await call(h, path, { method: 'POST', headers: hr.auth, json: body });
    expect(res.status, `${path}: ${await res.clone().text()}`).toBe(201);
    return json<{ id: string }>(res);
  };
  const job = await post('/api/jobs', {
    title: JOB_TITLE,
    description: 'Build payment services in TypeScript and Postgres.',
    companyName: 'MENA Bank',
  });
  const candidate = await post('/api/candidates', {
    firstName: 'Sara',
    lastName: 'Khalil',
    email: 'sara@example.com',
    phoneNumber: '+971501234567',
    resumeText,
  });
  const application = await post('/api/applications', { jobId: job.id, candidateId: candidate.id });
  return post('/api/interviews', {
    applicationId: application.id,
    interviewType: 'TECHNICAL',
    scheduledAt: new Date(h.clock.now).toISOString(),
    maxDuration: 1800,
  });
}

export const expectInvalidToken = async (res: Response) => {
  expect(res.status).toBe(401);
  expect(await json(res)).toMatchObject({ error: 'Invalid interview token', code: 'INVALID_TOKEN' });
};

/** The answer to get-link or regenerate-link before any link was generated. */
export async function expectNoLink(res: Response) {
  expect(res.status).toBe(404);
  expect((await json(res)).error).toBe('No interview link found for this interview');
}
