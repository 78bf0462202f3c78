// Seed 002's text-mode interview as its clients call it: the documented fields of each answer, the
// link the candidate receives, and the rows start, submit and complete leave.
import { expect } from 'vitest';
import { hrUser, json, scheduledInterview, type Harness } from '../../../testkit/api.js';
import type { InterviewDetail, Turn } from '../../../web/src/hr/types.js';
import { call, post } from './public.js';

export const JOB_TITLE = 'Senior Backend Developer - Fintech';
export const START_FIELDS = [
  'ai_interview_type',
  'candidate_name',
  'current_question',
  'interview_id',
  'job_title',
  'message',
  'questions',
  'session_id',
  'status',
  'total_questions',
];
export const SUBMIT_FIELDS = [
  'current_question_id',
  'feedback',
  'message',
  'next_instruction',
  'next_question',
  'next_question_id',
  'response_id',
];
export const COMPLETE_FIELDS = [
  'answered_questions',
  'areas_for_improvement',
  'evaluation',
  'message',
  'recommendation',
  'score',
  'session_id',
  'status',
  'strengths',
  'total_questions',
];

export type Hr = Awaited<ReturnType<typeof hrUser>>;
export interface StartQuestion {
  id: string;
  text: string;
  type: string;
  order: number;
  audio_url: string;
}
export interface Started {
  session_id: string;
  current_question: string | null;
  questions: StartQuestion[];
  [k: string]: unknown;
}
export interface Submitted {
  response_id: string;
  current_question_id: string;
  next_question_id: string | null;
  next_question: string | null;
  feedback: string;
  next_instruction: string;
  message: string;
}
export type Completed = Record<string, unknown>;
/** What HR's console reads, with the question each turn answers (the console does not show it). */
type HrDetail = Omit<InterviewDetail, 'transcript'> & { transcript: (Turn & { questionOrder: number | null })[] };

/** Answers of one line each (the scripted evaluator reads one line per turn). */
export const ANSWERS = [
  'I moved from support into backend work because I like fixing root causes.',
  'I rebuilt our payment reconciliation job so it runs in minutes instead of hours.',
  'Every change ships with tests and a reviewer who runs it locally.',
  'A deadlock in Postgres that only happened under month-end load; I reproduced it with pgbench.',
  'Idempotent handlers, retries with backoff, and a queue between the parts.',
];

/** A scheduled interview with a generated link: what the candidate receives. */
export async function linkedInterview(h: Harness, hr: Hr, body: Record<string, unknown> = {}) {
  const { id } = await scheduledInterview(h, hr.auth, body);
  const res = await call(h, `/api/ai-interview/generate-link/${id}/`, {
    method: 'POST',
    headers: { ...hr.auth, 'content-type': 'application/json' },
  });
  expect(res.status).toBe(200);
  const link = await json<{ link_token: string; ai_session_id: string }>(res);
  return { id, token: link.link_token, sessionId: link.ai_session_id };
}

export type Linked = Awaited<ReturnType<typeof linkedInterview>>;

export const start = (h: Harness, l: Linked) => post(h, '/api/ai-interview/public/start/', { interview_id: l.id, link_token: l.token });
export const submit = (h: Harness, l: Linked, text: string, questionId?: string, sessionId = l.sessionId) =>
  post(h, '/api/ai-interview/public/submit-response/', {
    session_id: sessionId,
    link_token: l.token,
    response_text: text,
    ...(questionId ? { question_id: questionId } : {}),
  });
export const complete = (h: Harness, l: Linked, sessionId = l.sessionId) =>
  post(h, '/api/ai-interview/public/complete/', { session_id: sessionId, link_token: l.token });

export async function started(h: Harness, l: Linked) {
  const res = await start(h, l);
  expect(res.status).toBe(200);
  return json<Started>(res);
}

export async function answerAll(h: Harness, l: Linked, answers = ANSWERS) {
  const s = await started(h, l);
  for (const text of answers) expect((await submit(h, l, text)).status).toBe(200);
  return s;
}

export const hrDetail = async (h: Harness, hr: Hr, id: string) => {
  const res = await call(h, `/api/interviews/${id}`, { headers: hr.auth });
  expect(res.status).toBe(200);
  return json<HrDetail>(res);
};

export const responsesOf = (h: Harness, sessionId: string) =>
  h.deps.db.selectFrom('text_responses').selectAll().where('session_id', '=', sessionId).execute();
export const sessionRow = (h: Harness, sessionId: string) =>
  h.deps.db.selectFrom('text_sessions').selectAll().where('id', '=', sessionId).executeTakeFirstOrThrow();
export const turnsOf = (h: Harness, interviewId: string) =>
  h.deps.db.selectFrom('transcript_turns').selectAll().where('interview_id', '=', interviewId).orderBy('seq').execute();
