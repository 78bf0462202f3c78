// The question plan and the evaluation through the production wiring (buildDeps → createLlm),
// against stand-ins for each kind of OpenAI-compatible endpoint: one that follows the json_schema it
// is given (and chats in prose otherwise), one with json_object only, one with tool calls only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateInterview, evaluationSubject } from '../../core/evaluation.js';
import { createLogger } from '../../core/logger.js';
import { EVALUATION_PROMPT_VERSION } from '../../prompts/evaluation.js';
import { QUESTION_PLAN_PROMPT_VERSION } from '../../prompts/question-plan.js';
import {
  ENDPOINT_KINDS,
  answerName,
  criteriaIn,
  endpointLike,
  startFakeLlm,
  type ChatRequest,
  type FakeLlm,
} from '../../testkit/fake-llm.js';
import { hrUser, json, scheduledInterview, startHarness, type Harness } from '../../testkit/api.js';
import { call, useAddressPerTest, useFileDatabase } from './helpers/public.js';

const ANSWERS = [
  'I moved from support into backend work because I like fixing root causes.',
  'I rebuilt our payment reconciliation job so it runs in minutes instead of hours.',
  'Every change ships with tests and a reviewer who runs it locally.',
  'A deadlock in Postgres that only happened under month-end load.',
  'Idempotent handlers, retries with backoff, and a queue between the parts.',
];

/** The model behind every stand-in: answers by the schema's name, with values no fallback invents. */
function model(req: ChatRequest): Record<string, unknown> {
  // json_object requests name no schema: the model goes by what it is asked.
  const system = req.messages.find((m) => m.role === 'system')?.content ?? '';
  const name = answerName(req) ?? (system.includes('You plan job interviews') ? 'question_plan' : 'interview_evaluation');
  if (name === 'question_plan') {
    const criteria = criteriaIn(req);
    return {
      questions: Array.from({ length: 5 }, (_, i) => ({
        text: `Stand-in question ${i + 1}: what did you ship last?`,
        kind: 'Experience',
        criterion: criteria[i % criteria.length],
      })),
    };
  }
  if (name === 'interview_evaluation') {
    const user = [...req.messages].reverse().find((m) => m.role === 'user')?.content ?? '';
    const first = /^(\d+)\. candidate: (.*)$/m.exec(user);
    // Scores per criterion only: the default rubric's equal weights make (90+80+80+90)/4 = 85.
    const scores: Record<string, number> = { 'Relevant experience': 90, 'Technical depth': 80, Communication: 80, 'Problem solving': 90 };
    return {
      criteria: criteriaIn(req).map((name) => ({
        name,
        score: scores[name] ?? 0,
        evidence: name === 'Communication' && first ? [{ ref: Number(first[1]), quote: first[2]!.split(' ').slice(0, 5).join(' ') }] : [],
      })),
      strengths: ['Concrete examples'],
      areasForImprovement: ['Talk about trade-offs'],
      evaluation: 'Stand-in evaluation.',
    };
  }
  throw new Error(`unexpected schema name ${name}`);
}

const file = useFileDatabase();
useAddressPerTest('203.0.113', 101);

