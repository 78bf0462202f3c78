// Seed 002's link token as pure functions: signing, reading and checking, with no database.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  LINK_GRACE_AFTER_END_MS,
  LINK_OPENS_BEFORE_MS,
  linkWindow,
  readLinkToken,
  signLinkToken,
  verifyLinkToken,
  type LinkPayload,
} from '../../api/lib/link-token.js';

const SECRET = 'unit-test-link-secret-0123456789abcdef';
const OTHER_SECRET = 'another-link-secret-0123456789abcdefgh';
const IID = '3f6c1a52-8e4b-4d2a-9c1e-0b7d5a9e2f10';
const OTHER_IID = '9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d';
const EMAIL = 'ahmed.hassan@example.com';
const NBF = Date.UTC(2024, 0, 15, 9, 45);
const EXP = Date.UTC(2024, 0, 15, 12, 30);
const payload: LinkPayload = { iid: IID, v: 3, nbf: NBF, exp: EXP };
const expected = { interviewId: IID, version: 3, candidateEmail: EMAIL };
const INSIDE = NBF + 60_000;

const sign = (p: LinkPayload = payload, email = EMAIL, secret = SECRET) => signLinkToken(secret, p, email);
const check = (token: string, now = INSIDE, exp = expected, secret = SECRET) => verifyLinkToken(secret, token, exp, now);
const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

