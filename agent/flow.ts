// The interview's question flow, as plain state: which planned question is current, how many
// answers it has had, what the candidate's words ask for. Pure, so its rules are unit-tested.

export interface PlannedQuestion {
  position: number;
  text: string;
}

export class InterviewFlow {
  #index: number;
  #answersOnCurrent = 0;
  #asked = false;

  constructor(
    readonly questions: PlannedQuestion[],
    /** Follow-up questions allowed per planned question (the default: 1). */
    readonly maxFollowUps: number,
    /** Resume at this position (1-based) after a restart. */
    startPosition = 1,
  ) {
    const i = questions.findIndex((q) => q.position >= startPosition);
    this.#index = i === -1 ? questions.length : i;
  }

  get current(): PlannedQuestion | undefined {
    return this.questions[this.#index];
  }

  get answersOnCurrent() {
    return this.#answersOnCurrent;
  }

  /** The candidate has heard the current question (the agent finished saying it, uninterrupted). */
  get asked() {
    return this.#asked;
  }

  markAsked() {
    this.#asked = true;
  }

  /** Follow-up questions still allowed on the current question, once it has its first answer. */
  get followUpsLeft() {
    return Math.max(0, this.maxFollowUps + 1 - this.#answersOnCurrent);
  }

  /** Every planned question has been asked and answered. */
  get done() {
    return this.#index >= this.questions.length;
  }

  /**
   * The candidate answered the current question (first answer or a follow-up answer). Words heard
   * before the question was fully asked are the end of the previous answer, not an answer to this
   * one: a split answer must not skip a question.
   */
  recordAnswer(): 'not_asked' | 'may_follow_up' | 'budget_used' {
    if (!this.#asked) return 'not_asked';
    this.#answersOnCurrent += 1;
    return this.#answersOnCurrent > this.maxFollowUps ? 'budget_used' : 'may_follow_up';
  }

  /**
   * Moves to the next question, only if the current one has been answered: a second "next" in the
   * same turn (the code moved on, then the model asks to) must not skip a question.
   */
  advance(): { moved: boolean; question: PlannedQuestion | undefined } {
    if (this.done) return { moved: false, question: undefined };
    if (this.#answersOnCurrent === 0) return { moved: false, question: this.current };
    this.#index += 1;
    this.#answersOnCurrent = 0;
    this.#asked = false;
    return { moved: true, question: this.current };
  }
}

export type UtteranceKind = 'repeat' | 'needs_moment' | 'stop' | 'answer';

/**
 * What a short utterance asks for. Only clear, short requests count: anything else is an answer.
 * (Speech recognition is noisy, so the patterns are loose, and length-limited to avoid taking a
 * real answer that mentions "repeat" for a request.)
 */
export function classifyUtterance(text: string): UtteranceKind {
  const t = text.toLowerCase().replace(/[^a-z' ]+/g, ' ').trim();
  if (t.split(/\s+/).length > 12) return 'answer';
  if (/\b(repeat|say (that|it) again|pardon|didn'?t (catch|hear|get)|come again)\b/.test(t)) return 'repeat';
  if (/\b(moment|a second|a minute|let me think|hold on|give me)\b/.test(t)) return 'needs_moment';
  if (/\b(stop the interview|end the interview|i want to stop|i'?d like to stop|i have to go)\b/.test(t)) return 'stop';
  return 'answer';
}
