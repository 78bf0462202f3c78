// Room codes: 8 characters from a cryptographically random source, drawn from an alphabet with no
// look-alikes (no 0/O, 1/I), so a code read aloud or typed from a phone screen survives.
import { randomBytes } from 'node:crypto';

export const ROOM_CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const ROOM_CODE_LENGTH = 8;

export function generateRoomCode(random: (n: number) => Buffer = randomBytes): string {
  // 32 symbols: each random byte masked to 5 bits is uniform, no modulo bias.
  const bytes = random(ROOM_CODE_LENGTH);
  let code = '';
  for (let i = 0; i < ROOM_CODE_LENGTH; i++) code += ROOM_CODE_ALPHABET[bytes[i]! & 31];
  return code;
}

/** Codes arrive from URLs typed by people: accept any case, reject anything that is not a code. */
export function parseRoomCode(raw: string): string | null {
  return /^[A-Za-z0-9]{8}$/.test(raw) ? raw.toUpperCase() : null;
}

export const roomNameFor = (code: string) => `interview_${code}`;
