// The interviewer's behaviour in text mode, with the framework's voice.testing helpers and the
// production LLM plugin pointed at a scripted OpenAI-compatible server: one planned question at a
// time, the follow-up budget, no verdicts, wrapping up, and a stop that needs a confirmation.
// The tools' refusals: interviewer-tools.test.ts; structured mode: interviewer-structured.test.ts.
import { initializeLogger } from '@livekit/agents';
import { describe, expect, it } from 'vitest';
import { NEUTRAL_VERDICT_LINE } from '../../agent/verdict-guard.js';
import { lines } from '../../prompts/interviewer.js';
import {
  fake,
  FakeControl,
  followsStopSteps,
  lastSystem,
  LONG_ANSWER,
  PLAN,
  said,
  start,
  toolOutputs,
  useScriptedLlm,
} from './helpers/interviewer.js';
import { voiceInterviewerScript } from '../../testkit/fake-llm.js';

initializeLogger({ pretty: false, level: 'error' });
useScriptedLlm();

describe('InterviewerAgent (LLM mode)', () => {
  it('asks one planned question at a time, word for word, through next_question', async () => {
    const control = new FakeControl();
    const { s } = await start(control);
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
    expect(lastSystem()).toContain('Current question (2 of 3)');
  });

  it('opens a slow reply with one short acknowledgement, and a fast one with none', async () => {
    const control = new FakeControl();
    const { s } = await start(control);
    const fast = await s.run({ userInput: 'Yes, some.' }).wait();
    expect(said(fast).join(' ')).not.toContain(lines.acknowledge);
    // Every completion now takes 1.5 s, past the 1.2 s the control allows: the tool call's and the
    // reply's both, yet the turn is acknowledged once, before any other word.
    fake.setHandler(async (req) => ({ ...(await voiceInterviewerScript(req)), delayMs: 1500 }));
    const slow = await s.run({ userInput: LONG_ANSWER }).wait();
    const words = said(slow);
    expect(words[0]!.startsWith(`${lines.acknowledge} `)).toBe(true);
    expect(words.join(' ').split(lines.acknowledge)).toHaveLength(2);
    expect(words.join(' ')).toContain(PLAN[1]!.text);
    expect(control.flow.current?.position).toBe(2);
  });

  it('keeps the follow-up budget: after one follow-up the code moves on', async () => {
    const control = new FakeControl(1);
    const { s } = await start(control);
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
    const { s } = await start(control);
    const result = await s.run({ userInput: 'Yes.' }).wait();
    expect(said(result).join(' ')).toContain(PLAN[1]!.text);
    expect(control.flow.current?.position).toBe(2);
  });

  it('repeats the current question when asked, without counting an answer', async () => {
    const control = new FakeControl();
    const { s } = await start(control);
    const result = await s.run({ userInput: 'Can you repeat that?' }).wait();
    expect(said(result)).toEqual([PLAN[0]!.text]);
    expect(control.flow.answersOnCurrent).toBe(0);
  });

  it('never speaks a score or a verdict, even when the model produces one', async () => {
    const control = new FakeControl();
    const { s } = await start(control);
    fake.setHandler(() => ({ content: 'Great answer. You scored 92 out of 100 and you passed! Tell me more.' }));
    const result = await s.run({ userInput: 'How did I do? What is my score?' }).wait();
    const text = said(result).join(' ');
    expect(text).not.toMatch(/\d|scor|pass/i);
    expect(text).toContain(NEUTRAL_VERDICT_LINE);
    // The rules the model gets say so too.
    expect(lastSystem()).toMatch(/Never tell the candidate a score/);
  });

  it('reads a planned question that sounds like a verdict word for word, and still drops a real score', async () => {
    const scoring = ['Tell me about your background.', 'How would you score your own SQL skills out of ten?'];
    const control = new FakeControl(0, { plan: scoring.map((text, i) => ({ position: i + 1, text })) });
    const { s } = await start(control);
    const result = await s.run({ userInput: LONG_ANSWER }).wait();
    expect(said(result)).toEqual([`Thank you. ${scoring[1]}`]);
    // The same words the model makes up itself are not protected.
    fake.setHandler(() => ({ content: `You scored 8 out of 10. ${scoring[1]}` }));
    const again = await s.run({ userInput: 'Can you repeat that?' }).wait();
    expect(said(again)).toEqual([`${NEUTRAL_VERDICT_LINE} ${scoring[1]}`]);
  });

  it('wraps up when time runs short mid-plan: no new question, goodbye, ends as time_limit', async () => {
    const control = new FakeControl();
    const { s } = await start(control);
    control.wrappingUp = true;
    const result = await s.run({ userInput: LONG_ANSWER }).wait();
    result.expect.containsFunctionCall({ name: 'end_interview' });
    const text = said(result).join(' ');
    expect(text).toMatch(/goodbye/i);
    for (const q of PLAN) expect(text).not.toContain(q.text);
    // Questions 2 and 3 were never asked: the plan was not completed, whatever the model says.
    expect(control.ended).toEqual(['time_limit']);
    expect(control.flow.progress).toEqual({ questionsAsked: 1, questionsAnswered: 1 });
    expect(lastSystem()).toContain('Time is almost up');
  });

  it('wraps up on the last question: its answer completes the plan', async () => {
    const control = new FakeControl(1, { startPosition: 3 });
    const { s } = await start(control);
    control.wrappingUp = true;
    await s.run({ userInput: LONG_ANSWER }).wait();
    expect(control.flow.done).toBe(true);
    expect(control.ended).toEqual(['completed']);
  });

  it('ends after the last question with end_interview', async () => {
    const control = new FakeControl(0);
    const { s } = await start(control);
    for (let i = 0; i < PLAN.length - 1; i++) await s.run({ userInput: LONG_ANSWER }).wait();
    expect(control.flow.current?.position).toBe(3);
    const last = await s.run({ userInput: LONG_ANSWER }).wait();
    last.expect.containsFunctionCall({ name: 'end_interview', args: { reason: 'all_questions_done' } });
    expect(control.flow.done).toBe(true);
    expect(control.ended).toEqual(['completed']);
    expect(control.flow.progress).toEqual({ questionsAsked: 3, questionsAnswered: 3 });
  });
});

