// Operations on interviews that more than one route performs: creating one with its room, giving
// an interview its room, and ending it (HR, the candidate, or the seed's public end call).
import { finalize } from '../../core/interview-lifecycle.js';
import type { Actor, InterviewLanguage } from '../../core/domain.js';
import { assignRoom, insertInterview, isUniqueViolation, transitionInterview } from '../../db/queries/interviews.js';
import type { NewInterview } from '../../db/schema.js';
import type { App } from '../context.js';
import { ApiError } from '../errors.js';
import { generateRoomCode, roomNameFor } from '../lib/room-code.js';

const ROOM_CODE_ATTEMPTS = 5;

/** Retries on a code collision (a unique violation); 32^8 codes make a second try rare already. */
async function withFreshRoomCode<T>(attempt: (code: string) => Promise<T>): Promise<T> {
  for (let i = 0; i < ROOM_CODE_ATTEMPTS; i++) {
    try {
      return await attempt(generateRoomCode());
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
    }
  }
  throw new ApiError('SERVICE_UNAVAILABLE', 'Could not allocate a room code, please retry');
}

const LANGUAGE_NAMES: Record<InterviewLanguage, string> = { en: 'English', ar: 'Arabic' };

/**
 * A room is a voice interview: refused, before anyone can join it, in a language the deployment has
 * not declared its workers can hear (VOICE_LANGUAGES). The offline recogniser knows English only;
 * an Arabic room on it would be an interview where nothing the candidate says is understood.
 * Text-mode interviews (links) take any language: they need no recogniser.
 */
function requireVoiceLanguage(app: App, language: InterviewLanguage) {
  if (app.config.voiceLanguages.includes(language)) return;
  throw new ApiError(
    'CONFLICT',
    `Voice interviews in ${LANGUAGE_NAMES[language]} are not enabled on this deployment: its speech recognition must support ` +
      `the language, and VOICE_LANGUAGES must list "${language}". A text interview (link) works in any language.`,
  );
}

/** Seed 000's room/create: a new interview that is joinable at once. */
export async function createInterviewWithRoom(app: App, values: Omit<NewInterview, 'room_code' | 'room_name' | 'status'>) {
  requireVoiceLanguage(app, values.language ?? 'en');
  return withFreshRoomCode((code) =>
    insertInterview(app.deps.db, { ...values, room_code: code, room_name: roomNameFor(code), status: 'READY' }),
  );
}

/**
 * Gives an existing interview a room (idempotent: one that has a room keeps it) and makes it READY,
 * both or neither: one transaction per room-code attempt (a collision aborts that one only).
 */
export async function openRoom(app: App, interview: { id: string; language: InterviewLanguage }, actor: Actor) {
  requireVoiceLanguage(app, interview.language);
  return withFreshRoomCode((code) =>
    app.deps.db.transaction().execute(async (tx) => {
      const withRoom = await assignRoom(tx, interview.id, code, roomNameFor(code));
      await transitionInterview(tx, interview.id, { from: ['SCHEDULED'], to: 'READY', audit: { action: 'room.created', actor } });
      return withRoom;
    }),
  );
}

/**
 * Ends an interview from the API (HR, the candidate's End button): finalized with the lifecycle's
 * table, its room deleted. The evaluation is left to the agent in the room, which holds the last
 * turns and evaluates once they are stored, or to the watchdog's sweeper when there is none.
 */
export const endInterview = (app: App, interviewId: string, actor: Actor, reason: 'candidate_ended' | 'hr_ended') =>
  finalize(app.deps, interviewId, { reason, actor, evaluate: false });
