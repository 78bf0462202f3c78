// HR login sessions: HS256 JWTs via hono/jwt, under a key derived from SESSION_SECRET for this one
// purpose. (The candidate's session is the LiveKit join token itself: see services/join.ts.)
import { createHmac } from 'node:crypto';
import { sign, verify } from 'hono/jwt';
import { z } from 'zod';

export const HR_SESSION_TTL_S = 8 * 60 * 60;

const derive = (secret: string, purpose: string) => createHmac('sha256', secret).update(purpose).digest('base64url');

const hrClaims = z.object({ sub: z.string().uuid(), org: z.string().uuid(), typ: z.literal('hr') });

export type HrSession = { userId: string; organizationId: string };

export function sessionTokens(secret: string) {
  const hrKey = derive(secret, 'hr-session');
  const now = () => Math.floor(Date.now() / 1000);

  async function check<T>(token: string, key: string, schema: z.ZodType<T>): Promise<T | null> {
    if (token.length > 4096) return null;
    try {
      const parsed = schema.safeParse(await verify(token, key, 'HS256'));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  return {
    signHr: (s: HrSession) =>
      sign({ sub: s.userId, org: s.organizationId, typ: 'hr', iat: now(), exp: now() + HR_SESSION_TTL_S }, hrKey, 'HS256'),
    verifyHr: async (token: string): Promise<HrSession | null> => {
      const c = await check(token, hrKey, hrClaims);
      return c && { userId: c.sub, organizationId: c.org };
    },
  };
}
export type SessionTokens = ReturnType<typeof sessionTokens>;
