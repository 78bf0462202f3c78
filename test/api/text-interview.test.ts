// Seed 002's text-mode interview through its public endpoints with no LLM configured: start, one
// answer per question, complete; what the candidate sees, what HR sees, and that retries and races
// change nothing twice. With an LLM: text-interview-llm.test.ts.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { hrUser, json, startHarness, type Harness } from '../../testkit/api.js';
import { EVALUATION_PROMPT_VERSION } from '../../prompts/evaluation.js';
import { call, documented, post, useAddressPerTest, useFileDatabase } from './helpers/public.js';
import * as text from './helpers/text-interview.js';

const file = useFileDatabase();
useAddressPerTest('192.0.2');

describe('text interview, no LLM configured', () => {
  let h: Harness;
  let hr: text.Hr;
  beforeAll(async () => {
    h = await startHarness({}, file.database);
    hr = await hrUser(h);
  });

  it('start: every documented field, each question with id/text/type/order/audio_url; the interview is IN_PROGRESS', async () => {
    const l = await text.linkedInterview(h, hr);
    const body = await documented<text.Started>(await text.start(h, l), text.START_FIELDS);
    expect(body).toMatchObject({
      session_id: l.sessionId,
      interview_id: l.id,
      candidate_name: 'Ahmed Hassan',
      job_title: text.JOB_TITLE,
      ai_interview_type: 'technical',
      total_questions: 5,
      status: 'started',
      message: 'Interview started successfully',
    });
    expect(body.questions).toHaveLength(5);
    body.questions.forEach((q, i) => {
      expect(Object.keys(q).sort()).toEqual(['audio_url', 'id', 'order', 'text', 'type']);
      expect(q.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(q.order).toBe(i + 1);
      expect(q.text.length).toBeGreaterThan(10);
      expect(q.type).toMatch(/^[a-z]+$/);
      expect(q.audio_url).toMatch(new RegExp(`^/api/ai-interview/public/audio/${q.id}\\?sig=[A-Za-z0-9_-]{22}$`));
    });
    expect(new Set(body.questions.map((q) => q.id)).size).toBe(5);
    expect(body.current_question).toBe(body.questions[0]!.text);

    const detail = await text.hrDetail(h, hr, l.id);
    expect(detail.status).toBe('IN_PROGRESS');
    expect((await text.sessionRow(h, l.sessionId)).status).toBe('started');

    // Starting again (a reload) resumes the same session where it was.
    expect((await text.submit(h, l, text.ANSWERS[0]!)).status).toBe(200);
    const again = await text.started(h, l);
    expect(again.session_id).toBe(l.sessionId);
    expect(again.current_question).toBe(body.questions[1]!.text);
    expect(again.questions).toEqual(body.questions);
  });

  it('submit-response through every question: documented fields, neutral feedback, next_question null at the end', async () => {
    const l = await text.linkedInterview(h, hr);
    const s = await text.started(h, l);
    const feedback = new Set<string>();
    for (let i = 0; i < s.questions.length; i++) {
      const body = await documented<text.Submitted>(await text.submit(h, l, text.ANSWERS[i]!), text.SUBMIT_FIELDS);
      expect(body.response_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(body.current_question_id).toBe(s.questions[i]!.id);
      expect(body.next_question).toBe(s.questions[i + 1]?.text ?? null);
      expect(body.next_question_id).toBe(s.questions[i + 1]?.id ?? null);
      expect(body.message).toBe('Response submitted successfully');
      // No score, grade or verdict while the interview runs.
      expect(body.feedback).not.toMatch(/\d/);
      expect(body.feedback.toLowerCase()).not.toMatch(/score|great|excellent|good|poor|wrong|correct/);
      feedback.add(body.feedback);
      expect(body.next_instruction).toEqual(expect.any(String));
      if (i === s.questions.length - 1) expect(body.next_instruction.toLowerCase()).toContain('complete');
    }
    expect(feedback.size).toBe(1);

    const after = await text.submit(h, l, 'One more thing I forgot to say.');
    expect(after.status).toBe(409);
    expect((await json(after)).code).toBe('CONFLICT');

    const responses = await text.responsesOf(h, l.sessionId);
    expect(responses).toHaveLength(5);
    expect(new Set(responses.map((r) => r.question_id))).toEqual(new Set(s.questions.map((q) => q.id)));
    expect(responses.map((r) => r.response_text).sort()).toEqual([...text.ANSWERS].sort());
  });

  it('refuses submit and complete before start with 409, recording nothing', async () => {
    const l = await text.linkedInterview(h, hr);
    const res = await text.submit(h, l, 'An answer before starting.');
    expect(res.status).toBe(409);
    expect((await json(res)).code).toBe('CONFLICT');
    const done = await text.complete(h, l);
    expect(done.status).toBe(409);
    expect(await text.responsesOf(h, l.sessionId)).toHaveLength(0);
    expect(await text.turnsOf(h, l.id)).toHaveLength(0);
    expect((await text.sessionRow(h, l.sessionId)).status).toBe('created');
    expect((await text.hrDetail(h, hr, l.id)).evaluation).toBeNull();
  });

  it('refuses an empty or malformed answer with 400 and records nothing', async () => {
    const l = await text.linkedInterview(h, hr);
    await text.started(h, l);
    for (const res of [
      await text.submit(h, l, '   '),
      await text.submit(h, l, 'x'.repeat(10_001)),
      await post(h, '/api/ai-interview/public/submit-response/', { session_id: l.sessionId, link_token: l.token }),
      await post(h, '/api/ai-interview/public/submit-response/', {
        session_id: 'not-a-uuid',
        link_token: l.token,
        response_text: 'An answer.',
      }),
    ]) {
      expect(res.status).toBe(400);
      expect((await json(res)).code).toBe('VALIDATION_FAILED');
    }
    expect(await text.responsesOf(h, l.sessionId)).toHaveLength(0);
    expect((await text.sessionRow(h, l.sessionId)).current_position).toBe(1);
  });

  it('refuses a retried submit for an already answered question_id with 409, and keeps one answer', async () => {
    const l = await text.linkedInterview(h, hr);
    const s = await text.started(h, l);
    const [q1, q2] = s.questions as [text.StartQuestion, text.StartQuestion];
    const first = await text.submit(h, l, text.ANSWERS[0]!, q1.id);
    expect(first.status).toBe(200);
    const retry = await text.submit(h, l, text.ANSWERS[0]!, q1.id);
    expect(retry.status).toBe(409);
    expect(await json(retry)).toMatchObject({ code: 'CONFLICT', current_question_id: q2.id });

    const responses = await text.responsesOf(h, l.sessionId);
    expect(responses).toHaveLength(1);
    expect(responses[0]!.question_id).toBe(q1.id);
    expect((await text.sessionRow(h, l.sessionId)).current_position).toBe(2);
    expect((await text.turnsOf(h, l.id)).map((t) => t.seq)).toEqual([1, 2]);

    // The candidate carries on with the question it is really on.
    const next = await text.submit(h, l, text.ANSWERS[1]!, q2.id.toUpperCase());
    expect(next.status).toBe(200);
    expect((await json<text.Submitted>(next)).current_question_id).toBe(q2.id);
  });

  it('two concurrent submits for the same question record exactly one answer and advance once', async () => {
    const l = await text.linkedInterview(h, hr);
    const s = await text.started(h, l);
    const q1 = s.questions[0]!;
    const results = await Promise.all([
      text.submit(h, l, 'First tab answer to the opening question.', q1.id),
      text.submit(h, l, 'Second tab answer to the opening question.', q1.id),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);

    const responses = await text.responsesOf(h, l.sessionId);
    expect(responses).toHaveLength(1);
    expect(responses[0]!.question_id).toBe(q1.id);
    expect((await text.sessionRow(h, l.sessionId)).current_position).toBe(2);
    const turns = await text.turnsOf(h, l.id);
    expect(turns.map((t) => [t.seq, t.speaker])).toEqual([
      [1, 'agent'],
      [2, 'candidate'],
    ]);
    // The stored answer and the transcript agree on which one won.
    expect(turns[1]!.text).toBe(responses[0]!.response_text);

    // And a burst of untagged submits never answers one question twice or skips one.
    const burst = await Promise.all([0, 1, 2].map((i) => text.submit(h, l, `Burst answer number ${'abc'[i]}.`)));
    const ok = burst.filter((r) => r.status === 200).length;
    expect(burst.every((r) => r.status === 200 || r.status === 409)).toBe(true);
    const after = await text.responsesOf(h, l.sessionId);
    expect(after).toHaveLength(1 + ok);
    expect((await text.sessionRow(h, l.sessionId)).current_position).toBe(2 + ok);
    expect(new Set(after.map((r) => r.question_id)).size).toBe(after.length);
    expect((await text.turnsOf(h, l.id)).map((t) => t.seq)).toEqual(Array.from({ length: 2 * (1 + ok) }, (_, i) => i + 1));
  });

  it("answers 404 for another interview's session (or an unknown one) with this token", async () => {
    const a = await text.linkedInterview(h, hr);
    const b = await text.linkedInterview(h, hr);
    await text.started(h, a);
    await text.started(h, b);
    for (const res of [
      await text.submit(h, a, 'Trying to answer in someone else’s session.', undefined, b.sessionId),
      await text.complete(h, a, b.sessionId),
      await text.submit(h, a, 'An unknown session.', undefined, randomUUID()),
      await text.complete(h, a, randomUUID()),
    ]) {
      expect(res.status).toBe(404);
      expect((await json(res)).code).toBe('NOT_FOUND');
    }
    expect(await text.responsesOf(h, b.sessionId)).toHaveLength(0);
    expect((await text.sessionRow(h, b.sessionId)).status).toBe('started');
    expect((await text.hrDetail(h, hr, b.id)).evaluation).toBeNull();
  });

  it('complete with no LLM: documented fields, results withheld, evaluation stored not scored with a reason', async () => {
    const l = await text.linkedInterview(h, hr);
    const s = await text.answerAll(h, l);
    const body = await documented<text.Completed>(await text.complete(h, l), text.COMPLETE_FIELDS);
    expect(body).toEqual({
      session_id: l.sessionId,
      evaluation: expect.any(String),
      score: null,
      total_questions: 5,
      answered_questions: 5,
      strengths: null,
      areas_for_improvement: null,
      recommendation: null,
      status: 'completed',
      message: 'Interview completed successfully',
    });
    expect(body.evaluation).not.toMatch(/\d/);

    const detail = await text.hrDetail(h, hr, l.id);
    expect(detail.status).toBe('COMPLETED');
    expect(detail.endReason).toBe('text_completed');
    expect(detail.evaluation).toMatchObject({
      scored: false,
      notScoredReason: expect.stringMatching(/\S/),
      score: null,
      recommendation: null,
      model: null,
      promptVersion: EVALUATION_PROMPT_VERSION,
    });
    // The transcript: question and answer turns, seq 1..2N.
    expect(detail.transcript.map((t) => t.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    detail.transcript.forEach((t, i) => {
      const q = Math.floor(i / 2);
      expect(t.speaker).toBe(i % 2 === 0 ? 'agent' : 'candidate');
      expect(t.text).toBe(i % 2 === 0 ? s.questions[q]!.text : text.ANSWERS[q]);
      expect(t.questionOrder).toBe(q + 1);
    });

    // After completion: the same result again, and nothing more can be started or answered.
    const again = await text.complete(h, l);
    expect(again.status).toBe(200);
    expect(await json(again)).toEqual(body);
    const restart = await text.start(h, l);
    expect(restart.status).toBe(410);
    expect((await json(restart)).code).toBe('INTERVIEW_ENDED');
    const late = await text.submit(h, l, 'A late answer.');
    expect(late.status).toBe(410);
    expect(await text.responsesOf(h, l.sessionId)).toHaveLength(5);
  });

  it('does not show a score with reveal on when nothing was scored', async () => {
    const l = await text.linkedInterview(h, hr, { revealResultsToCandidate: true });
    await text.answerAll(h, l, text.ANSWERS.slice(0, 2));
    const res = await text.complete(h, l);
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({
      score: null,
      recommendation: null,
      strengths: null,
      areas_for_improvement: null,
      total_questions: 5,
      answered_questions: 2,
      status: 'completed',
    });
    expect((await text.hrDetail(h, hr, l.id)).evaluation).toMatchObject({ scored: false, score: null });
  });

  it('serves each question as audio/wav from the local voice (flite), and 404 for a wrong sig', async () => {
    // flite is part of this machine's setup: its absence is a failure, not a skip.
    expect(() => execFileSync('which', ['flite'], { stdio: 'pipe' })).not.toThrow();
    const l = await text.linkedInterview(h, hr);
    const s = await text.started(h, l);
    const [q1, q2] = s.questions as [text.StartQuestion, text.StartQuestion];

    const res = await call(h, q1.audio_url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('audio/wav');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('RIFF');
    expect(bytes.subarray(8, 12).toString('latin1')).toBe('WAVE');
    expect(bytes.length).toBeGreaterThan(1000);

    const url = new URL(q1.audio_url, 'http://localhost');
    const sig = url.searchParams.get('sig')!;
    const wrongSig = `${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`;
    const q2Sig = new URL(q2.audio_url, 'http://localhost').searchParams.get('sig')!;
    for (const path of [
      `${url.pathname}?sig=${wrongSig}`,
      `${url.pathname}?sig=${q2Sig}`,
      `${url.pathname}?sig=`,
      url.pathname,
      `/api/ai-interview/public/audio/${randomUUID()}?sig=${sig}`,
    ]) {
      const wrong = await call(h, path);
      expect(wrong.status, path).toBe(404);
      expect(wrong.headers.get('content-type')).toContain('application/json');
    }
  });
});