describe('InterviewerAgent (LLM mode): stopping needs a confirmation', () => {
  it('asks to confirm, then ends as candidate_asked_to_stop on yes', async () => {
    fake.setHandler(followsStopSteps);
    const control = new FakeControl();
    const { s } = await start(control);
    const ask = await s.run({ userInput: 'Can we stop the interview?' }).wait();
    expect(said(ask)).toEqual([lines.confirmStop]);
    expect(lastSystem()).toContain(lines.confirmStop);
    expect(control.ended).toEqual([]);
    expect(control.flow.answersOnCurrent).toBe(0);

    const yes = await s.run({ userInput: 'Yes.' }).wait();
    yes.expect.containsFunctionCall({ name: 'end_interview', args: { reason: 'candidate_asked_to_stop' } });
    expect(toolOutputs(yes).filter((o) => o.isError)).toEqual([]);
    expect(said(yes)).toEqual([lines.stopGoodbye]);
    expect(control.ended).toEqual(['candidate_asked_to_stop']);
  });

  it('goes on with the same question when the candidate does not confirm, counting no answer', async () => {
    fake.setHandler(followsStopSteps);
    const control = new FakeControl();
    const { s } = await start(control);
    await s.run({ userInput: 'I have to go now.' }).wait();
    const no = await s.run({ userInput: 'No, sorry, I built a ledger service in Go.' }).wait();
    expect(said(no)).toEqual([`${lines.continueAfterStop} ${PLAN[0]!.text}`]);
    expect(control.ended).toEqual([]);
    expect(control.flow.current?.position).toBe(1);
    expect(control.flow.answersOnCurrent).toBe(0);
    // The stop is over: the next answer is an answer again.
    const answer = await s.run({ userInput: LONG_ANSWER }).wait();
    expect(said(answer).join(' ')).toContain(PLAN[1]!.text);
    expect(control.flow.current?.position).toBe(2);
  });

  it('does not take an answer that mentions stopping for a stop request', async () => {
    fake.setHandler(followsStopSteps);
    const control = new FakeControl();
    const { s } = await start(control);
    const result = await s
      .run({ userInput: 'First I have to go through the logs, then I would stop the deployment and roll back.' })
      .wait();
    expect(said(result).join(' ')).toContain(PLAN[1]!.text);
    expect(said(result).join(' ')).not.toContain(lines.confirmStop);
    expect(control.flow.stopState).toBe('none');
  });
});
