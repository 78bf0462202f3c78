// Benchmark: how many interviews the cluster carries at once. The cluster of testkit/cluster.ts
// (Redis, 2 LiveKit nodes, 2 API replicas on one Postgres, 3 agent workers, each a host of its own
// on the bench's private LAN) with offline speech and the scripted OpenAI-compatible LLM (150 ms
// per completion); N synthetic candidates (flite speech over WebRTC) join at once, through the API
// replicas in turn, and each answers the 5 planned questions. N = 1, 2, 4, 8, … until the reply
// gap degrades (p95 > 1.5× the single interview of the same run) or BENCH_LEVELS runs out.
//
// Per N: reply gap p50/p95 and their ratio to N = 1, agent heard after join p95, CPU per
// interview (by host, from /proc: the workers' hosts hold the job processes and their speech
// tools), peak RSS per job process, and how the jobs spread over workers and rooms over nodes.
//
//   npm run bench -- load        (inside scripts/netns.sh, with LIVEKIT_BIN; about 10 minutes)
//
// Env: BENCH_LEVELS (1,2,4,8,16), BENCH_LLM_DELAY_MS (150). Logs: .artifacts/bench/load/.
// Writes bench/results/load.{json,svg}. Exit 1 on an invalid run (the single interview failed).
import { mkdirSync, readlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Candidate } from '../testkit/candidate.js';
import { describeCluster, roomNode, type Cluster } from '../testkit/cluster.js';
import { CLUSTER_ANSWERS, jobPidOf, logOffsets, startClusterInterview, workerOf, waitForEnding } from '../testkit/cluster-interview.js';
import { REPO_ROOT, sleep } from '../testkit/process.js';
import { settle, startScriptedCluster } from './lib/cluster.js';
import { intSetting, runBounded } from './lib/run.js';
import { barChartSvg, writeChart } from './lib/svg.js';
import { AGENT_HOSTS, degraded, GOALS, levelFigures, levelLine, verdict, type LevelFigures, type LevelRun } from './load/figures.js';
import { HostSampler } from './load/sampler.js';

const RESULTS = path.join(REPO_ROOT, 'bench', 'results');
const LOG_DIR = path.join(REPO_ROOT, '.artifacts', 'bench', 'load');
const settings = {
  levels: (process.env.BENCH_LEVELS ?? '1,2,4,8,16').split(',').map((s) => {
    const n = Number(s.trim());
    if (!Number.isInteger(n) || n < 1 || n > 64) throw new Error(`BENCH_LEVELS: '${s}' is not an integer in 1..64`);
    return n;
  }),
  llmDelayMs: intSetting('BENCH_LLM_DELAY_MS', 150, 0, 5000),
};
const say = (s: string) => process.stdout.write(`${s}\n`);

/** Host category of every network namespace of the cluster; the rest of this namespace is the candidates and the bench. */
function hostCategories(c: Cluster): (ns: string) => string | undefined {
  const byNs = new Map<string, string>([[readlinkSync('/proc/self/ns/net'), 'candidates and bench']]);
  const add = (pid: number, category: string) => byNs.set(readlinkSync(`/proc/${pid}/ns/net`), category);
  add(c.redis.process.pid, 'redis');
  for (const n of c.nodes) add(n.process.pid, 'livekit nodes');
  add(c.livekit.process.pid, 'balancer (stand-in for the load balancer)');
  for (const a of c.apis) add(a.process.pid, 'api replicas');
  for (const w of c.workers) add(w.process.pid, AGENT_HOSTS);
  return (ns) => byNs.get(ns);
}

/** What a process on a worker's host is. */
function processKind(cmd: string): string {
  if (cmd.includes('job_proc_lazy_main')) return 'job processes';
  if (cmd.includes('inference_proc_lazy_main')) return 'inference process (turn detector)';
  if (/pocketsphinx/.test(cmd)) return 'pocketsphinx (STT)';
  if (/flite|espeak/.test(cmd)) return 'flite (TTS)';
  if (cmd.includes('agent/main.ts')) return 'worker main';
  return 'other';
}

