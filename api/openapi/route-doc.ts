// What one entry of the API's description says about a route, and the error responses many
// routes share.
import type { z } from 'zod';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** Who may call: the security requirement of the operation. */
export type Access = 'public' | 'hr' | 'candidate-or-hr' | 'livekit' | 'metrics';

export type Tag =
  | 'HR auth'
  | 'HR resources'
  | 'Bias audit'
  | 'Outbound webhooks'
  | 'Room codes (seed 000)'
  | 'Links and text mode (seed 002)'
  | 'LiveKit'
  | 'Pages'
  | 'Operations';

export interface RouteDoc {
  method: Method;
  /** The path exactly as Hono registers it (`:param`, a trailing `*`), so the test can compare. */
  path: string;
  tag: Tag;
  summary: string;
  description?: string;
  access: Access;
  body?: z.ZodType;
  /** An empty body counts as {} (readJson's `optional`). */
  bodyOptional?: boolean;
  query?: z.ZodObject;
  /** Status → what it means here. Statuses of 400 and up answer the error envelope. */
  responses: Record<number, string>;
  /** What a success answers when it is not JSON. */
  produces?: 'text/html' | 'text/csv' | 'text/plain' | 'text/javascript' | 'audio/*';
}

export const hrErrors = { 401: 'Not logged in as HR' } as const;
export const notYours = { 404: "Unknown, or another organization's" } as const;
export const bad = { 400: 'The body or a parameter does not validate (VALIDATION_FAILED, INVALID_JSON)' } as const;
export const limited = { 429: 'Too many requests (RATE_LIMITED), with Retry-After' } as const;
export const linkErrors = {
  401: 'The link token is not valid (INVALID_TOKEN)',
  403: 'The link is not open yet (LINK_NOT_YET_VALID)',
  410: 'The link has expired or was regenerated (LINK_EXPIRED)',
  ...limited,
} as const;
export const joinErrors = {
  ...bad,
  403: "The phone number is not the candidate's (PHONE_MISMATCH), or the interview is not open now",
  409: 'The interview cannot be joined right now',
  410: 'The interview has ended (INTERVIEW_ENDED)',
  ...limited,
} as const;
