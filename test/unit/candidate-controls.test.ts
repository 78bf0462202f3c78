// The page's turn buttons and the agent's RPC methods: the same names on both sides, and each
// method doing what its button says (agent/candidate-controls.ts).
import type { LocalParticipant, RpcInvocationData } from '@livekit/rtc-node';
import { describe, expect, it } from 'vitest';
import { CONTROL_METHODS as AGENT_METHODS, registerCandidateControls } from '../../agent/candidate-controls.js';
import { CONTROL_METHODS as PAGE_METHODS } from '../../web/src/candidate/controls.js';

function fakeParticipant() {
  const handlers = new Map<string, (data: RpcInvocationData) => Promise<string>>();
  const participant = { registerRpcMethod: (m: string, h: (data: RpcInvocationData) => Promise<string>) => handlers.set(m, h) };
  const call = (method: string) =>
    handlers.get(method)!({ callerIdentity: 'candidate', payload: '', requestId: 'r', responseTimeout: 5000 });
  return { participant: participant as unknown as LocalParticipant, handlers, call };
}

describe('candidate controls', () => {
  it('the page calls the methods the agent registers', () => {
    expect(PAGE_METHODS).toEqual(AGENT_METHODS);
    const { participant, handlers } = fakeParticipant();
    registerCandidateControls(participant, { commitTurn: () => {}, repeatQuestion: () => true });
    expect([...handlers.keys()].sort()).toEqual(Object.values(PAGE_METHODS).sort());
  });

  it("commit_turn ends the candidate's turn; repeat_question says whether there was a question to repeat", async () => {
    const { participant, call } = fakeParticipant();
    const done: string[] = [];
    let canRepeat = true;
    registerCandidateControls(participant, {
      commitTurn: () => done.push('commit'),
      repeatQuestion: () => (done.push('repeat'), canRepeat),
    });
    expect(await call(AGENT_METHODS.commitTurn)).toBe('ok');
    expect(await call(AGENT_METHODS.repeatQuestion)).toBe('ok');
    canRepeat = false;
    expect(await call(AGENT_METHODS.repeatQuestion)).toBe('nothing_to_repeat');
    expect(done).toEqual(['commit', 'repeat', 'repeat']);
  });
});
