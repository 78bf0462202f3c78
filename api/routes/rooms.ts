// Seed 000: room codes and phone join, exactly as documented, under /api/public/interview.
import { Hono, type Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { verifyJoinToken } from '../../core/livekit.js';
import { getApplication } from '../../db/queries/applications.js';
import { loadInterviewContext, loadInterviewContextByRoomCode } from '../../db/queries/interviews.js';
import type { App, AppEnv } from '../context.js';
import { ApiError, notFound } from '../errors.js';
import { bearerToken, CANDIDATE_COOKIE, enforceRateLimit, HR_COOKIE, readJson, requireHr } from '../http.js';
import { createRoomBody } from '../lib/interview-body.js';
import { parseRoomCode } from '../lib/room-code.js';
import { createInterviewWithRoom, endInterview } from '../services/interviews.js';
import { joinBody, joinRoom } from '../services/join.js';
import { roomView } from '../views.js';

function roomCodeParam(c: Context): string {
  const code = parseRoomCode(c.req.param('roomCode') ?? '');
  // A malformed code cannot exist: answer like an unknown one, so guessing learns nothing.
  if (!code) throw notFound('Interview room');
  return code;
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
      language: body.language,
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
