// Seed 002's interview links, against the database: generate and regenerate an interview's link
// (each in one transaction), issue a token for its current link version, and check a presented
// token (signature, version, window) into the interview it opens.
import type { Context } from 'hono';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ensureQuestionPlan } from '../../core/question-plan.js';
import type { Db } from '../../db/connect.js';
import type { Actor, AuditAction } from '../../core/domain.js';
import { recordAudit } from '../../db/queries/audit.js';
import { bumpLinkVersion, loadInterviewContext, transitionInterview, type InterviewContext } from '../../db/queries/interviews.js';
import { ensureTextSession } from '../../db/queries/text-sessions.js';
import type { App } from '../context.js';
import { ApiError } from '../errors.js';
import { enforceRateLimit } from '../http.js';
import { linkWindow, readLinkToken, signLinkToken, verifyLinkToken } from '../lib/link-token.js';

export function issueLink(app: App, ctx: InterviewContext) {
  if (!ctx.scheduled_at) throw new Error('issueLink needs a scheduled interview');
  const { notBefore, expiresAt } = linkWindow(ctx.scheduled_at, ctx.max_duration_s);
  const token = signLinkToken(
    app.config.linkSecret,
    { iid: ctx.id, v: ctx.link_version, nbf: notBefore, exp: expiresAt },
    ctx.candidate_email,
  );
  return { token, notBefore, expiresAt };
}

/**
 * Seed 002's generate-link: the first link of a scheduled interview, which makes it READY, with its
 * text session. The question plan is made first, outside the transaction (the LLM must not hold
 * one open; the plan is stored once and kept, whoever made it). The rest is one transaction: a
 * failure anywhere leaves the link version, status, audit and session as they were.
 */
export async function generateLink(app: App, ctx: InterviewContext, actor: Actor) {
  await ensureQuestionPlan(app.deps.db, app.deps.llm, ctx, app.deps.log);
  return app.deps.db.transaction().execute(async (tx) => {
    const first = await bumpLinkVersion(tx, ctx.id, true);
    await transitionInterview(tx, ctx.id, { from: ['SCHEDULED'], to: 'READY' });
    return linkChanged(tx, ctx.id, 'link.generated', actor, { first: first !== undefined });
  });
}

/** Seed 002's regenerate-link: the next link version (the previous token stops working), audited, atomically. */
export const regenerateLink = (app: App, ctx: InterviewContext, actor: Actor) =>
  app.deps.db.transaction().execute(async (tx) => {
    await bumpLinkVersion(tx, ctx.id, false);
    return linkChanged(tx, ctx.id, 'link.regenerated', actor);
  });

/** After a link change, in its transaction: the interview as it now is, the audit entry, the text session. */
async function linkChanged(tx: Db, id: string, action: AuditAction, actor: Actor, details: Record<string, unknown> = {}) {
  const ctx = (await loadInterviewContext(tx, id))!;
  await recordAudit(tx, {
    organizationId: ctx.organization_id,
    interviewId: ctx.id,
    action,
    actor,
    details: { version: ctx.link_version, ...details },
  });
  return { ctx, session: await ensureTextSession(tx, ctx.id) };
}

const invalid = () => new ApiError('INVALID_TOKEN', 'Invalid interview token');

/**
 * The interview a link token opens. 401 for anything forged, altered, for another interview or
 * replaced by a regenerated link; 403 (with when it opens) before the window; 410 after it.
 */
export async function openLink(c: Context, app: App, token: string, interviewId?: string): Promise<InterviewContext> {
  const payload = readLinkToken(token);
  await enforceRateLimit(c, app, [`link:${payload?.iid ?? 'malformed'}`]);
  if (!payload || (interviewId !== undefined && payload.iid !== interviewId.toLowerCase())) throw invalid();
  const ctx = await loadInterviewContext(app.deps.db, payload.iid);
  if (!ctx || ctx.link_version === 0) throw invalid();
  const check = verifyLinkToken(
    app.config.linkSecret,
    token,
    { interviewId: ctx.id, version: ctx.link_version, candidateEmail: ctx.candidate_email },
    app.deps.now(),
  );
  if (check.ok) return ctx;
  if (check.reason === 'not_yet_valid') {
    const opensAt = new Date(check.opensAt!).toISOString();
    throw new ApiError('LINK_NOT_YET_VALID', `This interview link opens at ${opensAt}`, { opensAt });
  }
  if (check.reason === 'expired') throw new ApiError('LINK_EXPIRED', 'This interview link has expired');
  throw invalid();
}

/** audio_url capability: unguessable per question, so the plan is not enumerable. */
const audioSig = (app: App, questionId: string) =>
  createHmac('sha256', app.config.linkSecret).update(`audio:${questionId}`).digest('base64url').slice(0, 22);

export const audioUrl = (app: App, questionId: string) => `/api/ai-interview/public/audio/${questionId}?sig=${audioSig(app, questionId)}`;

export function audioSigValid(app: App, questionId: string, sig: string) {
  const want = Buffer.from(audioSig(app, questionId));
  const got = Buffer.from(sig);
  return got.length === want.length && timingSafeEqual(got, want);
}
