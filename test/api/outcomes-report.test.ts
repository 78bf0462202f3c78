// The NYC LL144 outcomes export: one row per interview with its current evaluation, exact counts,
// rates and impact ratios for a known set of interviews, the CSV, and the hostile cases (other
// organizations, bad filters, no session). The demographics it reads: demographics.test.ts.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { RACE_ETHNICITY_CATEGORIES } from '../../core/demographics.js';
import { addEvaluationVersion, saveEvaluationOnce } from '../../db/queries/evaluations.js';
import {
  byCategory,
  demographicsRows,
  expectError,
  f,
  FORMULA_TITLE,
  get,
  h,
  hr,
  MARCH,
  other,
  parseCsv,
  put,
  report,
  useOutcomesFixture,
} from './helpers/outcomes.js';

useOutcomesFixture();

describe('GET /api/reports/outcomes', () => {
  it('answers one row per interview of the organization, with no names, contacts or transcript text', async () => {
    const r = await report();
    expect(r.organizationId).toBe(hr.organizationId);
    expect(Date.parse(r.generatedAt)).toBe(h.clock.now);
    expect(r.filters).toEqual({ jobId: null, from: null, to: null });
    expect(r.rows).toHaveLength(10);
    // Oldest first: the March interview leads.
    expect(r.rows[0]!.interviewId).toBe(f.ivs[7]!.interviewId);
    expect(new Set(r.rows.map((row) => row.interviewId))).toEqual(new Set(f.ivs.map((i) => i.interviewId)));

    const row = (i: number) => r.rows.find((x) => x.interviewId === f.ivs[i]!.interviewId)!;
    expect(row(0)).toEqual({
      interviewId: f.ivs[0]!.interviewId,
      applicationId: f.ivs[0]!.applicationId,
      candidateId: f.ivs[0]!.candidateId,
      jobId: f.jobA,
      jobTitle: 'Backend Engineer',
      interviewType: 'TECHNICAL',
      stage: 'COMPLETED',
      endReason: 'completed',
      evaluated: true,
      scored: true,
      score: 90,
      recommendation: 'Strong Yes',
      evaluationModel: 'test-model',
      evaluationPromptVersion: 'eval-v1',
      evaluatedAt: expect.any(String),
      sex: 'male',
      raceEthnicity: 'white',
    });
    expect(row(5)).toMatchObject({
      stage: 'COMPLETED',
      endReason: 'candidate_asked_to_stop',
      evaluated: true,
      scored: false,
      score: null,
      recommendation: null,
    });
    expect(row(6)).toMatchObject({ sex: 'unknown', raceEthnicity: 'unknown', recommendation: 'Yes' });
    expect(row(8)).toMatchObject({
      stage: 'ABANDONED',
      endReason: 'candidate_left',
      evaluated: false,
      scored: false,
      evaluationModel: null,
      evaluatedAt: null,
    });
    expect(row(9)).toMatchObject({ stage: 'SCHEDULED', endReason: null, evaluated: false, jobTitle: FORMULA_TITLE });

    const text = JSON.stringify(r);
    for (const leak of [/Zainab/, /Quraishi/, /@example\.com/, /\+97150/, /résumé/, /Transcript-derived/]) expect(text).not.toMatch(leak);
  });

  it('counts stages and outcomes, zeros included', async () => {
    const { summary } = await report();
    expect(summary.byStage).toEqual({
      SCHEDULED: 1,
      READY: 0,
      IN_PROGRESS: 0,
      COMPLETED: 7,
      TIMED_OUT: 1,
      ABANDONED: 1,
      CANCELLED: 0,
      FAILED: 0,
    });
    expect(summary.byRecommendation).toEqual({ 'Strong Yes': 1, Yes: 3, Maybe: 1, No: 2, not_scored: 1, not_evaluated: 2 });
    expect(summary.byStageAndRecommendation).toEqual([
      { stage: 'SCHEDULED', recommendation: 'not_evaluated', n: 1 },
      { stage: 'COMPLETED', recommendation: 'Strong Yes', n: 1 },
      { stage: 'COMPLETED', recommendation: 'Yes', n: 3 },
      { stage: 'COMPLETED', recommendation: 'Maybe', n: 1 },
      { stage: 'COMPLETED', recommendation: 'No', n: 1 },
      { stage: 'COMPLETED', recommendation: 'not_scored', n: 1 },
      { stage: 'TIMED_OUT', recommendation: 'No', n: 1 },
      { stage: 'ABANDONED', recommendation: 'not_evaluated', n: 1 },
    ]);
  });

  it('impact ratios by sex: selection and scoring rates against the highest known category', async () => {
    const { impactRatios } = await report();
    // Scores 30 40 50 60 70 80 90: the median is 60; above it: 90 (male), 80 (male), 70 (female).
    expect(impactRatios.medianScore).toBe(60);
    expect(impactRatios.sex.map((r) => r.category)).toEqual(['male', 'female', 'declined', 'unknown']);
    const male = byCategory(impactRatios.sex, 'male');
    expect(male).toEqual({
      category: 'male',
      interviews: 4,
      n: 3,
      selected: 2,
      selectionRate: 2 / 3,
      selectionImpactRatio: 1,
      scored: 3,
      scoredAboveMedian: 2,
      scoringRate: 2 / 3,
      scoringImpactRatio: 1,
      smallSample: false,
    });
    const female = byCategory(impactRatios.sex, 'female');
    expect(female).toMatchObject({
      interviews: 4,
      n: 3,
      selected: 1,
      scored: 2,
      scoredAboveMedian: 1,
      scoringRate: 0.5,
      smallSample: false,
    });
    expect(female.selectionRate).toBeCloseTo(1 / 3, 12);
    expect(female.selectionImpactRatio).toBeCloseTo(0.5, 12);
    expect(female.scoringImpactRatio).toBeCloseTo(0.75, 12);
    expect(byCategory(impactRatios.sex, 'declined')).toMatchObject({
      n: 1,
      selected: 0,
      selectionRate: 0,
      selectionImpactRatio: 0,
      scoringRate: 0,
    });
    // Unknown: its own counts; its rate (1) is above the highest known one (2/3) and does not replace it.
    const unknown = byCategory(impactRatios.sex, 'unknown');
    expect(unknown).toMatchObject({
      interviews: 1,
      n: 1,
      selected: 1,
      selectionRate: 1,
      scoredAboveMedian: 0,
      scoringRate: 0,
      scoringImpactRatio: 0,
    });
    expect(unknown.selectionImpactRatio).toBeCloseTo(1.5, 12);
  });

  it('impact ratios by race/ethnicity: every category listed, the empty ones with nulls', async () => {
    const { impactRatios } = await report();
    expect(impactRatios.raceEthnicity.map((r) => r.category)).toEqual([...RACE_ETHNICITY_CATEGORIES, 'unknown']);
    expect(RACE_ETHNICITY_CATEGORIES).toHaveLength(8);
    const white = byCategory(impactRatios.raceEthnicity, 'white');
    expect(white).toMatchObject({ interviews: 4, n: 3, selected: 2, scored: 3, scoredAboveMedian: 2 });
    expect(white.selectionImpactRatio).toBeCloseTo(2 / 3, 12);
    expect(white.scoringImpactRatio).toBeCloseTo(2 / 3, 12);
    expect(byCategory(impactRatios.raceEthnicity, 'asian')).toMatchObject({
      interviews: 2,
      n: 1,
      selected: 1,
      selectionRate: 1,
      selectionImpactRatio: 1,
      scoringRate: 1,
      scoringImpactRatio: 1,
    });
    expect(byCategory(impactRatios.raceEthnicity, 'black_or_african_american')).toMatchObject({
      interviews: 2,
      n: 2,
      selected: 0,
      selectionImpactRatio: 0,
      scored: 1,
      scoringImpactRatio: 0,
    });
    expect(byCategory(impactRatios.raceEthnicity, 'hispanic_or_latino')).toMatchObject({
      interviews: 0,
      n: 0,
      selectionRate: null,
      selectionImpactRatio: null,
      scoringRate: null,
      smallSample: true,
    });
    expect(byCategory(impactRatios.raceEthnicity, 'unknown')).toMatchObject({ n: 1, selectionRate: 1, selectionImpactRatio: 1 });
  });

  it('intersectional ratios: the pairs that occur, unknown halves kept out of the benchmark', async () => {
    const { impactRatios } = await report();
    expect(
      impactRatios.intersectional.map((r) => [
        r.sex,
        r.raceEthnicity,
        r.interviews,
        r.n,
        r.selected,
        r.selectionImpactRatio,
        r.scoringRate,
      ]),
    ).toEqual([
      ['male', 'white', 3, 2, 1, 0.5, 0.5],
      ['male', 'asian', 1, 1, 1, 1, 1],
      ['female', 'white', 1, 1, 1, 1, 1],
      ['female', 'black_or_african_american', 2, 2, 0, 0, 0],
      ['female', 'asian', 1, 0, 0, null, null],
      ['declined', 'declined', 1, 1, 0, 0, 0],
      ['unknown', 'unknown', 1, 1, 1, 1, 0],
    ]);
    expect(impactRatios.intersectional[0]!.category).toBe('male/white');
    // female/asian has no evaluated interview: 0% of the data.
    expect(impactRatios.intersectional.filter((r) => r.smallSample).map((r) => r.category)).toEqual(['female/asian']);
  });

  it('filters by job and by the interview date; the filters are echoed', async () => {
    const byJob = await report(`?jobId=${f.jobB.toUpperCase()}`);
    expect(byJob.filters).toEqual({ jobId: f.jobB, from: null, to: null });
    expect(byJob.rows.map((r) => r.interviewId)).toEqual([f.ivs[9]!.interviewId]);
    expect(byJob.summary.byRecommendation.not_evaluated).toBe(1);
    expect(byJob.impactRatios.medianScore).toBeNull();

    // A day is inclusive, whole; an instant is exclusive.
    const march = await report('?from=2024-03-01&to=2024-03-15');
    expect(march.filters).toEqual({ jobId: null, from: '2024-03-01', to: '2024-03-15' });
    expect(march.rows.map((r) => r.interviewId)).toEqual([f.ivs[7]!.interviewId]);
    expect((await report(`?to=${encodeURIComponent(MARCH)}`)).rows).toHaveLength(0);
    expect((await report(`?to=2024-03-15T12:00:00.001%2B00:00`)).rows).toHaveLength(1);
    expect((await report('?from=2024-03-16')).rows).toHaveLength(9);
    expect((await report(`?from=${new Date(h.clock.now + 86_400_000).toISOString().slice(0, 10)}`)).rows).toHaveLength(0);
    expect((await report(`?jobId=${f.jobA}&from=2024-03-16`)).rows).toHaveLength(8);
  });

  it("answers 400 in the envelope for bad filters, 404 for another organization's job", async () => {
    for (const q of [
      '?jobId=not-a-uuid',
      '?from=2024-13-01',
      '?from=2024-02-30',
      '?from=yesterday',
      '?to=2024-03-15T10:00:00',
      '?from=2024-03-02&to=2024-03-01',
      `?from=${encodeURIComponent(MARCH)}&to=${encodeURIComponent(MARCH)}`,
      '?status=COMPLETED',
      '?limit=10',
      '?from=%00',
      `?from=${'9'.repeat(5000)}`,
    ]) {
      await expectError(await get(`/api/reports/outcomes${q}`, hr.auth), 400, 'VALIDATION_FAILED');
      await expectError(await get(`/api/reports/outcomes.csv${q}`, hr.auth), 400, 'VALIDATION_FAILED');
    }
    await expectError(await get(`/api/reports/outcomes?jobId=${f.otherJob}`, hr.auth), 404, 'NOT_FOUND');
    await expectError(await get(`/api/reports/outcomes.csv?jobId=${randomUUID()}`, hr.auth), 404, 'NOT_FOUND');
  });

  it('shows each organization its own interviews only', async () => {
    const theirs = await report('', other.auth);
    expect(theirs.organizationId).toBe(other.organizationId);
    expect(theirs.rows.map((r) => r.interviewId)).toEqual([f.otherIv.interviewId]);
    expect(theirs.rows[0]).toMatchObject({ sex: 'female', raceEthnicity: 'white', score: 99 });
    const mine = await report();
    expect(mine.rows.map((r) => r.interviewId)).not.toContain(f.otherIv.interviewId);
  });

  it('refuses a call without an HR session (401)', async () => {
    for (const path of ['/api/reports/outcomes', '/api/reports/outcomes.csv', `/api/candidates/${f.ivs[0]!.candidateId}/demographics`]) {
      await expectError(await get(path), 401, 'UNAUTHORIZED');
      await expectError(await get(path, { authorization: 'Bearer not-a-token' }), 401, 'UNAUTHORIZED');
    }
    const before = await demographicsRows();
    await expectError(await put(`/api/candidates/${f.ivs[0]!.candidateId}/demographics`, {}, { sex: 'female' }), 401, 'UNAUTHORIZED');
    expect(await demographicsRows()).toEqual(before);
  });
});

