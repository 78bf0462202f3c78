// The buttons that speak to the interviewer directly, as RPC calls on its participant: "I'm done"
// (end my turn now, do not wait out my silence) and "Repeat the question". The agent registers the
// same method names (agent/candidate-controls.ts; test/unit/candidate-controls.test.ts checks both).
import type { Room } from 'livekit-client';

export const CONTROL_METHODS = {
  commitTurn: 'interview.commit_turn',
  repeatQuestion: 'interview.repeat_question',
} as const;

export type ControlKind = keyof typeof CONTROL_METHODS;

/** Calls the interviewer in the room; false when none is there or it did not answer. */
export async function callInterviewer(room: Room, kind: ControlKind): Promise<boolean> {
  const agent = [...room.remoteParticipants.values()].find((p) => p.isAgent);
  if (!agent) return false;
  try {
    await room.localParticipant.performRpc({
      destinationIdentity: agent.identity,
      method: CONTROL_METHODS[kind],
      payload: '',
      responseTimeout: 5_000,
    });
    return true;
  } catch {
    return false;
  }
}
