// The interview's question plan: made once per interview (text mode and voice share it), through
// the LLM when one is configured, otherwise from the built-in bank.
import { z } from 'zod';
import type { Db } from '../db/connect.js';
import { listQuestions, savePlanOnce } from '../db/queries/questions.js';
import type { InterviewContext } from '../db/queries/interviews.js';
import { QUESTION_PLAN_PROMPT_VERSION, questionPlanPrompt } from '../prompts/question-plan.js';
import type { JsonLlm } from './llm.js';
import type { Logger } from './logger.js';
import { QUESTION_BANKS } from './question-bank.js';
import { criterionName, rubricOf, type Rubric } from './rubric.js';

export const QUESTIONS_PER_INTERVIEW = 5;

// Sent to the model as a strict JSON schema (criterion names as an enum); the limits are checked
// here only.
export function questionPlanSchema(rubric: Rubric) {
  return z.object({
    questions: z
      .array(
        z.object({
          text: z.string().trim().min(5).max(400).describe('The question, as the interviewer will say it aloud.'),
          kind: z.string().trim().min(1).max(40).describe('One of: technical, behavioral, experience, situational, motivation.'),
          criterion: criterionName(rubric).describe('The criterion this question gives the candidate a chance to show.'),
        }),
      )
      .min(1)
      .describe('The questions, in the order they will be asked.'),
  });
}

export async function ensureQuestionPlan(db: Db, llm: JsonLlm | null, ctx: InterviewContext, log: Logger) {
  const existing = await listQuestions(db, ctx.id);
  if (existing.length > 0) return existing;

  if (llm) {
    const rubric = rubricOf(ctx.job_rubric);
    try {
      const plan = await llm.completeJson(
        questionPlanPrompt({
          interviewType: ctx.interview_type,
          language: ctx.language,
          jobTitle: ctx.job_title,
          companyName: ctx.company_name,
          jobDescription: ctx.job_description,
          resumeText: ctx.resume_text,
          instructions: ctx.instructions,
          questionCount: QUESTIONS_PER_INTERVIEW,
          criteria: rubric,
        }),
        questionPlanSchema(rubric),
        'question_plan',
      );
      const questions = plan.questions.slice(0, QUESTIONS_PER_INTERVIEW).map((q) => ({
        text: q.text,
        kind: q.kind.toLowerCase(),
        criterion: q.criterion,
        source: 'llm' as const,
        prompt_version: QUESTION_PLAN_PROMPT_VERSION,
      }));
      return await savePlanOnce(db, ctx.id, questions);
    } catch (err) {
      // The interview must still happen: fall back to the bank, marked as such.
      log.warn({ err, interviewId: ctx.id }, 'question plan from the LLM failed; using the question bank');
    }
  }
  const bank = QUESTION_BANKS[ctx.language][ctx.interview_type].map((q) => ({ ...q, source: 'bank' as const }));
  return savePlanOnce(db, ctx.id, bank);
}
