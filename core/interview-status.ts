// The interview's vocabulary: the closed lists of statuses and end reasons, and the table that
// turns "why it ended" into "what it ended as". Pure, imported by every layer (the database's types
// too); core/interview-lifecycle.ts is what acts on it.

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
