// The closed-loop HTTP load of the join bench, on autocannon: each connection sends one request,
// waits for the whole response, and sends the next. A warm-up run first, then the measured run.
// Every response goes through `check`; one that fails it, a socket error or a timeout counts as an
// error (the bench's run is then invalid). Only 127.0.0.1.
//
// Latencies are taken from autocannon's response events (exact, sub-millisecond) rather than its
// histogram, whose resolution is 1 ms: a bare route answers in less.
import autocannon from 'autocannon';
import { percentile } from '../../testkit/stats.js';

export interface LoadRequest {
  port: number;
  method: 'GET' | 'POST';
  path: string;
  /** JSON body (sent with Content-Type: application/json). */
  body?: string;
}

export interface LoadOptions {
  connections: number;
  warmupMs: number;
  durationMs: number;
  /** Is this response a success? Anything else counts as an error (the run is then invalid). */
  check(status: number, body: string): boolean;
}

export interface LoadResult {
  /** Responses completed inside the measured run. */
  requests: number;
  /** Good responses over warm-up and measurement (for CPU per request). */
  completed: number;
  /** Responses that failed `check`, socket errors and timeouts, over warm-up and measurement. */
  errors: number;
  /** The first few failures, for the report. */
  errorSamples: string[];
  rps: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** A response slower than this is an error (and the run ends rather than hangs). */
const RESPONSE_TIMEOUT_S = 10;

/** Connection i sends `reqs[i % reqs.length]`, over and over. */
export async function runLoad(reqs: LoadRequest[], opts: LoadOptions): Promise<LoadResult> {
  let completed = 0;
  let failedChecks = 0;
  const errorSamples: string[] = [];
  const sample = (what: string) => {
    if (errorSamples.length < 5) errorSamples.push(what.slice(0, 300));
  };
  const first = reqs[0]!;
  const run = (durationMs: number, latencies?: number[]) =>
    new Promise<autocannon.Result>((resolve, reject) => {
      const instance = autocannon(
        {
          // Several URLs: autocannon gives connection i the i-th (modulo), as the rooms of BENCH_ROOMS need.
          url: reqs.map((r) => `http://127.0.0.1:${r.port}${r.path}`) as unknown as string,
          connections: opts.connections,
          duration: durationMs / 1000,
          timeout: RESPONSE_TIMEOUT_S,
          method: first.method,
          ...(first.body !== undefined ? { body: first.body, headers: { 'content-type': 'application/json' } } : {}),
          requests: [
            {
              onResponse: (status: number, body: string) => {
                if (opts.check(status, body)) completed += 1;
                else {
                  failedChecks += 1;
                  sample(`${status} ${body}`);
                }
              },
            },
          ],
        },
        (err, result) => (err ? reject(err as Error) : resolve(result)),
      );
      if (latencies) instance.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
    });
  const warm = opts.warmupMs > 0 ? await run(opts.warmupMs) : undefined;
  const latencies: number[] = [];
  const r = await run(opts.durationMs, latencies);
  const socketErrors = (warm?.errors ?? 0) + r.errors;
  if (socketErrors > 0) sample(`${socketErrors} socket errors or timeouts`);
  return {
    requests: r.requests.total,
    completed,
    errors: failedChecks + socketErrors,
    errorSamples,
    rps: r.requests.total / (opts.durationMs / 1000),
    p50Ms: percentile(latencies, 50),
    p90Ms: percentile(latencies, 90),
    p99Ms: percentile(latencies, 99),
    maxMs: latencies.length ? Math.max(...latencies) : NaN,
  };
}
