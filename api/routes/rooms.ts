// Seed 000: room codes and phone join, exactly as documented, under /api/public/interview.
import { Hono, type Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { INTERVIEW_TYPES, isTerminal } from '../../core/domain.js';
import { getApplication } from '../../db/queries/applications.js';
import { admitToRoom, loadInterviewContext, loadInterviewContextByRoomCode } from '../../db/queries/interviews.js';
import type { App, AppEnv } from '../context.js';
import { ApiError, notFound } from '../errors.js';
import { createInterviewWithRoom, endInterview } from '../interview-ops.js';
import { bearerToken, CANDIDATE_COOKIE, enforceRateLimit, HR_COOKIE, readJson, requireHr } from '../http.js';
import { createJoinToken, verifyJoinToken } from '../../core/livekit.js';
import { candidateIdentity, normalizePhone } from '../lib/phone.js';
import { parseRoomCode } from '../lib/room-code.js';

export const CANDIDATE_COOKIE_PATH = '/api/public/interview';
/** How long a join stays valid past the interview's own length: reconnects, a late start. */
const JOIN_GRACE_S = 15 * 60;

/**
 * An interview slot. Postgres refuses some dates zod's format allows (year 0000 was a 500 from the
 * insert), and no real slot lies outside these years.
 */
export const scheduledAtSchema = z
  .string()
  .datetime({ offset: true })
  .refine((s) => {
    const t = Date.parse(s);
    return t >= Date.UTC(2000, 0, 1) && t < Date.UTC(10000, 0, 1);
  }, 'must be a date between the years 2000 and 9999');

export const createRoomBody = z.strictObject({
  applicationId: z.string().uuid(),
  interviewType: z.enum(INTERVIEW_TYPES),
  maxDuration: z
    .number()
    .int()
    .min(60)
    .max(4 * 60 * 60)
    .default(1800),
  instructions: z.string().trim().max(5000).default(''),
  scheduledAt: scheduledAtSchema.nullable().optional(),
  revealResultsToCandidate: z.boolean().default(false),
});

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

function roomCodeParam(c: Context): string {
  const code = parseRoomCode(c.req.param('roomCode') ?? '');
  // A malformed code cannot exist: answer like an unknown one, so guessing learns nothing.
  if (!code) throw notFound('Interview room');
  return code;
}

/** The join's phone number in E.164, or a 400. */
export function joinPhone(app: App, body: JoinBody): string {
  const phone = normalizePhone(body.phoneNumber, app.config.defaultPhoneRegion);
  if (!phone) throw new ApiError('VALIDATION_FAILED', 'phoneNumber: not a valid phone number');
  return phone;
}

export const phoneMismatch = () => new ApiError('PHONE_MISMATCH', 'This phone number is not registered for this interview');

/**
 * The phone join into a room, shared by seed 000's join and the link join (link-join.ts): checks the
 * phone and the window, issues the LiveKit token and sets the candidate session cookie. The caller
 * has rate-limited the request and checked whatever admits it to this room code.
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

export function roomRoutes(app: App) {
  const r = new Hono<AppEnv>();
  const { db } = app.deps;

  r.post('/room/create', requireHr(app), async (c) => {
    const body = await readJson(c, createRoomBody);
    const hr = c.get('hr');
    const application = await getApplication(db, hr.organizationId, body.applicationId);
    if (!application) throw notFound('Application');
    const created = await createInterviewWithRoom(app, {
      organization_id: hr.organizationId,
      application_id: application.id,
      interview_type: body.interviewType,
      max_duration_s: body.maxDuration,
      instructions: body.instructions,
      scheduled_at: body.scheduledAt ?? null,
      reveal_results_to_candidate: body.revealResultsToCandidate,
    });
    const ctx = (await loadInterviewContext(db, created.id))!;
    return c.json(roomView(ctx), 201);
  });

  r.get('/room/:roomCode', async (c) => {
    const code = roomCodeParam(c);
    await enforceRateLimit(c, app, [`room:${code}`]);
    const ctx = await loadInterviewContextByRoomCode(db, code);
    if (!ctx) throw notFound('Interview room');
    return c.json({
      roomCode: code,
      jobTitle: ctx.job_title,
      companyName: ctx.company_name,
      instructions: ctx.instructions,
      maxDuration: ctx.max_duration_s,
      status: ctx.status,
      interviewType: ctx.interview_type,
    });
  });

  r.post('/join/:roomCode', async (c) => {
    const code = roomCodeParam(c);
    await enforceRateLimit(c, app, [`room:${code}`]);
    const body = await readJson(c, joinBody);
    return c.json(await joinRoom(c, app, code, body));
  });

  // Public in seed 000; here it needs the candidate session from join (cookie or the join token as
  // bearer) or HR of the interview's organization, so a stranger with the code cannot end it.
  r.post('/room/:roomCode/end', async (c) => {
    const code = roomCodeParam(c);
    await enforceRateLimit(c, app, [`room:${code}`]);
    const ctx = await loadInterviewContextByRoomCode(db, code);
    const actor = ctx ? await endCaller(c, app, ctx) : null;
    if (!ctx || !actor) throw new ApiError('UNAUTHORIZED', 'Only the candidate of this interview or HR can end it');
    await endInterview(app, ctx.id, actor, actor === 'candidate' ? 'candidate_ended' : 'hr_ended');
    return c.json({ message: 'Interview session ended successfully' });
  });

  return r;
}

async function endCaller(c: Context, app: App, ctx: { id: string; organization_id: string; room_name: string | null }) {
  const bearer = bearerToken(c);
  for (const token of [getCookie(c, CANDIDATE_COOKIE), bearer]) {
    const join = token ? await verifyJoinToken(app.config.livekit, token) : null;
    if (join && join.roomName === ctx.room_name && join.identity.startsWith('candidate_')) return 'candidate' as const;
  }
  const hrToken = bearer ?? getCookie(c, HR_COOKIE);
  const hr = hrToken ? await app.sessions.verifyHr(hrToken) : null;
  if (hr?.organizationId === ctx.organization_id) return `hr:${hr.userId}` as const;
  return null;
}

function joinTtlS(o: { scheduled_at: Date | null; started_at: Date | null; max_duration_s: number }, now: number) {
  // The token lives as long as the interview can: from its start (or now) to its limit plus a grace.
  const from = o.started_at?.getTime() ?? now;
  return Math.max(60, Math.ceil((from + o.max_duration_s * 1000 - now) / 1000) + JOIN_GRACE_S);
}

export function roomView(ctx: {
  id: string;
  room_code: string | null;
  room_name: string | null;
  instructions: string;
  max_duration_s: number;
  first_name: string;
  last_name: string;
  job_title: string;
}) {
  return {
    roomCode: ctx.room_code,
    roomName: ctx.room_name,
    joinUrl: `/interview/join/${ctx.room_code}`,
    instructions: ctx.instructions,
    maxDuration: ctx.max_duration_s,
    sessionId: ctx.id,
    candidateName: `${ctx.first_name} ${ctx.last_name}`,
    jobTitle: ctx.job_title,
  };
}
