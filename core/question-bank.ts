// The built-in questions used when no LLM is configured (structured mode). Stored with
// source 'bank', so HR can see the plan was not tailored to the job and résumé.
import type { InterviewType } from './domain.js';

type BankQuestion = { text: string; kind: string };

const opening: BankQuestion = {
  text: 'To start, could you walk me through your background and what drew you to this role?',
  kind: 'experience',
};

export const QUESTION_BANK: Record<InterviewType, BankQuestion[]> = {
  TECHNICAL: [
    opening,
    { text: 'Tell me about a technically challenging project you worked on. What was your part in it?', kind: 'technical' },
    { text: 'How do you make sure the code you ship is correct and easy to maintain?', kind: 'technical' },
    { text: 'Describe a production problem you had to debug. How did you find the cause?', kind: 'technical' },
    { text: 'How would you design a system that has to keep working when one of its parts fails?', kind: 'technical' },
  ],
  BEHAVIORAL: [
    opening,
    { text: 'Tell me about a time you disagreed with a colleague. How did you resolve it?', kind: 'behavioral' },
    { text: 'Describe a situation where you had to meet a tight deadline. What did you do?', kind: 'behavioral' },
    { text: 'Tell me about a mistake you made at work and what you learned from it.', kind: 'behavioral' },
    { text: 'How do you decide what to work on when everything seems urgent?', kind: 'situational' },
  ],
  AI_SCREENING: [
    opening,
    { text: 'Which of your past roles is closest to this one, and why?', kind: 'experience' },
    { text: 'What is an accomplishment you are proud of, and how did you achieve it?', kind: 'experience' },
    { text: 'What kind of team and way of working helps you do your best work?', kind: 'motivation' },
    { text: 'What would you hope to achieve in your first six months in this role?', kind: 'motivation' },
  ],
  FINAL: [
    opening,
    {
      text: 'What would your previous manager say is your greatest strength, and what would they like you to improve?',
      kind: 'behavioral',
    },
    { text: 'Tell me about a decision you made that had a large impact. How did you make it?', kind: 'situational' },
    { text: 'Why do you want to join this company in particular?', kind: 'motivation' },
    { text: 'Is there anything about your experience we have not discussed that you would like us to know?', kind: 'experience' },
  ],
  CUSTOM: [
    opening,
    { text: 'Tell me about the work you are most proud of so far.', kind: 'experience' },
    { text: 'Describe a difficult problem you solved recently. What was your approach?', kind: 'situational' },
    { text: 'How do you keep learning and improving in your field?', kind: 'motivation' },
    { text: 'What questions do you have about this role, or what else should we know about you?', kind: 'motivation' },
  ],
};
