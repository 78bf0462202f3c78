// The voice interviewer: a voice.Agent that greets, asks the planned questions one at a time,
// keeps the follow-up budget, and hands the ending to the interview run. Two modes:
// - LLM: the model words the conversation; the code owns the plan (tools next_question and
//   end_interview) and re-renders the instructions with the live state for every LLM call.
// - structured (no LLM): the code asks the planned questions verbatim.
import { llm, voice } from '@livekit/agents';
import { ReadableStream, type ReadableStreamDefaultController } from 'node:stream/web';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { EndReason } from '../core/domain.js';
import { interviewerInstructions, type InterviewerState, type Lines } from '../prompts/interviewer.js';
import type { TurnTuning } from '../core/config/worker.js';
import type { CandidateControls } from './candidate-controls.js';
import type { InterviewFlow } from './flow.js';
import { acknowledgeWhenSlow } from './acknowledge.js';
import { guardVerdicts } from './verdict-guard.js';

/** What the agent needs from the interview run around it (timers, storage, ending). */
export interface InterviewControl {
  readonly flow: InterviewFlow;
  readonly mode: 'llm' | 'structured';
  readonly resumed: boolean;
  readonly wrappingUp: boolean;
  readonly ending: boolean;
  /** The fixed lines, in the interview's language. */
  readonly lines: Lines;
  /** This worker's recogniser understands the interview's language (agent/providers.ts hearsLanguage). */
  readonly hearsLanguage: boolean;
  /** The session's end-of-turn delays, restored after a held turn. */
  readonly turns: Pick<TurnTuning, 'minDelayMs' | 'maxDelayMs' | 'ackAfterMs'>;
  /** Everything the prompt needs, as of now (remaining time included). */
  state(): Omit<InterviewerState, 'current' | 'followUpsLeft' | 'awaitingFirstAnswer' | 'stopRequest'>;
  /** Resolves once `flow` holds the question plan; the greeting is said before. */
  readonly planned: Promise<void>;
  /** Hello and the AI-use notice: needs nothing from the plan. */
  greeting(): string;
  /** How many questions and how long: said after the greeting, once the plan is in. */
  outline(): string;
  /** A candidate turn is final (both modes). */
  candidateTurn(text: string): void;
  /** End after the current speech has been played out. */
  end(reason: EndReason): void;
}

/** Time is up: the plan counts as completed only if every question was asked and answered. */
const timeUpReason = (flow: InterviewFlow): EndReason => (flow.done ? 'completed' : 'time_limit');

/**
 * After "give me a moment" the next answer gets longer pauses before the interviewer takes the
 * floor: whoever asked for time is about to think aloud.
 */
export const HELD_TURN = { minDelay: 2_000, maxDelay: 6_000 } as const;

/**
 * How long the greeting's speech waits for the plan to add the first question to it. Below the
 * framework's 10 s idle limits on a speech's text and audio (generation.ts), which the greeting's
 * text, all sent at once, starts counting early.
 */
const OPENING_PLAN_WAIT_MS = 6_000;

export class InterviewerAgent extends voice.Agent implements CandidateControls {
  #lastUserItemId: string | undefined;
  #holding = false;
  /** The candidate turn last acknowledged (agent/acknowledge.ts). */
  #acknowledged: string | undefined;

  constructor(private readonly control: InterviewControl) {
    super({
      instructions: interviewerInstructions(liveState(control)),
      tools: control.mode === 'llm' ? interviewTools(control) : undefined,
    });
  }

  override async onEnter(): Promise<void> {
    // Never a silent interview: a candidate nobody can understand is told so, and HR sees it FAILED.
    // It ends once the notice is heard: a shutdown during onEnter would drop the speech unplayed.
    if (!this.control.hearsLanguage) {
      const notice = this.session.say(this.control.lines.languageUnavailable, { allowInterruptions: false });
      void notice.waitForPlayout().finally(() => this.control.end('agent_failed'));
      return;
    }
    const { lines } = this.control;
    // The greeting carries the AI-use notice, so the candidate must hear it whole. It is said at
    // once, while the question plan (an LLM call on a first join) is made, and the outline and first
    // question go into the same speech when the plan comes in time: no pause between them for the
    // candidate to take for their turn.
    let opening!: ReadableStreamDefaultController<string>;
    const text = new ReadableStream<string>({ start: (c) => void (opening = c) });
    opening.enqueue(`${this.control.resumed ? lines.resume : this.control.greeting()} `);
    const greeting = this.session.say(text, { allowInterruptions: false });
    const inTime = await Promise.race([this.control.planned.then(() => true), sleep(OPENING_PLAN_WAIT_MS, false, { ref: false })]);
    if (!inTime) {
      // A slow plan: the greeting ends on its own (the framework gives up on a speech whose text
      // idles 10 s), and the rest is a speech of its own once the plan is in.
      opening.close();
      await Promise.all([this.control.planned, greeting.waitForPlayout()]);
    }
    // From now on the next thing the agent says after moving on is the new question, so a reply
    // played out whole means the candidate heard it; an interrupted one does not count.
    this.session.on(voice.AgentSessionEventTypes.ConversationItemAdded, ({ item }) => {
      if (item.type === 'message' && item.role === 'assistant' && !item.interrupted) this.control.flow.markAsked();
    });
    const first = this.control.flow.current;
    const outline = this.control.resumed ? '' : `${this.control.outline()} `;
    const rest = first ? `${outline}${lines.firstQuestion(first.text)}` : `${outline}${lines.goodbye}`;
    if (inTime) {
      opening.enqueue(rest);
      opening.close();
    } else {
      this.session.say(rest, { allowInterruptions: false });
    }
    if (!first) this.control.end('completed');
  }

