// The bodies that create an interview: HR's POST /api/interviews and seed 000's room/create take the
// same fields; only what a missing scheduledAt means differs (null, or left out).
import { z } from 'zod';
import { INTERVIEW_LANGUAGES, INTERVIEW_TYPES } from '../../core/domain.js';

/**
 * An interview slot. Postgres refuses some dates zod's format allows (year 0000 was a 500 from the
 * insert), and no real slot lies outside these years.
 */
export const scheduledAtSchema = z
  .string()
  .datetime({ offset: true })
  .refine((s) => {
    const t = Date.parse(s);
    return t >= Date.UTC(2000, 0, 1) && t < Date.UTC(10000, 0, 1);
  }, 'must be a date between the years 2000 and 9999');

const interviewFields = {
  applicationId: z.string().uuid(),
  interviewType: z.enum(INTERVIEW_TYPES),
  maxDuration: z
    .number()
    .int()
    .min(60)
    .max(4 * 60 * 60)
    .default(1800),
  instructions: z.string().trim().max(5000).default(''),
  revealResultsToCandidate: z.boolean().default(false),
  // Optional, so every client written before it still creates the English interviews it always did.
  language: z
    .enum(INTERVIEW_LANGUAGES)
    .default('en')
    .describe('The language the interview is held in: en (default) or ar. A voice room needs the language in VOICE_LANGUAGES.'),
};

export const createInterview = z.strictObject({ ...interviewFields, scheduledAt: scheduledAtSchema.nullable().default(null) });

export const createRoomBody = z.strictObject({ ...interviewFields, scheduledAt: scheduledAtSchema.nullable().optional() });
