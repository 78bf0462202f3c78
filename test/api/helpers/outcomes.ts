// The outcomes export's fixture: ten interviews of one organization with known demographics, stages
// and evaluations (one from March, for the date filters), one of another organization; and the
// calls the outcomes and demographics files make.
import { afterAll, beforeAll, expect } from 'vitest';
import type { EndReason, InterviewStatus } from '../../../core/domain.js';
import { saveEvaluationOnce } from '../../../db/queries/evaluations.js';
import { transitionInterview } from '../../../db/queries/interviews.js';
import { hrUser, json, startHarness, type Harness } from '../../../testkit/api.js';

type Body = Record<string, unknown>;
type Auth = Record<string, string>;
type Hr = Awaited<ReturnType<typeof hrUser>>;

export let h: Harness;
export let hr: Hr;
export let other: Hr;

export const FORMULA_TITLE = '=HYPERLINK("http://evil.example","Click")';
export const MARCH = '2024-03-15T12:00:00.000Z';

export async function created(path: string, auth: Auth, body: unknown): Promise<Body & { id: string }> {
  const res = await h.request(path, { method: 'POST', headers: auth, json: body });
  if (res.status !== 201) throw new Error(`${path} → ${res.status} ${await res.text()}`);
  return json(res);
}

export const put = (path: string, auth: Auth, body: unknown) => h.request(path, { method: 'PUT', headers: auth, json: body });
export const get = (path: string, auth: Auth = {}) => h.request(path, { headers: auth });

export async function expectError(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  const body = await json(res);
  expect(body.code).toBe(code);
  expect(typeof body.error).toBe('string');
  expect(body.requestId).toBe(res.headers.get('x-request-id'));
  for (const key of Object.keys(body)) expect(['error', 'code', 'requestId', 'details']).toContain(key);
}

const job = (auth: Auth, title: string) =>
  created('/api/jobs', auth, { title, description: 'Payments services.', companyName: 'MENA Bank' });

let people = 0;
interface Spec {
  sex?: string;
  raceEthnicity?: string;
  status: InterviewStatus;
  endReason?: EndReason;
  /** A score with its recommendation, 'not_scored', or nothing (no evaluation). */
  evaluation?: { score: number; recommendation: string } | 'not_scored';
  jobId: string;
}

/** Candidate, application and interview through the API; status and evaluation through the queries. */
async function interview(auth: Auth, s: Spec) {
  people += 1;
  const candidate = await created('/api/candidates', auth, {
    firstName: `Zainab${people}`,
    lastName: 'Quraishi',
    email: `zainab${people}@example.com`,
    phoneNumber: `+97150111${String(people).padStart(4, '0')}`,
    resumeText: 'Confidential résumé text',
  });
  if (s.sex || s.raceEthnicity) {
    const res = await put(`/api/candidates/${candidate.id}/demographics`, auth, { sex: s.sex, raceEthnicity: s.raceEthnicity });
    expect(res.status).toBe(200);
  }
  const application = await created('/api/applications', auth, { jobId: s.jobId, candidateId: candidate.id });
  const iv = await created('/api/interviews', auth, {
    applicationId: application.id,
    interviewType: 'TECHNICAL',
    scheduledAt: new Date(h.clock.now).toISOString(),
    instructions: 'Answer in your own words.',
  });
  if (s.status !== 'SCHEDULED') {
    const moved = await transitionInterview(h.deps.db, iv.id, { from: ['SCHEDULED'], to: s.status, endReason: s.endReason });
    expect(moved?.status).toBe(s.status);
  }
  if (s.evaluation) {
    const scored = s.evaluation !== 'not_scored';
    await saveEvaluationOnce(h.deps.db, {
      interview_id: iv.id,
      scored,
      not_scored_reason: scored ? null : 'Too little was said to assess.',
      score: scored ? (s.evaluation as { score: number }).score : null,
      recommendation: scored ? (s.evaluation as { recommendation: string }).recommendation : null,
      evaluation_text: 'Transcript-derived evaluation text that must not be exported.',
      model: 'test-model',
      prompt_version: 'eval-v1',
    });
  }
  return { candidateId: candidate.id, applicationId: application.id, interviewId: iv.id, email: candidate.email as string };
}

type Row = Record<string, unknown>;
interface Ratio extends Row {
  category: string;
}
interface Report {
  organizationId: string;
  generatedAt: string;
  filters: Row;
  rows: Row[];
  summary: { byStage: Record<string, number>; byRecommendation: Record<string, number>; byStageAndRecommendation: Row[] };
  impactRatios: { medianScore: number | null; sex: Ratio[]; raceEthnicity: Ratio[]; intersectional: Ratio[] };
}

