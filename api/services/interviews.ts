// Operations on interviews that more than one route performs: creating one with its room, giving
// an interview its room, and ending it (HR, the candidate, or the seed's public end call).
import { finalize } from '../../core/interview-lifecycle.js';
import type { Actor } from '../../core/domain.js';
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

/** Seed 000's room/create: a new interview that is joinable at once. */
export const createInterviewWithRoom = (app: App, values: Omit<NewInterview, 'room_code' | 'room_name' | 'status'>) =>
  withFreshRoomCode((code) => insertInterview(app.deps.db, { ...values, room_code: code, room_name: roomNameFor(code), status: 'READY' }));

/**
 * Gives an existing interview a room (idempotent: one that has a room keeps it) and makes it READY,
 * both or neither: one transaction per room-code attempt (a collision aborts that one only).
 */
export const openRoom = (app: App, interviewId: string, actor: Actor) =>
  withFreshRoomCode((code) =>
    app.deps.db.transaction().execute(async (tx) => {
      const withRoom = await assignRoom(tx, interviewId, code, roomNameFor(code));
      await transitionInterview(tx, interviewId, { from: ['SCHEDULED'], to: 'READY', audit: { action: 'room.created', actor } });
      return withRoom;
    }),
  );

/**
 * Ends an interview from the API (HR, the candidate's End button): finalized with the lifecycle's
 * table, its room deleted. The evaluation is left to the agent in the room, which holds the last
 * turns and evaluates once they are stored, or to the watchdog's sweeper when there is none.
 */
export const endInterview = (app: App, interviewId: string, actor: Actor, reason: 'candidate_ended' | 'hr_ended') =>
  finalize(app.deps, interviewId, { reason, actor, evaluate: false });
