// Benchmark: the voice agent's reply latency as the candidate hears it, and how much of it is ours.
// Real parts inside a private network namespace (LiveKit server, API, agent worker with local
// speech: pocketsphinx STT, espeak-ng TTS, Silero VAD, the local turn detector), the scripted
// OpenAI-compatible LLM in this process with a fixed injected delay per completion, and testkit's
// synthetic candidate (a WebRTC participant, pacing 'queue') who answers each time the agent stops
// talking. This file is the run, from set-up to verdict; its pieces are in bench/latency/.
//
// Per answer: latency = last answer frame sent → first loud reply frame received (candidate's
// clock). Subtracted, per turn, the parts that are not ours: the endpointing delay (the agent's
// eou metric), the LLM's own time (measured at the fake server: request in → first token out, the
// injected delay) and the TTS time to first byte (the agent's ttsNodeTtfb). What is left is
// our overhead. Goal (issue): ≤ 120 ms at the 95th percentile over ≥ 30 turns. Also: candidate
// joins → first greeting audio.
//
//   scripts/bench.sh agent-latency     (runs this inside scripts/netns.sh with LIVEKIT_BIN set)
//
// Env: BENCH_INTERVIEWS (3), BENCH_FOLLOW_UPS (2: AGENT_MAX_FOLLOW_UPS, so 5 × 3 answers per
// interview), BENCH_LLM_DELAY_MS (150), BENCH_AGENT_LOG_LEVEL (info; debug adds the agent's
// per-turn events to the worker log, at some CPU cost). Logs: .artifacts/bench/agent-latency/.
// Writes bench/results/agent-latency.{json,svg} (and .png when rsvg-convert exists). Exit 1 on an
// invalid run: an interview that did not complete, or fewer than 30 paired turns.
import os from 'node:os';
import { startFakeLlm, type FakeLlm } from '../testkit/fake-llm.js';
import { DEFAULT_WORKER_COMMAND, sleep } from '../testkit/stack.js';
import { median, percentile } from '../testkit/stats.js';
import { machineCpuMs, NamespaceCpu } from './lib/cpu.js';
import { runBounded } from './lib/run.js';
import { startBenchStack } from './lib/stack.js';
import { JOB_PROCESS, turnFigures, windowFigures, type Probe } from './latency/figures.js';
import { runInterview, workerLog, type InterviewResult } from './latency/interview.js';
import { benchLlm, scriptedAgentEnv } from './latency/llm.js';
import { transportProbe, type TransportProbe } from './latency/probe.js';
import { summariseProfiles } from './latency/profile.js';
import { printFigures, printProfile, writeReport, type Profile } from './latency/report.js';
import { answersPerInterview, ANSWERS, GOAL_MS, LOG_DIR, MIN_TURNS, PROF_DIR, QUESTIONS, settings } from './latency/settings.js';

let fake: FakeLlm | undefined;

/** CPU categories by command line; the stack's own processes are named by pid once they run. */
function categorise(cmd: string): string {
  if (/job_proc_lazy_main/.test(cmd)) return JOB_PROCESS;
  if (/inference_proc_lazy_main/.test(cmd)) return 'agent inference process';
  if (/testkit\/participant-child\.ts/.test(cmd)) return 'synthetic candidate';
  // Speech tools: counted through the job process's children time when reaped.
  if (/espeak-ng|pocketsphinx|^(sh|cat) /.test(cmd)) return '';
  return 'other';
}

