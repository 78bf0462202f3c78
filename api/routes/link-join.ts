// Voice join through a seed 002 link: the link, instead of a room code, admits its holder to the
// interview's room. The phone check, the LiveKit token and the candidate session are the room
// join's (rooms.ts joinRoom), so both ways in behave alike and the end call works for both.
import { Hono } from 'hono';
import { loadInterviewContext } from '../../db/queries/interviews.js';
import { isTerminal } from '../../core/domain.js';
import type { App, AppEnv } from '../context.js';
import { ApiError } from '../errors.js';
import { readJson } from '../http.js';
import { openRoom } from '../interview-ops.js';
import { openLink } from '../links.js';
import { joinBody, joinPhone, joinRoom, phoneMismatch } from './rooms.js';

export function linkJoinRoutes(app: App) {
  const r = new Hono<AppEnv>();

  // POST /api/interviews/public/{token}/join {phoneNumber, firstName, lastName}
  r.post('/:token/join', async (c) => {
    // Rate-limited per address and per link, and refused outside the link's window.
    const ctx = await openLink(c, app, c.req.param('token'));
    const body = await readJson(c, joinBody);
    if (isTerminal(ctx.status)) throw new ApiError('INTERVIEW_ENDED', 'This interview has already ended');
    let code = ctx.room_code;
    if (!code) {
      // Only the candidate's own phone opens a room: a wrong one must change nothing.
      if (joinPhone(app, body) !== ctx.phone_e164) throw phoneMismatch();
      await openRoom(app, ctx.id, 'candidate');
      // Re-read rather than trust openRoom's row: a concurrent join may have assigned the room.
      code = (await loadInterviewContext(app.deps.db, ctx.id))?.room_code ?? null;
      if (!code) throw new ApiError('SERVICE_UNAVAILABLE', 'Could not open the interview room, please retry');
    }
    return c.json(await joinRoom(c, app, code, body));
  });

  return r;
}
