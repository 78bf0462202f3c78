// Seed 002's text-mode interview as steps on the database. Start: the question plan, then the
// session's start, the interview's and the link's use in one transaction. Complete: exactly one
// evaluation, whoever asks and however often.
import { randomUUID } from 'node:crypto';
import { ensureEvaluation, finalize } from '../../core/interview-lifecycle.js';
import { ensureQuestionPlan } from '../../core/question-plan.js';
import { recordAudit } from '../../db/queries/audit.js';
import { getEvaluation } from '../../db/queries/evaluations.js';
import { transitionInterview, type InterviewContext } from '../../db/queries/interviews.js';
import { releaseLease, takeLease } from '../../db/queries/leases.js';
import { listQuestions } from '../../db/queries/questions.js';
import { ensureTextSession, getTextSession, listResponses, moveTextSession } from '../../db/queries/text-sessions.js';
import type { TextSession } from '../../db/schema.js';
import type { App } from '../context.js';
import { ApiError } from '../errors.js';

/** How long a concurrent complete call waits for the one evaluating before it answers 409. */
const COMPLETE_WAIT_MS = 15_000;
/**
 * How long the evaluating caller holds the session: longer than any evaluation takes (the LLM
 * client's own timeouts end one well before). A process that dies mid-evaluation leaves the
 * session 'completing'; once this lapses, the next complete call takes over instead of a 409.
 */
const COMPLETE_LEASE_MS = 2 * 60_000;

/** Starts the text interview (idempotent: a second start returns the session as it is). */
export async function startTextInterview(app: App, ctx: InterviewContext) {
  // The plan first, outside the transaction: the LLM must not hold one open, and the plan is
  // stored once and kept, whoever made it.
  const questions = await ensureQuestionPlan(app.deps.db, app.deps.llm, ctx, app.deps.log);
  const session = await app.deps.db.transaction().execute(async (tx) => {
    const session = await ensureTextSession(tx, ctx.id);
    if (session.status === 'completing' || session.status === 'completed') {
      throw new ApiError('INTERVIEW_ENDED', 'This interview has already been completed');
    }
    const started = (await moveTextSession(tx, session.id, ['created'], 'started')) ?? session;
    await transitionInterview(tx, ctx.id, {
      from: ['SCHEDULED', 'READY'],
      to: 'IN_PROGRESS',
      audit: { action: 'interview.started', actor: 'candidate', details: { mode: 'text' } },
    });
    await recordAudit(tx, {
      organizationId: ctx.organization_id,
      interviewId: ctx.id,
      action: 'link.used',
      actor: 'candidate',
      details: { version: ctx.link_version },
    });
    return started;
  });
  return { questions, session };
}

/**
 * Completes the text interview: the caller that claims the session (a lease, and the status
 * 'completing') evaluates in the request and ends the interview through the lifecycle; a retry
 * after that gets the stored result, so the evaluation is never made or applied twice. Concurrent
 * callers (a double click, a retry on a slow network) wait a little for the one evaluating, so
 * every caller gets the same result; only a very slow evaluation yields 409.
 */
export async function completeTextInterview(app: App, ctx: InterviewContext, session: TextSession) {
  const { db } = app.deps;
  if (session.status === 'created') throw new ApiError('CONFLICT', 'Start the interview before completing it');
  let done: TextSession | undefined = session;
  for (let waited = 0; done && done.status !== 'completed' && waited < COMPLETE_WAIT_MS;) {
    // Whoever gets the lease evaluates. Without it, another caller is evaluating (it may not have
    // claimed the session yet, so a 'started' session is waited for too) or failed and let go, in
    // which case the next round takes the lease and evaluates here.
    if (!(await evaluateOnce(app, ctx, done))) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      waited += 100;
    }
    done = await getTextSession(db, session.id);
  }
  const evaluation = await getEvaluation(db, ctx.id);
  if (done?.status !== 'completed' || !evaluation) {
    throw new ApiError('CONFLICT', 'The interview is being completed; try again in a moment');
  }
  const [questions, responses] = await Promise.all([listQuestions(db, ctx.id), listResponses(db, session.id)]);
  return { evaluation, totalQuestions: questions.length, answeredQuestions: responses.length };
}

/**
 * Evaluates and ends, when this caller gets the lease and the session is still to complete.
 * Returns false when another caller holds the lease.
 */
async function evaluateOnce(app: App, ctx: InterviewContext, session: TextSession): Promise<boolean> {
  const { db } = app.deps;
  const lease = `text-complete:${session.id}`;
  const holder = randomUUID();
  if (!(await takeLease(db, lease, holder, COMPLETE_LEASE_MS))) return false;
  try {
    // 'started' → 'completing' claims it; a session already 'completing' under a lease we could
    // take was left by a caller that died, and is ours to finish.
    const claimed = (await moveTextSession(db, session.id, ['started'], 'completing')) ?? (await getTextSession(db, session.id));
    if (claimed?.status !== 'completing') return true;
    try {
      await ensureEvaluation(app.deps, ctx.id);
      await moveTextSession(db, session.id, ['completing'], 'completed');
      await finalize(app.deps, ctx.id, { reason: 'text_completed', actor: 'candidate', evaluate: false });
    } catch (e) {
      await moveTextSession(db, session.id, ['completing'], 'started');
      throw e;
    }
    return true;
  } finally {
    await releaseLease(db, lease, holder);
  }
}
