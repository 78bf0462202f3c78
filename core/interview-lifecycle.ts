// The one owner of an interview's life: the closed lists of statuses and end reasons, the table that
// turns "why it ended" into "what it ended as", and finalize(), the single way an interview ends.
// Every caller goes through finalize(): the agent, the candidate's End button, HR, the API's time
// sweeper, the silence and rejoin rules, a dead worker. It stores exactly one evaluation (scored,
// or not scored with the reason) and deletes the room, however many of them race.
import type { Db } from '../db/connect.js';
import type { Actor } from '../db/queries/audit.js';
import { saveEvaluationOnce, getEvaluation } from '../db/queries/evaluations.js';
import { endInterviewRow, loadInterviewContext } from '../db/queries/interviews.js';
import { listQuestions } from '../db/queries/questions.js';
import { listTurns } from '../db/queries/transcript.js';
import { evaluateInterview, evaluationSubject } from './evaluation.js';
import type { JsonLlm } from './llm.js';
import type { Logger } from './logger.js';
import type { RoomService } from './livekit.js';

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

export interface LifecycleDeps {
  db: Db;
  log: Logger;
  rooms: RoomService;
  /** null: structured mode, the evaluation is stored as not scored. */
  llm: JsonLlm | null;
}

export interface EndRequest {
  reason: EndReason;
  actor: Actor;
  progress?: PlanProgress;
  /**
   * Evaluate now. The agent does, once its transcript writer has flushed. An API caller ending a
   * live voice interview does not: the agent still in the room writes its last turns and
   * evaluates, and the sweeper (sweepUnevaluated) evaluates when no agent does.
   */
  evaluate: boolean;
}

/**
 * Ends the interview if it is still open (a guarded UPDATE: of any number of concurrent callers
 * exactly one moves it, with its audit entry), deletes its room, and with `evaluate` stores its one
 * evaluation. Safe to call again, and after someone else ended it: it then only completes what is
 * missing. Returns the row as it was moved, or undefined when it had already ended.
 */
export async function finalize(deps: LifecycleDeps, interviewId: string, end: EndRequest) {
  const moved = await endInterviewRow(deps.db, interviewId, { ...end, to: END_REASONS[end.reason] });
  if (moved) deps.log.info({ interviewId, reason: end.reason, status: moved.status, actor: end.actor }, 'interview ended');
  const roomName = moved?.room_name ?? (await loadInterviewContext(deps.db, interviewId))?.room_name;
  if (roomName) {
    await deps.rooms.deleteRoom(roomName).catch((err: unknown) => {
      // Gone already (the usual case when the agent finalizes after the API) or LiveKit is away:
      // LiveKit's own empty timeout closes it.
      deps.log.debug({ err: String(err), interviewId }, 'room not deleted');
    });
  }
  if (end.evaluate) await ensureEvaluation(deps, interviewId);
  return moved;
}

/**
 * Stores the interview's one evaluation if it has none: from the stored plan and transcript, so any
 * process can do it. Two processes racing both may ask the model; only the first answer is kept.
 */
export async function ensureEvaluation(deps: LifecycleDeps, interviewId: string) {
  const existing = await getEvaluation(deps.db, interviewId);
  if (existing) return existing;
  const ctx = await loadInterviewContext(deps.db, interviewId);
  if (!ctx) return undefined;
  const [questions, turns] = await Promise.all([listQuestions(deps.db, interviewId), listTurns(deps.db, interviewId)]);
  const evaluation = await evaluateInterview(deps.llm, evaluationSubject(ctx, questions, turns), deps.log);
  return saveEvaluationOnce(deps.db, evaluation);
}
