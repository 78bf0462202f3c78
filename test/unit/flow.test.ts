import { describe, expect, it } from 'vitest';
import { classifyUtterance, InterviewFlow } from '../../agent/flow.js';

const plan = [1, 2, 3].map((position) => ({ position, text: `Question ${position}?` }));

describe('InterviewFlow', () => {
  const asked = (flow: InterviewFlow) => {
    flow.markAsked();
    return flow;
  };

  it('keeps one question current until it is answered', () => {
    const flow = asked(new InterviewFlow(plan, 1));
    expect(flow.current?.position).toBe(1);
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
    flow.recordAnswer();
    expect(flow.advance()).toEqual({ moved: true, question: undefined });
    expect(flow.done).toBe(true);
    expect(new InterviewFlow(plan, 0, 9).done).toBe(true);
  });
});

describe('classifyUtterance', () => {
  it.each([
    ['Can you repeat that please?', 'repeat'],
    ["Sorry, I didn't catch that", 'repeat'],
    ['Give me a moment', 'needs_moment'],
    ['hold on let me think', 'needs_moment'],
    ['I want to stop the interview', 'stop'],
    ['I built a payment service in Node', 'answer'],
    ['', 'answer'],
  ])('%s → %s', (text, kind) => expect(classifyUtterance(text)).toBe(kind));

  it('takes a long answer that mentions repeating for an answer', () => {
    expect(
      classifyUtterance('We had to repeat the migration three times because the first two runs lost rows in the ledger table'),
    ).toBe('answer');
  });
});
