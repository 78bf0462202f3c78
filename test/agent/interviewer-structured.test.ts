// The interviewer in structured mode (no LLM), driven through the agent's own speech-turn hook, as
// the framework calls it after a final transcript.
import { initializeLogger, llm } from '@livekit/agents';
import { describe, expect, it } from 'vitest';
import { lines } from '../../prompts/interviewer.js';
import { FakeControl, LONG_ANSWER, PLAN, start, until, useScriptedLlm } from './helpers/interviewer.js';

initializeLogger({ pretty: false, level: 'error' });
useScriptedLlm();

describe('InterviewerAgent (structured mode)', () => {
  async function structured(control: FakeControl) {
    const started = await start(control);
    /** One final speech turn; resolves once the agent has said its reply. */
    const turn = async (text: string) => {
      const before = started.spoken.length;
      await started.agent.onUserTurnCompleted(llm.ChatContext.empty(), llm.ChatMessage.create({ role: 'user', content: [text] }));
      await until(`the reply to "${text}"`, () => started.spoken.length > before);
      return started.spoken.slice(before).join(' ');
    };
    return { ...started, turn };
  }

  it('asks the planned questions in order and completes', async () => {
    const control = new FakeControl(1, { mode: 'structured' });
    const { turn } = await structured(control);
    expect(await turn(LONG_ANSWER)).toBe(lines.nextQuestion(PLAN[1]!.text));
    expect(await turn(LONG_ANSWER)).toBe(lines.nextQuestion(PLAN[2]!.text));
    expect(await turn(LONG_ANSWER)).toBe(lines.goodbye);
    expect(control.ended).toEqual(['completed']);
    expect(control.flow.progress).toEqual({ questionsAsked: 3, questionsAnswered: 3 });
  });

  it('asks to confirm a stop, and ends as candidate_asked_to_stop on yes', async () => {
    const control = new FakeControl(1, { mode: 'structured' });
    const { turn } = await structured(control);
    expect(await turn('Sorry, I have to go now.')).toBe(lines.confirmStop);
    expect(control.ended).toEqual([]);
    expect(await turn('Yes, please.')).toBe(lines.stopGoodbye);
    expect(control.ended).toEqual(['candidate_asked_to_stop']);
    expect(control.flow.progress).toEqual({ questionsAsked: 1, questionsAnswered: 0 });
  });

  it.each(['No.', "No, let's continue.", 'I built a ledger service in Go.', 'Hmm, what?'])(
    'goes on with the same question when the reply to "end now?" is %j',
    async (reply) => {
      const control = new FakeControl(1, { mode: 'structured' });
      const { turn } = await structured(control);
      await turn('Can we stop the interview?');
      expect(await turn(reply)).toBe(`${lines.continueAfterStop} ${PLAN[0]!.text}`);
      expect(control.ended).toEqual([]);
      expect(control.flow.current?.position).toBe(1);
      expect(control.flow.answersOnCurrent).toBe(0);
      // And the next answer is an answer.
      expect(await turn(LONG_ANSWER)).toBe(lines.nextQuestion(PLAN[1]!.text));
    },
  );

  it.each([
    ['First I have to go through the logs', lines.nextQuestion(PLAN[1]!.text)],
    ["I'd stop the deployment and roll back", lines.nextQuestion(PLAN[1]!.text)],
    ['give me the requirements first is what I tell product', lines.nextQuestion(PLAN[1]!.text)],
    ['I repeat the tests every night', lines.nextQuestion(PLAN[1]!.text)],
    ['Could you repeat the question, please?', PLAN[0]!.text],
    ['Give me a moment.', lines.takeYourTime],
  ])('hears %j and says %j', async (text, reply) => {
    const control = new FakeControl(1, { mode: 'structured' });
    const { turn } = await structured(control);
    expect(await turn(text)).toBe(reply);
    expect(control.ended).toEqual([]);
  });

  it('ends a wrap-up answer mid-plan as time_limit, after recording it', async () => {
    const control = new FakeControl(1, { mode: 'structured' });
    const { turn } = await structured(control);
    control.wrappingUp = true;
    expect(await turn(LONG_ANSWER)).toBe(lines.goodbye);
    expect(control.ended).toEqual(['time_limit']);
    expect(control.flow.progress).toEqual({ questionsAsked: 1, questionsAnswered: 1 });
  });

  it('ends a wrap-up answer to the last question as completed', async () => {
    const control = new FakeControl(1, { mode: 'structured', startPosition: 3 });
    const { turn } = await structured(control);
    control.wrappingUp = true;
    expect(await turn(LONG_ANSWER)).toBe(lines.goodbye);
    expect(control.flow.done).toBe(true);
    expect(control.ended).toEqual(['completed']);
  });
});