export async function report(query = '', auth: Auth = hr.auth): Promise<Report> {
  const res = await get(`/api/reports/outcomes${query}`, auth);
  if (res.status !== 200) throw new Error(`outcomes → ${res.status} ${await res.text()}`);
  return json<Report>(res);
}

export const byCategory = (list: Ratio[], category: string) => list.find((r) => r.category === category)!;

/** RFC 4180 back to rows of strings (quoted fields, doubled quotes, CRLF). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  if (cell !== '' || row.length) throw new Error('CSV does not end with CRLF');
  return rows;
}

/** Ten interviews of the organization (see the specs), one of another organization. */
export const f = {} as {
  jobA: string;
  jobB: string;
  otherJob: string;
  ivs: Awaited<ReturnType<typeof interview>>[];
  otherIv: Awaited<ReturnType<typeof interview>>;
};

async function setUp() {
  h = await startHarness();
  hr = await hrUser(h);
  other = await hrUser(h);
  f.jobA = (await job(hr.auth, 'Backend Engineer')).id;
  f.jobB = (await job(hr.auth, FORMULA_TITLE)).id;
  f.otherJob = (await job(other.auth, 'Other org job')).id;
  const A = f.jobA;
  const specs: Spec[] = [
    /* 0 */ {
      sex: 'male',
      raceEthnicity: 'white',
      status: 'COMPLETED',
      endReason: 'completed',
      evaluation: { score: 90, recommendation: 'Strong Yes' },
      jobId: A,
    },
    /* 1 */ {
      sex: 'male',
      raceEthnicity: 'asian',
      status: 'COMPLETED',
      endReason: 'completed',
      evaluation: { score: 80, recommendation: 'Yes' },
      jobId: A,
    },
    /* 2 */ {
      sex: 'male',
      raceEthnicity: 'white',
      status: 'COMPLETED',
      endReason: 'completed',
      evaluation: { score: 40, recommendation: 'No' },
      jobId: A,
    },
    /* 3 */ {
      sex: 'female',
      raceEthnicity: 'white',
      status: 'COMPLETED',
      endReason: 'completed',
      evaluation: { score: 70, recommendation: 'Yes' },
      jobId: A,
    },
    /* 4 */ {
      sex: 'female',
      raceEthnicity: 'black_or_african_american',
      status: 'COMPLETED',
      endReason: 'completed',
      evaluation: { score: 30, recommendation: 'Maybe' },
      jobId: A,
    },
    /* 5 */ {
      sex: 'female',
      raceEthnicity: 'black_or_african_american',
      status: 'COMPLETED',
      endReason: 'candidate_asked_to_stop',
      evaluation: 'not_scored',
      jobId: A,
    },
    /* 6 */ { status: 'COMPLETED', endReason: 'completed', evaluation: { score: 60, recommendation: 'Yes' }, jobId: A },
    /* 7 */ {
      sex: 'declined',
      raceEthnicity: 'declined',
      status: 'TIMED_OUT',
      endReason: 'time_limit',
      evaluation: { score: 50, recommendation: 'No' },
      jobId: A,
    },
    /* 8 */ { sex: 'female', raceEthnicity: 'asian', status: 'ABANDONED', endReason: 'candidate_left', jobId: A },
    /* 9 */ { sex: 'male', raceEthnicity: 'white', status: 'SCHEDULED', jobId: f.jobB },
  ];
  f.ivs = [];
  for (const s of specs) f.ivs.push(await interview(hr.auth, s));
  // One interview from an earlier period, for the date filters.
  await h.deps.db
    .updateTable('interviews')
    .set({ created_at: new Date(MARCH) })
    .where('id', '=', f.ivs[7]!.interviewId)
    .execute();
  f.otherIv = await interview(other.auth, {
    sex: 'female',
    raceEthnicity: 'white',
    status: 'COMPLETED',
    endReason: 'completed',
    evaluation: { score: 99, recommendation: 'Strong Yes' },
    jobId: f.otherJob,
  });
}

/** Builds the fixture before the file's tests, closes the harness after. */
export function useOutcomesFixture() {
  beforeAll(setUp);
  afterAll(() => h?.close());
}

export const demographicsRows = () => h.deps.db.selectFrom('candidate_demographics').selectAll().orderBy('candidate_id').execute();
