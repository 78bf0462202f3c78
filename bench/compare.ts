// Benchmark: our interviewer worker (agent/main.ts) against the plainest LiveKit Agents voice agent
// (bench/compare/plain-agent.ts: a bare voice.Agent with instructions, the same VAD, turn handling
// and providers), in one run on identical providers: local pocketsphinx STT and flite TTS, the
// scripted OpenAI-compatible LLM in this process with the same injected delay for both, the same
// synthetic candidate (pacing 'queue') giving the same short answers, the same LiveKit server and
// API (both get their room and dispatch through the candidate's join). Rounds alternate, ours,
// plain, ours, plain…, each on a fresh worker of its kind, so the shared machine's load hits both.
//
// Per turn, as agent-latency measures it: reply gap = the answer's last frame sent → the first loud
// reply frame heard (candidate's clock), and its parts from the agent's own metrics (eou delay,
// LLM node TTFT, TTS node TTFB). Per round: candidate joins → first greeting audio. Goal (issue):
// our reply gap ≤ 1.10× the plain agent's (p50).
//
//   scripts/bench.sh compare     (runs this inside scripts/netns.sh with LIVEKIT_BIN set)
//
// Env: BENCH_ROUNDS (3 of each), BENCH_FOLLOW_UPS (2: 5 × 3 answers per round), BENCH_LLM_DELAY_MS
// (150), BENCH_AGENT_LOG_LEVEL (info), BENCH_FIRST (ours; plain: start with it), BENCH_SETTLE_MS (3000: after a worker registered, before
// its candidate joins). Logs: .artifacts/bench/compare/round-<k>-<kind>/. Writes
// bench/results/compare.{json,svg} (and .png with rsvg-convert). Exit 1 on an invalid run: an
// interview or conversation that failed, or fewer than 10 paired turns in a round.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { productScript, startFakeLlm, type FakeLlm } from '../testkit/fake-llm.js';
import { DEFAULT_WORKER_COMMAND, REPO_ROOT, sleep, startWorker, type Worker } from '../testkit/stack.js';
import { median, percentile } from '../testkit/stats.js';
import { compareFigures, GREETING_GOAL_MS, PARTS, type CompareFigures, type Kind, type Round } from './compare/figures.js';
import { PART_LABEL, compareSvg } from './compare/plot.js';
import { isPlain, plainScript } from './compare/plain-script.js';
import { NotHeard, runPlain } from './compare/plain-run.js';
import { runInterview } from './latency/interview.js';
import { benchLlm, completions, scriptedAgentEnv } from './latency/llm.js';
import { answersPerInterview, QUESTIONS, RESULTS, settings } from './latency/settings.js';
import { intSetting, runBounded } from './lib/run.js';
import { startBenchServices } from './lib/stack.js';
import { writeChart } from './lib/svg.js';

const LOG_DIR = path.join(REPO_ROOT, '.artifacts', 'bench', 'compare');
const GOAL_RATIO = 1.1;
const MIN_TURNS_PER_ROUND = 10;
const rounds = intSetting('BENCH_ROUNDS', 3, 1, 10);
const settleMs = intSetting('BENCH_SETTLE_MS', 3000, 0, 60_000);
/** BENCH_FIRST=plain starts with the plain agent (the order's own effect, if any, then shows). */
const first: Kind = process.env.BENCH_FIRST === 'plain' ? 'plain' : 'ours';
const PLAIN_COMMAND = [process.execPath, '--import', 'tsx', 'bench/compare/plain-agent.ts', 'start'];

let fake: FakeLlm | undefined;

const r0 = (v: number) => (Number.isFinite(v) ? String(Math.round(v)) : 'n/a');
const sg = (v: number) => (Number.isFinite(v) ? `${v >= 0 ? '+' : ''}${Math.round(v)}` : 'n/a');

