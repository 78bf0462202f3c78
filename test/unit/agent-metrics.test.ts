// The worker's metrics listener (agent/metrics.ts): what a job process reports over the socket
// reaches the main process's registry, the scrape parses as Prometheus text, and the token holds.
import { createServer } from 'node:net';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobMetricsSink, startWorkerMetrics, workerRegistry } from '../../agent/metrics.js';
import { loadConfig } from '../../core/config.js';
import { createLogger } from '../../core/logger.js';

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

describe('the worker registry', () => {
  it('reports running jobs, child processes and the histograms', async () => {
    const m = workerRegistry(
      () => 3,
      () => [100, 300],
    );
    m.observe('reply_gap', 1.2);
    m.observe('reply_gap', Number.NaN);
    m.observe('nonsense' as 'reply_gap', 1);
    const families = new Map(parsePrometheusTextFormat(await m.registry.metrics()).map((f) => [f.name, f]));
    expect(families.get('interviewer_agent_jobs_running')!.metrics[0]!.value).toBe('3');
    expect(families.get('interviewer_agent_job_processes')!.metrics[0]!.value).toBe('2');
    const rss = families.get('interviewer_agent_job_processes_rss_bytes')!.metrics;
    expect(rss.find((s) => s.labels?.of === 'sum')!.value).toBe('400');
    expect(rss.find((s) => s.labels?.of === 'max')!.value).toBe('300');
    const gap = families.get('interviewer_agent_reply_gap_seconds')!;
    expect(gap.type).toBe('HISTOGRAM');
    expect(gap.metrics[0]!.count).toBe('1');
    expect(gap.metrics[0]!.buckets!['1.5']).toBe('1');
    expect(families.has('interviewer_agent_join_to_first_audio_seconds')).toBe(true);
    expect(families.has('interviewer_agent_dispatch_to_agent_seconds')).toBe(true);
  });
});

describe('the worker listener', () => {
  let port: number;
  let stop: () => Promise<void>;
  const token = 'agent-scrape-token-0123';
  beforeAll(async () => {
    port = await freePort();
    const config = loadConfig({ AGENT_METRICS_PORT: String(port), METRICS_TOKEN: token });
    stop = startWorkerMetrics(config, createLogger('silent'), () => 1);
    await new Promise((r) => setTimeout(r, 100));
  });
  afterAll(() => stop());

  it("takes a job process's observations over its socket and serves them with the token", async () => {
    // This process stands in for the job process: the "main" pid is its own.
    const sink = jobMetricsSink(loadConfig({ AGENT_METRICS_PORT: String(port) }), process.pid);
    sink.observe('join_to_first_audio', 4.5);
    sink.observe('reply_gap', 0.8);
    sink.observe('dispatch_to_agent', 1.1);
    await new Promise((r) => setTimeout(r, 200));

    const url = `http://127.0.0.1:${port}/metrics`;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const families = new Map(parsePrometheusTextFormat(await res.text()).map((f) => [f.name, f]));
    expect(families.get('interviewer_agent_join_to_first_audio_seconds')!.metrics[0]!.count).toBe('1');
    expect(families.get('interviewer_agent_reply_gap_seconds')!.metrics[0]!.count).toBe('1');
    expect(families.get('interviewer_agent_dispatch_to_agent_seconds')!.metrics[0]!.count).toBe('1');
    expect(families.get('interviewer_agent_jobs_running')!.metrics[0]!.value).toBe('1');
  });

  it('is off by default', () => {
    expect(loadConfig({}).agent.metricsPort).toBe(0);
    expect(loadConfig({}).metrics.enabled).toBe(false);
    // And a sink with metrics off sends nothing and never throws.
    expect(() => jobMetricsSink(loadConfig({})).observe('reply_gap', 1)).not.toThrow();
  });
});
