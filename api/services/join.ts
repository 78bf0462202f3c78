// The phone join into an interview's room, shared by seed 000's room-code join (routes/rooms.ts)
// and the link join (routes/link-join.ts): the phone and window checks, the LiveKit token and the
// candidate session cookie, so both ways in behave alike and the end call works for both.
import type { Context } from 'hono';
import { setCookie } from 'hono/cookie';
import { z } from 'zod';
import { isTerminal } from '../../core/domain.js';
import { createJoinToken } from '../../core/livekit.js';
import { admitToRoom, loadInterviewContext, type InterviewContext } from '../../db/queries/interviews.js';
import type { App } from '../context.js';
import { ApiError, notFound } from '../errors.js';
import { CANDIDATE_COOKIE } from '../http.js';
import { candidateIdentity, normalizePhone } from '../lib/phone.js';
import { openRoom } from './interviews.js';

const CANDIDATE_COOKIE_PATH = '/api/public/interview';
/** How long a join stays valid past the interview's own length: reconnects, a late start. */
const JOIN_GRACE_S = 15 * 60;

const name = z
  .string()
  .trim()
  .min(1)
  .max(100)
  // eslint-disable-next-line no-control-regex -- control characters are exactly what a name may not hold
  .regex(/^[^<>{}\u0000-\u001f]+$/, 'contains characters not allowed in a name');
export const joinBody = z.strictObject({
  phoneNumber: z.string().trim().min(3).max(32),
  firstName: name,
  lastName: name,
});
export type JoinBody = z.infer<typeof joinBody>;

/** The join's phone number in E.164, or a 400. */
function joinPhone(app: App, body: JoinBody): string {
  const phone = normalizePhone(body.phoneNumber, app.config.defaultPhoneRegion);
  if (!phone) throw new ApiError('VALIDATION_FAILED', 'phoneNumber: not a valid phone number');
  return phone;
}

const phoneMismatch = () => new ApiError('PHONE_MISMATCH', 'This phone number is not registered for this interview');

/**
 * The phone join into a room: checks the phone and the window, issues the LiveKit token and sets
 * the candidate session cookie. The caller has rate-limited the request and checked whatever admits
 * it to this room code.
 */
export async function joinRoom(c: Context, app: App, code: string, body: JoinBody) {
  const phone = joinPhone(app, body);
  const participantName = `${body.firstName} ${body.lastName}`;

  const outcome = await admitToRoom(app.deps.db, { roomCode: code, phoneE164: phone, displayName: participantName });
  if (!outcome) throw notFound('Interview room');
  if (!outcome.admitted) {
    if (!outcome.phone_matches) throw phoneMismatch();
    if (isTerminal(outcome.status)) throw new ApiError('INTERVIEW_ENDED', 'This interview has already ended');
    if (!outcome.in_window) throw new ApiError('FORBIDDEN', 'This interview is not open at this time');
    throw new ApiError('CONFLICT', 'This interview cannot be joined right now');
  }

  const identity = candidateIdentity(phone);
  const ttlS = joinTtlS(outcome, app.deps.now());
  const token = await createJoinToken(app.config.livekit, {
    identity,
    name: participantName,
    roomName: outcome.room_name,
    interviewId: outcome.id,
    ttlS,
    traceId: c.get('traceId'),
    traceparent: c.get('traceparent'),
  });
  // The candidate's session for the end call is the join token itself, kept in an HttpOnly cookie:
  // it names this room and identity, is signed with the LiveKit secret and expires with the join.
  setCookie(c, CANDIDATE_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Strict',
    secure: app.config.publicBaseUrl.startsWith('https:'),
    path: CANDIDATE_COOKIE_PATH,
    maxAge: ttlS,
  });
  return {
    token,
    serverUrl: app.config.livekit.publicUrl,
    participantToken: token,
    roomName: outcome.room_name,
    identity,
    roomCode: code,
    participantName,
    jobTitle: outcome.job_title,
    instructions: outcome.instructions,
    maxDuration: outcome.max_duration_s,
  };
}

function joinTtlS(o: { scheduled_at: Date | null; started_at: Date | null; max_duration_s: number }, now: number) {
  // The token lives as long as the interview can: from its start (or now) to its limit plus a grace.
  const from = o.started_at?.getTime() ?? now;
  return Math.max(60, Math.ceil((from + o.max_duration_s * 1000 - now) / 1000) + JOIN_GRACE_S);
}

/**
 * The join through a seed 002 link (already opened by the caller): the first join opens the
 * interview's room, then it is the room join.
 */
export async function joinByLink(c: Context, app: App, ctx: InterviewContext, body: JoinBody) {
  if (isTerminal(ctx.status)) throw new ApiError('INTERVIEW_ENDED', 'This interview has already ended');
  let code = ctx.room_code;
  if (!code) {
    // Only the candidate's own phone opens a room: a wrong one must change nothing.
    if (joinPhone(app, body) !== ctx.phone_e164) throw phoneMismatch();
    await openRoom(app, ctx, 'candidate');
    // Re-read rather than trust openRoom's row: a concurrent join may have assigned the room.
    code = (await loadInterviewContext(app.deps.db, ctx.id))?.room_code ?? null;
    if (!code) throw new ApiError('SERVICE_UNAVAILABLE', 'Could not open the interview room, please retry');
  }
  return joinRoom(c, app, code, body);
}
