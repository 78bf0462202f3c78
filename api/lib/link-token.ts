// Seed 002's interview link token: base64url(JSON payload) + "." + base64url(HMAC-SHA256).
// The payload holds no personal data; the candidate's email is mixed into the MAC instead, so the
// token is bound to that candidate without being readable in it. `version` is the interview's
// link_version: regenerating bumps it and every earlier token stops verifying.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

export const LINK_OPENS_BEFORE_MS = 15 * 60_000;
export const LINK_GRACE_AFTER_END_MS = 2 * 60 * 60_000;

const payloadSchema = z.strictObject({
  iid: z.string().uuid(),
  v: z.number().int().positive(),
  nbf: z.number().int().nonnegative(),
  exp: z.number().int().positive(),
});
export type LinkPayload = z.infer<typeof payloadSchema>;

export function linkWindow(scheduledAt: Date, maxDurationS: number) {
  const start = scheduledAt.getTime();
  return {
    notBefore: start - LINK_OPENS_BEFORE_MS,
    expiresAt: start + maxDurationS * 1000 + LINK_GRACE_AFTER_END_MS,
  };
}

function mac(secret: string, encodedPayload: string, email: string): Buffer {
  return createHmac('sha256', secret).update(encodedPayload).update('\n').update(email.trim().toLowerCase()).digest();
}

export function signLinkToken(secret: string, payload: LinkPayload, candidateEmail: string): string {
  const encoded = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${encoded}.${mac(secret, encoded, candidateEmail).toString('base64url')}`;
}

/** Reads the payload without trusting it: only to know which interview to load. */
export function readLinkToken(token: string): LinkPayload | null {
  if (token.length > 512) return null;
  const [encoded, signature, ...rest] = token.split('.');
  if (!encoded || !signature || rest.length > 0) return null;
  try {
    const parsed = payloadSchema.safeParse(JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export type LinkCheck =
  { ok: true; payload: LinkPayload } | { ok: false; reason: 'invalid' | 'not_yet_valid' | 'expired'; opensAt?: number };

/** Signature (constant time), then version, then the time window. */
export function verifyLinkToken(
  secret: string,
  token: string,
  expected: { interviewId: string; version: number; candidateEmail: string },
  now: number,
): LinkCheck {
  const payload = readLinkToken(token);
  if (!payload) return { ok: false, reason: 'invalid' };
  const [encoded, signature] = token.split('.') as [string, string];
  // Compare the encoded text, not decoded bytes: Node's base64url decoder skips stray characters
  // and the unused low bits of the last one, so decoding would accept many spellings of one MAC.
  const given = Buffer.from(signature);
  const wanted = Buffer.from(mac(secret, encoded, expected.candidateEmail).toString('base64url'));
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
    return { ok: false, reason: 'invalid' };
  }
  if (payload.iid !== expected.interviewId || payload.v !== expected.version) {
    return { ok: false, reason: 'invalid' };
  }
  if (now < payload.nbf) return { ok: false, reason: 'not_yet_valid', opensAt: payload.nbf };
  if (now >= payload.exp) return { ok: false, reason: 'expired' };
  return { ok: true, payload };
}
