// HR rubrics, the scoring rule and re-evaluation through the API, with an OpenAI-compatible
// stand-in that honours json_schema and scores each criterion as the test tells it to.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_RUBRIC } from '../../core/rubric.js';
import { candidateTurnsIn, criteriaIn, endpointLike, startFakeLlm, type FakeLlm } from '../../testkit/fake-llm.js';
import { completeTextInterview, hrUser, json, scheduledInterview, startHarness, type Harness } from '../../testkit/api.js';
import { expectError } from '../../testkit/errors.js';
import { freshDatabase, type TestDatabase } from '../../testkit/postgres.js';

const RUBRIC = [
  { name: 'Postgres', description: 'Designs schemas and debugs queries.', weight: 50, mustHave: true },
  { name: 'TypeScript', description: 'Writes typed, tested services.', weight: 30, mustHave: false },
  { name: 'Communication', description: 'Clear answers.', weight: 20, mustHave: false },
];
const ANSWERS = ['I tuned a Postgres index that cut a report from minutes to seconds.', 'I write TypeScript with strict types and tests.'];

interface CriterionView {
  name: string;
  weight: number;
  mustHave: boolean;
  score: number;
  assessed: boolean;
  met: boolean | null;
  evidence: { ref: number; quote: string }[];
}
interface EvaluationView {
  version: number;
  requestedBy: string;
  scored: boolean;
  score: number | null;
  recommendation: string | null;
  criteria: CriterionView[];
  mustHavesUnmet: string[];
  model: string | null;
}

/** What the stand-in model scores each criterion, and which criteria it backs with a true quote. */
let scores: Record<string, number> = {};
let quoted = new Set<string>();

let database: TestDatabase;
let fake: FakeLlm;
let h: Harness;
let hr: Awaited<ReturnType<typeof hrUser>>;
beforeAll(async () => {
  database = await freshDatabase();
  fake = await startFakeLlm(
    endpointLike('json_schema', (req) => {
      if (req.messages[0]?.content?.includes('You plan job interviews')) {
        const names = criteriaIn(req);
        return { questions: names.map((criterion) => ({ text: `Tell me about your ${criterion} work.`, kind: 'experience', criterion })) };
      }
      const first = candidateTurnsIn(req)[0]!;
      return {
        criteria: criteriaIn(req)
          .filter((name) => name in scores)
          .map((name) => ({ name, score: scores[name], evidence: quoted.has(name) ? [{ ref: first.ref, quote: first.text }] : [] })),
        strengths: ['Concrete'],
        areasForImprovement: ['Depth'],
        evaluation: 'Stand-in.',
      };
    }),
  );
  h = await startHarness({ LLM_BASE_URL: fake.baseUrl, LLM_API_KEY: 'test' }, database);
  hr = await hrUser(h);
});
afterAll(async () => {
  await fake?.close();
  await database?.close();
});
beforeEach(() => {
  scores = { Postgres: 90, TypeScript: 70, Communication: 50 };
  quoted = new Set(['Postgres']);
});

const putRubric = (jobId: string, rubric: unknown, auth = hr.auth) =>
  h.request(`/api/jobs/${jobId}/rubric`, { method: 'PUT', headers: auth, json: { rubric } });
const detailOf = async (id: string) =>
  json<{
    evaluation: EvaluationView | null;
    evaluations: EvaluationView[];
    questions: { criterion: string | null }[];
    audit: { action: string; actor: string; details: Record<string, unknown> }[];
  }>(await h.request(`/api/interviews/${id}`, { headers: hr.auth }));
const reevaluate = (id: string) => h.request(`/api/interviews/${id}/evaluations`, { method: 'POST', headers: hr.auth });

async function evaluatedInterview(rubric: unknown = RUBRIC) {
  const { id, jobId } = await scheduledInterview(h, hr.auth);
  if (rubric) expect((await putRubric(jobId, rubric)).status).toBe(200);
  await completeTextInterview(h, hr.auth, id, ANSWERS);
  return { id, jobId };
}

