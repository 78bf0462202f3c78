// The bearer check of /metrics, shared by the API and the worker's listener: constant time, so the
// token cannot be guessed byte by byte from response times.
import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (s: string) => createHash('sha256').update(s).digest();

export function tokenMatches(given: string | undefined, wanted: string): boolean {
  // Hashing first makes both sides the same length, so the length is not leaked either.
  return given !== undefined && timingSafeEqual(digest(given), digest(wanted));
}
