// Phone numbers are compared in E.164, so "+971509876543" and "0509876543" (region AE) match.
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

export function normalizePhone(input: string, defaultRegion: string): string | null {
  if (input.length > 32) return null;
  const parsed = parsePhoneNumberFromString(input, defaultRegion as CountryCode);
  return parsed?.isValid() ? parsed.number : null;
}

/** The LiveKit identity seed 000 documents: candidate_ + the E.164 digits. */
export const candidateIdentity = (e164: string) => `candidate_${e164.replace(/\D/g, '')}`;
