// Phone numbers are compared in E.164, so "+971509876543" and "0509876543" (region AE) match.
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

// Digits (any script: Arabic-Indic too), spaces and the usual separators. libphonenumber alone
// extracts a number from any text ("abc0509876543", "📞…", "… ext 12" with the extension dropped).
const PHONE_CHARS = /^[\p{Nd}\s+().\-/]*$/u;

export function normalizePhone(input: string, defaultRegion: string): string | null {
  if (input.length > 32 || !PHONE_CHARS.test(input)) return null;
  const parsed = parsePhoneNumberFromString(input, defaultRegion as CountryCode);
  return parsed?.isValid() ? parsed.number : null;
}

/** The LiveKit identity seed 000 documents: candidate_ + the E.164 digits. */
export const candidateIdentity = (e164: string) => `candidate_${e164.replace(/\D/g, '')}`;
