// Signed sessions (HS256 JWTs via hono/jwt): the HR login and the candidate session that join
// creates. Each kind gets its own key derived from SESSION_SECRET, so one can never pass for the other.
import { createHmac } from 'node:crypto';
import { sign, verify } from 'hono/jwt';
import { z } from 'zod';

export const HR_SESSION_TTL_S = 8 * 60 * 60;

const derive = (secret: string, purpose: string) =>
  createHmac('sha256', secret).update(purpose).digest('base64url');

const hrClaims = z.object({ sub: z.string().uuid(), org: z.string().uuid(), typ: z.literal('hr') });
const candidateClaims = z.object({
  sub: z.string(),
  iid: z.string().uuid(),
  room: z.string(),
  typ: z.literal('candidate'),
});

export type HrSession = { userId: string; organizationId: string };
export type CandidateSession = { identity: string; interviewId: string; roomName: string };

export function sessionTokens(secret: string) {
  const hrKey = derive(secret, 'hr-session');
  const candidateKey = derive(secret, 'candidate-session');
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
      sign(
        { sub: s.userId, org: s.organizationId, typ: 'hr', iat: now(), exp: now() + HR_SESSION_TTL_S },
        hrKey,
        'HS256',
      ),
    verifyHr: async (token: string): Promise<HrSession | null> => {
      const c = await check(token, hrKey, hrClaims);
      return c && { userId: c.sub, organizationId: c.org };
    },
    signCandidate: (s: CandidateSession, ttlS: number) =>
      sign(
        { sub: s.identity, iid: s.interviewId, room: s.roomName, typ: 'candidate', iat: now(), exp: now() + ttlS },
        candidateKey,
        'HS256',
      ),
    verifyCandidate: async (token: string): Promise<CandidateSession | null> => {
      const c = await check(token, candidateKey, candidateClaims);
      return c && { identity: c.sub, interviewId: c.iid, roomName: c.room };
    },
  };
}
export type SessionTokens = ReturnType<typeof sessionTokens>;
