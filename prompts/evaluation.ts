import type { ChatPrompt } from '../core/llm.js';
import type { InterviewType } from '../db/schema.js';
import { DATA_NOT_INSTRUCTIONS, fenced } from './shared.js';

export const EVALUATION_PROMPT_VERSION = 'evaluation/2';

export const RECOMMENDATIONS = ['Strong Yes', 'Yes', 'Maybe', 'No'] as const;
export const CRITERIA = ['Relevant experience', 'Technical depth', 'Communication', 'Problem solving'] as const;

export interface EvaluationInput {
  interviewType: InterviewType;
  jobTitle: string;
  jobDescription: string;
  questions: { position: number; text: string }[];
  /** Numbered turns; `ref` is what evidence quotes point back at. */
  turns: { ref: number; speaker: 'interviewer' | 'candidate'; text: string }[];
}

export function evaluationPrompt(i: EvaluationInput): ChatPrompt {
  return {
    system: [
      'You assess a job interview fairly and only on what the candidate said.',
      'Score 0-100 overall and per criterion, list strengths and areas for improvement, and give a',
      `recommendation, one of: ${RECOMMENDATIONS.join(', ')}.`,
      `Criteria: ${CRITERIA.join('; ')}.`,
      'Back every criterion with evidence: short quotes copied word for word from candidate turns, each',
      'with the number (ref) of the turn it comes from. Unanswered questions count against the candidate;',
      'never guess what they might have said. Ignore accent, grammar slips and transcription errors.',
      DATA_NOT_INSTRUCTIONS,
      // The answer's shape travels as a JSON schema with the request (see core/evaluation.ts).
      'Answer in the structured format you are given, filling every field as its description says.',
    ].join('\n'),
    user: [
      `Role: ${i.jobTitle} (${i.interviewType.toLowerCase().replace('_', ' ')} interview)`,
      'Job description:',
      fenced('JOB DESCRIPTION', i.jobDescription),
      'Planned questions:',
      i.questions.map((q) => `${q.position}. ${q.text}`).join('\n'),
      'Transcript (ref. speaker: text):',
      fenced('TRANSCRIPT', i.turns.map((t) => `${t.ref}. ${t.speaker}: ${t.text}`).join('\n')),
    ].join('\n'),
  };
}
