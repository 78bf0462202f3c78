import { Hono } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { findUserByEmail } from '../../db/queries/organizations.js';
import type { App, AppEnv } from '../context.js';
import { ApiError } from '../errors.js';
import { enforceRateLimit, HR_COOKIE, readJson, requireHr } from '../http.js';
import { verifyPassword } from '../lib/password.js';
import { HR_SESSION_TTL_S } from '../lib/session-token.js';

export const loginBody = z.strictObject({
  email: z.string().trim().max(320),
  password: z.string().max(1024),
});

export function authRoutes(app: App) {
  const r = new Hono<AppEnv>();

  r.post('/login', async (c) => {
    const body = await readJson(c, loginBody);
    // Per address and per account: slows guessing one password and spraying many accounts.
    await enforceRateLimit(c, app, [`login:${body.email.toLowerCase()}`]);
    const user = await findUserByEmail(app.deps.db, body.email);
    // Unknown email and wrong password answer alike, in about the same time.
    if (!(await verifyPassword(user?.password_hash, body.password)) || !user) {
      throw new ApiError('INVALID_CREDENTIALS', 'Invalid email or password');
    }
    const access = await app.sessions.signHr({ userId: user.id, organizationId: user.organization_id });
    setCookie(c, HR_COOKIE, access, {
      httpOnly: true,
      sameSite: 'Lax',
      secure: app.config.publicBaseUrl.startsWith('https:'),
      path: '/',
      maxAge: HR_SESSION_TTL_S,
    });
    return c.json({ access });
  });

  r.post('/logout', (c) => {
    deleteCookie(c, HR_COOKIE, { path: '/' });
    return c.json({ message: 'Logged out' });
  });

  r.get('/me', requireHr(app), (c) => {
    const hr = c.get('hr');
    return c.json({ userId: hr.userId, organizationId: hr.organizationId });
  });

  return r;
}
