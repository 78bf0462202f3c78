// Observability of the API: GET /metrics (off by default, a bearer token when configured) parsed
// with a real Prometheus text-format parser, counters that move with requests, interviews counted
// from Postgres at scrape time, evaluation failures; and the W3C trace id in the answer, the request
// log and the agent's dispatch.
import { Writable } from 'node:stream';
import parsePrometheusTextFormat, { type Family } from 'parse-prometheus-text-format';
import { pino } from 'pino';
import { TokenVerifier } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { answerName, interviewerScript, startFakeLlm, type FakeLlm } from '../../testkit/fake-llm.js';
import { completeTextInterview, hrUser, json, room, scheduledInterview, startHarness, type Harness } from '../../testkit/api.js';
import { freshDatabase, type TestDatabase } from '../../testkit/postgres.js';

const TOKEN = 'scrape-token-0123456789';
let database: TestDatabase;
let fake: FakeLlm;
let h: Harness;

beforeAll(async () => {
  database = await freshDatabase();
  // The evaluation call fails; planning answers as usual.
  fake = await startFakeLlm((req) =>
    answerName(req) === 'interview_evaluation' ? { status: 400, error: 'scripted evaluation failure' } : interviewerScript(req),
  );
  h = await startHarness(
    {
      METRICS_ENABLED: 'true',
      METRICS_TOKEN: TOKEN,
      LLM_BASE_URL: fake.baseUrl,
      LLM_API_KEY: 'test',
      RATE_LIMIT_PER_KEY: '10000',
      RATE_LIMIT_PER_IP: '10000',
    },
    database,
  );
});
afterAll(async () => {
  await fake?.close();
  await h?.close();
});

