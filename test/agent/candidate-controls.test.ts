// The interviewer's side of the page's turn buttons and of "give me a moment", in a real
// AgentSession (voice.testing's text mode): the question said again on "Repeat the question", and
// longer end-of-turn delays for the turn after a request for time, then the usual ones again.
import { initializeLogger, llm, voice } from '@livekit/agents';
import { describe, expect, it } from 'vitest';
import { HELD_TURN, InterviewerAgent } from '../../agent/interviewer.js';
import { lines } from '../../prompts/interviewer.js';
import { FakeControl, LONG_ANSWER, PLAN, start, until, useScriptedLlm } from './helpers/interviewer.js';

initializeLogger({ pretty: false, level: 'error' });
useScriptedLlm();

const endpointing = (s: voice.AgentSession) => {
  const { minDelay, maxDelay } = s.sessionOptions.turnHandling.endpointing ?? {};
  return { minDelay, maxDelay };
};
const USUAL = { minDelay: 500, maxDelay: 3000 };

describe('InterviewerAgent: the candidate controls', () => {
  it('"Repeat the question" says the current question again and counts no answer', async () => {
    const control = new FakeControl(1, { mode: 'structured' });
    const { agent, spoken } = await start(control);
    const before = spoken.length;
    expect(agent.repeatQuestion()).toBe(true);
    await until('the repeated question', () => spoken.length > before);
    expect(spoken.at(-1)).toBe(PLAN[0]!.text);
    expect(control.flow.current?.position).toBe(1);
    expect(control.flow.answersOnCurrent).toBe(0);
  });

  it('never cuts the opening: a repeat asked during it follows it', async () => {
    const control = new FakeControl(1, { mode: 'structured' });
    const agent = new InterviewerAgent(control);
    const s = new voice.AgentSession({});
    const spoken: string[] = [];
    s.on(voice.AgentSessionEventTypes.ConversationItemAdded, ({ item }) => {
      if (item.type === 'message' && item.role === 'assistant') spoken.push(item.textContent ?? '');
    });
    await s.start({ agent });
    try {
      expect(agent.repeatQuestion()).toBe(true);
      await until('the opening and the repeat', () => spoken.length >= 2);
      expect(spoken[0]).toContain('Hello Ahmed.');
      expect(spoken[1]).toBe(PLAN[0]!.text);
    } finally {
      await s.close();
    }
  });

  it('has nothing to repeat once the interview is ending', async () => {
    const control = new FakeControl(1, { mode: 'structured' });
    const { agent } = await start(control);
    control.ending = true;
    expect(agent.repeatQuestion()).toBe(false);
  });

  it('structured mode: "give me a moment" holds the floor for the next turn only', async () => {
    const control = new FakeControl(1, { mode: 'structured' });
    const { agent, s, spoken } = await start(control);
    s.updateOptions({ turnHandling: { endpointing: USUAL } });
    const turn = async (text: string) => {
      const before = spoken.length;
      await agent.onUserTurnCompleted(llm.ChatContext.empty(), llm.ChatMessage.create({ role: 'user', content: [text] }));
      await until(`the reply to "${text}"`, () => spoken.length > before);
      return spoken.at(-1);
    };
    expect(await turn('Give me a moment to think.')).toBe(lines.takeYourTime);
    expect(endpointing(s)).toEqual(HELD_TURN);
    expect(await turn(LONG_ANSWER)).toBe(lines.nextQuestion(PLAN[1]!.text));
    expect(endpointing(s)).toEqual(USUAL);
  });

  it('LLM mode: the same hold, applied by the turn rules before the model answers', async () => {
    const control = new FakeControl(1);
    const { s } = await start(control);
    s.updateOptions({ turnHandling: { endpointing: USUAL } });
    await s.run({ userInput: 'Just a second, let me think.' }).wait();
    expect(endpointing(s)).toEqual(HELD_TURN);
    await s.run({ userInput: LONG_ANSWER }).wait();
    expect(endpointing(s)).toEqual(USUAL);
  });
});