describe.each(ENDPOINT_KINDS)('an endpoint with %s', (kind) => {
  let fake: FakeLlm;
  let h: Harness;
  let hr: Awaited<ReturnType<typeof hrUser>>;
  beforeAll(async () => {
    fake = await startFakeLlm(endpointLike(kind, model));
    h = await startHarness({ LLM_BASE_URL: fake.baseUrl, LLM_API_KEY: 'test' }, file.database);
    hr = await hrUser(h);
  });
  afterAll(() => fake?.close());

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    call(h, path, { method: 'POST', headers, json: body });

  it('plans the questions with the LLM, one per criterion, and scores the text interview from its criterion scores', async () => {
    const { id } = await scheduledInterview(h, hr.auth);
    const linkRes = await post(`/api/ai-interview/generate-link/${id}/`, {}, hr.auth);
    expect(linkRes.status).toBe(200);
    const link = await json<{ link_token: string; ai_session_id: string }>(linkRes);

    const questions = await h.deps.db
      .selectFrom('interview_questions')
      .select(['text', 'kind', 'source', 'criterion', 'prompt_version'])
      .where('interview_id', '=', id)
      .orderBy('position')
      .execute();
    expect(questions).toEqual(
      Array.from({ length: 5 }, (_, i) => ({
        text: `Stand-in question ${i + 1}: what did you ship last?`,
        kind: 'experience',
        source: 'llm',
        criterion: ['Relevant experience', 'Technical depth', 'Communication', 'Problem solving'][i % 4],
        prompt_version: QUESTION_PLAN_PROMPT_VERSION,
      })),
    );

    expect((await post('/api/ai-interview/public/start/', { interview_id: id, link_token: link.link_token })).status).toBe(200);
    for (const text of ANSWERS) {
      const res = await post('/api/ai-interview/public/submit-response/', {
        session_id: link.ai_session_id,
        link_token: link.link_token,
        response_text: text,
      });
      expect(res.status).toBe(200);
    }
    const done = await post('/api/ai-interview/public/complete/', { session_id: link.ai_session_id, link_token: link.link_token });
    expect(done.status).toBe(200);

    const detail = await json<{ evaluation: Record<string, unknown> }>(await call(h, `/api/interviews/${id}`, { headers: hr.auth }));
    expect(detail.evaluation).toMatchObject({
      scored: true,
      notScoredReason: null,
      score: 85,
      recommendation: 'Strong Yes',
      strengths: ['Concrete examples'],
      model: h.config.llm!.model,
      promptVersion: EVALUATION_PROMPT_VERSION,
      version: 1,
      mustHavesUnmet: [],
    });
    expect(
      (detail.evaluation.criteria as { name: string; score: number; weight: number; evidence: unknown[] }[]).map((c) => [
        c.name,
        c.score,
        c.weight,
        c.evidence,
      ]),
    ).toEqual([
      ['Relevant experience', 90, 25, []],
      ['Technical depth', 80, 25, []],
      ['Communication', 80, 25, [{ ref: 2, quote: ANSWERS[0]!.split(' ').slice(0, 5).join(' ') }]],
      ['Problem solving', 90, 25, []],
    ]);

    // What went over the wire for this kind of endpoint, in the end.
    const last = fake.requests.at(-1)!;
    if (kind === 'json_schema') {
      expect(last.response_format).toMatchObject({ type: 'json_schema', json_schema: { name: 'interview_evaluation', strict: true } });
      // It never had to fall back.
      expect(fake.requests.every((r) => r.response_format?.type === 'json_schema')).toBe(true);
    } else if (kind === 'json_object') {
      expect(last.response_format).toEqual({ type: 'json_object' });
    } else {
      expect(last.response_format).toBeUndefined();
      expect(last.tool_choice).toEqual({ type: 'function', function: { name: 'interview_evaluation' } });
    }
  });

  it('evaluateInterview returns scored: true with the score computed from the stand-in criteria', async () => {
    const subject = evaluationSubject(
      {
        id: '00000000-0000-4000-8000-000000000001',
        interview_type: 'TECHNICAL',
        language: 'en',
        job_title: 'Backend Developer',
        job_description: 'Payments.',
        job_rubric: null,
      },
      [{ position: 1, text: 'Tell me about a hard bug.' }],
      [
        { seq: 1, speaker: 'agent', text: 'Tell me about a hard bug.' },
        { seq: 2, speaker: 'candidate', text: ANSWERS[3]! },
      ],
    );
    const before = fake.requests.length;
    const r = await evaluateInterview(h.deps.llm, subject, createLogger('silent'));
    expect(r).toMatchObject({ scored: true, score: 85, recommendation: 'Strong Yes', evaluation_text: 'Stand-in evaluation.' });
    // The mode that worked is remembered: one request, no fallback round.
    expect(fake.requests.length - before).toBe(1);
  });
});
