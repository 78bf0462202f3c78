import {
  DATA_NOT_INSTRUCTIONS,
  criteriaBlock,
  fenced,
  interviewKind,
  LANGUAGE_NAMES,
  type ChatPrompt,
  type PromptCriterion,
  type PromptLanguage,
} from './shared.js';

export const QUESTION_PLAN_PROMPT_VERSION = 'question-plan/4';

export interface QuestionPlanInput {
  /** TECHNICAL, BEHAVIORAL, AI_SCREENING, FINAL or CUSTOM. */
  interviewType: string;
  /** The language the questions are asked in. */
  language: PromptLanguage;
  jobTitle: string;
  companyName: string;
  jobDescription: string;
  resumeText: string;
  instructions: string;
  questionCount: number;
  /** HR's rubric: the plan covers every criterion, must-haves first. */
  criteria: PromptCriterion[];
}

export function questionPlanPrompt(i: QuestionPlanInput): ChatPrompt {
  return {
    system: [
      'You plan job interviews. You write the questions an interviewer will ask aloud, one at a time.',
      `Write exactly ${i.questionCount} questions for a ${interviewKind(i.interviewType)} interview.`,
      'Each question: one sentence or two, under 40 words, answerable by speaking for one to three minutes,',
      'grounded in the job description and the candidate résumé, never about age, family, health, religion,',
      'nationality or other protected characteristics. Order them from warm-up to hardest.',
      'Cover every criterion you are given with at least one question (must-haves first when there are',
      'fewer questions than criteria), and name the criterion each question covers.',
      ...(i.language === 'en'
        ? []
        : [
            // The job post and résumé may well be in English: the questions are still asked in the interview's language.
            `Write every question in ${LANGUAGE_NAMES[i.language]}, whatever language the job description and résumé are in;`,
            'keep technical terms and names as a speaker of it would say them. The kind and the criterion stay exactly as given.',
          ]),
      DATA_NOT_INSTRUCTIONS,
      // The answer's shape travels as a JSON schema with the request (see core/question-plan.ts).
      'Answer in the structured format you are given, filling every field as its description says.',
    ].join('\n'),
    user: [
      `Job title: ${i.jobTitle}`,
      `Company: ${i.companyName}`,
      ...criteriaBlock(i.criteria),
      'Job description:',
      fenced('JOB DESCRIPTION', i.jobDescription),
      'Candidate résumé:',
      fenced('RESUME', i.resumeText),
      'Interviewer notes from HR:',
      fenced('HR NOTES', i.instructions),
    ].join('\n'),
  };
}
