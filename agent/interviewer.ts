// The voice interviewer: a voice.Agent that greets, asks the planned questions one at a time,
// keeps the follow-up budget, and hands the ending to the interview run. Two modes:
// - LLM: the model words the conversation; the code owns the plan (tools next_question and
//   end_interview) and re-renders the instructions with the live state for every LLM call.
// - structured (no LLM): the code asks the planned questions verbatim.
import { llm, voice } from '@livekit/agents';
import { z } from 'zod';
import { interviewerInstructions, lines, type InterviewerState } from '../prompts/interviewer.js';
import { classifyUtterance, type InterviewFlow } from './flow.js';
import { guardVerdicts } from './verdict-guard.js';

export const END_REASONS = [
  'completed',
  'candidate_asked_to_stop',
  'time_wrap_up',
  'time_limit',
  'candidate_silent',
  'candidate_left',
  'failed',
] as const;
export type EndReason = (typeof END_REASONS)[number];

/** What the agent needs from the interview run around it (timers, storage, ending). */
export interface InterviewControl {
  readonly flow: InterviewFlow;
  readonly mode: 'llm' | 'structured';
  readonly resumed: boolean;
  readonly wrappingUp: boolean;
  readonly ending: boolean;
  /** Everything the prompt needs, as of now (remaining time included). */
  state(): Omit<InterviewerState, 'current' | 'followUpsLeft' | 'awaitingFirstAnswer'>;
  greeting(): string;
  /** A candidate turn is final (both modes). */
  candidateTurn(text: string): void;
  /** End after the current speech has been played out. */
  end(reason: EndReason): void;
}

export class InterviewerAgent extends voice.Agent {
  #lastUserItemId: string | undefined;

  constructor(private readonly control: InterviewControl) {
    super({
      instructions: interviewerInstructions(liveState(control)),
      tools: control.mode === 'llm' ? interviewTools(control) : undefined,
    });
  }

  override async onEnter(): Promise<void> {
    // The next thing the agent says after moving on is the new question, so a reply played out
    // whole means the candidate heard it; an interrupted one does not count.
    this.session.on(voice.AgentSessionEventTypes.ConversationItemAdded, ({ item }) => {
      if (item.type === 'message' && item.role === 'assistant' && !item.interrupted) this.control.flow.markAsked();
    });
    const first = this.control.flow.current;
    const opening = this.control.resumed ? lines.resume : this.control.greeting();
    const text = first ? `${opening} ${lines.firstQuestion(first.text)}` : `${opening} ${lines.goodbye}`;
    // The opening carries the AI-use notice: the candidate must hear it whole.
    this.session.say(text, { allowInterruptions: false });
    if (!first) this.control.end('completed');
  }

  /** Speech turns (both modes). In LLM mode the rules run in llmNode, which text turns reach too. */
  override async onUserTurnCompleted(_chatCtx: llm.ChatContext, message: llm.ChatMessage): Promise<void> {
    const text = message.textContent ?? '';
    if (this.control.mode === 'llm') return;
    this.control.candidateTurn(text);
    if (this.control.ending) return;
    if (this.control.wrappingUp) return this.#finish('time_wrap_up', lines.goodbye);

    const flow = this.control.flow;
    switch (classifyUtterance(text)) {
      case 'repeat':
        if (flow.current) this.session.say(flow.current.text);
        return;
      case 'needs_moment':
        this.session.say(lines.takeYourTime);
        return;
      case 'stop':
        return this.#finish('candidate_asked_to_stop', lines.stopGoodbye);
      case 'answer': {
        // Cut off while asking (the candidate was still finishing the last answer): ask again.
        if (flow.recordAnswer() === 'not_asked') {
          if (flow.current) this.session.say(flow.current.text);
          return;
        }
        const { question } = flow.advance();
        if (question) this.session.say(lines.nextQuestion(question.text));
        else this.#finish('completed', lines.goodbye);
      }
    }
  }

  /**
   * Every LLM call passes here, whether the turn came from speech or from a test's text input. A new
   * candidate message first goes through the interview's rules (follow-up budget); then the system
   * instructions are rendered fresh, so the model always sees the current question and time left.
   */
  override async llmNode(
    chatCtx: llm.ChatContext,
    toolCtx: llm.ToolContext,
    modelSettings: voice.ModelSettings,
  ) {
    const last = chatCtx.items.at(-1);
    if (last?.type === 'message' && last.role === 'user' && last.id !== this.#lastUserItemId) {
      this.#lastUserItemId = last.id;
      this.#applyTurnRules(last.textContent ?? '');
    }
    const system = chatCtx.items.find((i) => i.type === 'message' && i.role === 'system');
    if (system?.type === 'message') system.content = [interviewerInstructions(liveState(this.control))];
    const reply = await voice.Agent.default.llmNode(this, chatCtx, toolCtx, modelSettings);
    return reply && guardVerdicts(reply);
  }

  #applyTurnRules(text: string) {
    this.control.candidateTurn(text);
    const flow = this.control.flow;
    if (this.control.wrappingUp || classifyUtterance(text) !== 'answer' || !flow.current) return;
    // Out of follow-ups: the code moves on, and the fresh instructions tell the model to ask the
    // next question, so an eager model cannot keep one question going.
    if (flow.recordAnswer() === 'budget_used') flow.advance();
  }

  #finish(reason: EndReason, words: string) {
    this.session.say(words, { allowInterruptions: false });
    this.control.end(reason);
  }
}

function liveState(control: InterviewControl): InterviewerState {
  const { flow } = control;
  return {
    ...control.state(),
    current: flow.current,
    followUpsLeft: flow.followUpsLeft,
    awaitingFirstAnswer: flow.answersOnCurrent === 0,
  };
}

function interviewTools(control: InterviewControl) {
  return {
    next_question: llm.tool({
      description:
        'Call when the candidate has finished answering the current question and you do not need a follow-up, ' +
        'or no follow-ups are left. Returns the next planned question: ask it word for word. Never invent questions.',
      execute: async () => {
        const { question } = control.flow.advance();
        return question
          ? `Ask this question now, word for word: "${question.text}"`
          : 'All questions are done. Thank the candidate, say goodbye, then call end_interview.';
      },
    }),
    end_interview: llm.tool({
      description:
        'Call once, after you have said goodbye: when all questions are done, when time is up, or when the ' +
        'candidate asks to stop. Ends the call.',
      parameters: z.object({
        reason: z
          .enum(['all_questions_done', 'candidate_asked_to_stop', 'time_is_up'])
          .describe('Why the interview ends.'),
      }),
      execute: async ({ reason }) => {
        control.end(
          reason === 'candidate_asked_to_stop'
            ? 'candidate_asked_to_stop'
            : reason === 'time_is_up' || control.wrappingUp
              ? 'time_wrap_up'
              : 'completed',
        );
        // No reply: the goodbye has been said.
        return undefined;
      },
    }),
  };
}
