// agent-latency's settings (BENCH_* environment variables, read once) and its fixed figures: the
// goal, the interview's shape and the candidate's answers.
import path from 'node:path';
import { REPO_ROOT } from '../../testkit/stack.js';
import { intSetting } from '../lib/run.js';

export const RESULTS = path.join(REPO_ROOT, 'bench', 'results');
export const LOG_DIR = path.join(REPO_ROOT, '.artifacts', 'bench', 'agent-latency');
export const GOAL_MS = 120;
export const MIN_TURNS = 30;
/** core/question-plan.ts QUESTIONS_PER_INTERVIEW: every interview has 5 planned questions. */
export const QUESTIONS = 5;

export const settings = {
  interviews: intSetting('BENCH_INTERVIEWS', 3, 1, 20),
  followUps: intSetting('BENCH_FOLLOW_UPS', 2, 0, 5),
  llmDelayMs: intSetting('BENCH_LLM_DELAY_MS', 150, 0, 5000),
  agentLogLevel: process.env.BENCH_AGENT_LOG_LEVEL ?? 'info',
  /** BENCH_CPU_PROF=1: V8 CPU profiles of the worker's processes, summarised by code area. */
  cpuProf: process.env.BENCH_CPU_PROF === '1',
};
export const PROF_DIR = path.join(LOG_DIR, 'prof');
export const answersPerInterview = QUESTIONS * (settings.followUps + 1);

// Short answers (3 words; pocketsphinx tends to hear a word or two more): the scripted interviewer
// follows each up while the budget allows (< 6 words heard), then the code moves on to the next
// question, so every reply is one completion with spoken text (a longer transcript makes the
// model call next_question first: two completions, both counted as the LLM's time).
export const ANSWERS = [
  'I built services.',
  'We used postgres.',
  'I wrote tests.',
  'It handled transfers.',
  'I fixed bugs.',
  'I led teams.',
  'We shipped fast.',
  'I designed databases.',
  'I reviewed code.',
  'We measured releases.',
  'I planned tests.',
  'It ran well.',
  'I learned much.',
  'We cut costs.',
  'I like problems.',
  'We kept simple.',
  'I wrote docs.',
  'It worked well.',
  'I moved fast.',
  'We grew quickly.',
];