async function main(): Promise<number> {
  const started = Date.now();
  if (process.env.NETNS_INSIDE !== '1') {
    process.stderr.write('bench agent-latency: run it through scripts/bench.sh (it needs the network namespace of scripts/netns.sh)\n');
    return 2;
  }
  if (!process.env.LIVEKIT_BIN) {
    process.stderr.write('bench agent-latency: LIVEKIT_BIN is not set (scripts/bench.sh sets it from scripts/ensure-livekit.sh)\n');
    return 2;
  }
  process.stdout.write(
    `bench agent-latency: ${settings.interviews} interview(s) × ${answersPerInterview} answers ` +
      `(${QUESTIONS} questions, ${settings.followUps} follow-up(s) each), LLM delay ${settings.llmDelayMs} ms per completion; ` +
      `${os.cpus().length} CPUs, load ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}, Node ${process.version}\n`,
  );

  fake = await startFakeLlm(benchLlm());
  const env = scriptedAgentEnv(fake.baseUrl, settings.followUps);
  const [node, ...workerArgs] = DEFAULT_WORKER_COMMAND;
  const { database, livekit, api, worker } = await startBenchStack({
    logDir: LOG_DIR,
    env,
    workerEnv: { LOG_LEVEL: settings.agentLogLevel },
    // Job processes are forked with the worker's execArgv, so they are profiled too.
    ...(settings.cpuProf ? { workerCommand: [node!, '--cpu-prof', `--cpu-prof-dir=${PROF_DIR}`, ...workerArgs] } : {}),
  });
  process.stdout.write(`stack up: livekit ${livekit.startupMs} ms, api ${api.startupMs} ms, worker ${worker.startupMs} ms\n`);
  const cpu = new NamespaceCpu(categorise);

  // The floor under "ours": the same audio path between two bare participants, no agent; before
  // every interview and after the last, since it moves with the machine's load.
  const probes: Probe[] = [];
  let harnessProbe: TransportProbe | null = null;
  const probeNow = async (when: string, withHarness: boolean) => {
    try {
      const r = await transportProbe(livekit, ANSWERS.slice(0, 8), withHarness, (p) => cpu.known(p.pid, 'transport probe'));
      probes.push({ when, floor: r.floor });
      harnessProbe ??= r.harness;
      process.stdout.write(
        `  transport floor ${when} (2 bench participants via LiveKit, no agent, n = ${r.floor.n}): one way ≈ ${Math.round(r.floor.oneWayMs.p50)} ms p50` +
          ` (onset ${Math.round(r.floor.onsetMs.p50)}, offset ${Math.round(r.floor.offsetMs.p50)} ms)` +
          (r.harness ? `; with a speaker on pacing 'clock': ${Math.round(r.harness.oneWayMs.p50)} ms (n = ${r.harness.n})` : '') +
          '\n',
      );
    } catch (e) {
      probes.push({ when, floor: null });
      process.stdout.write(`  transport probe ${when} failed (informational only): ${e instanceof Error ? e.message : String(e)}\n`);
    }
  };
  await probeNow('before interview 1', true);
  cpu.known(livekit.process.pid, 'livekit-server');
  cpu.known(api.process.pid, 'api');
  cpu.known(worker.process.pid, 'agent worker (main)');
  cpu.known(process.pid, 'bench (fake LLM, harness)');

  // The measured window: CPU per process and for the whole machine.
  cpu.start();
  const machine0 = machineCpuMs();
  const window0 = Date.now();
  const logOffset = worker.process.logOffset();
  const sampler = setInterval(() => cpu.sample(), 500);

  const results: InterviewResult[] = [];
  let failure: string | undefined;
  for (let i = 1; i <= settings.interviews; i++) {
    try {
      const r = await runInterview(i, api, worker, database);
      results.push(r);
      const lat = r.paired.map((t) => t.latencyMs);
      const ours = r.paired.map((t) => t.oursMs);
      process.stdout.write(
        `  interview ${i}: ${r.status}/${r.endReason}, ${r.answersSpoken} answers, ${r.paired.length} paired, ${r.dropped.length} dropped` +
          ` · latency p50 ${Math.round(median(lat))} ms · ours p50 ${Math.round(median(ours))} p95 ${Math.round(percentile(ours, 95))} ms` +
          ` · join → greeting ${r.join.joinToGreetingMs ?? 'n/a'} ms · ${r.seconds.toFixed(0)} s\n`,
      );
      if (r.status !== 'COMPLETED') {
        failure = `interview ${i} ended ${r.status} (${r.endReason}), not COMPLETED`;
        break;
      }
      await probeNow(`after interview ${i}`, false);
    } catch (e) {
      failure = `interview ${i} failed: ${e instanceof Error ? e.message : String(e)}`;
      break;
    }
  }
  clearInterval(sampler);
  clearInterval(sampler);
  cpu.sample();
  const windowMs = Date.now() - window0;
  const machine1 = machineCpuMs();

  const workerLines = workerLog(worker, logOffset);
  const figures = await turnFigures(results, probes, workerLines);
  const window = windowFigures(cpu, windowMs, [machine0, machine1], workerLines);
  const { turns, summary } = figures;
  const valid = !failure && turns.length >= MIN_TURNS;
  const goalMet = valid && summary.ours.p95 <= GOAL_MS;
  if (!failure && turns.length < MIN_TURNS) failure = `only ${turns.length} paired turns (need ≥ ${MIN_TURNS})`;
  const verdict = { valid, goalMet, failure };
  printFigures(figures, window, windowMs, results.length, verdict);

  // CPU profile of the job processes (after the worker has stopped: profiles are written at exit).
  let profile: Profile = null;
  if (settings.cpuProf) {
    await worker.stop();
    await sleep(1000);
    profile = summariseProfiles(PROF_DIR, cpu.pids(JOB_PROCESS));
    printProfile(profile);
  }
  writeReport({ started, results, probes, harnessProbe, windowMs }, figures, window, profile, verdict);

  if (!valid) {
    process.stdout.write(`\nINVALID RUN: ${failure}\n`);
    return 1;
  }
  return 0;
}

// Bounded: set-up, the probes, every interview at its own timeout, the wrap-ups, and a margin
// (under bench.sh's 30 min).
const deadlineMs = Math.min(1_700_000, 240_000 + settings.interviews * (60_000 + answersPerInterview * 25_000 + 70_000 + 45_000));
await runBounded(main, deadlineMs, async () => fake?.close());
