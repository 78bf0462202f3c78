// The interview's question flow, as plain state: which planned question is current, how many
// answers it has had, whether the candidate asked to stop, what the candidate's words ask for.
// Pure, so its rules are unit-tested.

export interface PlannedQuestion {
  position: number;
  text: string;
}

/**
 * A request to end the interview, which must be confirmed before it ends it: "I have to go" is
 * easy to mishear, and ending by mistake cannot be undone.
 * - pending: the agent asked "do you want to end now?" and waits for the answer;
 * - confirmed: the candidate said yes, the interview ends;
 * - declined: the candidate said anything else, the agent goes on with the current question
 *   (until the next turn).
 */
export type StopState = 'none' | 'pending' | 'confirmed' | 'declined';

/** What a candidate turn means for the interview, the pending stop question included. */
export type TurnMeaning = 'answer' | 'repeat' | 'needs_moment' | 'stop_requested' | 'stop_confirmed' | 'stop_declined';

export class InterviewFlow {
  #index: number;
  #answersOnCurrent = 0;
  #asked = false;
  #stop: StopState = 'none';

  constructor(
    readonly questions: PlannedQuestion[],
    /** Follow-up questions allowed per planned question (the issue's default: 1). */
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

  /** The planned question after the current one. */
  get upNext(): PlannedQuestion | undefined {
    return this.questions[this.#index + 1];
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

  /** Planned questions without an answer yet (the current one included, until it has one). */
  get remaining() {
    return this.questions.length - this.#index - (this.#answersOnCurrent > 0 ? 1 : 0);
  }

  /**
   * How far the plan got. The flow only moves past a question once it has an answer, so every
   * question before the current one was asked and answered (in this process or, resumed, before).
   */
  get progress(): { questionsAsked: number; questionsAnswered: number } {
    const onCurrent = this.current !== undefined;
    return {
      questionsAsked: this.#index + (onCurrent && this.#asked ? 1 : 0),
      questionsAnswered: this.#index + (onCurrent && this.#answersOnCurrent > 0 ? 1 : 0),
    };
  }

  get stopState(): StopState {
    return this.#stop;
  }

  /**
   * What a candidate turn means, and the stop question's state after it. While a stop is pending,
   * only a clear yes ends the interview; anything else, an answer included, means "go on".
   */
  hear(text: string): TurnMeaning {
    if (this.#stop === 'confirmed') return 'stop_confirmed';
    if (this.#stop === 'pending') {
      // Asking to stop again, in any words, is a yes too.
      const yes = classifyConfirmation(text) === 'yes' || classifyUtterance(text) === 'stop';
      this.#stop = yes ? 'confirmed' : 'declined';
      return this.#stop === 'confirmed' ? 'stop_confirmed' : 'stop_declined';
    }
    const kind = classifyUtterance(text);
    this.#stop = kind === 'stop' ? 'pending' : 'none';
    return kind === 'stop' ? 'stop_requested' : kind;
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
   * The answer given while time runs out: it counts, and when it answers the last question the plan
   * is done. It never moves on to another question: nothing new is asked in the wrap-up, and the
   * goodbye played out whole would otherwise count as having asked it.
   */
  recordClosingAnswer() {
    if (this.recordAnswer() !== 'not_asked' && this.#index === this.questions.length - 1) this.advance();
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
 * Lowercase words and apostrophes only: speech recognition punctuates at random. Arabic letters
 * stay, in one spelling: recognisers differ in the vowel marks and the hamza forms they write
 * (أعد / اعد, لحظةً / لحظه), so the marks go and each letter keeps its bare form.
 */
function normalise(text: string) {
  return text
    .toLowerCase()
    .replace(/[\u2018\u2019`]/g, "'")
    .replace(/[\u064b-\u065f\u0670\u0640]/g, '')
    .replace(/[أإآٱ]/g, 'ا')
    .replace(/ى/g, 'ي')
    .replace(/ة/g, 'ه')
    .replace(/[^a-z0-9\u0621-\u064a' ]+/g, ' ')
    .replace(/(^|\s)'+|'+(?=\s|$)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Whole-utterance pattern: a request is the entire utterance, never a phrase inside an answer. */
const whole = (...alternatives: string[]) => new RegExp(`^(?:${alternatives.join('|')})$`);
/** One or more of the phrases, one after another ("hold on, let me think"). */
const sequence = (...alternatives: string[]) => {
  const one = `(?:${alternatives.join('|')})`;
  return new RegExp(`^${one}(?: ${one})*$`);
};

/**
 * Strips the words people wrap a request in ("um, sorry, could you repeat that please"), from
 * both ends, but never down to nothing: "sorry?" on its own is itself a request.
 */
function core(text: string, fillers: RegExp) {
  let t = text;
  for (;;) {
    const lead = t.match(new RegExp(`^(?:${fillers.source}) `));
    const trail = t.match(new RegExp(` (?:${fillers.source})$`));
    if (lead) t = t.slice(lead[0].length);
    else if (trail) t = t.slice(0, t.length - trail[0].length);
    else return t;
  }
}

// Arabic as normalise() spells it: no vowel marks, bare alef, ه for ة, ي for ى. Candidates in the
// Gulf mix Modern Standard Arabic with dialect, so the common Gulf and Levantine forms are here too
// (ابغي, ابي, خليني, ما فهمت).
const REQUEST_FILLERS =
  /um+|uh+|uhm|erm|er|hmm+|hm+|mm+|ah|oh|okay|ok|alright|all right|so|well|sorry|i'?m sorry|i am sorry|please|excuse me|actually|but|yeah|thank you|thanks|you know|i mean|ام+|اه+|طيب|حسنا|اوكي|يعني|من فضلك|لو سمحت|لو تكرمت|رجاء|عفوا|اسف|اسفه|شكرا|شكرا لك|والله|بس|لكن/;

const POLITE = '(?:(?:can|could|would|will) you (?:please )?|please )?';
const SAID = '(?: (?:that|it|this|the question|that question|this question|the last question|the last part|what you said))?';
const AGAIN = '(?:again|once more|one more time)';
const REPEAT = whole(
  `${POLITE}repeat${SAID}(?: (?:${AGAIN}|for me))?`,
  `${POLITE}(?:say|ask|read)${SAID} ${AGAIN}`,
  "i (?:didn'?t|did not) (?:catch|hear|get|understand) (?:that|it|this|you|the question)",
  'what was the question(?: again)?',
  'what did you (?:say|ask)',
  'come again',
  'pardon(?: me)?',
  'sorry',
  'what',
  // "أعد السؤال من فضلك", "هل يمكنك تكرار السؤال مرة أخرى؟", "ممكن تعيد؟"
  `(?:(?:هل )?(?:ممكن|يمكنك|تستطيع|بامكانك)(?: ان)? )?(?:اعد|تعيد|اعاده|كرر|تكرر|تكرار)(?: (?:السؤال|سؤالك|ذلك|هذا|ما قلت|ما قلته|كلامك|السؤال الاخير))?(?: (?:مره اخري|مره ثانيه|ثانيه|مجددا|من جديد|لي))*`,
  '(?:لم|ما) (?:افهم|فهمت|اسمع|سمعت)(?: (?:السؤال|ذلك|هذا|عليك|جيدا|كويس))?',
  'ما (?:هو|كان) السؤال',
  'ماذا (?:قلت|سالت)',
  'ماذا',
  'عفوا',
);

const UNIT = '(?:moment|second|sec|minute|min)';
const MOMENT = sequence(
  // "give me a moment", "one second", "just a minute to think", "wait a sec", "a moment please"
  `(?:(?:(?:can|could|may) i (?:have|get|take)|(?:can|could) you give me|give me|i need|i'?ll need|let me have|let me take|i need to take|just|wait) )?(?:a|one|another|just a) ${UNIT}(?: (?:please|to think|to think about it|to think about that))?`,
  'let me think(?: about (?:it|that|this))?',
  'i need to think(?: about (?:it|that|this))?',
  'let me (?:collect|gather) my thoughts',
  '(?:hold|hang) on',
  'wait',
  // "لحظة من فضلك", "أعطني دقيقة للتفكير", "ثانية واحدة", "دعني أفكر قليلا"
  '(?:(?:اعطني|امهلني|عطني|ممكن|اريد|احتاج|احتاج الي|انتظر|فقط) )?(?:لحظه|ثانيه|دقيقه|برهه)(?: (?:واحده|للتفكير|لافكر))?',
  '(?:دعني|خليني|اسمح لي ان|احتاج ان|اريد ان) (?:افكر|ارتب افكاري)(?: (?:قليلا|شوي|في ذلك|في هذا))?',
  'انتظر(?: قليلا)?',
);

const STOP_OBJECT = '(?: (?:the|this) (?:interview|call|conversation))?(?: (?:now|here|early|please|for today))*';
const AR_STOP_OBJECT = '(?: (?:المقابله|هذه المقابله|المكالمه))?(?: (?:الان|هنا|حالا))*';
const STOP = whole(
  `(?:(?:can|could|may) (?:we|i) (?:please )?|i(?: really| just)?(?: want| wanna| would like|'d like| need) to |let'?s |let us |we can )(?:stop|end|finish|quit)${STOP_OBJECT}`,
  `(?:stop|quit)${STOP_OBJECT}`,
  `(?:end|finish) (?:the|this) (?:interview|call)(?: (?:now|here|early|please|for today))*`,
  `i(?: want| would like|'d like| need) to (?:leave|hang up)(?: (?:now|here|please))*`,
  'i (?:really |just )?(?:have|need|got) to go(?: now)?',
  "i'?ve got to go(?: now)?",
  'i gotta go(?: now)?',
  'i must go(?: now)?',
  'i quit',
  "i (?:don'?t|do not) want to (?:continue|go on|do this)(?: (?:anymore|any more))?",
  // "أريد أن أنهي المقابلة الآن", "لننهِ المقابلة", "أوقف المقابلة", "يجب أن أذهب"
  `(?:(?:انا )?(?:اريد|اود|ابغي|ابي|احتاج)(?: ان)? )?(?:انهي|انهاء|اوقف|ايقاف|اتوقف|التوقف|انسحب|الانسحاب|اغادر|اخرج)${AR_STOP_OBJECT}`,
  `(?:لننهي|لننه|لنوقف|لنتوقف|دعنا ننهي|دعنا نتوقف|خلينا نوقف|خلينا ننهي|ممكن ننهي|ممكن نوقف|هل يمكننا (?:انهاء|ايقاف|التوقف))${AR_STOP_OBJECT}`,
  `(?:اوقف|انه|توقف)${AR_STOP_OBJECT}`,
  '(?:انا )?(?:يجب|لازم)(?: ان)? (?:اذهب|امشي|اغادر)(?: (?:الان|حالا))?',
  'علي (?:ان اذهب|الذهاب|المغادره)(?: (?:الان|حالا))?',
  '(?:لا|ما) (?:اريد|ابغي|ابي) (?:ان )?(?:اكمل|استمر|الاستمرار|المتابعه|اكمل المقابله)',
);

/**
 * What an utterance asks for: to hear the question again, a moment to think, or to end the
 * interview. Only an utterance that is entirely such a request counts (wrapped in fillers like
 * "um", "okay", "sorry", "please"); anything else, including an answer that says "I have to go
 * through the logs" or "I'd stop the deployment", is an answer.
 */
export function classifyUtterance(text: string): UtteranceKind {
  const t = core(normalise(text), REQUEST_FILLERS);
  if (!t) return 'answer';
  if (REPEAT.test(t)) return 'repeat';
  if (MOMENT.test(t)) return 'needs_moment';
  if (STOP.test(t)) return 'stop';
  return 'answer';
}

// "okay" and "yes" are the answer here, not filler.
const CONFIRM_FILLERS =
  /um+|uh+|uhm|erm|er|hmm+|hm+|mm+|ah|oh|well|so|please|sorry|thank you|thanks|ام+|اه+|من فضلك|لو سمحت|عفوا|شكرا|شكرا لك|والله/;
const YES = sequence(
  'yes',
  'yeah',
  'yep',
  'yup',
  'sure',
  'ok',
  'okay',
  'correct',
  'right',
  "that'?s right",
  'that is right',
  'absolutely',
  'definitely',
  'i do',
  "i'?m sure",
  'i am sure',
  'do it',
  'go ahead',
  "(?:let'?s |let us |you can |we can |please )?(?:end|stop|finish)(?: (?:it|the interview|this interview|here|now))*",
  "i(?: want| would like|'d like) to (?:end|stop|finish)(?: (?:it|the interview|this interview|here|now))*",
  "i'?m done",
  'i am done',
  'goodbye',
  'bye',
  'نعم',
  'اي',
  'ايوه',
  'ايوا',
  'اجل',
  'بلي',
  'طبعا',
  'اكيد',
  'بالتاكيد',
  'صحيح',
  'تمام',
  'حسنا',
  'اوكي',
  'موافق',
  '(?:انا )?متاكد',
  '(?:انا )?متاكده',
  `(?:لننهي|لننه|انهها|انهيها|اوقفها|انه|اوقف)(?: (?:ها|المقابله|هنا|الان))*`,
  `(?:اريد|اود|ابغي|ابي)(?: ان)? (?:انهي|انهيها|اتوقف|انهاء)(?: (?:ها|المقابله|هنا|الان))*`,
  'مع السلامه',
  'الي اللقاء',
);
const NO = sequence(
  'no',
  'nope',
  'nah',
  'not yet',
  'not now',
  'not really',
  "i don'?t",
  'i do not',
  "(?:let'?s |let us |we can |i want to |i'?d like to |i would like to )?(?:continue|keep going|go on|carry on)",
  "i'?m fine",
  'i am fine',
  'never ?mind',
  'i changed my mind',
  "i didn'?t mean (?:that|it)",
  'my mistake',
  'wait',
  'لا',
  'كلا',
  'ليس (?:الان|بعد)',
  '(?:لا|ما) (?:اريد|ابغي|ابي)',
  '(?:(?:لا|دعنا|خلينا) )?(?:لنكمل|لنستمر|نكمل|نستمر|استمر|اكمل|واصل|نواصل)',
  '(?:اريد|اود|ابغي|ابي)(?: ان)? (?:اكمل|استمر|نكمل|الاستمرار)',
  'غيرت رايي',
  '(?:لم|ما) (?:اقصد|قصدت)(?: (?:ذلك|هذا))?',
  'انا بخير',
  'انتظر',
);

/**
 * The answer to "do you want to end the interview now?". Only a plain yes or no counts: a reply
 * that mixes both ("yes, well, no, let's go on") or says something else is unclear, and an unclear
 * reply never ends the interview.
 */
export function classifyConfirmation(text: string): 'yes' | 'no' | 'unclear' {
  const t = core(normalise(text), CONFIRM_FILLERS);
  if (!t) return 'unclear';
  if (YES.test(t)) return 'yes';
  if (NO.test(t)) return 'no';
  return 'unclear';
}