describe('a job rubric', () => {
  it('is stored, shown and reset to the default with null', async () => {
    const { jobId } = await scheduledInterview(h, hr.auth);
    const res = await putRubric(jobId, RUBRIC);
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ id: jobId, rubric: RUBRIC, rubricIsDefault: false });
    expect(await json(await h.request(`/api/jobs/${jobId}`, { headers: hr.auth }))).toMatchObject({ rubric: RUBRIC });
    expect(await json(await putRubric(jobId, null))).toMatchObject({ rubric: DEFAULT_RUBRIC, rubricIsDefault: true });
  });

  it('refuses a malformed rubric with 400 and keeps the one stored', async () => {
    const { jobId } = await scheduledInterview(h, hr.auth);
    await putRubric(jobId, RUBRIC);
    const bad: unknown[] = [
      [],
      [{ name: 'A', weight: 0 }],
      [{ name: 'A', weight: 101 }],
      [{ name: 'A', weight: 1.5 }],
      [{ name: '', weight: 10 }],
      [
        { name: 'A', weight: 10 },
        { name: ' a ', weight: 10 },
      ],
      [{ name: 'A', weight: 10, extra: true }],
      Array.from({ length: 11 }, (_, i) => ({ name: `C${i}`, weight: 10 })),
      [{ name: 'x'.repeat(81), weight: 10 }],
      'Postgres',
    ];
    for (const rubric of bad) await expectError(await putRubric(jobId, rubric), 400, 'VALIDATION_FAILED');
    await expectError(
      await h.request(`/api/jobs/${jobId}/rubric`, { method: 'PUT', headers: hr.auth, json: { rubric: RUBRIC, more: 1 } }),
      400,
      'VALIDATION_FAILED',
    );
    expect(await json(await h.request(`/api/jobs/${jobId}`, { headers: hr.auth }))).toMatchObject({ rubric: RUBRIC });
  });

  it("is another organization's: 404, and unchanged", async () => {
    const { jobId } = await scheduledInterview(h, hr.auth);
    const other = await hrUser(h);
    await expectError(await putRubric(jobId, RUBRIC, other.auth), 404, 'NOT_FOUND');
    await expectError(await putRubric('not-a-uuid', RUBRIC), 404, 'NOT_FOUND');
    expect(await json(await h.request(`/api/jobs/${jobId}`, { headers: hr.auth }))).toMatchObject({ rubricIsDefault: true });
  });

  it('can be given when the job is created', async () => {
    const res = await h.request('/api/jobs', {
      method: 'POST',
      headers: hr.auth,
      json: { title: 'DBA', description: 'Postgres.', companyName: 'Acme', rubric: RUBRIC },
    });
    expect(res.status).toBe(201);
    expect(await json(res)).toMatchObject({ rubric: RUBRIC, rubricIsDefault: false });
  });
});

describe('scoring against the rubric', () => {
  it('plans a question per criterion and computes the weighted score in code', async () => {
    const { id } = await evaluatedInterview();
    const d = await detailOf(id);
    expect(d.questions.map((q) => q.criterion)).toEqual(['Postgres', 'TypeScript', 'Communication']);
    // 0.5 × 90 + 0.3 × 70 + 0.2 × 50 = 76 → "Yes" (70 ≤ 76 < 85).
    expect(d.evaluation).toMatchObject({
      version: 1,
      requestedBy: 'system',
      scored: true,
      score: 76,
      recommendation: 'Yes',
      mustHavesUnmet: [],
    });
    expect(d.evaluation!.criteria.map((c) => [c.name, c.weight, c.score, c.met])).toEqual([
      ['Postgres', 50, 90, true],
      ['TypeScript', 30, 70, null],
      ['Communication', 20, 50, null],
    ]);
    expect(d.evaluation!.criteria[0]!.evidence).toEqual([{ ref: 2, quote: ANSWERS[0] }]);
  });

  it('flags a must-have without a quote for a person, and leaves the recommendation to the score', async () => {
    quoted = new Set();
    scores = { Postgres: 95, TypeScript: 90, Communication: 90 };
    const { id } = await evaluatedInterview();
    const e = (await detailOf(id)).evaluation!;
    expect(e).toMatchObject({ score: 93, recommendation: 'Strong Yes', mustHavesUnmet: ['Postgres'] });
    expect(e.criteria[0]).toMatchObject({ name: 'Postgres', met: false });
  });

  it('counts a criterion the model left out as 0, marked not assessed', async () => {
    scores = { Postgres: 60, TypeScript: 60 };
    const { id } = await evaluatedInterview();
    const e = (await detailOf(id)).evaluation!;
    // (50 × 60 + 30 × 60 + 20 × 0) / 100 = 48 → "No".
    expect(e).toMatchObject({ score: 48, recommendation: 'No', mustHavesUnmet: [] });
    expect(e.criteria[2]).toMatchObject({ name: 'Communication', score: 0, assessed: false });
  });
});