function printFigures(f: CompareFigures) {
  const w = (s: string, n: number) => s.padEnd(n);
  const out: string[] = [];
  out.push('', `reply gap (last answer frame sent → first loud reply frame heard), n ours ${f.n.ours}, plain ${f.n.plain}:`);
  out.push(
    `  ours  p50 ${r0(f.replyGap.ours.p50)} ms  p95 ${r0(f.replyGap.ours.p95)} ms`,
    `  plain p50 ${r0(f.replyGap.plain.p50)} ms  p95 ${r0(f.replyGap.plain.p95)} ms`,
    `  ratio ours/plain: p50 ${f.replyGap.ratioP50.toFixed(3)}×, p95 ${f.replyGap.ratioP95.toFixed(3)}×; median of the per-round p50 ratios ${f.medianRoundRatio.toFixed(3)}× (${f.byRound.map((r) => r.ratio.toFixed(2)).join(', ')})`,
  );
  out.push(
    `first greeting (join request → first loud greeting frame heard), per round: ours p50 ${r0(f.greeting.ours.p50)} ms (${f.greeting.ours.n}), plain p50 ${r0(f.greeting.plain.p50)} ms (${f.greeting.plain.n}), ratio ${f.greeting.ratioP50.toFixed(2)}×`,
    `  of which the greeting's own wait (the agent joined the room, as the candidate saw it → first loud greeting frame; goal ≤ ${GREETING_GOAL_MS} ms): ours p50 ${r0(f.greetingAfterAgentJoined.ours.p50)} ms (max ${r0(f.greetingAfterAgentJoined.ours.max)}), plain p50 ${r0(f.greetingAfterAgentJoined.plain.p50)} ms (max ${r0(f.greetingAfterAgentJoined.plain.max)})`,
  );
  out.push(
    `mean reply length (paired replies): ours ${f.meanReplyWords.ours.toFixed(1)} words, plain ${f.meanReplyWords.plain.toFixed(1)} words`,
  );
  out.push('', 'per turn, where the time goes (ms; the first five lines: gap = endpointing + LLM TTFT + TTS TTFB + rest):');
  out.push(`  ${w('part', 30)}${w('ours p50/p95', 16)}${w('plain p50/p95', 16)}${w('Δ p50', 9)}Δ mean`);
  for (const row of f.parts) {
    if (row.part === 'llmServed') out.push('  for information (the LLM as served, and the breakdown of pairing.ts):');
    out.push(
      `  ${w(PART_LABEL[row.part], 30)}${w(`${r0(row.ours.p50)} / ${r0(row.ours.p95)}`, 16)}${w(`${r0(row.plain.p50)} / ${r0(row.plain.p95)}`, 16)}${w(sg(row.diffP50), 9)}${sg(row.diffMean)}`,
    );
  }
  out.push(`goal: ours ≤ ${GOAL_RATIO}× plain at p50: ${f.goal.met ? 'MET' : 'NOT MET'} (${f.replyGap.ratioP50.toFixed(3)}×)`);
  process.stdout.write(`${out.join('\n')}\n`);
}

