// Benchmark: the cluster under a steady load for a while. The cluster of testkit/cluster.ts with
// offline speech and the scripted LLM; BENCH_SOAK_INTERVIEWS interviews kept going at once (each
// slot starts the next interview when one ends) and BENCH_SOAK_RPS requests per second (open loop)
// on the public room endpoint (GET /api/public/interview/room/{code}, codes of 100 rooms, the two
// API replicas in turn), for BENCH_SOAK_MINUTES. Reports: answers by status (goal: 0 5xx), every
// interview's ending and transcript (goal: all COMPLETED, no turn missing), and the memory of the
// long-lived processes per minute (goal: flat; the slope over the second half is printed).
//
//   npm run bench -- soak     (inside scripts/netns.sh, with LIVEKIT_BIN)
//
// Env: BENCH_SOAK_MINUTES (10), BENCH_SOAK_INTERVIEWS (20), BENCH_SOAK_RPS (200),
// BENCH_SOAK_CLIENTS (50: the addresses the requests come from, in turn). The rate limits are
// raised for the run: 4 rps per address is past the per-address limit of a real client.
// Writes bench/results/soak.json. Exit 1 when a 5xx, a failed interview or a lost turn was seen.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { leaveAll } from '../testkit/candidate.js';
import { describeCluster, type Cluster } from '../testkit/cluster.js';
import { LAN, lanAddress } from '../testkit/hosts.js';
import { CLUSTER_ANSWERS, startClusterInterview, storedTurns, waitForEnding } from '../testkit/cluster-interview.js';
import { REPO_ROOT, sleep } from '../testkit/process.js';
import { createInterviewRoom } from '../testkit/stack.js';
import { percentile } from '../testkit/stats.js';
import { settle, startScriptedCluster } from './lib/cluster.js';
import { intSetting, runBounded } from './lib/run.js';

const RESULTS = path.join(REPO_ROOT, 'bench', 'results');
const LOG_DIR = path.join(REPO_ROOT, '.artifacts', 'bench', 'soak');
const settings = {
  minutes: intSetting('BENCH_SOAK_MINUTES', 10, 1, 120),
  interviews: intSetting('BENCH_SOAK_INTERVIEWS', 20, 0, 100),
  clients: intSetting('BENCH_SOAK_CLIENTS', 50, 1, 150),
  rps: intSetting('BENCH_SOAK_RPS', 200, 0, 5000),
};
const say = (s: string) => process.stdout.write(`${s}\n`);

function rssMb(pid: number): number | undefined {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The public's addresses: BENCH_SOAK_CLIENTS addresses added to this namespace's side of the LAN,
 * each with a keep-alive agent of its own, so the requests come from many clients as they do in
 * production (one address at 200 rps is a hot row of the rate limiter: see bench/README).
 */
function clientAgents(n: number): http.Agent[] {
  return Array.from({ length: n }, (_, k) => {
    const address = lanAddress(100 + k);
    execFileSync('ip', ['addr', 'replace', `${address}/${LAN.prefix}`, 'dev', LAN.bridge]);
    return new http.Agent({ keepAlive: true, localAddress: address } as http.AgentOptions);
  });
}

/** GET with a client's agent: the status, or an error after `timeoutMs`. */
function get(url: string, agent: http.Agent, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('no answer'), { code: 'TIMEOUT' })));
    req.on('error', reject);
  });
}

/** Open-loop requests at `rps` until `until`, from the clients in turn: statuses counted, latencies kept. */
async function httpLoad(c: Cluster, codes: string[], rps: number, until: number, agents: http.Agent[]) {
  const statuses = new Map<string, number>();
  const latencies: number[] = [];
  const inflight = new Set<Promise<void>>();
  let i = 0;
  const count = (k: string) => statuses.set(k, (statuses.get(k) ?? 0) + 1);
  const start = Date.now();
  while (rps > 0 && Date.now() < until) {
    // Catch up to the schedule (the event loop is shared with the candidates' bookkeeping).
    const due = Math.floor(((Date.now() - start) / 1000) * rps);
    for (; i < due; i++) {
      const api = c.apis[i % c.apis.length]!;
      const t0 = performance.now();
      const p = get(`${api.url}/api/public/interview/room/${codes[i % codes.length]}`, agents[i % agents.length]!, 10_000)
        .then((status) => {
          latencies.push(performance.now() - t0);
          count(String(status));
        })
        .catch((e: unknown) => void count(`no answer (${(e as { code?: string }).code ?? 'error'})`))
        .finally(() => inflight.delete(p));
      inflight.add(p);
    }
    await sleep(5);
  }
  await Promise.all(inflight);
  return { statuses: Object.fromEntries(statuses), sent: i, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99) };
}

interface InterviewOutcome {
  status: string;
  endReason: string | null;
  turns: number;
  gapless: boolean;
  endings: number;
}