let lastText = '';
async function scrape(): Promise<Map<string, Family>> {
  const res = await h.request('/metrics', { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  lastText = await res.text();
  // Throws on any line that is not valid Prometheus text.
  return new Map(parsePrometheusTextFormat(lastText).map((f) => [f.name, f]));
}

const sample = (f: Family | undefined, labels: Record<string, string>) =>
  f?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
const value = (f: Family | undefined, labels: Record<string, string> = {}) => Number(sample(f, labels)?.value ?? 0);

describe('GET /metrics', () => {
  it('is off by default: a 404 in the one envelope', async () => {
    const off = await startHarness({}, database);
    const res = await off.request('/metrics');
    expect(res.status).toBe(404);
    expect(await json(res)).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('needs the token when one is configured', async () => {
    for (const headers of [{}, { authorization: 'Bearer wrong-token-0123456789' }, { authorization: TOKEN }] as Record<string, string>[]) {
      const res = await h.request('/metrics', { headers });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      expect(await json(res)).toMatchObject({ code: 'UNAUTHORIZED' });
    }
  });

  it('parses as Prometheus text with the expected families, and its counters move', async () => {
    const hr = await hrUser(h);
    const before = await scrape();
    for (const name of [
      'interviewer_http_requests_total',
      'interviewer_http_request_duration_seconds',
      'interviewer_interviews',
      'interviewer_evaluation_failures_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_seconds',
    ]) {
      expect(before.has(name), name).toBe(true);
    }
    expect(before.get('interviewer_http_requests_total')!.type).toBe('COUNTER');
    expect(before.get('interviewer_http_request_duration_seconds')!.type).toBe('HISTOGRAM');
    expect(before.get('interviewer_interviews')!.type).toBe('GAUGE');

    const jobs = { method: 'GET', route: '/api/jobs/:id', status: '404' };
    const n = value(before.get('interviewer_http_requests_total'), jobs);
    const id = '00000000-0000-4000-8000-000000000000';
    for (let i = 0; i < 3; i++) expect((await h.request(`/api/jobs/${id}`, { headers: hr.auth })).status).toBe(404);
    // A path no route matches is one label, not one per path.
    await h.request('/no/such/path/1');
    await h.request('/no/such/path/2');

    const after = await scrape();
    const requests = after.get('interviewer_http_requests_total');
    expect(value(requests, jobs)).toBe(n + 3);
    expect(value(requests, { route: 'unmatched', status: '404' })).toBeGreaterThanOrEqual(2);
    for (const m of requests!.metrics) expect(m.labels!.route).not.toContain(id);
    // parse-prometheus-text-format keeps one series per histogram family (it flattens labelled ones),
    // so the labelled histogram's own lines are read from the text it has just parsed without error.
    expect(after.get('interviewer_http_request_duration_seconds')!.metrics.length).toBeGreaterThan(0);
    const line = (series: string) =>
      Number(
        lastText
          .split('\n')
          .find((l) => l.startsWith(`${series} `))
          ?.split(' ')[1],
      );
    const count = line('interviewer_http_request_duration_seconds_count{method="GET",route="/api/jobs/:id"}');
    expect(count).toBeGreaterThanOrEqual(3);
    expect(line('interviewer_http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/api/jobs/:id"}')).toBe(count);
  });

  it('counts interviews by status and end reason from Postgres, and evaluation failures', async () => {
    const hr = await hrUser(h);
    const before = await scrape();
    const interviews = (f: Map<string, Family>, labels: Record<string, string>) => value(f.get('interviewer_interviews'), labels);
    await room(h, hr.auth);
    const { id } = await scheduledInterview(h, hr.auth);
    const done = await completeTextInterview(h, hr.auth, id, ['I built payment systems in Node.js for five years.']);
    expect(done.status).toBe('completed');

    const after = await scrape();
    expect(interviews(after, { status: 'READY', end_reason: '' })).toBe(interviews(before, { status: 'READY', end_reason: '' }) + 1);
    expect(interviews(after, { status: 'COMPLETED', end_reason: 'text_completed' })).toBe(
      interviews(before, { status: 'COMPLETED', end_reason: 'text_completed' }) + 1,
    );
    // The model failed on the evaluation: stored as not scored, and counted.
    expect(value(after.get('interviewer_evaluation_failures_total'))).toBe(value(before.get('interviewer_evaluation_failures_total')) + 1);
  });
});

describe('trace ids', () => {
  const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';

  it("continues the caller's trace in the answer under a new span", async () => {
    const res = await h.request('/healthz', { headers: { traceparent: `00-${TRACE}-00f067aa0ba902b7-01` } });
    const answer = res.headers.get('traceparent')!;
    expect(answer).toMatch(new RegExp(`^00-${TRACE}-[0-9a-f]{16}-01$`));
    expect(answer).not.toContain('00f067aa0ba902b7');
  });

  it('starts a trace when the caller sent none or a malformed one, errors included', async () => {
    for (const traceparent of [
      undefined,
      'garbage',
      `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`,
      `00-${TRACE.toUpperCase()}-00f067aa0ba902b7-01`,
    ]) {
      const res = await h.request('/api/jobs', { headers: traceparent ? { traceparent } : {} });
      expect(res.status).toBe(401);
      const answer = res.headers.get('traceparent')!;
      expect(answer).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
      expect(answer).not.toContain(TRACE);
    }
  });

  it('puts the trace id in the request log line', async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    const logged = createApp(h.config, { ...h.deps, log: pino({ level: 'info' }, sink) });
    await logged.request('/api/jobs', { headers: { traceparent: `00-${TRACE}-00f067aa0ba902b7-01` } });
    await logged.request('/no/such/path');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ msg: 'request', traceId: TRACE, status: 401 });
    expect(lines[1]!.traceId).toMatch(/^[0-9a-f]{32}$/);
  });

  it("carries the join request's trace id into the agent dispatch", async () => {
    const hr = await hrUser(h);
    const r = await room(h, hr.auth);
    const res = await h.request(`/api/public/interview/join/${r.roomCode}`, {
      method: 'POST',
      headers: { traceparent: `00-${TRACE}-00f067aa0ba902b7-01` },
      json: { phoneNumber: '0509876543', firstName: 'Ahmed', lastName: 'Hassan' },
    });
    expect(res.status).toBe(200);
    const { token } = await json<{ token: string }>(res);
    const claims = await new TokenVerifier(h.config.livekit.apiKey, h.config.livekit.apiSecret).verify(token);
    const agents = (JSON.parse(JSON.stringify(claims.roomConfig)) as { agents: { metadata: string }[] }).agents;
    expect(JSON.parse(agents[0]!.metadata)).toEqual({
      interviewId: r.sessionId,
      traceId: TRACE,
      traceparent: res.headers.get('traceparent'),
      dispatchedAt: expect.any(Number),
    });
  });
});
