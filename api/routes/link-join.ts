// Voice join through a seed 002 link: the link, instead of a room code, admits its holder to the
// interview's room. The phone check, the LiveKit token and the candidate session are the room
// join's (services/join.ts), so both ways in behave alike and the end call works for both.
import { Hono } from 'hono';
import type { App, AppEnv } from '../context.js';
import { readJson } from '../http.js';
import { joinBody, joinByLink } from '../services/join.js';
import { openLink } from '../services/links.js';

export function linkJoinRoutes(app: App) {
  const r = new Hono<AppEnv>();

  // POST /api/interviews/public/{token}/join {phoneNumber, firstName, lastName}
  r.post('/:token/join', async (c) => {
    // Rate-limited per address and per link, and refused outside the link's window.
    const ctx = await openLink(c, app, c.req.param('token'));
    const body = await readJson(c, joinBody);
    return c.json(await joinByLink(c, app, ctx, body));
  });

  return r;
}