/** One slot: interview after interview until `until`. */
async function interviewSlot(c: Cluster, slot: number, until: number, outcomes: InterviewOutcome[], errors: string[]) {
  for (let k = 1; Date.now() < until - 60_000; k++) {
    try {
      const { room, candidate } = await startClusterInterview(c, {
        logDir: path.join(LOG_DIR, `slot-${slot}`),
        answers: [...CLUSTER_ANSWERS, ...CLUSTER_ANSWERS],
        name: `candidate-${k}`,
        api: slot + k,
      });
      const ended = await waitForEnding(c.database, room.sessionId, 400_000);
      await candidate.leave();
      const turns = await storedTurns(c.database, room.sessionId);
      outcomes.push({
        status: ended.status,
        endReason: ended.end_reason,
        turns: turns.length,
        gapless: turns.every((t, i) => t.seq === i + 1),
        endings: ended.endings,
      });
    } catch (e) {
      errors.push(`slot ${slot}: ${e instanceof Error ? e.message : String(e)}`);
      await sleep(5_000);
    }
  }
}

async function main(): Promise<number> {
  if (process.env.NETNS_INSIDE !== '1' || !process.env.LIVEKIT_BIN) {
    process.stderr.write('bench soak: run it through scripts/bench.sh (it needs scripts/netns.sh and LIVEKIT_BIN)\n');
    return 2;
  }
  say(
    `bench soak: ${settings.minutes} min, ${settings.interviews} interviews at once, ${settings.rps} rps on the public room endpoint from ${settings.clients} addresses; ` +
      `${os.cpus().length} CPUs, load ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
  );
  const { cluster, fake } = await startScriptedCluster({
    logDir: LOG_DIR,
    prefix: 'interviewer_bench_soak',
    llmDelayMs: 150,
    env: { RATE_LIMIT_PER_IP: '10000000', RATE_LIMIT_PER_KEY: '10000000' },
  });
  say(describeCluster(cluster));
  // Each worker's prewarmed job processes load their models right after start: let that pass.
  say(`machine settled after ${((await settle()) / 1000).toFixed(0)} s (busy < 50% over 2 s, or 60 s at most)`);
  const codes: string[] = [];
  for (let i = 0; i < 100; i++) codes.push((await createInterviewRoom(cluster.apis[i % 2]!)).roomCode);

  // Memory of the long-lived processes, once a minute (job processes come and go with interviews).
  const watched = [
    ...cluster.apis.map((a) => ({ name: a.name, pid: a.process.pid })),
    ...cluster.nodes.map((n) => ({ name: n.name, pid: n.process.pid })),
    ...cluster.workers.map((w) => ({ name: `${w.name} (main)`, pid: w.process.pid })),
  ];
  const memory: Record<string, number[]> = Object.fromEntries(watched.map((w) => [w.name, []]));
  const sampleMemory = () => watched.forEach((w) => memory[w.name]!.push(Math.round(rssMb(w.pid) ?? NaN)));
  sampleMemory();
  const memTimer = setInterval(sampleMemory, 60_000);

  const until = Date.now() + settings.minutes * 60_000;
  const outcomes: InterviewOutcome[] = [];
  const errors: string[] = [];
  const [http] = await Promise.all([
    httpLoad(cluster, codes, settings.rps, until, clientAgents(settings.clients)),
    ...Array.from({ length: settings.interviews }, async (_, slot) => {
      await sleep((slot * 3_000) % 30_000); // joins spread over the first 30 s
      await interviewSlot(cluster, slot, until, outcomes, errors);
    }),
  ]);
  clearInterval(memTimer);
  sampleMemory();
  await leaveAll();

  const tally = (re: RegExp) =>
    Object.entries(http.statuses)
      .filter(([k]) => re.test(k))
      .reduce((n, [, v]) => n + v, 0);
  const serverErrors = tally(/^5/);
  const unanswered = tally(/^no answer/);
  const failed = outcomes.filter((o) => o.status !== 'COMPLETED' || !o.gapless || o.endings !== 1);
  say(
    `http: ${http.sent} requests sent (${(http.sent / (settings.minutes * 60)).toFixed(0)} rps), answers ${JSON.stringify(http.statuses)}, p50 ${http.p50Ms.toFixed(1)} ms, p99 ${http.p99Ms.toFixed(1)} ms; 5xx: ${serverErrors}; no answer within 10 s: ${unanswered}`,
  );
  say(
    `interviews: ${outcomes.length} ended, ${outcomes.length - failed.length} COMPLETED with every turn numbered without a gap and one ending; not so: ${failed.length}${failed.length ? ` (${failed.map((o) => `${o.status}/${o.endReason}`).join(', ')})` : ''}; errors: ${errors.length ? errors.join('; ') : 'none'}`,
  );
  const slopes: Record<string, number> = {};
  for (const [name, mb] of Object.entries(memory)) {
    const half = mb.slice(Math.floor(mb.length / 2));
    slopes[name] = half.length > 1 ? (half.at(-1)! - half[0]!) / (half.length - 1) : 0;
    say(`memory ${name.padEnd(16)} ${mb.join(' → ')} MB (second half: ${slopes[name]! >= 0 ? '+' : ''}${slopes[name]!.toFixed(1)} MB/min)`);
  }
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(
    path.join(RESULTS, 'soak.json'),
    JSON.stringify({ at: new Date().toISOString(), settings, http, outcomes, errors, memory, slopes }, null, 2),
  );
  say('wrote bench/results/soak.json');
  await fake.close();
  const ok = serverErrors === 0 && unanswered === 0 && failed.length === 0 && errors.length === 0;
  say(
    ok
      ? 'bench soak: 0 5xx, every request answered, every interview completed with its whole transcript'
      : 'bench soak: FAILED (see above)',
  );
  return ok ? 0 : 1;
}

await runBounded(main, (settings.minutes + 15) * 60_000);
