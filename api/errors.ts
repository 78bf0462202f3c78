// One error vocabulary for every route. The envelope keeps the seeds' shape, so their clients can
// show `body.error` as text: { "error": "<human message>", "code": "<CODE>", "requestId": "…" }.
export const ERROR_STATUS = {
  BAD_REQUEST: 400,
  INVALID_JSON: 400,
  VALIDATION_FAILED: 400,
  NOT_SCHEDULED: 400,
  UNAUTHORIZED: 401,
  INVALID_CREDENTIALS: 401,
  INVALID_TOKEN: 401,
  FORBIDDEN: 403,
  PHONE_MISMATCH: 403,
  LINK_NOT_YET_VALID: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  INTERVIEW_ENDED: 410,
  LINK_EXPIRED: 410,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  SERVICE_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class ApiError extends Error {
  readonly status: (typeof ERROR_STATUS)[ErrorCode];
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Extra fields for the envelope, e.g. when a link opens. Never internals. */
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = ERROR_STATUS[code];
  }
}

/** The code a bare HTTP status maps to, for errors raised by middleware (body limit, etc.). */
export function codeForStatus(status: number): ErrorCode {
  const match = (Object.entries(ERROR_STATUS) as [ErrorCode, number][]).find(([, s]) => s === status);
  if (match) return match[0];
  return status >= 500 ? 'INTERNAL' : 'BAD_REQUEST';
}

export const notFound = (what = 'Resource') => new ApiError('NOT_FOUND', `${what} not found`);

/** The row, or a 404 naming `what` (absent, or another organization's). */
export function orNotFound<T>(row: T | undefined, what: string): T {
  if (row === undefined) throw notFound(what);
  return row;
}
