// What to tell the candidate for each API error code. The API's own message is English and meant
// for developers; the page shows its translated text, chosen by code.
import { ApiFailure } from '../shared/api.js';
import type { TextKey, TextVars } from '../i18n/index.js';

export interface Problem {
  code: string;
  key: TextKey;
  vars?: TextVars;
}

export function problemFor(err: unknown): Problem {
  if (!(err instanceof ApiFailure)) return { code: 'UNKNOWN', key: 'errGeneric' };
  const code = err.code;
  switch (code) {
    case 'PHONE_MISMATCH':
      return { code, key: 'errPhoneMismatch' };
    case 'NOT_FOUND':
      return { code, key: 'errUnknownRoom' };
    case 'INTERVIEW_ENDED':
      return { code, key: 'errEnded' };
    case 'LINK_NOT_YET_VALID': {
      const opensAt = typeof err.body.opensAt === 'string' ? err.body.opensAt : null;
      return opensAt ? { code, key: 'errNotYetOpen', vars: { time: { date: opensAt } } } : { code, key: 'errNotOpenNow' };
    }
    case 'LINK_EXPIRED':
      return { code, key: 'errExpired' };
    case 'INVALID_TOKEN':
      return { code, key: 'errInvalidLink' };
    case 'RATE_LIMITED':
      return { code, key: 'errRateLimited', vars: { seconds: err.retryAfterS ?? 60 } };
    case 'FORBIDDEN':
      return { code, key: 'errNotOpenNow' };
    case 'VALIDATION_FAILED':
      return { code, key: err.message.startsWith('phoneNumber') ? 'errInvalidPhone' : 'errInvalidInput' };
    case 'NETWORK':
      return { code, key: 'errNetwork' };
    default:
      return { code, key: 'errGeneric' };
  }
}