describe('signLinkToken / verifyLinkToken', () => {
  it('round-trips: a token verifies for its interview, version and candidate', () => {
    const token = sign();
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(check(token)).toEqual({ ok: true, payload });
    expect(readLinkToken(token)).toEqual(payload);
  });

  it('binds the email case- and whitespace-insensitively, as stored emails are normalised', () => {
    expect(check(sign(payload, '  Ahmed.Hassan@EXAMPLE.com ')).ok).toBe(true);
  });

  it('has a readable payload with no personal data in it', () => {
    const token = sign();
    const [encoded] = token.split('.');
    const decoded = Buffer.from(encoded!, 'base64url').toString('utf8');
    expect(JSON.parse(decoded)).toEqual({ iid: IID, v: 3, nbf: NBF, exp: EXP });
    const whole = `${decoded} ${Buffer.from(token.split('.')[1]!, 'base64url').toString('latin1')}`.toLowerCase();
    for (const personal of ['ahmed', 'hassan', 'example.com', '@']) expect(whole).not.toContain(personal);
  });

  it('refuses a token whose payload was altered (even to a later expiry)', () => {
    const [, signature] = sign().split('.');
    const longer = `${encode({ ...payload, exp: EXP + 86_400_000 })}.${signature}`;
    expect(readLinkToken(longer)).not.toBeNull();
    expect(check(longer)).toEqual({ ok: false, reason: 'invalid' });
    const otherInterview = `${encode({ ...payload, iid: OTHER_IID })}.${signature}`;
    expect(check(otherInterview, INSIDE, { ...expected, interviewId: OTHER_IID })).toEqual({ ok: false, reason: 'invalid' });
  });

  it('refuses a token with any character of its signature changed', () => {
    const token = sign();
    const [encoded, signature] = token.split('.') as [string, string];
    for (const i of [0, 10, 21, signature.length - 2, signature.length - 1]) {
      for (const ch of B64URL) {
        if (ch === signature[i]) continue;
        const forged = `${encoded}.${signature.slice(0, i)}${ch}${signature.slice(i + 1)}`;
        expect(check(forged), `position ${i} → ${ch}`).toEqual({ ok: false, reason: 'invalid' });
      }
    }
  });

  it('refuses other spellings of a valid signature (padding, stray characters)', () => {
    const [encoded, signature] = sign().split('.') as [string, string];
    for (const forged of [
      `${encoded}.${signature}=`,
      `${encoded}.${signature}!`,
      `${encoded}.!${signature}`,
      `${encoded}.${signature.slice(0, 5)} ${signature.slice(5)}`,
      `${encoded}.${signature}A`,
      `${encoded}.${signature.slice(0, -1)}`,
    ]) {
      expect(check(forged), forged).toEqual({ ok: false, reason: 'invalid' });
    }
  });

  it('refuses a token presented for another candidate email', () => {
    expect(check(sign(), INSIDE, { ...expected, candidateEmail: 'someone.else@example.com' })).toEqual({
      ok: false,
      reason: 'invalid',
    });
  });

  it('refuses a token for another interview id', () => {
    expect(check(sign(), INSIDE, { ...expected, interviewId: OTHER_IID })).toEqual({ ok: false, reason: 'invalid' });
  });

  it('refuses a token of an older link version (regenerated link)', () => {
    const old = sign({ ...payload, v: 2 });
    expect(check(old)).toEqual({ ok: false, reason: 'invalid' });
    expect(check(sign({ ...payload, v: 4 }))).toEqual({ ok: false, reason: 'invalid' });
  });

  it('refuses a token signed with another secret, even with the right payload and email', () => {
    const forged = sign(payload, EMAIL, OTHER_SECRET);
    expect(readLinkToken(forged)).toEqual(payload);
    expect(check(forged)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('reports not_yet_valid with opensAt before nbf, and valid from nbf on', () => {
    const token = sign();
    expect(check(token, NBF - 1)).toEqual({ ok: false, reason: 'not_yet_valid', opensAt: NBF });
    expect(check(token, NBF - 20 * 60_000)).toEqual({ ok: false, reason: 'not_yet_valid', opensAt: NBF });
    expect(check(token, NBF).ok).toBe(true);
  });

  it('reports expired at and after exp, and valid just before it', () => {
    const token = sign();
    expect(check(token, EXP - 1).ok).toBe(true);
    expect(check(token, EXP)).toEqual({ ok: false, reason: 'expired' });
    expect(check(token, EXP + 86_400_000)).toEqual({ ok: false, reason: 'expired' });
  });

  it('checks the signature before the window: a forged token is invalid, not expired or early', () => {
    const forged = sign(payload, EMAIL, OTHER_SECRET);
    expect(check(forged, NBF - 60_000)).toEqual({ ok: false, reason: 'invalid' });
    expect(check(forged, EXP + 60_000)).toEqual({ ok: false, reason: 'invalid' });
  });
});

describe('garbage tokens', () => {
  const validSignature = sign().split('.')[1]!;
  // A correctly MACed token whose payload is not the expected shape: only the shape check stops it.
  const macced = (encoded: string) =>
    `${encoded}.${createHmac('sha256', SECRET).update(encoded).update('\n').update(EMAIL).digest('base64url')}`;

  const cases: [string, string][] = [
    ['empty', ''],
    ['10 KB', 'a'.repeat(10 * 1024)],
    ['10 KB of dotted parts', `${'A'.repeat(5000)}.${'B'.repeat(5000)}`],
    ['one dot', '.'],
    ['dots only', '....'],
    ['no signature', `${encode(payload)}.`],
    ['no payload', `.${validSignature}`],
    ['three parts', `${sign()}.extra`],
    ['not base64', `%%%%***.${validSignature}`],
    ['not JSON', `${Buffer.from('not json at all').toString('base64url')}.${validSignature}`],
    ['JSON string', macced(encode('a string'))],
    ['JSON number', macced(encode(42))],
    ['JSON null', macced(encode(null))],
    ['JSON array', macced(encode([IID, 3, NBF, EXP]))],
    ['object with extra fields', macced(encode({ ...payload, email: EMAIL }))],
    ['object with a wrong type', macced(encode({ ...payload, v: '3' }))],
    ['object with a non-uuid id', macced(encode({ ...payload, iid: 'not-a-uuid' }))],
    ['unicode', '✓.✓'],
  ];

  it.each(cases)('%s → invalid, without throwing', (_name, token) => {
    expect(() => readLinkToken(token)).not.toThrow();
    expect(readLinkToken(token)).toBeNull();
    expect(() => check(token)).not.toThrow();
    expect(check(token)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('the MAC helper above does produce valid tokens (so the cases test the shape check)', () => {
    expect(check(macced(encode(payload)))).toEqual({ ok: true, payload });
  });
});

describe('linkWindow', () => {
  it('opens 15 minutes before the slot and closes 2 hours after its end', () => {
    const slot = new Date('2024-01-15T10:00:00Z');
    expect(linkWindow(slot, 1800)).toEqual({
      notBefore: Date.parse('2024-01-15T09:45:00Z'),
      expiresAt: Date.parse('2024-01-15T12:30:00Z'),
    });
    expect(LINK_OPENS_BEFORE_MS).toBe(15 * 60_000);
    expect(LINK_GRACE_AFTER_END_MS).toBe(2 * 60 * 60_000);
  });

  it('follows the maximum duration', () => {
    const slot = new Date('2024-06-01T00:00:00Z');
    const w = linkWindow(slot, 4 * 60 * 60);
    expect(w.notBefore).toBe(slot.getTime() - 15 * 60_000);
    expect(w.expiresAt).toBe(slot.getTime() + 4 * 60 * 60_000 + 2 * 60 * 60_000);
  });
});
