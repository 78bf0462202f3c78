import type { ChatPrompt } from '../core/llm.js';
import type { InterviewType } from '../db/schema.js';
import { DATA_NOT_INSTRUCTIONS, fenced } from './shared.js';

export const QUESTION_PLAN_PROMPT_VERSION = 'question-plan/2';

export interface QuestionPlanInput {
  interviewType: InterviewType;
  jobTitle: string;
  companyName: string;
  jobDescription: string;
  resumeText: string;
  instructions: string;
  questionCount: number;
}

export function questionPlanPrompt(i: QuestionPlanInput): ChatPrompt {
  return {
    system: [
      'You plan job interviews. You write the questions an interviewer will ask aloud, one at a time.',
      `Write exactly ${i.questionCount} questions for a ${i.interviewType.toLowerCase().replace('_', ' ')} interview.`,
      'Each question: one sentence or two, under 40 words, answerable by speaking for one to three minutes,',
      'grounded in the job description and the candidate résumé, never about age, family, health, religion,',
      'nationality or other protected characteristics. Order them from warm-up to hardest.',
      DATA_NOT_INSTRUCTIONS,
      // The answer's shape travels as a JSON schema with the request (see core/question-plan.ts).
      'Answer in the structured format you are given, filling every field as its description says.',
    ].join('\n'),
    user: [
      `Job title: ${i.jobTitle}`,
      `Company: ${i.companyName}`,
      'Job description:',
      fenced('JOB DESCRIPTION', i.jobDescription),
      'Candidate résumé:',
      fenced('RESUME', i.resumeText),
      'Interviewer notes from HR:',
      fenced('HR NOTES', i.instructions),
    ].join('\n'),
  };
}
