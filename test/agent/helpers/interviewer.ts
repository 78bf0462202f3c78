// What the interviewer files share: the plan, a fake of the interview the agent controls, the
// scripted model behind the production LLM plugin, and reading what a run said and called.
import { voice } from '@livekit/agents';
import * as openai from '@livekit/agents-plugin-openai';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { EndReason } from '../../../core/domain.js';
import { InterviewFlow } from '../../../agent/flow.js';
import { InterviewerAgent, type InterviewControl } from '../../../agent/interviewer.js';
import { LINES, lines, type Lines } from '../../../prompts/interviewer.js';
import { startFakeLlm, voiceInterviewerScript, type ChatRequest, type FakeLlm, type Handler } from '../../../testkit/fake-llm.js';

export const PLAN = ['Tell me about your background.', 'Describe a system you designed.', 'How do you test your code?'].map((text, i) => ({
  position: i + 1,
  text,
}));

export const LONG_ANSWER = 'I spent five years building payment services in Node and Postgres for a bank.';

/** The interview as the agent sees it: a flow over the plan, and what it heard and how it ended. */
export class FakeControl implements InterviewControl {
  readonly flow: InterviewFlow;
  readonly resumed = false;
  readonly planned = Promise.resolve();
  readonly turns = { minDelayMs: 500, maxDelayMs: 3000, ackAfterMs: 1200 };
  wrappingUp = false;
  ending = false;
  ended: EndReason[] = [];
  heard: string[] = [];
  readonly lines: Lines;
  readonly language: 'en' | 'ar';
  readonly hearsLanguage: boolean;
  constructor(
    maxFollowUps = 1,
    {
      mode = 'llm',
      plan = PLAN,
      startPosition = 1,
      language = 'en',
      hearsLanguage = true,
    }: { mode?: 'llm' | 'structured'; plan?: typeof PLAN; startPosition?: number; language?: 'en' | 'ar'; hearsLanguage?: boolean } = {},
  ) {
    this.flow = new InterviewFlow(plan, maxFollowUps, startPosition);
    this.mode = mode;
    this.language = language;
    this.lines = LINES[language];
    this.hearsLanguage = hearsLanguage;
  }
  readonly mode: 'llm' | 'structured';
  state() {
    return {
      companyName: 'MENA Bank',
      jobTitle: 'Backend Developer',
      candidateFirstName: 'Ahmed',
      interviewType: 'TECHNICAL' as const,
      language: this.language,
      hrInstructions: 'Be kind.',
      questionCount: this.flow.questions.length,
      remainingS: 600,
      wrappingUp: this.wrappingUp,
    };
  }
  greeting() {
    return 'Hello Ahmed.';
  }
  outline() {
    return `I will ask you ${this.flow.questions.length} questions.`;
  }
  candidateTurn(text: string) {
    this.heard.push(text);
  }
  end(reason: EndReason) {
    this.ending = true;
    this.ended.push(reason);
  }
}

export let fake: FakeLlm;
let session: voice.AgentSession | undefined;

/** The scripted model for the file's tests; each test's session closed and the script put back after it. */
export function useScriptedLlm() {
  beforeAll(async () => {
    fake = await startFakeLlm(voiceInterviewerScript);
  });
  afterAll(() => fake.close());
  afterEach(async () => {
    await session?.close();
    session = undefined;
    fake.setHandler(voiceInterviewerScript);
  });
}

export async function until(what: string, ok: () => boolean) {
  for (let waited = 0; !ok(); waited += 20) {
    if (waited > 10_000) throw new Error(`${what}: timed out`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function start(control: FakeControl) {
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

export const said = (r: voice.testing.RunResult) =>
  r.events.flatMap((e) => (e.type === 'message' && e.item.role === 'assistant' ? [e.item.textContent ?? ''] : []));

export const toolOutputs = (r: voice.testing.RunResult) =>
  r.events.flatMap((e) =>
    e.type === 'function_call_output' ? [{ name: e.item.name, output: e.item.output, isError: e.item.isError }] : [],
  );

export const system = (req: ChatRequest) => req.messages.find((m) => m.role === 'system')?.content ?? '';
export const lastSystem = () => system(fake.requests.at(-1)!);

/**
 * The scripted model, plus what a well-behaved model does with a stop request: it follows the
 * instructions' current step (ask to confirm, go on, or say goodbye and end).
 */
export const followsStopSteps: Handler = (req) => {
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
