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

export const EVALUATION_PROMPT_VERSION = 'evaluation/4';

export interface EvaluationInput {
  /** TECHNICAL, BEHAVIORAL, AI_SCREENING, FINAL or CUSTOM. */
  interviewType: string;
  /** The language the interview was held in. */
  language: PromptLanguage;
  jobTitle: string;
  jobDescription: string;
  /** HR's criteria. Weights stay out: each criterion is scored on its own, the sum is made in code. */
  criteria: PromptCriterion[];
  questions: { position: number; text: string }[];
  /** Numbered turns; `ref` is what evidence quotes point back at. */
  turns: { ref: number; speaker: 'interviewer' | 'candidate'; text: string }[];
}

export function evaluationPrompt(i: EvaluationInput): ChatPrompt {
  return {
    system: [
      'You assess a job interview fairly and only on what the candidate said.',
      'Score each criterion you are given from 0 to 100 on its own; the overall score and the',
      'recommendation are computed from your criterion scores, so give neither.',
      'Back every criterion with evidence: short quotes copied word for word from candidate turns, each',
      'with the number (ref) of the turn it comes from. A criterion the candidate gave no evidence for',
      'scores low; never guess what they might have said. Unanswered questions count against the',
      "candidate. Ignore accent, grammar slips, transcription errors, and the candidate's name, gender,",
      'age or origin: they are not criteria.',
      'Then list strengths and areas for improvement, and write a short summary for the hiring team.',
      ...heldIn(i.language),
      DATA_NOT_INSTRUCTIONS,
      // The answer's shape travels as a JSON schema with the request (see core/evaluation.ts).
      'Answer in the structured format you are given, filling every field as its description says.',
    ].join('\n'),
    user: [
      `Role: ${i.jobTitle} (${interviewKind(i.interviewType)} interview)`,
      ...criteriaBlock(i.criteria),
      'Job description:',
      fenced('JOB DESCRIPTION', i.jobDescription),
      'Planned questions:',
      i.questions.map((q) => `${q.position}. ${q.text}`).join('\n'),
      'Transcript (ref. speaker: text):',
      fenced('TRANSCRIPT', i.turns.map((t) => `${t.ref}. ${t.speaker}: ${t.text}`).join('\n')),
    ].join('\n'),
  };
}

/**
 * An interview held in another language is still assessed for the hiring team in English: the
 * console, the rubric HR wrote and the recommendation scale are English, and the team may not all
 * read the candidate's language. The quotes stay as spoken: they are checked word for word against
 * the transcript (core/evaluation.ts), so a translated quote would be dropped as invented.
 */
function heldIn(language: PromptLanguage): string[] {
  if (language === 'en') return [];
  return [
    `The interview was held in ${LANGUAGE_NAMES[language]}. Judge the answers in that language, as spoken.`,
    `Copy every quote exactly as it appears in the transcript, in ${LANGUAGE_NAMES[language]}, never translated.`,
    'Write the strengths, the areas for improvement and the summary in English, for the hiring team.',
  ];
}
