// Benchmark: turn-taking on real human speech. Does the interviewer cut the candidate off during a
// thinking pause inside an answer (false cut-off), and how long is the dead air after the answer's
// true end? Per turn-taking policy (AGENT_VAD_MIN_SILENCE_MS / AGENT_TURN_MIN_DELAY_MS /
// AGENT_TURN_MAX_DELAY_MS), one worker each, on one LiveKit server, API and database. Answers are
// 2–4 real recordings (Debian's LibriVox and Asterisk prompts, testkit/real-speech.ts) joined by
// seeded pauses of 0.3–3 s, between clips and inside a clip's sentence (cut at a word boundary),
// played by testkit's synthetic participant into the real agent (espeak-ng TTS, Silero VAD, the
// v1-mini end-of-turn model, the scripted LLM; STT: the oracle, bench/turns/oracle.ts, or pocketsphinx).
//
//   scripts/bench.sh turns     (runs this inside scripts/netns.sh with LIVEKIT_BIN set)
//
// Env: BENCH_POLICIES ("550/300/2500,…"), BENCH_STT (oracle | local), BENCH_ANSWERS (10 per
// policy), BENCH_SEED (1), BENCH_MIN_PAUSE_MS / BENCH_MAX_PAUSE_MS (300 / 3000), BENCH_INSIDE_PCT
// (50), BENCH_REPLY_CAP_MS (8000), BENCH_FOLLOW_UPS (2), BENCH_LLM_DELAY_MS (150). Writes
// bench/results/turns.{json,md,svg}.
// Goal: ≤ 5% false cut-offs at ≤ 1.0 s median dead air. Exit 1 when a policy could not run.
import os from 'node:os';
import path from 'node:path';
import { startFakeLlm, type FakeLlm } from '../testkit/fake-llm.js';
import { startFakeStt, type FakeStt } from '../testkit/fake-stt.js';
import { buildAnswers, loadClips } from '../testkit/real-speech.js';
import { startWorker, type Worker } from '../testkit/stack.js';
import { median, percentile } from '../testkit/stats.js';
import { runBounded } from './lib/run.js';
import { startBenchStack } from './lib/stack.js';
import { benchLlm, scriptedAgentEnv } from './latency/llm.js';
import { policyFigures, table, verdict, writeReport, type PolicyFigures } from './turns/report.js';
import { predictionTable, readSlotPredictions, type SlotPrediction } from './turns/eot-log.js';
import { Oracle } from './turns/oracle.js';
import { runPolicy, type AnswerResult } from './turns/session.js';
import { GOAL, LOG_DIR, settings, TODAY, type Policy } from './turns/settings.js';

let fake: FakeLlm | undefined;
let fakeStt: FakeStt | undefined;
const out = (s: string) => process.stdout.write(`${s}\n`);
// debug: the framework then logs each end-of-turn prediction ('eot prediction', its probability and
// the delay it chose), which the report maps onto the pauses (turns/eot-log.ts).
const policyEnv = (p: Policy) => ({
  LOG_LEVEL: 'debug',
  AGENT_VAD_MIN_SILENCE_MS: String(p.vadMs),
  AGENT_TURN_MIN_DELAY_MS: String(p.minMs),
  AGENT_TURN_MAX_DELAY_MS: String(p.maxMs),
});

