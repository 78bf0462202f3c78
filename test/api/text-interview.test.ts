// Seed 002's text-mode interview through its public endpoints: start, one answer per question,
// complete; what the candidate sees, what HR sees, and that retries and races change nothing twice.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EVALUATION_PROMPT_VERSION } from '../../prompts/evaluation.js';
import { interviewerScript, startFakeLlm, type ChatRequest, type FakeLlm } from '../../testkit/fake-llm.js';
import { hrUser, json, scheduledInterview, startHarness, type Harness } from '../../testkit/api.js';
import { freshDatabase, type TestDatabase } from '../../testkit/postgres.js';

const JOB_TITLE = 'Senior Backend Developer - Fintech';
const START_FIELDS = [
  'ai_interview_type',
  'candidate_name',
  'current_question',
  'interview_id',
  'job_title',
  'message',
  'questions',
  'session_id',
  'status',
  'total_questions',
];
const SUBMIT_FIELDS = [
  'current_question_id',
  'feedback',
  'message',
  'next_instruction',
  'next_question',
  'next_question_id',
  'response_id',
];
const COMPLETE_FIELDS = [
  'answered_questions',
  'areas_for_improvement',
  'evaluation',
  'message',
  'recommendation',
  'score',
  'session_id',
  'status',
  'strengths',
  'total_questions',
];

type Hr = Awaited<ReturnType<typeof hrUser>>;
interface StartQuestion {
  id: string;
  text: string;
  type: string;
  order: number;
  audio_url: string;
}
interface Started {
  session_id: string;
  current_question: string | null;
  questions: StartQuestion[];
  [k: string]: unknown;
}
interface Submitted {
  response_id: string;
  current_question_id: string;
  next_question_id: string | null;
  next_question: string | null;
  feedback: string;
  next_instruction: string;
  message: string;
}
type Completed = Record<string, unknown>;
interface HrDetail {
  status: string;
  statusHistory: { from: string | null; to: string }[];
  endReason: string | null;
  transcript: { seq: number; speaker: string; text: string; questionOrder: number | null }[];
  evaluation: {
    scored: boolean;
    notScoredReason: string | null;
    score: number | null;
    recommendation: string | null;
    strengths: string[];
    areasForImprovement: string[];
    evaluation: string;
    criteria: { name: string; score: number; evidence: { ref: number; quote: string }[] }[];
    model: string | null;
    promptVersion: string;
  } | null;
}

// One database for the file, made first (both harnesses below share it; each test makes its own
// organization and interviews, so they do not see each other's rows).
let database: TestDatabase;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(() => database?.close());

// Public endpoints are rate-limited per address: each test speaks from its own.
let ipCounter = 0;
let ip = '';
beforeEach(() => {
  ipCounter += 1;
  ip = `192.0.2.${ipCounter}`;
});
const call = (h: Harness, path: string, init: RequestInit & { json?: unknown } = {}) => h.request(path, { ...init, ip });
const post = (h: Harness, path: string, body: unknown) => call(h, path, { method: 'POST', json: body });

/** Answers of one line each (the scripted evaluator reads one line per turn). */
const ANSWERS = [
  'I moved from support into backend work because I like fixing root causes.',
  'I rebuilt our payment reconciliation job so it runs in minutes instead of hours.',
  'Every change ships with tests and a reviewer who runs it locally.',
  'A deadlock in Postgres that only happened under month-end load; I reproduced it with pgbench.',
  'Idempotent handlers, retries with backoff, and a queue between the parts.',
];

/** A scheduled interview with a generated link: what the candidate receives. */
async function linkedInterview(h: Harness, hr: Hr, body: Record<string, unknown> = {}) {
  const { id } = await scheduledInterview(h, hr.auth, body);
  const res = await call(h, `/api/ai-interview/generate-link/${id}/`, {
    method: 'POST',
    headers: { ...hr.auth, 'content-type': 'application/json' },
  });
  expect(res.status).toBe(200);
  const link = await json<{ link_token: string; ai_session_id: string }>(res);
  return { id, token: link.link_token, sessionId: link.ai_session_id };
}

