// Rows → the camelCase JSON of the HR API. Seed 002's snake_case shapes live with its routes.
import { rubricOf, unmetMustHaves } from '../core/rubric.js';
import type { Application, Candidate, Evaluation, Interview, Job, Question, TranscriptTurn } from '../db/schema.js';

export const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const jobView = (j: Job) => ({
  id: j.id,
  title: j.title,
  description: j.description,
  companyName: j.company_name,
  rubric: rubricOf(j.rubric),
  rubricIsDefault: j.rubric === null,
  createdAt: iso(j.created_at),
});

export const candidateView = (c: Candidate) => ({
  id: c.id,
  firstName: c.first_name,
  lastName: c.last_name,
  email: c.email,
  phoneNumber: c.phone_e164,
  resumeText: c.resume_text,
  createdAt: iso(c.created_at),
});

export const applicationView = (a: Application) => ({
  id: a.id,
  jobId: a.job_id,
  candidateId: a.candidate_id,
  createdAt: iso(a.created_at),
});

export const interviewView = (i: Interview) => ({
  id: i.id,
  applicationId: i.application_id,
  interviewType: i.interview_type,
  language: i.language,
  status: i.status,
  scheduledAt: iso(i.scheduled_at),
  maxDuration: i.max_duration_s,
  instructions: i.instructions,
  revealResultsToCandidate: i.reveal_results_to_candidate,
  roomCode: i.room_code,
  roomName: i.room_name,
  linkGeneratedAt: iso(i.link_generated_at),
  startedAt: iso(i.started_at),
  endedAt: iso(i.ended_at),
  endReason: i.end_reason,
  createdAt: iso(i.created_at),
  updatedAt: iso(i.updated_at),
});

export const questionView = (q: Question) => ({
  id: q.id,
  order: q.position,
  text: q.text,
  kind: q.kind,
  source: q.source,
  criterion: q.criterion,
  promptVersion: q.prompt_version,
});

export const turnView = (t: TranscriptTurn) => ({
  seq: t.seq,
  speaker: t.speaker,
  text: t.text,
  startedAtMs: t.started_at_ms,
  endedAtMs: t.ended_at_ms,
  questionOrder: t.question_position,
  metrics: t.metrics,
  promptVersion: t.prompt_version,
});

export const evaluationView = (e: Evaluation) => ({
  version: e.version,
  requestedBy: e.requested_by,
  scored: e.scored,
  notScoredReason: e.not_scored_reason,
  score: e.score,
  recommendation: e.recommendation,
  strengths: e.strengths,
  areasForImprovement: e.areas_for_improvement,
  evaluation: e.evaluation_text,
  criteria: e.criteria,
  // Flagged for a person to decide; the recommendation is never lowered for it.
  mustHavesUnmet: unmetMustHaves(e.criteria),
  model: e.model,
  promptVersion: e.prompt_version,
  createdAt: iso(e.created_at),
});

/** Seed 000's room: where the candidate joins and what HR shares. */
export function roomView(ctx: {
  id: string;
  room_code: string | null;
  room_name: string | null;
  instructions: string;
  max_duration_s: number;
  first_name: string;
  last_name: string;
  job_title: string;
}) {
  return {
    roomCode: ctx.room_code,
    roomName: ctx.room_name,
    joinUrl: `/interview/join/${ctx.room_code}`,
    instructions: ctx.instructions,
    maxDuration: ctx.max_duration_s,
    sessionId: ctx.id,
    candidateName: `${ctx.first_name} ${ctx.last_name}`,
    jobTitle: ctx.job_title,
  };
}