describe('re-evaluation', () => {
  it('adds a version with the current rubric and keeps every earlier one', async () => {
    const { id, jobId } = await evaluatedInterview();
    // HR changes the rubric afterwards: version 1 keeps the one it was scored with.
    await putRubric(jobId, [{ name: 'Postgres', description: '', weight: 1, mustHave: false }]);
    const res = await reevaluate(id);
    expect(res.status).toBe(201);
    const v2 = await json<EvaluationView>(res);
    expect(v2).toMatchObject({ version: 2, requestedBy: `hr:${hr.userId}`, score: 90, recommendation: 'Strong Yes' });
    expect(v2.criteria.map((c) => c.name)).toEqual(['Postgres']);

    const d = await detailOf(id);
    expect(d.evaluation).toMatchObject({ version: 2, score: 90 });
    expect(d.evaluations.map((e) => [e.version, e.score, e.criteria.length])).toEqual([
      [2, 90, 1],
      [1, 76, 3],
    ]);
    const listed = await json<{ items: EvaluationView[] }>(await h.request(`/api/interviews/${id}/evaluations`, { headers: hr.auth }));
    expect(listed.items.map((e) => e.version)).toEqual([2, 1]);
    expect(d.audit.filter((a) => a.action === 'evaluation.reevaluated')).toEqual([
      expect.objectContaining({ actor: `hr:${hr.userId}`, details: expect.objectContaining({ version: 2 }) }),
    ]);
  });

  it('stores nothing when the model fails: 503, and the current version stays', async () => {
    const { id } = await evaluatedInterview();
    const before = fake.requests.length;
    // An answer that scores no criterion, then again after the correction: a failed answer.
    scores = {};
    const res = await reevaluate(id);
    await expectError(res, 503, 'SERVICE_UNAVAILABLE');
    expect(res.headers.get('retry-after')).toBe('30');
    expect(fake.requests.length).toBeGreaterThan(before);
    expect((await detailOf(id)).evaluations.map((e) => e.version)).toEqual([1]);
  });

  it('runs one at a time per interview', async () => {
    const { id } = await evaluatedInterview();
    const statuses = (await Promise.all([reevaluate(id), reevaluate(id), reevaluate(id)])).map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(1);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    const versions = (await detailOf(id)).evaluations.map((e) => e.version);
    expect(versions).toEqual(Array.from({ length: versions.length }, (_, i) => versions.length - i));
    expect(versions.length).toBe(1 + statuses.filter((s) => s === 201).length);
  });

  it("refuses an interview that has not ended, and another organization's", async () => {
    const { id } = await scheduledInterview(h, hr.auth);
    await expectError(await reevaluate(id), 409, 'CONFLICT');
    const other = await hrUser(h);
    const done = await evaluatedInterview();
    await expectError(await h.request(`/api/interviews/${done.id}/evaluations`, { method: 'POST', headers: other.auth }), 404, 'NOT_FOUND');
    await expectError(await h.request(`/api/interviews/${done.id}/evaluations`, { headers: other.auth }), 404, 'NOT_FOUND');
    expect((await detailOf(done.id)).evaluations).toHaveLength(1);
  });

  it('refuses when no language model is configured', async () => {
    const plain = await startHarness({}, database);
    const owner = await hrUser(plain);
    const { id } = await scheduledInterview(plain, owner.auth);
    await completeTextInterview(plain, owner.auth, id, ANSWERS, '203.0.113.77');
    await expectError(await plain.request(`/api/interviews/${id}/evaluations`, { method: 'POST', headers: owner.auth }), 409, 'CONFLICT');
  });
});