type Linked = Awaited<ReturnType<typeof linkedInterview>>;

const start = (h: Harness, l: Linked) => post(h, '/api/ai-interview/public/start/', { interview_id: l.id, link_token: l.token });
const submit = (h: Harness, l: Linked, text: string, questionId?: string, sessionId = l.sessionId) =>
  post(h, '/api/ai-interview/public/submit-response/', {
    session_id: sessionId,
    link_token: l.token,
    response_text: text,
    ...(questionId ? { question_id: questionId } : {}),
  });
const complete = (h: Harness, l: Linked, sessionId = l.sessionId) =>
  post(h, '/api/ai-interview/public/complete/', { session_id: sessionId, link_token: l.token });

async function started(h: Harness, l: Linked) {
  const res = await start(h, l);
  expect(res.status).toBe(200);
  return json<Started>(res);
}

async function answerAll(h: Harness, l: Linked, answers = ANSWERS) {
  const s = await started(h, l);
  for (const text of answers) expect((await submit(h, l, text)).status).toBe(200);
  return s;
}

const hrDetail = async (h: Harness, hr: Hr, id: string) => {
  const res = await call(h, `/api/interviews/${id}`, { headers: hr.auth });
  expect(res.status).toBe(200);
  return json<HrDetail>(res);
};

const responsesOf = (h: Harness, sessionId: string) =>
  h.deps.db.selectFrom('text_responses').selectAll().where('session_id', '=', sessionId).execute();
const sessionRow = (h: Harness, sessionId: string) =>
  h.deps.db.selectFrom('text_sessions').selectAll().where('id', '=', sessionId).executeTakeFirstOrThrow();
const turnsOf = (h: Harness, interviewId: string) =>
  h.deps.db.selectFrom('transcript_turns').selectAll().where('interview_id', '=', interviewId).orderBy('seq').execute();

