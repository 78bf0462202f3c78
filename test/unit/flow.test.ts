import { describe, expect, it } from 'vitest';
import { classifyConfirmation, classifyUtterance, InterviewFlow, type TurnMeaning } from '../../agent/flow.js';

const plan = [1, 2, 3].map((position) => ({ position, text: `Question ${position}?` }));

const asked = (flow: InterviewFlow) => {
  flow.markAsked();
  return flow;
};

describe('InterviewFlow', () => {
  it('keeps one question current until it is answered', () => {
    const flow = asked(new InterviewFlow(plan, 1));
    expect(flow.current?.position).toBe(1);
    expect(flow.upNext?.position).toBe(2);
    expect(flow.advance()).toEqual({ moved: false, question: plan[0] });
    flow.recordAnswer();
    expect(flow.advance()).toEqual({ moved: true, question: plan[1] });
    // A second "next" in the same turn does not skip question 3.
    expect(flow.advance()).toEqual({ moved: false, question: plan[1] });
  });

  it('does not take words heard before the question was fully asked for an answer', () => {
    const flow = new InterviewFlow(plan, 0);
    expect(flow.recordAnswer()).toBe('not_asked');
    expect(flow.answersOnCurrent).toBe(0);
    flow.markAsked();
    expect(flow.recordAnswer()).toBe('budget_used');
    flow.advance();
    expect(flow.asked).toBe(false);
    expect(flow.recordAnswer()).toBe('not_asked');
  });

  it('counts the follow-up budget per question', () => {
    const flow = asked(new InterviewFlow(plan, 1));
    expect(flow.recordAnswer()).toBe('may_follow_up');
    expect(flow.followUpsLeft).toBe(1);
    expect(flow.recordAnswer()).toBe('budget_used');
    expect(flow.followUpsLeft).toBe(0);
    flow.advance();
    expect(flow.answersOnCurrent).toBe(0);
    expect(asked(new InterviewFlow(plan, 0)).recordAnswer()).toBe('budget_used');
  });

  it('is done after the last question is answered, and resumes at a stored position', () => {
    const flow = asked(new InterviewFlow(plan, 0, 3));
    expect(flow.current?.position).toBe(3);
    expect(flow.upNext).toBeUndefined();
    flow.recordAnswer();
    expect(flow.advance()).toEqual({ moved: true, question: undefined });
    expect(flow.done).toBe(true);
    expect(new InterviewFlow(plan, 0, 9).done).toBe(true);
  });

  it('counts the questions without an answer yet', () => {
    const flow = new InterviewFlow(plan, 1);
    expect(flow.remaining).toBe(3);
    flow.markAsked();
    expect(flow.remaining).toBe(3);
    flow.recordAnswer();
    expect(flow.remaining).toBe(2);
    flow.advance();
    expect(flow.remaining).toBe(2);
    const last = asked(new InterviewFlow(plan, 1, 3));
    last.recordAnswer();
    expect(last.remaining).toBe(0);
    expect(last.done).toBe(false);
  });
});

describe('InterviewFlow.progress', () => {
  // [what happened, asked, answered]
  it.each<[string, (f: InterviewFlow) => void, number, number]>([
    ['nothing yet', () => {}, 0, 0],
    ['question 1 cut off while asking, then answered', (f) => f.recordAnswer(), 0, 0],
    ['question 1 heard', (f) => f.markAsked(), 1, 0],
    ['question 1 heard and answered', (f) => (f.markAsked(), f.recordAnswer()), 1, 1],
    ['question 1 answered twice (a follow-up)', (f) => (f.markAsked(), f.recordAnswer(), f.recordAnswer()), 1, 1],
    ['moved on to question 2, not yet heard', (f) => (f.markAsked(), f.recordAnswer(), f.advance()), 1, 1],
    ['question 2 heard', (f) => (f.markAsked(), f.recordAnswer(), f.advance(), f.markAsked()), 2, 1],
    [
      'all three answered',
      (f) => {
        for (let i = 0; i < 3; i++) {
          f.markAsked();
          f.recordAnswer();
          f.advance();
        }
      },
      3,
      3,
    ],
  ])('%s → asked %i, answered %i', (_, act, questionsAsked, questionsAnswered) => {
    const flow = new InterviewFlow(plan, 1);
    act(flow);
    expect(flow.progress).toEqual({ questionsAsked, questionsAnswered });
  });

  it('counts the questions a resumed interview had already moved past', () => {
    const flow = new InterviewFlow(plan, 1, 3);
    expect(flow.progress).toEqual({ questionsAsked: 2, questionsAnswered: 2 });
    flow.markAsked();
    flow.recordAnswer();
    expect(flow.progress).toEqual({ questionsAsked: 3, questionsAnswered: 3 });
  });
});