async function main(): Promise<number> {
  const started = Date.now();
  if (process.env.NETNS_INSIDE !== '1' || !process.env.LIVEKIT_BIN) {
    process.stderr.write(
      'bench turns: run it through scripts/bench.sh (it needs the network namespace of scripts/netns.sh and LIVEKIT_BIN)\n',
    );
    return 2;
  }
  const clips = loadClips();
  const answers = buildAnswers(clips, settings.answers, settings.seed, {
    minPauseMs: settings.minPauseMs,
    maxPauseMs: settings.maxPauseMs,
    insideShare: settings.insidePct / 100,
  });
  const pauses = answers.flatMap((a) => a.pausesMs);
  const inside = answers.flatMap((a) => a.pauseKinds).filter((k) => k === 'inside').length;
  const speechS = answers.reduce((s, a) => s + a.endMs, 0) / 1000;
  out(
    `bench turns: ${settings.policies.length} policies × ${answers.length} answers (seed ${settings.seed}; ${clips.length} clips; STT ${settings.stt}; ` +
      `${pauses.length} pauses, ${inside} inside a sentence, ${settings.minPauseMs}–${settings.maxPauseMs} ms, median ${Math.round(median(pauses))}; ` +
      `${speechS.toFixed(0)} s of answers per policy); ${os.cpus().length} CPUs, load ${os.loadavg()[0]!.toFixed(2)}`,
  );

  fake = await startFakeLlm(benchLlm());
  const oracle = new Oracle();
  const env = scriptedAgentEnv(fake.baseUrl, settings.followUps);
  if (settings.stt === 'oracle') {
    // The worker's own OpenAI client (agent/providers.ts) uploads each VAD utterance to the stand-in.
    fakeStt = await startFakeStt(oracle.handler);
    Object.assign(env, { STT_PROVIDER: 'openai', STT_BASE_URL: fakeStt.baseUrl, STT_MODEL: 'oracle' });
  }
  const first = settings.policies[0]!;
  const stack = await startBenchStack({ logDir: LOG_DIR, env, workerEnv: policyEnv(first) });
  const { database, livekit, api } = stack;
  let worker: Worker = stack.worker;

  const all: AnswerResult[] = [];
  const predictions: SlotPrediction[] = [];
  const figs: PolicyFigures[] = [];
  let failure: string | undefined;
  for (const [i, policy] of settings.policies.entries()) {
    if (i > 0) {
      await worker.stop();
      worker = await startWorker({ logDir: LOG_DIR, livekit, databaseUrl: database.url, env: { ...env, ...policyEnv(policy) } });
    }
    out(`  policy ${policy.name}${policy.name === TODAY ? ' (today)' : ''}: worker up in ${worker.startupMs} ms`);
    const t0 = Date.now();
    try {
      const rs = await runPolicy(policy, answers, api, worker, database, out, (i, a, at) => oracle.playing(i, a, at));
      all.push(...rs);
      // Now: the next worker's start truncates worker.log.
      predictions.push(...readSlotPredictions(path.join(LOG_DIR, 'worker.log'), rs, answers, settings.capMs));
      const f = policyFigures(policy, rs);
      figs.push(f);
      out(
        `  policy ${policy.name}: ${f.cutOffs}/${f.answers} cut off, dead air p50 ${Math.round(f.deadAir.p50)} p95 ${Math.round(f.deadAir.p95)} ms` +
          ` · ${((Date.now() - t0) / 1000).toFixed(0)} s`,
      );
    } catch (e) {
      failure = `policy ${policy.name}: ${e instanceof Error ? e.message : String(e)}`;
      out(`  ${failure}`);
      figs.push(policyFigures(policy, []));
    }
  }

  const v = verdict(figs);
  out(`\n${table(figs)}`);
  out(
    `end-of-turn model, every policy (the prediction that stood in each pause reached and at each true end):\n${predictionTable(predictions)}`,
  );
  out(
    `pauses played: ${pauses.length} per policy (${inside} inside a sentence), median ${Math.round(median(pauses))} ms, p95 ${Math.round(percentile(pauses, 95))} ms`,
  );
  const placed = oracle.records.filter((r) => r.placement);
  if (settings.stt === 'oracle') {
    const matched = placed.filter((r) => r.placement!.matched);
    out(
      `oracle STT: ${oracle.records.length} uploads, ${matched.length} placed by their audio (median shift from the timing estimate ` +
        `${Math.round(median(matched.map((r) => r.placement!.shiftMs)))} ms, median correlation ${median(matched.map((r) => r.placement!.score)).toFixed(2)}), ` +
        `${placed.length - matched.length} by timing alone, ${oracle.records.length - placed.length} outside any answer`,
    );
  }
  out(`${v.line} (goal: ≤ ${GOAL.cutOffPct}% false cut-offs at ≤ ${GOAL.deadAirMs / 1000} s median dead air)`);
  const subtitle = [
    `${answers.length} real-speech answers per policy (seed ${settings.seed}, STT ${settings.stt}), ${pauses.length} pauses of ${settings.minPauseMs}–${settings.maxPauseMs} ms (${inside} inside a sentence); policy = VAD silence / min / max endpointing delay (ms)`,
    v.line,
  ];
  const files = writeReport(
    {
      started,
      settings,
      answers: answers.map(({ samples: _s, ...a }) => a),
      results: all,
      figures: figs,
      verdict: v,
      oracle: oracle.records,
      predictions,
      failure,
    },
    figs,
    subtitle,
  );
  out(`wrote bench/results/${files.join(', ')}`);
  if (failure) {
    out(`\nINVALID RUN: ${failure}`);
    return 1;
  }
  return 0;
}

// Bounded: set-up, per policy a worker start and its answers (each at most its audio + the cap + the
// agent's turn), and a margin (under bench.sh's 30 min).
const perAnswerMs = 45_000 + settings.capMs;
const deadlineMs = Math.min(1_750_000, 180_000 + settings.policies.length * (60_000 + settings.answers * perAnswerMs));
await runBounded(main, deadlineMs, async () => {
  await fake?.close();
  await fakeStt?.close();
});
