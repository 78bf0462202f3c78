// The domain's vocabulary: the closed lists every layer speaks in (interview statuses, end reasons,
// audit actions and actors, interview types, question sources, speakers, text-session statuses) and
// the table that turns "why it ended" into "what it ended as". Pure and importing nothing, so db/schema.ts, the API, the worker
// and core/ all take their words from here; core/interview-lifecycle.ts is what acts on them.
// The demographic categories keep their own module (core/demographics.ts): only the bias audit
// may speak of them.

export const INTERVIEW_STATUSES = [
  'SCHEDULED',
  'READY',
  'IN_PROGRESS',
  'COMPLETED',
  'TIMED_OUT',
  'ABANDONED',
  'CANCELLED',
  'FAILED',
] as const;
export type InterviewStatus = (typeof INTERVIEW_STATUSES)[number];
export const OPEN_STATUSES = ['SCHEDULED', 'READY', 'IN_PROGRESS'] as const satisfies readonly InterviewStatus[];
export type OpenStatus = (typeof OPEN_STATUSES)[number];
export const TERMINAL_STATUSES = ['COMPLETED', 'TIMED_OUT', 'ABANDONED', 'CANCELLED', 'FAILED'] as const;
export type TerminalStatus = (typeof TERMINAL_STATUSES)[number];
export const isTerminal = (s: InterviewStatus) => !(OPEN_STATUSES as readonly string[]).includes(s);

/**
 * Why an interview ended, stored as it is in `interviews.end_reason`, and the status it ends in:
 * `started` when the candidate had been heard (IN_PROGRESS), `notStarted` when not (SCHEDULED,
 * READY). The README's lifecycle table is this one.
 */
export const END_REASONS = {
  /** The agent asked and heard an answer to every planned question. */
  completed: { started: 'COMPLETED', notStarted: 'COMPLETED' },
  /** The candidate asked to stop, and confirmed. */
  candidate_asked_to_stop: { started: 'COMPLETED', notStarted: 'ABANDONED' },
  /** The candidate pressed End on the page (or called the seed's end endpoint). */
  candidate_ended: { started: 'COMPLETED', notStarted: 'ABANDONED' },
  /** HR ended it from the console or the API. */
  hr_ended: { started: 'COMPLETED', notStarted: 'CANCELLED' },
  /** Time ran out before the plan was done (the agent's clock): always TIMED_OUT once started. */
  time_limit: { started: 'TIMED_OUT', notStarted: 'ABANDONED' },
  /** Time ran out and no agent ended it: the API's sweeper did. */
  time_limit_watchdog: { started: 'TIMED_OUT', notStarted: 'ABANDONED' },
  /** Nothing heard from the candidate after a check-in. */
  candidate_silent: { started: 'ABANDONED', notStarted: 'ABANDONED' },
  /** The candidate left and did not come back within the rejoin grace. */
  candidate_left: { started: 'ABANDONED', notStarted: 'ABANDONED' },
  /** The agent could not run the interview (an error in its session). */
  agent_failed: { started: 'FAILED', notStarted: 'FAILED' },
  /** A text-mode interview (seed 002) completed by the candidate. */
  text_completed: { started: 'COMPLETED', notStarted: 'COMPLETED' },
} as const satisfies Record<string, { started: TerminalStatus; notStarted: TerminalStatus }>;
export type EndReason = keyof typeof END_REASONS;
export const END_REASON_NAMES = Object.keys(END_REASONS) as EndReason[];

/** The terminal status for ending an interview that is now in `from`. */
export function endStatusFor(reason: EndReason, from: OpenStatus): TerminalStatus {
  return from === 'IN_PROGRESS' ? END_REASONS[reason].started : END_REASONS[reason].notStarted;
}

/** How far the question plan got: recorded with the ending, whatever ended it. */
export interface PlanProgress {
  questionsAsked: number;
  questionsAnswered: number;
}

/** What the audit log records (audit_log.action). */
export const AUDIT_ACTIONS = [
  'room.created',
  'link.generated',
  'link.regenerated',
  'link.used',
  'candidate.joined',
  'interview.started',
  'interview.ended',
  'interview.completed',
  'evaluation.reevaluated',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Who did something, as the audit log and status changes record it: hr:<userId> | candidate | agent | system. */
export type Actor = `hr:${string}` | 'candidate' | 'agent' | 'system';

export const INTERVIEW_TYPES = ['TECHNICAL', 'BEHAVIORAL', 'AI_SCREENING', 'FINAL', 'CUSTOM'] as const;
export type InterviewType = (typeof INTERVIEW_TYPES)[number];

/**
 * The language an interview is held in (HR chooses it; migration 0008 keeps the list): what the
 * interviewer says, the questions it plans, and the language speech is recognised and spoken in.
 */
export const INTERVIEW_LANGUAGES = ['en', 'ar'] as const;
export type InterviewLanguage = (typeof INTERVIEW_LANGUAGES)[number];

/** Where a planned question came from: the LLM's plan, or the built-in bank (core/question-bank.ts). */
export const QUESTION_SOURCES = ['llm', 'bank'] as const;
export type QuestionSource = (typeof QUESTION_SOURCES)[number];

/** Who said a transcript turn. */
export const SPEAKERS = ['agent', 'candidate'] as const;
export type Speaker = (typeof SPEAKERS)[number];

/** Seed 002's text-mode session: 'completing' while its one evaluation runs. */
export const TEXT_SESSION_STATUSES = ['created', 'started', 'completing', 'completed'] as const;
export type TextSessionStatus = (typeof TEXT_SESSION_STATUSES)[number];
