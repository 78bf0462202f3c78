// The interviewer's tools refuse what the plan does not allow, whatever the model calls (LLM mode,
// the scripted server behind the production plugin).
import { initializeLogger } from '@livekit/agents';
import { describe, expect, it } from 'vitest';
import type { EndReason } from '../../core/domain.js';
import { type Handler } from '../../testkit/fake-llm.js';
import { fake, FakeControl, LONG_ANSWER, said, start, toolOutputs, useScriptedLlm } from './helpers/interviewer.js';

initializeLogger({ pretty: false, level: 'error' });
useScriptedLlm();

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