  /** Speech turns (both modes). In LLM mode the rules run in llmNode, which text turns reach too. */
  override async onUserTurnCompleted(_chatCtx: llm.ChatContext, message: llm.ChatMessage): Promise<void> {
    const text = message.textContent ?? '';
    if (this.control.mode === 'llm') return;
    const { lines } = this.control;
    this.control.candidateTurn(text);
    await this.control.planned;
    if (this.control.ending) return;

    const flow = this.control.flow;
    const meaning = flow.hear(text);
    this.#holdFloor(meaning === 'needs_moment');
    if (meaning === 'stop_confirmed') return this.#finish('candidate_asked_to_stop', lines.stopGoodbye);
    if (this.control.wrappingUp) {
      // "Please finish your current thought": whatever comes now is the last turn. An answer still
      // counts, and may be the one that completes the plan.
      if (meaning === 'answer') flow.recordClosingAnswer();
      return this.#finish(timeUpReason(flow), lines.goodbye);
    }

    switch (meaning) {
      case 'repeat':
        if (flow.current) this.session.say(flow.current.text);
        return;
      case 'needs_moment':
        this.session.say(lines.takeYourTime);
        return;
      case 'stop_requested':
        this.session.say(lines.confirmStop);
        return;
      case 'stop_declined':
        // Not an answer, whatever it said: the candidate was answering "do you want to end?".
        if (flow.current) this.session.say(`${lines.continueAfterStop} ${flow.current.text}`);
        return;
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
   * candidate message first goes through the interview's rules (follow-up budget, stop request);
   * then the system instructions are rendered fresh, so the model always sees the current question,
   * the time left and what it must do now.
   */
  override async llmNode(chatCtx: llm.ChatContext, toolCtx: llm.ToolContext, modelSettings: voice.ModelSettings) {
    // A turn during the greeting waits for the plan (long in by the greeting's end, as a rule).
    await this.control.planned;
    const last = chatCtx.items.at(-1);
    if (last?.type === 'message' && last.role === 'user' && last.id !== this.#lastUserItemId) {
      this.#lastUserItemId = last.id;
      this.#applyTurnRules(last.textContent ?? '');
    }
    const system = chatCtx.items.find((i) => i.type === 'message' && i.role === 'system');
    if (system?.type === 'message') system.content = [interviewerInstructions(liveState(this.control))];
    const reply = await voice.Agent.default.llmNode(this, chatCtx, toolCtx, modelSettings);
    if (!reply) return reply;
    // Read when each sentence is checked: next_question moves the flow while the reply streams.
    const { flow } = this.control;
    const guarded = guardVerdicts(reply, () => [flow.current?.text, flow.upNext?.text].filter((t) => t !== undefined));
    const { ackAfterMs } = this.control.turns;
    if (!ackAfterMs) return guarded;
    // Once per candidate turn: a tool call's second model call does not say it again.
    const turn = this.#lastUserItemId;
    return acknowledgeWhenSlow(guarded, {
      afterMs: ackAfterMs,
      text: this.control.lines.acknowledge,
      claim: () => {
        if (this.#acknowledged === turn) return false;
        this.#acknowledged = turn;
        return true;
      },
    });
  }

  #applyTurnRules(text: string) {
    this.control.candidateTurn(text);
    const flow = this.control.flow;
    // The stop question's state is kept here; the instructions tell the model what to say.
    const meaning = flow.hear(text);
    this.#holdFloor(meaning === 'needs_moment');
    if (meaning !== 'answer' || !flow.current) return;
    if (this.control.wrappingUp) return flow.recordClosingAnswer();
    // Out of follow-ups: the code moves on, and the fresh instructions tell the model to ask the
    // next question, so an eager model cannot keep one question going.
    if (flow.recordAnswer() === 'budget_used') flow.advance();
  }

  /** The page's "I'm done": the candidate's turn is over now (the framework's commit-user-turn). */
  commitTurn(): void {
    this.session.commitUserTurn();
  }

  /**
   * The page's "Repeat the question": what is being said stops and the question is said again,
   * whole (the candidate asked to hear it). The opening, which carries the AI notice, is never cut:
   * the framework refuses to interrupt it, and the question follows it.
   */
  repeatQuestion(): boolean {
    const question = this.control.flow.current;
    if (!question || this.control.ending) return false;
    try {
      void this.session.interrupt();
    } catch {
      // Speech that must be heard whole is playing; the repeat is queued after it.
    }
    this.session.say(question.text, { allowInterruptions: false });
    return true;
  }

  /** Longer end-of-turn delays for the next turn after "give me a moment"; the usual ones after it. */
  #holdFloor(hold: boolean) {
    if (hold === this.#holding) return;
    this.#holding = hold;
    const { minDelayMs, maxDelayMs } = this.control.turns;
    // Never shorter than the usual delays (AGENT_TURN_MIN_DELAY_MS is 2.5 s by default, above the hold's 2 s).
    const held = { minDelay: Math.max(HELD_TURN.minDelay, minDelayMs), maxDelay: Math.max(HELD_TURN.maxDelay, maxDelayMs) };
    this.session.updateOptions({ turnHandling: { endpointing: hold ? held : { minDelay: minDelayMs, maxDelay: maxDelayMs } } });
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
    stopRequest: flow.stopState,
  };
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * The model's two levers on the plan. Each refuses, with an error the model can act on, what the
 * plan does not allow: the model proposes, the code decides.
 */
function interviewTools(control: InterviewControl) {
  return {
    next_question: llm.tool({
      description:
        'Call when the candidate has finished answering the current question and you do not need a follow-up, ' +
        'or no follow-ups are left. Returns the next planned question: ask it word for word. Never invent questions.',
      execute: async () => {
        const { flow } = control;
        if (control.wrappingUp) {
          throw new llm.ToolError(
            'Time is almost up: do not ask another question. Thank the candidate, say goodbye, then call end_interview.',
          );
        }
        if (!flow.done && flow.answersOnCurrent === 0) {
          throw new llm.ToolError(
            'The candidate has not answered the current question yet, so there is no next question. ' +
              `Ask the current question, word for word, and wait for the answer: "${flow.current?.text}"`,
          );
        }
        const { question } = flow.advance();
        return question
          ? `Ask this question now, word for word: "${question.text}"`
          : 'All questions are done. Thank the candidate, say goodbye, then call end_interview.';
      },
    }),
    end_interview: llm.tool({
      description:
        'Call once, after you have said goodbye: when all questions are done, when time is up, or when the ' +
        'candidate asked to stop and then confirmed it. Ends the call.',
      parameters: z.object({
        reason: z
          .enum(['all_questions_done', 'candidate_asked_to_stop', 'time_is_up'])
          .describe(
            'Why the interview ends: all_questions_done once next_question said so; candidate_asked_to_stop only ' +
              'after the candidate said yes to ending; time_is_up only when your instructions say time is almost up.',
          ),
      }),
      execute: async ({ reason }) => {
        const { flow } = control;
        if (reason === 'candidate_asked_to_stop') {
          if (flow.stopState !== 'confirmed') {
            throw new llm.ToolError(
              'The candidate has not confirmed that they want to end the interview. Do not end it: ask them to ' +
                `confirm first ("${control.lines.confirmStop}") and wait for their answer.`,
            );
          }
          control.end('candidate_asked_to_stop');
          return undefined;
        }
        if (control.wrappingUp) {
          control.end(timeUpReason(flow));
          return undefined;
        }
        if (reason === 'time_is_up') {
          throw new llm.ToolError(
            'Time is not up yet. Do not end the interview: continue with the current question. ' +
              'Your instructions will say when time is almost up.',
          );
        }
        if (flow.remaining > 0) {
          throw new llm.ToolError(
            `${plural(flow.remaining, 'planned question has', 'planned questions have')} not been answered yet. ` +
              'Do not end the interview: once the current answer is complete, call next_question and ask the question it returns.',
          );
        }
        // The last question has its answer: the plan is done even if next_question was not called.
        flow.advance();
        control.end('completed');
        // No reply: the goodbye has been said.
        return undefined;
      },
    }),
  };
}
