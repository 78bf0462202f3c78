// The one owner of an interview's life: finalize(), the single way an interview ends, over the
// statuses and end-reason table of core/domain.ts.
// Every caller goes through finalize(): the agent, the candidate's End button, HR, the API's time
// sweeper, the silence and rejoin rules, a dead worker. It stores exactly one evaluation (scored,
// or not scored with the reason) and deletes the room, however many of them race.
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/connect.js';
import { recordAudit } from '../db/queries/audit.js';
import { addEvaluationVersion, getEvaluation, saveEvaluationOnce } from '../db/queries/evaluations.js';
import { releaseLease, takeLease } from '../db/queries/leases.js';
import { endInterviewRow, loadInterviewContext, type InterviewContext } from '../db/queries/interviews.js';
import { listQuestions } from '../db/queries/questions.js';
import { listTurns } from '../db/queries/transcript.js';
import { evaluateInterview, evaluationSubject, scoreInterview } from './evaluation.js';
import type { JsonLlm } from './llm.js';
import type { Logger } from './logger.js';
import type { RoomService } from './livekit.js';
import { isTerminal, type Actor, type EndReason, type PlanProgress } from './domain.js';

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
  return saveEvaluationOnce(deps.db, await evaluateInterview(deps.llm, await loadSubject(deps.db, ctx), deps.log));
}

async function loadSubject(db: Db, ctx: InterviewContext) {
  const [questions, turns] = await Promise.all([listQuestions(db, ctx.id), listTurns(db, ctx.id)]);
  return evaluationSubject(ctx, questions, turns);
}

export type Reevaluation =
  | { ok: true; evaluation: NonNullable<Awaited<ReturnType<typeof addEvaluationVersion>>> }
  | { ok: false; reason: 'not_ended' | 'no_llm' | 'busy' | 'llm_failed' };

/**
 * A new evaluation version of an ended interview, with today's model, prompt and the job's current
 * rubric; every earlier version stays. One at a time per interview (a lease), and a model failure
 * stores nothing: the current version stays current.
 */
export async function reevaluate(deps: LifecycleDeps, ctx: InterviewContext, actor: Actor): Promise<Reevaluation> {
  const { llm } = deps;
  if (!isTerminal(ctx.status)) return { ok: false, reason: 'not_ended' };
  if (!llm) return { ok: false, reason: 'no_llm' };
  const interviewId = ctx.id;
  const lease = `reevaluate:${interviewId}`;
  const holder = randomUUID();
  if (!(await takeLease(deps.db, lease, holder, REEVALUATION_LEASE_MS))) return { ok: false, reason: 'busy' };
  try {
    const scored = await scoreInterview(llm, await loadSubject(deps.db, ctx)).catch((err: unknown) => {
      deps.log.error({ err, interviewId }, 're-evaluation by the LLM failed');
      return null;
    });
    if (!scored) return { ok: false, reason: 'llm_failed' };
    const evaluation = await addEvaluationVersion(deps.db, { ...scored, requested_by: actor });
    if (!evaluation) return { ok: false, reason: 'busy' };
    await recordAudit(deps.db, {
      organizationId: ctx.organization_id,
      interviewId,
      action: 'evaluation.reevaluated',
      actor,
      details: { version: evaluation.version, model: evaluation.model, promptVersion: evaluation.prompt_version },
    });
    deps.log.info({ interviewId, version: evaluation.version, actor }, 'interview re-evaluated');
    return { ok: true, evaluation };
  } finally {
    await releaseLease(deps.db, lease, holder);
  }
}

/** Longer than the slowest model call the client allows (timeouts and retries included). */
const REEVALUATION_LEASE_MS = 10 * 60_000;