async function main(): Promise<number> {
  const started = Date.now();
  if (process.env.NETNS_INSIDE !== '1' || !process.env.LIVEKIT_BIN) {
    process.stderr.write(
      'bench compare: run it through scripts/bench.sh (it needs the network namespace of scripts/netns.sh and LIVEKIT_BIN)\n',
    );
    return 2;
  }
  process.stdout.write(
    `bench compare: ${rounds} round(s) each of ours and plain, alternating, ${answersPerInterview} answers per round ` +
      `(${QUESTIONS} questions, ${settings.followUps} follow-up(s) each), LLM delay ${settings.llmDelayMs} ms per completion; ` +
      `${os.cpus().length} CPUs, load ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}, Node ${process.version}\n`,
  );
  // One scripted LLM for both: the plain agent is recognised by its instructions.
  const product = productScript(QUESTIONS);
  const plain = plainScript(settings.followUps);
  fake = await startFakeLlm(benchLlm((req) => (isPlain(req) ? plain(req) : product(req))));
  const env = scriptedAgentEnv(fake.baseUrl, settings.followUps);
  const { database, livekit, api } = await startBenchServices({ logDir: LOG_DIR, env });
  process.stdout.write(`stack up: livekit ${livekit.startupMs} ms, api ${api.startupMs} ms\n`);

  const results: (Round & { status: string; answersSpoken: number; dropped: unknown[]; seconds: number; workerStartupMs: number })[] = [];
  let failure: string | undefined;
  const reruns: { round: number; kind: Kind; reason: string }[] = [];
  for (let k = 1; k <= 2 * rounds && !failure; k++) {
    const kind: Kind = (k % 2 === 1) === (first === 'ours') ? 'ours' : 'plain';
    for (let attempt = 1; ; attempt++) {
      const dir = path.join(LOG_DIR, `round-${k}-${kind}${attempt > 1 ? `-attempt-${attempt}` : ''}`);
      mkdirSync(dir, { recursive: true });
      let worker: Worker | undefined;
      try {
        worker = await startWorker({
          logDir: dir,
          livekit,
          databaseUrl: database.url,
          env: { ...env, LOG_LEVEL: settings.agentLogLevel },
          command: kind === 'ours' ? DEFAULT_WORKER_COMMAND : PLAIN_COMMAND,
        });
        await sleep(settleMs);
        let r: (typeof results)[number];
        if (kind === 'ours') {
          const i = await runInterview(k, api, worker, database, dir);
          r = {
            round: k,
            kind,
            paired: i.paired,
            greetingMs: i.join.joinToGreetingMs,
            agentToGreetingMs: i.join.agentJoinedToGreetingMs,
            status: `${i.status}/${i.endReason}`,
            answersSpoken: i.answersSpoken,
            dropped: i.dropped,
            seconds: i.seconds,
            workerStartupMs: worker.startupMs,
          };
          if (i.status !== 'COMPLETED') failure = `round ${k} (ours): the interview ended ${i.status} (${i.endReason}), not COMPLETED`;
        } else {
          const p = await runPlain(k, answersPerInterview, api, worker, dir);
          r = {
            round: k,
            kind,
            paired: p.paired,
            greetingMs: p.joinToGreetingMs,
            agentToGreetingMs: p.agentJoinedToGreetingMs,
            status: 'done',
            answersSpoken: p.answersSpoken,
            dropped: p.dropped,
            seconds: p.seconds,
            workerStartupMs: worker.startupMs,
          };
        }
        results.push(r);
        const gaps = r.paired.map((t) => t.latencyMs);
        process.stdout.write(
          `  round ${k} ${kind.padEnd(5)}: ${r.status}, ${r.answersSpoken} answers, ${r.paired.length} paired, ${r.dropped.length} dropped` +
            ` · reply gap p50 ${r0(median(gaps))} p95 ${r0(percentile(gaps, 95))} ms · join → greeting ${r.greetingMs ?? 'n/a'} ms (agent joined → greeting ${r.agentToGreetingMs ?? 'n/a'} ms)` +
            ` · worker up in ${worker.startupMs} ms · ${r.seconds.toFixed(0)} s\n`,
        );
        if (!failure && r.paired.length < MIN_TURNS_PER_ROUND)
          failure = `round ${k} (${kind}): only ${r.paired.length} paired turns (need ≥ ${MIN_TURNS_PER_ROUND})`;
        break;
      } catch (e) {
        const reason = e instanceof Error ? e.message : String(e);
        if (e instanceof NotHeard && attempt < 2) {
          reruns.push({ round: k, kind, reason });
          process.stdout.write(`  round ${k} ${kind}: ${reason}; running it again on a fresh worker\n`);
          continue;
        }
        failure = `round ${k} (${kind}) failed: ${reason}`;
        break;
      } finally {
        await worker?.stop().catch(() => undefined);
      }
    }
  }

  const figures = compareFigures(results, GOAL_RATIO);
  const valid = !failure && results.length === 2 * rounds;
  printFigures(figures);
  if (reruns.length)
    process.stdout.write(
      `rounds run again (the agent never heard the candidate): ${reruns.map((r) => `${r.round} (${r.kind})`).join(', ')}\n`,
    );

  mkdirSync(RESULTS, { recursive: true });
  const subtitle = [
    `${new Date(started).toISOString().slice(0, 16).replace('T', ' ')} UTC · ${rounds} × 2 alternating rounds, ${answersPerInterview} answers each · LLM delay ${settings.llmDelayMs} ms · pocketsphinx + flite · ${os.cpus().length} CPUs`,
    `reply gap p50 ours ${r0(figures.replyGap.ours.p50)} ms / plain ${r0(figures.replyGap.plain.p50)} ms = ${figures.replyGap.ratioP50.toFixed(2)}× (goal ≤ ${GOAL_RATIO}×) · p95 ${figures.replyGap.ratioP95.toFixed(2)}× · bars: p50 over all turns, whiskers: lowest–highest round p50`,
  ];
  const files = writeChart(RESULTS, 'compare', compareSvg(figures, subtitle));
  writeFileSync(
    path.join(RESULTS, 'compare.json'),
    `${JSON.stringify(
      {
        started: new Date(started).toISOString(),
        settings: { rounds, ...settings, answersPerRound: answersPerInterview, settleMs, goalRatio: GOAL_RATIO, parts: PARTS },
        verdict: { valid, goalMet: valid && figures.goal.met, failure },
        reruns,
        figures,
        rounds: results,
        completions,
      },
      null,
      2,
    )}\n`,
  );
  process.stdout.write(
    `\nwrote bench/results/compare.json, ${files.map((f) => `bench/results/${f}`).join(', ')}; logs in .artifacts/bench/compare/\n`,
  );
  if (!valid) {
    process.stdout.write(`\nINVALID RUN: ${failure ?? 'not every round ran'}\n`);
    return 1;
  }
  return 0;
}

// Bounded: set-up, every round at its own timeout (worker start, the conversation, wrap-up), a
// margin, under bench.sh's 30 min.
const deadlineMs = Math.min(1_700_000, 120_000 + 2 * rounds * (30_000 + 60_000 + answersPerInterview * 25_000 + 60_000));
await runBounded(main, deadlineMs, async () => fake?.close());