describe('GET /api/reports/outcomes.csv', () => {
  it('is the JSON rows as CSV, formula-looking cells neutralised, as a download', async () => {
    const res = await get('/api/reports/outcomes.csv', hr.auth);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const day = new Date(h.clock.now).toISOString().slice(0, 10);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="outcomes-${day}.csv"`);
    const text = await res.text();
    for (const leak of [/Zainab/, /@example\.com/, /\+97150/, /Transcript-derived/]) expect(text).not.toMatch(leak);

    const [header, ...lines] = parseCsv(text);
    const { rows } = await report();
    expect(header).toEqual(Object.keys(rows[0]!));
    expect(lines).toHaveLength(rows.length);
    const asCell = (v: unknown) => (v === null ? '' : String(v));
    const back = lines.map((cells) => Object.fromEntries(header!.map((k, i) => [k, cells[i]])));
    const expected = rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, asCell(v)])));
    const formulaRow = back.findIndex((r) => r.interviewId === f.ivs[9]!.interviewId);
    expect(back[formulaRow]!.jobTitle).toBe(`'${FORMULA_TITLE}`);
    expected[formulaRow]!.jobTitle = `'${FORMULA_TITLE}`;
    expect(back).toEqual(expected);
    // No cell a spreadsheet would run.
    for (const cells of lines) for (const cell of cells) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('takes the same filters', async () => {
    const res = await get(`/api/reports/outcomes.csv?jobId=${f.jobA}&to=2024-03-31`, hr.auth);
    expect(res.status).toBe(200);
    const [, ...lines] = parseCsv(await res.text());
    expect(lines).toHaveLength(1);
    expect(lines[0]![0]).toBe(f.ivs[7]!.interviewId);
    const empty = parseCsv(await (await get('/api/reports/outcomes.csv?from=2100-01-01', hr.auth)).text());
    expect(empty).toHaveLength(1);
  });
});

// Last: it drops the one-evaluation-per-interview constraint in this file's own database, as
// evaluation versions will, to check the export reads the newest evaluation.
describe('the current evaluation', () => {
  it('is the current version when an interview was re-evaluated', async () => {
    const iv = f.ivs[2]!.interviewId;
    const base = { interview_id: iv, scored: true, not_scored_reason: null, evaluation_text: '', model: 'test-model' };
    await sql`DELETE FROM evaluations WHERE interview_id = ${iv}`.execute(h.deps.db);
    await saveEvaluationOnce(h.deps.db, { ...base, score: 20, recommendation: 'No', prompt_version: 'eval-v0' });
    await addEvaluationVersion(h.deps.db, {
      ...base,
      score: 85,
      recommendation: 'Strong Yes',
      prompt_version: 'eval-v2',
      requested_by: 'system',
    });
    const r = await report();
    expect(r.rows).toHaveLength(10);
    expect(r.rows.find((x) => x.interviewId === iv)).toMatchObject({
      score: 85,
      recommendation: 'Strong Yes',
      evaluationPromptVersion: 'eval-v2',
    });
    expect(r.summary.byRecommendation).toMatchObject({ 'Strong Yes': 2, No: 1 });
  });
});
