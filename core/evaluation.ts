// One evaluation engine for voice and text mode: HR's rubric, zod-validated output, evidence quotes
// checked against the transcript, the overall score and recommendation computed in code
// (core/rubric.ts), model and prompt version recorded. With no LLM (or nothing to assess) the
// result is stored as not scored, with the reason: never an invented score.
import { z } from 'zod';
import type { NewEvaluation } from '../db/schema.js';
import type { InterviewLanguage, InterviewType } from './domain.js';
import { EVALUATION_PROMPT_VERSION, evaluationPrompt, type EvaluationInput } from '../prompts/evaluation.js';
import type { JsonLlm } from './llm.js';
import type { Logger } from './logger.js';
import { criterionName, rubricOf, scoreAgainstRubric, type CriterionAssessment, type Rubric } from './rubric.js';

const sentences = (what: string) =>
  z.array(z.string().trim().min(1).max(500)).max(10).describe(`Up to 10 ${what}, one short sentence each.`);

/**
 * The answer's shape for one rubric, sent to the model as a strict JSON schema: the descriptions are
 * its instructions per field, the criterion names an enum, and the limits are checked here (they
 * are not in the sent schema).
 */
export function evaluationAnswerSchema(rubric: Rubric) {
  return z.object({
    criteria: z
      .array(
        z.object({
          name: criterionName(rubric).describe('The criterion, exactly as named in the instructions.'),
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
      // At least one: an answer that scores nothing is a failed answer, not a zero.
      .min(1)
      .max(rubric.length)
      .describe('One entry per criterion, each criterion once.'),
    strengths: sentences('strengths'),
    areasForImprovement: sentences('areas for improvement'),
    evaluation: z.string().trim().min(1).max(5000).describe('A short summary paragraph for the hiring team.'),
  });
}

/** The name the evaluation's schema goes to the model under (json_schema name, tool name). */
export const EVALUATION_CALL = 'interview_evaluation';

export interface EvaluationSubject {
  interviewId: string;
  interviewType: InterviewType;
  language: InterviewLanguage;
  jobTitle: string;
  jobDescription: string;
  rubric: Rubric;
  questions: EvaluationInput['questions'];
  turns: EvaluationInput['turns'];
}

/** The same subject for text and voice interviews: the job's rubric, the plan and the stored transcript. */
export function evaluationSubject(
  interview: {
    id: string;
    interview_type: InterviewType;
    language: InterviewLanguage;
    job_title: string;
    job_description: string;
    job_rubric: Rubric | null;
  },
  questions: { position: number; text: string }[],
  turns: { seq: number; speaker: 'agent' | 'candidate'; text: string }[],
): EvaluationSubject {
  return {
    interviewId: interview.id,
    interviewType: interview.interview_type,
    language: interview.language,
    jobTitle: interview.job_title,
    jobDescription: interview.job_description,
    rubric: rubricOf(interview.job_rubric),
    questions: questions.map((q) => ({ position: q.position, text: q.text })),
    turns: turns.map((t) => ({ ref: t.seq, speaker: t.speaker === 'agent' ? 'interviewer' : 'candidate', text: t.text })),
  };
}

const squash = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim();

/** Keeps only quotes that really appear in the candidate turn they point at. */
export function verifiedEvidence(criteria: CriterionAssessment[], turns: EvaluationInput['turns']): CriterionAssessment[] {
  const candidateText = new Map(turns.filter((t) => t.speaker === 'candidate').map((t) => [t.ref, squash(t.text)]));
  return criteria.map((c) => ({
    ...c,
    evidence: c.evidence.filter((e) => candidateText.get(e.ref)?.includes(squash(e.quote)) ?? false),
  }));
}

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

/**
 * Scores the subject with the model. Throws when the model fails: the caller decides whether that
 * is stored (the end of an interview: not scored, with the reason) or reported (a re-evaluation).
 */
export async function scoreInterview(llm: JsonLlm, subject: EvaluationSubject): Promise<NewEvaluation> {
  if (!subject.turns.some((t) => t.speaker === 'candidate' && t.text.trim().length > 0)) {
    return notScored(subject, 'The candidate gave no answers to assess.', llm.model);
  }
  const r = await llm.completeJson(
    evaluationPrompt({ ...subject, criteria: subject.rubric }),
    evaluationAnswerSchema(subject.rubric),
    EVALUATION_CALL,
  );
  const scored = scoreAgainstRubric(subject.rubric, verifiedEvidence(r.criteria, subject.turns));
  return {
    interview_id: subject.interviewId,
    scored: true,
    not_scored_reason: null,
    score: scored.score,
    recommendation: scored.recommendation,
    strengths: JSON.stringify(r.strengths),
    areas_for_improvement: JSON.stringify(r.areasForImprovement),
    evaluation_text: r.evaluation,
    criteria: JSON.stringify(scored.criteria),
    model: llm.model,
    prompt_version: EVALUATION_PROMPT_VERSION,
  };
}

/** The evaluation stored when an interview ends: never missing, never invented. */
export async function evaluateInterview(llm: JsonLlm | null, subject: EvaluationSubject, log: Logger): Promise<NewEvaluation> {
  if (!llm) return notScored(subject, 'No LLM is configured: the interview ran in structured mode and was not scored.', null);
  try {
    return await scoreInterview(llm, subject);
  } catch (err) {
    log.error({ err, interviewId: subject.interviewId }, 'evaluation by the LLM failed');
    return notScored(subject, 'The evaluation could not be produced: the language model failed.', llm.model);
  }
}