describe('text interview, no LLM configured', () => {
  let h: Harness;
  let hr: Hr;
  beforeAll(async () => {
    h = await startHarness({}, database);
    hr = await hrUser(h);
  });

  it('start: every documented field, each question with id/text/type/order/audio_url; the interview is IN_PROGRESS', async () => {
    const l = await linkedInterview(h, hr);
    const res = await start(h, l);
    expect(res.status).toBe(200);
    const body = await json<Started>(res);
    expect(Object.keys(body).sort()).toEqual(START_FIELDS);
    expect(body).toMatchObject({
      session_id: l.sessionId,
      interview_id: l.id,
      candidate_name: 'Ahmed Hassan',
      job_title: JOB_TITLE,
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

    const detail = await hrDetail(h, hr, l.id);
    expect(detail.status).toBe('IN_PROGRESS');
    expect((await sessionRow(h, l.sessionId)).status).toBe('started');

    // Starting again (a reload) resumes the same session where it was.
    expect((await submit(h, l, ANSWERS[0]!)).status).toBe(200);
    const again = await started(h, l);
    expect(again.session_id).toBe(l.sessionId);
    expect(again.current_question).toBe(body.questions[1]!.text);
    expect(again.questions).toEqual(body.questions);
  });

  it('submit-response through every question: documented fields, neutral feedback, next_question null at the end', async () => {
    const l = await linkedInterview(h, hr);
    const s = await started(h, l);
    const feedback = new Set<string>();
    for (let i = 0; i < s.questions.length; i++) {
      const res = await submit(h, l, ANSWERS[i]!);
      expect(res.status).toBe(200);
      const body = await json<Submitted>(res);
      expect(Object.keys(body).sort()).toEqual(SUBMIT_FIELDS);
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

    const after = await submit(h, l, 'One more thing I forgot to say.');
    expect(after.status).toBe(409);
    expect((await json(after)).code).toBe('CONFLICT');

    const responses = await responsesOf(h, l.sessionId);
    expect(responses).toHaveLength(5);
    expect(new Set(responses.map((r) => r.question_id))).toEqual(new Set(s.questions.map((q) => q.id)));
    expect(responses.map((r) => r.response_text).sort()).toEqual([...ANSWERS].sort());
  });

  it('refuses submit and complete before start with 409, recording nothing', async () => {
    const l = await linkedInterview(h, hr);
    const res = await submit(h, l, 'An answer before starting.');
    expect(res.status).toBe(409);
    expect((await json(res)).code).toBe('CONFLICT');
    const done = await complete(h, l);
    expect(done.status).toBe(409);
    expect(await responsesOf(h, l.sessionId)).toHaveLength(0);
    expect(await turnsOf(h, l.id)).toHaveLength(0);
    expect((await sessionRow(h, l.sessionId)).status).toBe('created');
    expect((await hrDetail(h, hr, l.id)).evaluation).toBeNull();
  });

  it('refuses an empty or malformed answer with 400 and records nothing', async () => {
    const l = await linkedInterview(h, hr);
    await started(h, l);
    for (const res of [
      await submit(h, l, '   '),
      await submit(h, l, 'x'.repeat(10_001)),
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
    expect(await responsesOf(h, l.sessionId)).toHaveLength(0);
    expect((await sessionRow(h, l.sessionId)).current_position).toBe(1);
  });

  it('refuses a retried submit for an already answered question_id with 409, and keeps one answer', async () => {
    const l = await linkedInterview(h, hr);
    const s = await started(h, l);
    const [q1, q2] = s.questions as [StartQuestion, StartQuestion];
    const first = await submit(h, l, ANSWERS[0]!, q1.id);
    expect(first.status).toBe(200);
    const retry = await submit(h, l, ANSWERS[0]!, q1.id);
    expect(retry.status).toBe(409);
    expect(await json(retry)).toMatchObject({ code: 'CONFLICT', current_question_id: q2.id });

    const responses = await responsesOf(h, l.sessionId);
    expect(responses).toHaveLength(1);
    expect(responses[0]!.question_id).toBe(q1.id);
    expect((await sessionRow(h, l.sessionId)).current_position).toBe(2);
    expect((await turnsOf(h, l.id)).map((t) => t.seq)).toEqual([1, 2]);

    // The candidate carries on with the question it is really on.
    const next = await submit(h, l, ANSWERS[1]!, q2.id.toUpperCase());
    expect(next.status).toBe(200);
    expect((await json<Submitted>(next)).current_question_id).toBe(q2.id);
  });

  it('two concurrent submits for the same question record exactly one answer and advance once', async () => {
    const l = await linkedInterview(h, hr);
    const s = await started(h, l);
    const q1 = s.questions[0]!;
    const results = await Promise.all([
      submit(h, l, 'First tab answer to the opening question.', q1.id),
      submit(h, l, 'Second tab answer to the opening question.', q1.id),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);

    const responses = await responsesOf(h, l.sessionId);
    expect(responses).toHaveLength(1);
    expect(responses[0]!.question_id).toBe(q1.id);
    expect((await sessionRow(h, l.sessionId)).current_position).toBe(2);
    const turns = await turnsOf(h, l.id);
    expect(turns.map((t) => [t.seq, t.speaker])).toEqual([
      [1, 'agent'],
      [2, 'candidate'],
    ]);
    // The stored answer and the transcript agree on which one won.
    expect(turns[1]!.text).toBe(responses[0]!.response_text);

    // And a burst of untagged submits never answers one question twice or skips one.
    const burst = await Promise.all([0, 1, 2].map((i) => submit(h, l, `Burst answer number ${'abc'[i]}.`)));
    const ok = burst.filter((r) => r.status === 200).length;
    expect(burst.every((r) => r.status === 200 || r.status === 409)).toBe(true);
    const after = await responsesOf(h, l.sessionId);
    expect(after).toHaveLength(1 + ok);
    expect((await sessionRow(h, l.sessionId)).current_position).toBe(2 + ok);
    expect(new Set(after.map((r) => r.question_id)).size).toBe(after.length);
    expect((await turnsOf(h, l.id)).map((t) => t.seq)).toEqual(Array.from({ length: 2 * (1 + ok) }, (_, i) => i + 1));
  });

  it("answers 404 for another interview's session (or an unknown one) with this token", async () => {
    const a = await linkedInterview(h, hr);
    const b = await linkedInterview(h, hr);
    await started(h, a);
    await started(h, b);
    for (const res of [
      await submit(h, a, 'Trying to answer in someone else’s session.', undefined, b.sessionId),
      await complete(h, a, b.sessionId),
      await submit(h, a, 'An unknown session.', undefined, randomUUID()),
      await complete(h, a, randomUUID()),
    ]) {
      expect(res.status).toBe(404);
      expect((await json(res)).code).toBe('NOT_FOUND');
    }
    expect(await responsesOf(h, b.sessionId)).toHaveLength(0);
    expect((await sessionRow(h, b.sessionId)).status).toBe('started');
    expect((await hrDetail(h, hr, b.id)).evaluation).toBeNull();
  });

  it('complete with no LLM: documented fields, results withheld, evaluation stored not scored with a reason', async () => {
    const l = await linkedInterview(h, hr);
    const s = await answerAll(h, l);
    const res = await complete(h, l);
    expect(res.status).toBe(200);
    const body = await json<Completed>(res);
    expect(Object.keys(body).sort()).toEqual(COMPLETE_FIELDS);
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

    const detail = await hrDetail(h, hr, l.id);
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
      expect(t.text).toBe(i % 2 === 0 ? s.questions[q]!.text : ANSWERS[q]);
      expect(t.questionOrder).toBe(q + 1);
    });

    // After completion: the same result again, and nothing more can be started or answered.
    const again = await complete(h, l);
    expect(again.status).toBe(200);
    expect(await json(again)).toEqual(body);
    const restart = await start(h, l);
    expect(restart.status).toBe(410);
    expect((await json(restart)).code).toBe('INTERVIEW_ENDED');
    const late = await submit(h, l, 'A late answer.');
    expect(late.status).toBe(410);
    expect(await responsesOf(h, l.sessionId)).toHaveLength(5);
  });

  it('does not show a score with reveal on when nothing was scored', async () => {
    const l = await linkedInterview(h, hr, { revealResultsToCandidate: true });
    await answerAll(h, l, ANSWERS.slice(0, 2));
    const res = await complete(h, l);
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
    expect((await hrDetail(h, hr, l.id)).evaluation).toMatchObject({ scored: false, score: null });
  });

  it('serves each question as audio/wav from espeak-ng, and 404 for a wrong sig', async () => {
    // espeak-ng is part of this machine's setup: its absence is a failure, not a skip.
    expect(() => execFileSync('which', ['espeak-ng'], { stdio: 'pipe' })).not.toThrow();
    const l = await linkedInterview(h, hr);
    const s = await started(h, l);
    const [q1, q2] = s.questions as [StartQuestion, StartQuestion];

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

describe('text interview with an LLM', () => {
  let fake: FakeLlm;
  let h: Harness;
  let hr: Hr;
  beforeAll(async () => {
    fake = await startFakeLlm();
    h = await startHarness({ LLM_BASE_URL: fake.baseUrl, LLM_API_KEY: 'test' }, database);
    hr = await hrUser(h);
  });
  afterAll(() => fake?.close());
  afterEach(() => {
    fake.setHandler(interviewerScript);
  });

  const isEvaluation = (r: ChatRequest) => r.messages.some((m) => m.role === 'system' && m.content?.includes('You assess a job interview'));
  /** Evaluation requests about one interview: its answers are unique to it. */
  const evaluationsAbout = (marker: string) =>
    fake.requests.filter((r) => isEvaluation(r) && r.messages.some((m) => m.content?.includes(marker)));

  const markedAnswers = (marker: string) => ANSWERS.map((a, i) => (i === 0 ? `${marker} ${a}` : a));

  it('with reveal on, shows the score and recommendation; HR sees the evaluation with verified evidence only', async () => {
    const marker = `Reveal-${randomUUID().slice(0, 8)}`;
    const answers = markedAnswers(marker);
    const l = await linkedInterview(h, hr, { revealResultsToCandidate: true });
    const s = await answerAll(h, l, answers);
    const res = await complete(h, l);
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

    const detail = await hrDetail(h, hr, l.id);
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
    const l = await linkedInterview(h, hr);
    await answerAll(h, l);
    const res = await complete(h, l);
    expect(res.status).toBe(200);
    const body = await json<Completed>(res);
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
    expect((await hrDetail(h, hr, l.id)).evaluation).toMatchObject({
      scored: true,
      score: 72,
      recommendation: 'Yes',
      promptVersion: EVALUATION_PROMPT_VERSION,
      model: h.config.llm!.model,
    });
  });

  it('stores not scored, with the reason, when the LLM fails the evaluation', async () => {
    const l = await linkedInterview(h, hr, { revealResultsToCandidate: true });
    await answerAll(h, l);
    fake.setHandler((req) => (isEvaluation(req) ? { status: 500 } : interviewerScript(req)));
    const res = await complete(h, l);
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ score: null, recommendation: null, status: 'completed' });
    expect((await hrDetail(h, hr, l.id)).evaluation).toMatchObject({
      scored: false,
      score: null,
      notScoredReason: expect.stringMatching(/\S/),
      model: h.config.llm!.model,
    });
  });

  it('evaluates once when complete is called twice in a row, and returns the same result', async () => {
    const marker = `Twice-${randomUUID().slice(0, 8)}`;
    const l = await linkedInterview(h, hr, { revealResultsToCandidate: true });
    await answerAll(h, l, markedAnswers(marker));
    const first = await complete(h, l);
    const second = await complete(h, l);
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    const body = await json(first);
    expect(body.score).toBe(72);
    expect(await json(second)).toEqual(body);
    expect(evaluationsAbout(marker)).toHaveLength(1);
  });

  it('evaluates once when complete is called concurrently, and every caller gets the same result', async () => {
    const marker = `Race-${randomUUID().slice(0, 8)}`;
    const l = await linkedInterview(h, hr, { revealResultsToCandidate: true });
    await answerAll(h, l, markedAnswers(marker));
    // A slow model, so the other calls arrive while the first one is evaluating.
    fake.setHandler(async (req) => ({ ...(await interviewerScript(req)), ...(isEvaluation(req) ? { delayMs: 300 } : {}) }));
    const results = await Promise.all([complete(h, l), complete(h, l), complete(h, l)]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    const bodies = await Promise.all(results.map((r) => json(r)));
    expect(bodies[0]).toMatchObject({ score: 72, recommendation: 'Yes', status: 'completed' });
    expect(bodies[1]).toEqual(bodies[0]);
    expect(bodies[2]).toEqual(bodies[0]);

    const later = await complete(h, l);
    expect(later.status).toBe(200);
    expect(await json(later)).toEqual(bodies[0]);
    expect(evaluationsAbout(marker)).toHaveLength(1);
    const evaluations = await h.deps.db.selectFrom('evaluations').selectAll().where('interview_id', '=', l.id).execute();
    expect(evaluations).toHaveLength(1);
    const detail = await hrDetail(h, hr, l.id);
    expect(detail.status).toBe('COMPLETED');
    expect(detail.statusHistory.filter((c) => c.to === 'COMPLETED')).toHaveLength(1);
  });

  it('after complete, start and submit answer 410', async () => {
    const l = await linkedInterview(h, hr);
    await answerAll(h, l, ANSWERS.slice(0, 3));
    expect((await complete(h, l)).status).toBe(200);
    for (const res of [await start(h, l), await submit(h, l, 'Can I still add something?')]) {
      expect(res.status).toBe(410);
      expect((await json(res)).code).toBe('INTERVIEW_ENDED');
    }
    expect(await responsesOf(h, l.sessionId)).toHaveLength(3);
  });
});
