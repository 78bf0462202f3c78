// The one owner of an interview's life: finalize(), the single way an interview ends, over the
// statuses and end-reason table of core/interview-status.ts.
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
import type { EndReason, PlanProgress } from './interview-status.js';

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
  const moved = await endInterviewRow(deps.db, interviewId, end);
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