async function runLevel(c: Cluster, n: number): Promise<LevelRun> {
  const dir = path.join(LOG_DIR, `n${n}`);
  const offsets = logOffsets(c);
  const sampler = new HostSampler(hostCategories(c), processKind);
  const servedBy: number[] = [];
  sampler.start();
  const timer = setInterval(() => sampler.sample(), 500);
  const t0 = Date.now();
  const failures: string[] = [];
  const spread: LevelRun['spread'] = { workers: {}, nodes: {} };
  const candidates: Candidate[] = [];
  const heardAfterJoinMs: number[] = [];
  let windowMs: number;
  try {
    await Promise.all(
      Array.from({ length: n }, async (_, i) => {
        // Joins spread over 1 s, as people do not click at the same millisecond.
        await sleep(Math.round((i * 1000) / n));
        try {
          const { room, candidate } = await startClusterInterview(c, {
            logDir: dir,
            answers: [...CLUSTER_ANSWERS, ...CLUSTER_ANSWERS],
            name: `candidate-${i + 1}`,
            api: i,
          });
          candidates.push(candidate);
          const heardAt = await candidate.waitForFirstSpeech(120_000);
          heardAfterJoinMs.push(heardAt - candidate.connectedAt);
          const node = roomNode(c, room.roomName)?.name ?? 'unknown';
          spread.nodes[node] = (spread.nodes[node] ?? 0) + 1;
          const pid = jobPidOf(c, room.sessionId, offsets);
          if (pid) servedBy.push(pid);
          const w = workerOf(c, room.sessionId, offsets)?.name ?? 'unknown';
          spread.workers[w] = (spread.workers[w] ?? 0) + 1;
          const ended = await waitForEnding(c.database, room.sessionId, 360_000);
          if (ended.status !== 'COMPLETED') failures.push(`interview ${i + 1}: ${ended.status} (${ended.end_reason})`);
        } catch (e) {
          failures.push(`interview ${i + 1}: ${e instanceof Error ? e.message : String(e)}`);
        }
      }),
    );
  } finally {
    windowMs = Date.now() - t0;
    sampler.sample();
    clearInterval(timer);
    await Promise.all(candidates.map((p) => p.leave().catch(() => undefined)));
  }
  const rss = sampler.jobRssMb();
  return {
    n,
    gapsMs: candidates.flatMap((p) => p.latencies()),
    heardAfterJoinMs,
    windowMs,
    cpuMs: Object.fromEntries(sampler.cpuMs()),
    jobRssMb: [...rss].filter(([pid]) => servedBy.includes(pid)).map(([, mb]) => mb),
    idleJobRssMb: [...rss].filter(([pid]) => !servedBy.includes(pid)).map(([, mb]) => mb),
    agentCpuByKind: Object.fromEntries(sampler.selfMsByKind(AGENT_HOSTS)),
    spread,
    failures,
  };
}

function chart(levels: LevelFigures[], subtitle: string[]): string {
  const bars = (value: (f: LevelFigures) => number, notes: (f: LevelFigures) => string[]) =>
    levels.map((f) => ({ label: `N = ${f.n}`, value: value(f), notes: notes(f), color: degraded(f) ? '#e15759' : '#4e79a7' }));
  return barChartSvg({
    title: 'Concurrent interviews on the cluster (2 LiveKit nodes, 3 workers)',
    subtitle,
    yLabel: 'reply gap p95 (ms) · RSS per job (MB)',
    panels: [
      {
        heading: 'reply gap p95, ms (red: degraded)',
        bars: bars(
          (f) => f.gapP95Ms,
          (f) => [`${f.gapP95Ratio.toFixed(2)}× one interview`, `${f.interviewsPerWorkerCore.toFixed(1)} per worker core`],
        ),
        goal: { value: GOALS.gapP95Ratio * levels[0]!.gapP95Ms, label: `${GOALS.gapP95Ratio}× N = 1` },
      },
      {
        heading: 'peak RSS per job process, MB',
        bars: bars(
          (f) => f.rssMbMax,
          (f) => [`median ${Math.round(f.rssMbMedian)} MB`],
        ),
        goal: { value: GOALS.rssMb, label: `${GOALS.rssMb} MB` },
      },
    ],
  });
}

async function main(): Promise<number> {
  if (process.env.NETNS_INSIDE !== '1' || !process.env.LIVEKIT_BIN) {
    process.stderr.write('bench load: run it through scripts/bench.sh (it needs scripts/netns.sh and LIVEKIT_BIN)\n');
    return 2;
  }
  const load = os.loadavg().map((l) => l.toFixed(2));
  say(
    `bench load: levels ${settings.levels.join(', ')}; LLM delay ${settings.llmDelayMs} ms; ${os.cpus().length} CPUs, load ${load.join(' ')}`,
  );
  const { cluster, fake } = await startScriptedCluster({
    logDir: LOG_DIR,
    prefix: 'interviewer_bench_load',
    llmDelayMs: settings.llmDelayMs,
  });
  say(describeCluster(cluster));
  // Each worker's prewarmed job processes load their models right after start: let that pass.
  const settled = await settle();
  say(`machine settled after ${(settled / 1000).toFixed(0)} s (busy < 50% over 2 s, or 60 s at most)`);

  const levels: LevelFigures[] = [];
  for (const n of settings.levels) {
    const run = await runLevel(cluster, n);
    const f = levelFigures(run, levels[0]);
    levels.push(f);
    say(levelLine(f));
    if (levels.length === 1 && f.failures.length) {
      say('bench load: INVALID: the single interview failed');
      return 1;
    }
    if (levels.length > 1 && degraded(f)) break;
    await sleep(3_000); // the last jobs shut down before the next level's window
  }
  const v = verdict(levels);
  say(v.line);
  const subtitle = [
    `${os.cpus().length} CPUs shared by every host, the candidates and the bench; offline speech (pocketsphinx, flite), scripted LLM ${settings.llmDelayMs} ms`,
    v.line,
  ];
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(
    path.join(RESULTS, 'load.json'),
    JSON.stringify({ at: new Date().toISOString(), settings, cpus: os.cpus().length, levels, verdict: v.line }, null, 2),
  );
  const files = ['load.json', ...writeChart(RESULTS, 'load', chart(levels, subtitle))];
  say(`wrote ${files.map((f) => `bench/results/${f}`).join(', ')}`);
  await fake.close();
  return 0;
}

await runBounded(main, 60 * 60_000);
