// The interviewer's behaviour in text mode, with the framework's voice.testing helpers and the
// production LLM plugin pointed at a scripted OpenAI-compatible server. Structured mode (no LLM) is
// driven through the agent's own speech-turn hook, as the framework calls it after a final
// transcript.
import { initializeLogger, llm, voice } from '@livekit/agents';
import * as openai from '@livekit/agents-plugin-openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EndReason } from '../../core/domain.js';
import { InterviewFlow } from '../../agent/flow.js';
import { InterviewerAgent, type InterviewControl } from '../../agent/interviewer.js';
import { NEUTRAL_VERDICT_LINE } from '../../agent/verdict-guard.js';
import { lines } from '../../prompts/interviewer.js';
import { startFakeLlm, voiceInterviewerScript, type ChatRequest, type FakeLlm, type Handler } from '../../testkit/fake-llm.js';

initializeLogger({ pretty: false, level: 'error' });

const PLAN = ['Tell me about your background.', 'Describe a system you designed.', 'How do you test your code?'].map((text, i) => ({
  position: i + 1,
  text,
}));

const LONG_ANSWER = 'I spent five years building payment services in Node and Postgres for a bank.';

class FakeControl implements InterviewControl {
  readonly flow: InterviewFlow;
  readonly resumed = false;
  wrappingUp = false;
  ending = false;
  ended: EndReason[] = [];
  heard: string[] = [];
  constructor(
    maxFollowUps = 1,
    { mode = 'llm', plan = PLAN, startPosition = 1 }: { mode?: 'llm' | 'structured'; plan?: typeof PLAN; startPosition?: number } = {},
  ) {
    this.flow = new InterviewFlow(plan, maxFollowUps, startPosition);
    this.mode = mode;
  }
  readonly mode: 'llm' | 'structured';
  state() {
    return {
      companyName: 'MENA Bank',
      jobTitle: 'Backend Developer',
      candidateFirstName: 'Ahmed',
      interviewType: 'TECHNICAL' as const,
      hrInstructions: 'Be kind.',
      questionCount: this.flow.questions.length,
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

async function until(what: string, ok: () => boolean) {
  for (let waited = 0; !ok(); waited += 20) {
    if (waited > 10_000) throw new Error(`${what}: timed out`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function start(control: FakeControl) {
  const agent = new InterviewerAgent(control);
  session =
    control.mode === 'llm'
      ? new voice.AgentSession({ llm: new openai.LLM({ model: 'scripted', baseURL: fake.baseUrl, apiKey: 'test' }) })
      : new voice.AgentSession({});
  const spoken: string[] = [];
  session.on(voice.AgentSessionEventTypes.ConversationItemAdded, ({ item }) => {
    if (item.type === 'message' && item.role === 'assistant') spoken.push(item.textContent ?? '');
  });
  await session.start({ agent });
  // The candidate answers once the greeting (which asks question 1) has been said in full.
  await until('the greeting', () => control.flow.asked);
  return { s: session, agent, spoken };
}

const said = (r: voice.testing.RunResult) =>
  r.events.flatMap((e) => (e.type === 'message' && e.item.role === 'assistant' ? [e.item.textContent ?? ''] : []));

const toolOutputs = (r: voice.testing.RunResult) =>
  r.events.flatMap((e) =>
    e.type === 'function_call_output' ? [{ name: e.item.name, output: e.item.output, isError: e.item.isError }] : [],
  );

const system = (req: ChatRequest) => req.messages.find((m) => m.role === 'system')?.content ?? '';
const lastSystem = () => system(fake.requests.at(-1)!);

/**
 * The scripted model, plus what a well-behaved model does with a stop request: it follows the
 * instructions' current step (ask to confirm, go on, or say goodbye and end).
 */
const followsStopSteps: Handler = (req) => {
  const sys = system(req);
  const last = req.messages.at(-1);
  if (last?.role !== 'tool') {
    if (sys.includes('confirmed that they want to end')) {
      return { content: lines.stopGoodbye, toolCalls: [{ name: 'end_interview', arguments: { reason: 'candidate_asked_to_stop' } }] };
    }
    if (sys.includes('asked to end the interview')) return { content: lines.confirmStop };
    const current = /Current question \(\d+ of \d+\): "(.*)"/.exec(sys)?.[1];
    if (sys.includes('does not want to end the interview') && current) return { content: `${lines.continueAfterStop} ${current}` };
  }
  return voiceInterviewerScript(req);
};

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

describe('InterviewerAgent (LLM mode): the tools refuse what the plan does not allow', () => {
  // A model that, on the candidate's turn, calls the tool regardless of its instructions; after a
  // tool error it says a neutral line and ends its turn.
  const calls =
    (name: string, args: Record<string, unknown> = {}): Handler =>
    (req) =>
      req.messages.at(-1)?.role === 'tool' ? { content: 'Understood.' } : { content: '', toolCalls: [{ name, arguments: args }] };

  interface Row {
    name: string;
    tool: string;
    args?: Record<string, unknown>;
    userInput?: string;
    startPosition?: number;
    wrappingUp?: boolean;
    /** A ToolError whose message matches, or none. */
    error: RegExp | null;
    ended: EndReason[];
  }

  const end = (reason: string) => ({ tool: 'end_interview', args: { reason } });
  it.each<Row>([
    // Refused: the model is told why and what to do instead; the interview goes on.
    {
      name: 'all_questions_done with questions left',
      ...end('all_questions_done'),
      error: /2 planned questions have not been answered yet.*call next_question/,
      ended: [],
    },
    {
      name: 'all_questions_done before the first answer',
      ...end('all_questions_done'),
      userInput: 'Hmm, let me think.',
      error: /3 planned questions/,
      ended: [],
    },
    { name: 'time_is_up before the wrap-up', ...end('time_is_up'), error: /Time is not up/, ended: [] },
    {
      name: 'candidate_asked_to_stop with no stop asked for',
      ...end('candidate_asked_to_stop'),
      error: /not confirmed.*confirm first/,
      ended: [],
    },
    {
      name: 'candidate_asked_to_stop before the candidate confirmed',
      ...end('candidate_asked_to_stop'),
      userInput: 'I have to go now.',
      error: /not confirmed/,
      ended: [],
    },
    {
      name: 'next_question before the current question is answered',
      tool: 'next_question',
      userInput: 'Give me a moment.',
      error: /not answered the current question.*Tell me about your background/,
      ended: [],
    },
    { name: 'next_question during the wrap-up', tool: 'next_question', wrappingUp: true, error: /do not ask another question/, ended: [] },
    // Allowed, with the reason the code decides.
    {
      name: 'all_questions_done once the last question has its answer',
      ...end('all_questions_done'),
      startPosition: 3,
      error: null,
      ended: ['completed'],
    },
    { name: 'time_is_up in the wrap-up mid-plan', ...end('time_is_up'), wrappingUp: true, error: null, ended: ['time_limit'] },
    {
      name: 'time_is_up in the wrap-up after the last answer',
      ...end('time_is_up'),
      wrappingUp: true,
      startPosition: 3,
      error: null,
      ended: ['completed'],
    },
    {
      name: 'all_questions_done in the wrap-up mid-plan',
      ...end('all_questions_done'),
      wrappingUp: true,
      error: null,
      ended: ['time_limit'],
    },
  ])('$name', async ({ tool, args, userInput = LONG_ANSWER, startPosition = 1, wrappingUp = false, error, ended }) => {
    const control = new FakeControl(1, { startPosition });
    const { s } = await start(control);
    control.wrappingUp = wrappingUp;
    const position = control.flow.current?.position;
    fake.setHandler(calls(tool, args));
    const result = await s.run({ userInput }).wait();
    result.expect.containsFunctionCall({ name: tool });
    const [output] = toolOutputs(result);
    if (error) {
      expect(output?.isError).toBe(true);
      expect(output?.output).toMatch(error);
      // The model was given the error and answered it.
      expect(said(result)).toEqual(['Understood.']);
      expect(control.flow.current?.position).toBe(position);
    } else {
      expect(toolOutputs(result).filter((o) => o.isError)).toEqual([]);
    }
    expect(control.ended).toEqual(ended);
  });
});

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
