// The candidate page's buttons reach the interviewer as RPC calls on the agent's participant
// (LiveKit's request/response over the room, no HTTP hop): "I'm done" ends the candidate's turn at
// once instead of waiting out the silence, "Repeat the question" has the current question said again.
// The page names the same methods (web/src/candidate/controls.ts; a test checks they match).
import type { LocalParticipant } from '@livekit/rtc-node';

export const CONTROL_METHODS = {
  commitTurn: 'interview.commit_turn',
  repeatQuestion: 'interview.repeat_question',
} as const;

export interface CandidateControls {
  commitTurn(): void;
  /** false: nothing to repeat (the interview is ending, or every question is asked). */
  repeatQuestion(): boolean;
}

export function registerCandidateControls(participant: LocalParticipant, controls: CandidateControls): void {
  participant.registerRpcMethod(CONTROL_METHODS.commitTurn, async () => {
    controls.commitTurn();
    return 'ok';
  });
  participant.registerRpcMethod(CONTROL_METHODS.repeatQuestion, async () => (controls.repeatQuestion() ? 'ok' : 'nothing_to_repeat'));
}