describe('InterviewFlow.recordClosingAnswer (time running out)', () => {
  it('completes the plan when it answers the last question', () => {
    const flow = asked(new InterviewFlow(plan, 1, 3));
    flow.recordClosingAnswer();
    expect(flow.done).toBe(true);
    expect(flow.progress).toEqual({ questionsAsked: 3, questionsAnswered: 3 });
  });

  it('records but never moves on before the last question', () => {
    const flow = asked(new InterviewFlow(plan, 1));
    flow.recordClosingAnswer();
    expect(flow.done).toBe(false);
    expect(flow.current?.position).toBe(1);
    expect(flow.progress).toEqual({ questionsAsked: 1, questionsAnswered: 1 });
  });

  it('does not count words heard before the last question was fully asked', () => {
    const flow = new InterviewFlow(plan, 1, 3);
    flow.recordClosingAnswer();
    expect(flow.done).toBe(false);
    expect(flow.progress.questionsAnswered).toBe(2);
  });
});

describe('InterviewFlow.hear (a stop needs confirming)', () => {
  // Each row: the candidate's turns in order, what each one means, and the stop state after.
  it.each<[string, [string, TurnMeaning][], string]>([
    ['a plain answer', [['I led the payments team.', 'answer']], 'none'],
    [
      'stop, then yes',
      [
        ['Can we stop the interview?', 'stop_requested'],
        ['Yes, please.', 'stop_confirmed'],
      ],
      'confirmed',
    ],
    [
      'stop, then no',
      [
        ['I have to go now.', 'stop_requested'],
        ["No, let's continue.", 'stop_declined'],
      ],
      'declined',
    ],
    // An answer where a yes was expected is not a yes.
    [
      'stop, then an answer',
      [
        ['I want to stop', 'stop_requested'],
        ['I built a ledger in Postgres.', 'stop_declined'],
      ],
      'declined',
    ],
    [
      'stop, then unclear',
      [
        ['I want to stop', 'stop_requested'],
        ['Yes, well, actually no.', 'stop_declined'],
      ],
      'declined',
    ],
    [
      'stop, then stop again',
      [
        ['I want to stop', 'stop_requested'],
        ['I want to stop', 'stop_confirmed'],
      ],
      'confirmed',
    ],
    [
      'stop, then stop again in other words',
      [
        ['Can we end here?', 'stop_requested'],
        ['Sorry, I really have to go now.', 'stop_confirmed'],
      ],
      'confirmed',
    ],
    [
      'declined, then the next answer is an answer again',
      [
        ['I want to stop', 'stop_requested'],
        ['No.', 'stop_declined'],
        ['I led the payments team.', 'answer'],
      ],
      'none',
    ],
    [
      'declined, then asking again asks again',
      [
        ['I want to stop', 'stop_requested'],
        ['No.', 'stop_declined'],
        ['I have to go', 'stop_requested'],
      ],
      'pending',
    ],
    ['a yes with no stop question pending is an answer', [['Yes.', 'answer']], 'none'],
    ['a request to repeat', [['Could you repeat that?', 'repeat']], 'none'],
    ['an answer that mentions stopping', [["I'd stop the deployment and roll back", 'answer']], 'none'],
  ])('%s', (_, turns, finalState) => {
    const flow = asked(new InterviewFlow(plan, 1));
    for (const [text, meaning] of turns) expect([text, flow.hear(text)]).toEqual([text, meaning]);
    expect(flow.stopState).toBe(finalState);
    // Hearing never counts an answer: the caller decides that.
    expect(flow.answersOnCurrent).toBe(0);
  });
});

describe('classifyUtterance', () => {
  it.each([
    // Requests: the whole utterance, with fillers around it.
    ['Can you repeat that please?', 'repeat'],
    ["Sorry, I didn't catch that", 'repeat'],
    ['sorry, could you repeat the question', 'repeat'],
    ['say that again please', 'repeat'],
    ['Um, what was the question again?', 'repeat'],
    ['Sorry?', 'repeat'],
    ['Pardon?', 'repeat'],
    ['Give me a moment', 'needs_moment'],
    ['give me a moment', 'needs_moment'],
    ['let me think', 'needs_moment'],
    ['hold on a second', 'needs_moment'],
    ['hold on let me think', 'needs_moment'],
    ['Okay, um, one second please.', 'needs_moment'],
    ['I want to stop the interview', 'stop'],
    ['can we stop the interview', 'stop'],
    ['I want to stop', 'stop'],
    ['I have to go now', 'stop'],
    ["I'd like to end the interview now, please.", 'stop'],
    ['I’m sorry, I have to go.', 'stop'],
    ['Can we end here?', 'stop'],
  ])('request: %s → %s', (text, kind) => expect(classifyUtterance(text)).toBe(kind));

  it.each([
    // Answers that contain a request's words: never a request.
    'First I have to go through the logs',
    'I really have to go through the logs first',
    "I'd stop the deployment and roll back",
    'we had to end the interview loop early at my last job',
    'give me the requirements first is what I tell product',
    'I repeat the tests every night',
    'I said it again and again to the team: test first.',
    'Hold on to your data, I always say, and back it up.',
    'Let me think about the trade-offs: latency against cost.',
    'I need a moment of quiet every morning to plan the day',
    'We had to repeat the migration three times because the first two runs lost rows in the ledger table',
    'I want to stop writing glue code and build products',
    'Stop the world pauses were our biggest problem',
    'I built a payment service in Node',
    'Second.',
    'Okay.',
    'um okay',
    'Yes.',
    '',
    '   ',
  ])('answer: %j', (text) => expect(classifyUtterance(text)).toBe('answer'));
});

