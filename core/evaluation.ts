// One evaluation engine for voice and text mode: the same rubric, zod-validated output, evidence
// quotes checked against the transcript, model and prompt version recorded. With no LLM (or nothing
// to assess) the result is stored as not scored, with the reason: never an invented score.
import { z } from 'zod';
import type { Insertable } from 'kysely';
import type { CriterionScore, EvaluationsTable, InterviewType } from '../db/schema.js';
import { EVALUATION_PROMPT_VERSION, RECOMMENDATIONS, evaluationPrompt, type EvaluationInput } from '../prompts/evaluation.js';
import type { JsonLlm } from './llm.js';
import type { Logger } from './logger.js';

// The answer's shape, sent to the model as a strict JSON schema: the descriptions are its
// instructions per field, and the limits are checked here (they are not in the sent schema).
export const evaluationResultSchema = z.object({
  score: z.number().int().min(0).max(100).describe('Overall score, a whole number from 0 to 100.'),
  recommendation: z.enum(RECOMMENDATIONS).describe('The recommendation to the hiring team.'),
  strengths: z.array(z.string().trim().min(1).max(500)).max(10).describe('Up to 10 strengths, one short sentence each.'),
  areasForImprovement: z
    .array(z.string().trim().min(1).max(500))
    .max(10)
    .describe('Up to 10 areas for improvement, one short sentence each.'),
  evaluation: z.string().trim().min(1).max(5000).describe('A short paragraph for the hiring team.'),
  criteria: z
    .array(
      z.object({
        name: z.string().trim().min(1).max(100).describe('The criterion, as named in the instructions.'),
        score: z.number().int().min(0).max(100).describe('A whole number from 0 to 100.'),
        evidence: z
          .array(
            z.object({
              ref: z.number().int().describe('The number of the candidate turn the quote comes from.'),
              quote: z.string().trim().min(1).max(1000).describe('Words copied exactly from that turn, at most a sentence or two.'),
            }),
          )
          .max(10)
          .describe('Up to 10 quotes backing the score.'),
      }),
    )
    .max(10)
    .describe('One entry per criterion.'),
});

export interface EvaluationSubject {
  interviewId: string;
  interviewType: InterviewType;
  jobTitle: string;
  jobDescription: string;
  questions: EvaluationInput['questions'];
  turns: EvaluationInput['turns'];
}

/** The same subject for text and voice interviews: the plan and the stored transcript. */
export function evaluationSubject(
  interview: { id: string; interview_type: InterviewType; job_title: string; job_description: string },
  questions: { position: number; text: string }[],
  turns: { seq: number; speaker: 'agent' | 'candidate'; text: string }[],
): EvaluationSubject {
  return {
    interviewId: interview.id,
    interviewType: interview.interview_type,
    jobTitle: interview.job_title,
    jobDescription: interview.job_description,
    questions: questions.map((q) => ({ position: q.position, text: q.text })),
    turns: turns.map((t) => ({ ref: t.seq, speaker: t.speaker === 'agent' ? 'interviewer' : 'candidate', text: t.text })),
  };
}

const squash = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim();

/** Keeps only quotes that really appear in the candidate turn they point at. */
export function verifiedEvidence(criteria: CriterionScore[], turns: EvaluationInput['turns']): CriterionScore[] {
  const candidateText = new Map(turns.filter((t) => t.speaker === 'candidate').map((t) => [t.ref, squash(t.text)]));
  return criteria.map((c) => ({
    ...c,
    evidence: c.evidence.filter((e) => candidateText.get(e.ref)?.includes(squash(e.quote)) ?? false),
  }));
}

type NewEvaluation = Insertable<EvaluationsTable>;

const notScored = (s: EvaluationSubject, reason: string, model: string | null): NewEvaluation => ({
  interview_id: s.interviewId,
  scored: false,
  not_scored_reason: reason,
  score: null,
  recommendation: null,
  evaluation_text: '',
  model,
  prompt_version: EVALUATION_PROMPT_VERSION,
});

export async function evaluateInterview(
  llm: JsonLlm | null,
  subject: EvaluationSubject,
  log: Logger,
): Promise<NewEvaluation> {
  if (!llm) return notScored(subject, 'No LLM is configured: the interview ran in structured mode and was not scored.', null);
  if (!subject.turns.some((t) => t.speaker === 'candidate' && t.text.trim().length > 0)) {
    return notScored(subject, 'The candidate gave no answers to assess.', llm.model);
  }
  try {
    const r = await llm.completeJson(evaluationPrompt(subject), evaluationResultSchema, 'interview_evaluation');
    return {
      interview_id: subject.interviewId,
      scored: true,
      not_scored_reason: null,
      score: r.score,
      recommendation: r.recommendation,
      strengths: JSON.stringify(r.strengths),
      areas_for_improvement: JSON.stringify(r.areasForImprovement),
      evaluation_text: r.evaluation,
      criteria: JSON.stringify(verifiedEvidence(r.criteria, subject.turns)),
      model: llm.model,
      prompt_version: EVALUATION_PROMPT_VERSION,
    };
  } catch (err) {
    log.error({ err, interviewId: subject.interviewId }, 'evaluation by the LLM failed');
    return notScored(subject, 'The evaluation could not be produced: the language model failed.', llm.model);
  }
}
