// Seed 002's text-mode interview with an LLM: results revealed or withheld, evidence HR sees verified,
// a failed evaluation stored as not scored, and one evaluation however often complete is called.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { EVALUATION_PROMPT_VERSION } from '../../prompts/evaluation.js';
import { interviewerScript, type ChatRequest, type FakeLlm } from '../../testkit/fake-llm.js';
import { json, type Harness } from '../../testkit/api.js';
import { useAddressPerTest, useFileDatabase, useLlmHarness } from './helpers/public.js';
import * as text from './helpers/text-interview.js';

const file = useFileDatabase();
useAddressPerTest('192.0.2');

describe('text interview with an LLM', () => {
  const llm = useLlmHarness(file);
  let fake: FakeLlm;
  let h: Harness;
  let hr: text.Hr;
  beforeAll(() => ({ fake, h, hr } = llm));

  const isEvaluation = (r: ChatRequest) => r.messages.some((m) => m.role === 'system' && m.content?.includes('You assess a job interview'));
  /** Evaluation requests about one interview: its answers are unique to it. */
  const evaluationsAbout = (marker: string) =>
    fake.requests.filter((r) => isEvaluation(r) && r.messages.some((m) => m.content?.includes(marker)));

  const markedAnswers = (marker: string) => text.ANSWERS.map((a, i) => (i === 0 ? `${marker} ${a}` : a));

  it('with reveal on, shows the score and recommendation; HR sees the evaluation with verified evidence only', async () => {
    const marker = `Reveal-${randomUUID().slice(0, 8)}`;
    const answers = markedAnswers(marker);
    const l = await text.linkedInterview(h, hr, { revealResultsToCandidate: true });
    const s = await text.answerAll(h, l, answers);
    const res = await text.complete(h, l);
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({
      session_id: l.sessionId,
      evaluation: 'Answered 5 questions.',
      score: 72,
      total_questions: 5,
      answered_questions: 5,
      strengths: 'Clear answers',
      areas_for_improvement: 'More concrete examples',
      recommendation: 'Yes',
      status: 'completed',
      message: 'Interview completed successfully',
    });

    const sent = evaluationsAbout(marker);
    expect(sent).toHaveLength(1);
    const user = sent[0]!.messages.find((m) => m.role === 'user')!.content!;
    expect(user).toContain('<<<TRANSCRIPT');
    expect(user).toContain(`2. candidate: ${answers[0]}`);
    expect(user).toContain(`1. interviewer: ${s.questions[0]!.text}`);

    const detail = await text.hrDetail(h, hr, l.id);
    expect(detail.evaluation).toMatchObject({
      scored: true,
      notScoredReason: null,
      score: 72,
      recommendation: 'Yes',
      strengths: ['Clear answers'],
      areasForImprovement: ['More concrete examples'],
      model: h.config.llm!.model,
      promptVersion: EVALUATION_PROMPT_VERSION,
    });
    // The scripted evaluator cites the first answer and one quote nobody said: only the real one stays.
    const firstWords = answers[0]!.split(/\s+/).slice(0, 4).join(' ');
    const communication = detail.evaluation!.criteria.find((c) => c.name === 'Communication');
    expect(communication).toMatchObject({ score: 70, evidence: [{ ref: 2, quote: firstWords }] });
    expect(detail.evaluation!.criteria.map((c) => [c.name, c.score])).toEqual([
      ['Relevant experience', 72],
      ['Technical depth', 72],
      ['Communication', 70],
      ['Problem solving', 72],
    ]);
    expect(JSON.stringify(detail.evaluation)).not.toContain('never said');
    expect(detail.transcript.map((t) => t.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(detail.transcript.filter((t) => t.speaker === 'candidate').map((t) => t.text)).toEqual(answers);
  });

  it('with reveal off (the default), withholds the results from the candidate but HR sees them', async () => {
    const l = await text.linkedInterview(h, hr);
    await text.answerAll(h, l);
    const res = await text.complete(h, l);
    expect(res.status).toBe(200);
    const body = await json<text.Completed>(res);
    expect(body).toMatchObject({
      score: null,
      recommendation: null,
      strengths: null,
      areas_for_improvement: null,
      total_questions: 5,
      answered_questions: 5,
      status: 'completed',
    });
    expect(body.evaluation).not.toContain('Answered 5 questions');
    expect(body.evaluation).not.toMatch(/\d/);
    expect((await text.hrDetail(h, hr, l.id)).evaluation).toMatchObject({
      scored: true,
      score: 72,
      recommendation: 'Yes',
      promptVersion: EVALUATION_PROMPT_VERSION,
      model: h.config.llm!.model,
    });
  });

  it('stores not scored, with the reason, when the LLM fails the evaluation', async () => {
    const l = await text.linkedInterview(h, hr, { revealResultsToCandidate: true });
    await text.answerAll(h, l);
    fake.setHandler((req) => (isEvaluation(req) ? { status: 500 } : interviewerScript(req)));
    const res = await text.complete(h, l);
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ score: null, recommendation: null, status: 'completed' });
    expect((await text.hrDetail(h, hr, l.id)).evaluation).toMatchObject({
      scored: false,
      score: null,
      notScoredReason: expect.stringMatching(/\S/),
      model: h.config.llm!.model,
    });
  });

  it('evaluates once when complete is called twice in a row, and returns the same result', async () => {
    const marker = `Twice-${randomUUID().slice(0, 8)}`;
    const l = await text.linkedInterview(h, hr, { revealResultsToCandidate: true });
    await text.answerAll(h, l, markedAnswers(marker));
    const first = await text.complete(h, l);
    const second = await text.complete(h, l);
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    const body = await json(first);
    expect(body.score).toBe(72);
    expect(await json(second)).toEqual(body);
    expect(evaluationsAbout(marker)).toHaveLength(1);
  });

  it('evaluates once when complete is called concurrently, and every caller gets the same result', async () => {
    const marker = `Race-${randomUUID().slice(0, 8)}`;
    const l = await text.linkedInterview(h, hr, { revealResultsToCandidate: true });
    await text.answerAll(h, l, markedAnswers(marker));
    // A slow model, so the other calls arrive while the first one is evaluating.
    fake.setHandler(async (req) => ({ ...(await interviewerScript(req)), ...(isEvaluation(req) ? { delayMs: 300 } : {}) }));
    const results = await Promise.all([text.complete(h, l), text.complete(h, l), text.complete(h, l)]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    const bodies = await Promise.all(results.map((r) => json(r)));
    expect(bodies[0]).toMatchObject({ score: 72, recommendation: 'Yes', status: 'completed' });
    expect(bodies[1]).toEqual(bodies[0]);
    expect(bodies[2]).toEqual(bodies[0]);

    const later = await text.complete(h, l);
    expect(later.status).toBe(200);
    expect(await json(later)).toEqual(bodies[0]);
    expect(evaluationsAbout(marker)).toHaveLength(1);
    const evaluations = await h.deps.db.selectFrom('evaluations').selectAll().where('interview_id', '=', l.id).execute();
    expect(evaluations).toHaveLength(1);
    const detail = await text.hrDetail(h, hr, l.id);
    expect(detail.status).toBe('COMPLETED');
    expect(detail.statusHistory.filter((c) => c.to === 'COMPLETED')).toHaveLength(1);
  });

  it('after complete, start and submit answer 410', async () => {
    const l = await text.linkedInterview(h, hr);
    await text.answerAll(h, l, text.ANSWERS.slice(0, 3));
    expect((await text.complete(h, l)).status).toBe(200);
    for (const res of [await text.start(h, l), await text.submit(h, l, 'Can I still add something?')]) {
      expect(res.status).toBe(410);
      expect((await json(res)).code).toBe('INTERVIEW_ENDED');
    }
    expect(await text.responsesOf(h, l.sessionId)).toHaveLength(3);
  });
});
