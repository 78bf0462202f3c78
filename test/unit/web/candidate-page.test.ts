// The candidate page's pure parts: which interview an address names, the countdown's format, the
// microphone level scale, and the message chosen for each API error code.
import { describe, expect, it } from 'vitest';
import { formatClock, secondsLeft } from '../../../web/src/candidate/countdown.js';
import { levelOf } from '../../../web/src/candidate/mic-check.js';
import { problemFor } from '../../../web/src/candidate/problems.js';
import { endPath, infoPath, joinPath, sourceFromPath } from '../../../web/src/candidate/source.js';
import { ApiFailure } from '../../../web/src/shared/api.js';

describe('sourceFromPath', () => {
  it('reads seed 000 joinUrl and seed 002 public interview URL, with or without the trailing slash', () => {
    expect(sourceFromPath('/interview/join/93R1OBEU')).toEqual({ kind: 'room', code: '93R1OBEU' });
    expect(sourceFromPath('/interview/join/93R1OBEU/')).toEqual({ kind: 'room', code: '93R1OBEU' });
    expect(sourceFromPath('/api/interviews/public/abc.def/')).toEqual({ kind: 'link', token: 'abc.def' });
    expect(sourceFromPath('/api/interviews/public/abc.def')).toEqual({ kind: 'link', token: 'abc.def' });
  });

  it('names nothing for other addresses', () => {
    for (const p of ['/', '/interview/join/', '/interview/join/a/b', '/interview/join/../x', '/api/interviews/public/', '/hr']) {
      expect(sourceFromPath(p)).toBeNull();
    }
  });

  it('maps to the API paths of each seed', () => {
    const room = { kind: 'room', code: 'ABCDEFGH' } as const;
    const link = { kind: 'link', token: 'tok' } as const;
    expect([infoPath(room), joinPath(room)]).toEqual(['/api/public/interview/room/ABCDEFGH', '/api/public/interview/join/ABCDEFGH']);
    expect([infoPath(link), joinPath(link)]).toEqual(['/api/interviews/public/tok/', '/api/interviews/public/tok/join']);
    expect(endPath('ABCDEFGH')).toBe('/api/public/interview/room/ABCDEFGH/end');
  });
});

describe('the countdown', () => {
  it('rounds up to whole seconds and stops at zero', () => {
    expect(secondsLeft(10_000, 0)).toBe(10);
    expect(secondsLeft(10_000, 9_001)).toBe(1);
    expect(secondsLeft(10_000, 10_000)).toBe(0);
    expect(secondsLeft(10_000, 99_000)).toBe(0);
  });

  it('shows m:ss, and h:mm:ss past an hour', () => {
    expect(formatClock(0)).toBe('0:00');
    expect(formatClock(65)).toBe('1:05');
    expect(formatClock(1800)).toBe('30:00');
    expect(formatClock(3725)).toBe('1:02:05');
    expect(formatClock(-3)).toBe('0:00');
  });
});

describe('levelOf', () => {
  it('is 0 for silence, 1 for full scale, and rises with loudness', () => {
    expect(levelOf(new Float32Array(512))).toBe(0);
    expect(levelOf(new Float32Array(512).fill(1))).toBe(1);
    const quiet = levelOf(new Float32Array(512).fill(0.001));
    const speech = levelOf(new Float32Array(512).fill(0.05));
    expect(quiet).toBeCloseTo(0, 5);
    expect(speech).toBeGreaterThan(0.25);
    expect(speech).toBeLessThan(1);
  });
});

describe('problemFor', () => {
  const failure = (code: string, status: number, body: Record<string, unknown> = {}, retry?: number, message = '') =>
    new ApiFailure(status, code, message, body, retry);

  it('chooses the message by the envelope code', () => {
    expect(problemFor(failure('PHONE_MISMATCH', 403)).key).toBe('errPhoneMismatch');
    expect(problemFor(failure('NOT_FOUND', 404)).key).toBe('errUnknownRoom');
    expect(problemFor(failure('INTERVIEW_ENDED', 410)).key).toBe('errEnded');
    expect(problemFor(failure('LINK_EXPIRED', 410)).key).toBe('errExpired');
    expect(problemFor(failure('INVALID_TOKEN', 401)).key).toBe('errInvalidLink');
    expect(problemFor(failure('FORBIDDEN', 403)).key).toBe('errNotOpenNow');
    expect(problemFor(failure('NETWORK', 0)).key).toBe('errNetwork');
    expect(problemFor(failure('INTERNAL', 500)).key).toBe('errGeneric');
    expect(problemFor(new Error('x')).key).toBe('errGeneric');
  });

  it('carries when a link opens and how long to wait', () => {
    expect(problemFor(failure('LINK_NOT_YET_VALID', 403, { opensAt: '2030-01-01T10:00:00.000Z' }))).toEqual({
      code: 'LINK_NOT_YET_VALID',
      key: 'errNotYetOpen',
      vars: { time: { date: '2030-01-01T10:00:00.000Z' } },
    });
    expect(problemFor(failure('RATE_LIMITED', 429, {}, 17)).vars).toEqual({ seconds: 17 });
  });

  it('tells a bad phone number from other invalid input', () => {
    expect(problemFor(failure('VALIDATION_FAILED', 400, {}, undefined, 'phoneNumber: not a valid phone number')).key).toBe(
      'errInvalidPhone',
    );
    expect(problemFor(failure('VALIDATION_FAILED', 400, {}, undefined, 'firstName: Too small')).key).toBe('errInvalidInput');
  });
});
