// Room codes: 8 characters, crypto random, from an alphabet with no look-alikes, parsed leniently
// (any case) but strictly (exactly 8 letters or digits).
import { describe, expect, it } from 'vitest';
import { generateRoomCode, parseRoomCode, ROOM_CODE_ALPHABET, ROOM_CODE_LENGTH, roomNameFor } from '../../api/lib/room-code.js';

const CODE = /^[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{8}$/;

describe('ROOM_CODE_ALPHABET', () => {
  it('has 32 distinct symbols (5 bits each) and none of the look-alikes 0, O, 1, I', () => {
    expect(ROOM_CODE_ALPHABET).toHaveLength(32);
    expect(new Set(ROOM_CODE_ALPHABET).size).toBe(32);
    for (const ambiguous of ['0', 'O', '1', 'I']) expect(ROOM_CODE_ALPHABET).not.toContain(ambiguous);
    expect(ROOM_CODE_ALPHABET).toMatch(/^[A-Z2-9]+$/);
    expect(ROOM_CODE_LENGTH).toBe(8);
  });
});

describe('generateRoomCode', () => {
  it('makes 8-character codes from the alphabet only', () => {
    for (let i = 0; i < 1000; i++) {
      const code = generateRoomCode();
      expect(code).toHaveLength(8);
      expect(code).toMatch(CODE);
      expect(code).not.toMatch(/[0O1I]/);
    }
  });

  it('10,000 codes are (almost) all distinct', () => {
    const codes = new Set(Array.from({ length: 10_000 }, () => generateRoomCode()));
    // 32^8 ≈ 1.1e12 codes: the chance of even one collision among 10k is ~5e-5.
    expect(codes.size).toBeGreaterThanOrEqual(9_999);
  });

  it('uses every symbol of the alphabet over many codes', () => {
    const seen = new Set(Array.from({ length: 2_000 }, () => generateRoomCode()).join(''));
    expect([...seen].sort().join('')).toBe([...ROOM_CODE_ALPHABET].sort().join(''));
  });

  it('maps each random byte to the alphabet by its low 5 bits', () => {
    const asked: number[] = [];
    const source = (bytes: number[]) => (n: number) => {
      asked.push(n);
      return Buffer.from(bytes);
    };
    expect(generateRoomCode(source([0, 1, 2, 3, 4, 5, 6, 7]))).toBe('ABCDEFGH');
    expect(generateRoomCode(source([8, 13, 23, 24, 30, 31, 15, 16]))).toBe('JPZ289RS');
    // High bits are ignored: 32 ≡ 0, 63 ≡ 31, 224 ≡ 0, 255 ≡ 31.
    expect(generateRoomCode(source([31, 63, 255, 32, 8, 24, 23, 224]))).toBe('999AJ2ZA');
    expect(asked).toEqual([8, 8, 8]);
  });

  it('is a pure function of the random bytes', () => {
    const bytes = Buffer.from([200, 17, 99, 3, 250, 128, 64, 77]);
    expect(generateRoomCode(() => bytes)).toBe(generateRoomCode(() => bytes));
  });
});

describe('parseRoomCode', () => {
  it('accepts a code in any case and answers in upper case', () => {
    expect(parseRoomCode('ABCD2345')).toBe('ABCD2345');
    expect(parseRoomCode('abcd2345')).toBe('ABCD2345');
    expect(parseRoomCode('aBcD2345')).toBe('ABCD2345');
  });

  it('round-trips every generated code, also typed in lower case', () => {
    for (let i = 0; i < 200; i++) {
      const code = generateRoomCode();
      expect(parseRoomCode(code)).toBe(code);
      expect(parseRoomCode(code.toLowerCase())).toBe(code);
    }
  });

  it.each([
    ['7 characters', 'ABCD234'],
    ['9 characters', 'ABCD23456'],
    ['empty', ''],
    ['a hyphen', 'ABCD-234'],
    ['a space', 'ABCD 234'],
    ['surrounding spaces', ' ABCD2345 '],
    ['a slash', 'ABCD/234'],
    ['a percent sign', 'ABCD%234'],
    ['an underscore', 'ABCD_234'],
    ['a dot', 'ABCD.234'],
    ['SQL', "A'OR'1=1"],
    ['non-ASCII letters', 'ÀBCD2345'],
    ['fullwidth digits', 'ABCD２３４５'],
    ['an emoji', 'ABCD234😀'],
    ['a trailing newline', 'ABCD2345\n'],
  ])('rejects %s', (_, raw) => {
    expect(parseRoomCode(raw)).toBeNull();
  });

  it('roomNameFor is interview_<code>', () => {
    expect(roomNameFor('ABCD2345')).toBe('interview_ABCD2345');
  });
});
