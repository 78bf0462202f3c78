// The interviewer's behaviour in text mode, with the framework's voice.testing helpers and the
// production LLM plugin pointed at a scripted OpenAI-compatible server.
import { initializeLogger, voice } from '@livekit/agents';
import * as openai from '@livekit/agents-plugin-openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { InterviewFlow } from '../../agent/flow.js';
import { InterviewerAgent, type EndReason, type InterviewControl } from '../../agent/interviewer.js';
import { NEUTRAL_VERDICT_LINE } from '../../agent/verdict-guard.js';
import { startFakeLlm, voiceInterviewerScript, type FakeLlm } from '../support/fake-llm.js';

initializeLogger({ pretty: false, level: 'error' });

const PLAN = [
  'Tell me about your background.',
  'Describe a system you designed.',
  'How do you test your code?',
].map((text, i) => ({ position: i + 1, text }));

const LONG_ANSWER = 'I spent five years building payment services in Node and Postgres for a bank.';

class FakeControl implements InterviewControl {
  readonly flow: InterviewFlow;
  readonly mode = 'llm' as const;
  readonly resumed = false;
  wrappingUp = false;
  ending = false;
  ended: EndReason[] = [];
  heard: string[] = [];
  constructor(maxFollowUps = 1) {
    this.flow = new InterviewFlow(PLAN, maxFollowUps);
  }
  state() {
    return {
      companyName: 'MENA Bank',
      jobTitle: 'Backend Developer',
      candidateFirstName: 'Ahmed',
      interviewType: 'TECHNICAL' as const,
      hrInstructions: 'Be kind.',
      questionCount: PLAN.length,
      remainingS: 600,
      wrappingUp: this.wrappingUp,
    };
  }
  greeting() {
    return 'Hello Ahmed.';
  }
  candidateTurn(text: string) {
    this.heard.push(text);
  }
  end(reason: EndReason) {
    this.ending = true;
    this.ended.push(reason);
  }
}

let fake: FakeLlm;
let session: voice.AgentSession | undefined;

beforeAll(async () => {
  fake = await startFakeLlm(voiceInterviewerScript);
});
afterAll(() => fake.close());
afterEach(async () => {
  await session?.close();
  session = undefined;
  fake.setHandler(voiceInterviewerScript);
});

async function start(control: FakeControl) {
  const llm = new openai.LLM({ model: 'scripted', baseURL: fake.baseUrl, apiKey: 'test' });
  session = new voice.AgentSession({ llm });
  await session.start({ agent: new InterviewerAgent(control) });
  // The candidate answers once the greeting (which asks question 1) has been said in full.
  for (let waited = 0; !control.flow.asked; waited += 20) {
    if (waited > 10_000) throw new Error('the greeting was never delivered');
    await new Promise((r) => setTimeout(r, 20));
  }
  return session;
}

const said = (r: voice.testing.RunResult) =>
  r.events.flatMap((e) => (e.type === 'message' && e.item.role === 'assistant' ? [e.item.textContent ?? ''] : []));

describe('InterviewerAgent (LLM mode)', () => {
  it('asks one planned question at a time, word for word, through next_question', async () => {
    const control = new FakeControl();
    const s = await start(control);
    const result = await s.run({ userInput: LONG_ANSWER }).wait();
    result.expect.nextEvent().isFunctionCall({ name: 'next_question' });
    result.expect.nextEvent().isFunctionCallOutput({ isError: false });
    result.expect.nextEvent().isMessage({ role: 'assistant' });
    result.expect.noMoreEvents();
    const [reply] = said(result);
    expect(reply).toContain(PLAN[1]!.text);
    expect(reply).not.toContain(PLAN[2]!.text);
    expect(PLAN.filter((q) => reply!.includes(q.text))).toHaveLength(1);
    expect(control.flow.current?.position).toBe(2);
    expect(control.heard).toEqual([LONG_ANSWER]);
    // The model saw the current question in fresh instructions.
    const sys = fake.requests.at(-1)!.messages[0]!.content!;
    expect(sys).toContain('Current question (2 of 3)');
  });

  it('keeps the follow-up budget: after one follow-up the code moves on', async () => {
    const control = new FakeControl(1);
    const s = await start(control);
    const first = await s.run({ userInput: 'Yes, some.' }).wait();
    expect(said(first)).toEqual(['Could you give me a concrete example?']);
    expect(control.flow.current?.position).toBe(1);
    // Short again: the script would follow up again if allowed; the budget says no.
    const second = await s.run({ userInput: 'Not really.' }).wait();
    expect(said(second).join(' ')).toContain(PLAN[1]!.text);
    second.expect.containsMessage({ role: 'assistant' });
    expect(second.events.some((e) => e.type === 'function_call')).toBe(false);
    expect(control.flow.current?.position).toBe(2);
  });

  it('with no follow-ups allowed, moves on after every answer', async () => {
    const control = new FakeControl(0);
    const s = await start(control);
    const result = await s.run({ userInput: 'Yes.' }).wait();
    expect(said(result).join(' ')).toContain(PLAN[1]!.text);
    expect(control.flow.current?.position).toBe(2);
  });

  it('repeats the current question when asked, without counting an answer', async () => {
    const control = new FakeControl();
    const s = await start(control);
    const result = await s.run({ userInput: 'Can you repeat that?' }).wait();
    expect(said(result)).toEqual([PLAN[0]!.text]);
    expect(control.flow.answersOnCurrent).toBe(0);
  });

  it('never speaks a score or a verdict, even when the model produces one', async () => {
    const control = new FakeControl();
    const s = await start(control);
    fake.setHandler(() => ({ content: 'Great answer. You scored 92 out of 100 and you passed! Tell me more.' }));
    const result = await s.run({ userInput: 'How did I do? What is my score?' }).wait();
    const text = said(result).join(' ');
    expect(text).not.toMatch(/\d|scor|pass/i);
    expect(text).toContain(NEUTRAL_VERDICT_LINE);
    // The rules the model gets say so too.
    expect(fake.requests.at(-1)!.messages[0]!.content).toMatch(/Never tell the candidate a score/);
  });

  it('wraps up when time runs short: no new question, goodbye, end', async () => {
    const control = new FakeControl();
    const s = await start(control);
    control.wrappingUp = true;
    const result = await s.run({ userInput: LONG_ANSWER }).wait();
    result.expect.containsFunctionCall({ name: 'end_interview' });
    const text = said(result).join(' ');
    expect(text).toMatch(/goodbye/i);
    for (const q of PLAN) expect(text).not.toContain(q.text);
    expect(control.ended).toEqual(['time_wrap_up']);
    expect(fake.requests.at(-1)!.messages[0]!.content).toContain('Time is almost up');
  });

  it('ends after the last question with end_interview', async () => {
    const control = new FakeControl(0);
    const s = await start(control);
    for (let i = 0; i < PLAN.length - 1; i++) await s.run({ userInput: LONG_ANSWER }).wait();
    expect(control.flow.current?.position).toBe(3);
    const last = await s.run({ userInput: LONG_ANSWER }).wait();
    last.expect.containsFunctionCall({ name: 'end_interview', args: { reason: 'all_questions_done' } });
    expect(control.flow.done).toBe(true);
    expect(control.ended).toEqual(['completed']);
  });
});