describe('classifyConfirmation', () => {
  it.each([
    ['Yes.', 'yes'],
    ['yes please', 'yes'],
    ['Um, yes.', 'yes'],
    ['Yeah, let’s end it.', 'yes'],
    ['Yes, I want to stop.', 'yes'],
    ["I'd like to end the interview", 'yes'],
    ['Sure.', 'yes'],
    ['No.', 'no'],
    ['No, let’s continue.', 'no'],
    ['please continue', 'no'],
    ['Nope, keep going.', 'no'],
    ['Not yet.', 'no'],
  ])('%s → %s', (text, answer) => expect(classifyConfirmation(text)).toBe(answer));

  it.each([
    // Never a yes: mixed, off-topic, or empty. Unclear never ends the interview.
    'yes actually no',
    "Yes, well, no, let's go on.",
    'okay let’s continue',
    'Yes, I built a payments service in Node.',
    'I have to go through the logs first',
    'What do you mean?',
    'please',
    '',
  ])('unclear: %j', (text) => expect(classifyConfirmation(text)).toBe('unclear'));
});

// Arabic as recognisers write it: with or without vowel marks and hamza, Arabic punctuation, the
// Modern Standard Arabic forms and the Gulf ones candidates in the UAE mix in.
describe('Arabic requests and confirmations', () => {
  it.each([
    ['أعد السؤال من فضلك', 'repeat'],
    ['هل يمكنك تكرار السؤال مرة أخرى؟', 'repeat'],
    ['ممكن تعيد السؤال؟', 'repeat'],
    ['عفوًا، لم أفهم السؤال', 'repeat'],
    ['ما فهمت', 'repeat'],
    ['ما هو السؤال؟', 'repeat'],
    ['عفوًا؟', 'repeat'],
    ['لحظة من فضلك', 'needs_moment'],
    ['أعطني دقيقة للتفكير', 'needs_moment'],
    ['ثانيةً واحدة', 'needs_moment'],
    ['دعني أفكر قليلاً', 'needs_moment'],
    ['طيب، خليني أفكر', 'needs_moment'],
    ['أريد أن أنهي المقابلة الآن', 'stop'],
    ['اريد انهاء المقابلة', 'stop'],
    ['لننهِ المقابلة هنا', 'stop'],
    ['أوقف المقابلة من فضلك', 'stop'],
    ['آسف، يجب أن أذهب الآن', 'stop'],
    ['لا أريد أن أكمل', 'stop'],
    ['ابغي اوقف المقابلة', 'stop'],
  ])('request: %s → %s', (text, kind) => expect(classifyUtterance(text)).toBe(kind));

  it.each([
    // Answers holding a request's words: never a request.
    'عملت خمس سنوات في تطوير أنظمة الدفع في بنك',
    'أعد كتابة الخدمة كل عام لنحسن أداءها',
    'كان علي أن أذهب إلى العميل وأشرح له المشكلة',
    'أريد أن أنهي المشروع قبل موعده بأسبوع دائمًا',
    'لحظة إطلاق النظام كانت أصعب لحظة في مسيرتي',
    'نعم',
    'حسنًا',
  ])('answer: %j', (text) => expect(classifyUtterance(text)).toBe('answer'));

  it.each([
    ['نعم', 'yes'],
    ['نعم، من فضلك', 'yes'],
    ['أجل', 'yes'],
    ['أكيد', 'yes'],
    ['نعم متأكد', 'yes'],
    ['إي', 'yes'],
    ['نعم، أريد أن أنهي المقابلة', 'yes'],
    ['لا', 'no'],
    ['لا، لنكمل', 'no'],
    ['كلا', 'no'],
    ['ليس الآن', 'no'],
    ['أريد أن أكمل', 'no'],
    ['لا شكرًا', 'no'],
  ])('confirmation: %s → %s', (text, answer) => expect(classifyConfirmation(text)).toBe(answer));

  it.each(['نعم لا', 'عملت على نظام دفع', 'ماذا تقصد؟', ''])('unclear: %j', (text) => expect(classifyConfirmation(text)).toBe('unclear'));

  it('a stop asked in Arabic needs an Arabic yes, and an answer is never one', () => {
    const flow = asked(new InterviewFlow(plan, 1));
    expect(flow.hear('أريد أن أنهي المقابلة')).toBe('stop_requested');
    expect(flow.hear('عملت على نظام للمدفوعات')).toBe('stop_declined');
    expect(flow.hear('يجب أن أذهب الآن')).toBe('stop_requested');
    expect(flow.hear('نعم')).toBe('stop_confirmed');
    expect(flow.stopState).toBe('confirmed');
  });
});
