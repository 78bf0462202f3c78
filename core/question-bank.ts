// The built-in questions used when no LLM is configured (structured mode). Stored with
// source 'bank', so HR can see the plan was not tailored to the job and résumé.
import type { InterviewType } from './domain.js';

type BankQuestion = { text: string; kind: string };

const opening: BankQuestion = {
  text: 'To start, could you walk me through your background and what drew you to this role?',
  kind: 'experience',
};

/** Questions of one kind, in the order they are asked. */
const ask = (kind: string, ...texts: string[]): BankQuestion[] => texts.map((text) => ({ text, kind }));

export const QUESTION_BANK: Record<InterviewType, BankQuestion[]> = {
  TECHNICAL: [
    opening,
    ...ask(
      'technical',
      'Tell me about a technically challenging project you worked on. What was your part in it?',
      'How do you make sure the code you ship is correct and easy to maintain?',
      'Describe a production problem you had to debug. How did you find the cause?',
      'How would you design a system that has to keep working when one of its parts fails?',
    ),
  ],
  BEHAVIORAL: [
    opening,
    ...ask(
      'behavioral',
      'Tell me about a time you disagreed with a colleague. How did you resolve it?',
      'Describe a situation where you had to meet a tight deadline. What did you do?',
      'Tell me about a mistake you made at work and what you learned from it.',
    ),
    ...ask('situational', 'How do you decide what to work on when everything seems urgent?'),
  ],
  AI_SCREENING: [
    opening,
    ...ask(
      'experience',
      'Which of your past roles is closest to this one, and why?',
      'What is an accomplishment you are proud of, and how did you achieve it?',
    ),
    ...ask(
      'motivation',
      'What kind of team and way of working helps you do your best work?',
      'What would you hope to achieve in your first six months in this role?',
    ),
  ],
  FINAL: [
    opening,
    ...ask('behavioral', 'What would your previous manager say is your greatest strength, and what would they like you to improve?'),
    ...ask('situational', 'Tell me about a decision you made that had a large impact. How did you make it?'),
    ...ask('motivation', 'Why do you want to join this company in particular?'),
    ...ask('experience', 'Is there anything about your experience we have not discussed that you would like us to know?'),
  ],
  CUSTOM: [
    opening,
    ...ask('experience', 'Tell me about the work you are most proud of so far.'),
    ...ask('situational', 'Describe a difficult problem you solved recently. What was your approach?'),
    ...ask(
      'motivation',
      'How do you keep learning and improving in your field?',
      'What questions do you have about this role, or what else should we know about you?',
    ),
  ],
};
