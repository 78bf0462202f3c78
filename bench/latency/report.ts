// agent-latency's report: the tables it prints, and the files it writes (bench/results/
// agent-latency.json with every figure, .svg and .png).
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../testkit/stack.js';
import { writeChart } from '../lib/svg.js';
import type { Probe, TurnFigures, WindowFigures } from './figures.js';
import type { InterviewResult } from './interview.js';
import { completions } from './llm.js';
import { plotSvg } from './plot.js';
import type { TransportProbe } from './probe.js';
import type { summariseProfiles } from './profile.js';
import { answersPerInterview, GOAL_MS, LOG_DIR, MIN_TURNS, QUESTIONS, RESULTS, settings } from './settings.js';

const f = (v: number) => (Number.isFinite(v) ? Math.round(v).toString() : 'n/a');
const table = (rs: string[][]) => {
  const ws = rs[0]!.map((_, i) => Math.max(...rs.map((r) => r[i]!.length)));
  return rs.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(ws[i]!) : c.padStart(ws[i]!))).join('  ')).join('\n');
};

export interface Verdict {
  valid: boolean;
  goalMet: boolean;
  failure: string | undefined;
}

export function printFigures(t: TurnFigures, w: WindowFigures, windowMs: number, interviews: number, { valid, goalMet }: Verdict): void {
  const { turns, floor, probeValues, dropped, answersSpoken, afterGoodbye, summary, joins, joinSummary } = t;
  const { cpuRows, machineBusyPct, oursCpuMs, agentWarnings } = w;
  const rows: string[][] = [
    ['per turn (ms)', 'p50', 'p95', 'max', 'min'],
    ...(
      [
        ['latency (candidate side)', summary.latency],
        ['− endpointing (eou delay)', summary.parts.endpointing],
        ['− LLM (served delay)', summary.parts.llm],
        ['− TTS first byte', summary.parts.tts],
        ['= ours', summary.ours],
        ['  ours: inbound', summary.oursBreakdown.inbound],
        ['  ours: commit → LLM request', summary.oursBreakdown.preLlm],
        ['    commit → speech handle (log)', summary.oursBreakdown.toSpeechHandle],
        ['    speech handle → LLM request', summary.oursBreakdown.speechHandleToLlm],
        ['  ours: LLM token → first frame − TTS', summary.oursBreakdown.postLlm],
        ['  ours: outbound', summary.oursBreakdown.outbound],
        ['info: llmTtft (agent)', summary.info.llmTtft],
        ['info: llmTtft − served (1-call turns)', summary.info.llmClientSide],
        ['info: transcription delay', summary.info.transcriptionDelay],
        ['info: espeak lead-in silence', summary.info.ttsLeadIn],
        ['info: candidate send queue at end', summary.info.candidateQueue],
      ] as const
    ).map(([label, s]) => [label, f(s.p50), f(s.p95), f(s.max), f(s.min)]),
  ];
  process.stdout.write(`\n${table(rows)}\n`);
  const at = summary.attribution;
  if (floor !== null) {
    process.stdout.write(
      `\nwhere ours goes (medians, ms): transport in ${f(floor)} (floor) + VAD tail ${f(at.vadTail.p50)} + agent input ${f(at.inboundRest.p50)}` +
        ` | commit → LLM request ${f(summary.oursBreakdown.preLlm.p50)} + LLM → first frame ${f(summary.oursBreakdown.postLlm.p50)}` +
        ` | agent output ${f(at.outboundRest.p50)} + espeak lead-in ${f(at.ttsLeadIn.p50)} + transport out ${f(floor)} (floor)\n` +
        `agent processing = ours − 2 × floor − VAD tail − lead-in: p50 ${f(at.agent.p50)}, p95 ${f(at.agent.p95)}, max ${f(at.agent.max)} ms\n`,
    );
  }
  const dropReasons = new Map<string, number>();
  for (const d of dropped) dropReasons.set(d.reason.replace(/\d+/g, 'N'), (dropReasons.get(d.reason.replace(/\d+/g, 'N')) ?? 0) + 1);
  process.stdout.write(
    `\nn = ${turns.length} paired turns of ${answersSpoken} answers spoken (${dropped.length} dropped, ${afterGoodbye} after the goodbye) in ${interviews} interview(s)` +
      (dropped.length ? `; dropped: ${[...dropReasons].map(([r, c]) => `${c}× ${r}`).join('; ')}` : '') +
      `\nour overhead p95 = ${f(summary.ours.p95)} ms  goal ≤ ${GOAL_MS} ms: ${!valid ? 'n/a, INVALID RUN' : goalMet ? 'MET' : 'NOT MET'}\n`,
  );
  const jrows: string[][] = [
    ['join → greeting (ms)', 'p50', 'max', 'min'],
    ...(
      [
        ['join request (API)', joinSummary.joinMs],
        ['join response → connected', joinSummary.connectedMs],
        ['join response → worker gets the job', joinSummary.jobRequestMs],
        ['  (question plan LLM call, served)', joinSummary.planLlmMs],
        ['join response → agent entry (log)', joinSummary.agentEntryMs],
        ['join response → agent track subscribed', joinSummary.subscribedMs],
        ['join response → first audio frame', joinSummary.firstAudioFrameMs],
        ['join response → agent pushes greeting', joinSummary.agentFirstFrameMs],
        ['join response → greeting heard', joinSummary.greetingHeardMs],
        ['join request → greeting heard', joinSummary.joinToGreetingMs],
      ] as const
    ).map(([label, s]) => [label, f(s.p50), f(s.max), f(s.min)]),
  ];
  process.stdout.write(`\n${table(jrows)}\n(n = ${joins.length})\n`);
  process.stdout.write(
    `\nCPU over ${(windowMs / 1000).toFixed(0)} s (machine busy ${machineBusyPct.toFixed(0)}% of ${os.cpus().length} cores, this bench's processes ${((oursCpuMs / windowMs) * 100).toFixed(0)}% of one core):\n` +
      cpuRows.map((r) => `  ${r.cat.padEnd(40)} ${r.cpuS.toFixed(1).padStart(6)} s  ${r.pctOfOneCore.toFixed(0).padStart(3)}%`).join('\n') +
      `\nagent warnings: event loop blocked ${agentWarnings.eventLoopBlocked.count}× (${agentWarnings.eventLoopBlocked.totalMs} ms), ` +
      `process not scheduled ${agentWarnings.processNotScheduled.count}× (${agentWarnings.processNotScheduled.totalMs} ms), ` +
      `VAD slower than realtime ${agentWarnings.vadSlowerThanRealtime.count}×, other ${agentWarnings.other}\n` +
      `turns with a job-loop stall inside: ${summary.stalls.turnsWithStall} (stall p50 ${f(summary.stalls.stallMs.p50)} ms); ` +
      `ours p50/p95 without a stall ${f(summary.stalls.oursWithoutStall.p50)}/${f(summary.stalls.oursWithoutStall.p95)} ms (n ${summary.stalls.oursWithoutStall.n}), ` +
      `with ${f(summary.stalls.oursWithStall.p50)}/${f(summary.stalls.oursWithStall.p95)} ms; turns with a VAD backlog: ${summary.stalls.turnsWithVadBacklog} (max ${f(summary.stalls.vadBacklogMs.max)} ms)\n` +
      (floor !== null
        ? `transport floor: one way ≈ ${f(floor)} ms (median of ${probeValues.length} probes: ${probeValues.map(f).join(', ')}), so inbound + outbound ≈ ${f(2 * floor)} ms of ours is the audio path any participant has\n`
        : ''),
  );
}

export type Profile = ReturnType<typeof summariseProfiles>;

export function printProfile(profile: Profile): void {
  if (!profile) return;
  process.stdout.write(
    `\njob processes' CPU profile (${profile.files} files, ${(profile.totalMs / 1000).toFixed(1)} s busy):\n` +
      profile.areas
        .slice(0, 14)
        .map((a) => `  ${a.area.padEnd(40)} ${(a.ms / 1000).toFixed(1).padStart(6)} s  ${a.pct.toFixed(1).padStart(5)}%`)
        .join('\n') +
      `\n  top of ours:\n` +
      profile.topOurs.map((t) => `    ${t.ms.toString().padStart(6)} ms  ${t.fn}`).join('\n') +
      '\n',
  );
}

export function writeReport(
  run: { started: number; results: InterviewResult[]; probes: Probe[]; harnessProbe: TransportProbe | null; windowMs: number },
  t: TurnFigures,
  w: WindowFigures,
  profile: Profile,
  { valid, goalMet, failure }: Verdict,
): void {
  const { started, results, probes, harnessProbe, windowMs } = run;
  const { turns, floor, dropped, answersSpoken, afterGoodbye, summary, joins, joinSummary } = t;
  const { cpuRows, machineBusyPct, agentWarnings } = w;
  mkdirSync(RESULTS, { recursive: true });
  const report = {
    benchmark: 'agent-latency',
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version, loadavg: os.loadavg() },
    settings: { ...settings, questions: QUESTIONS, answersPerInterview, minTurns: MIN_TURNS, logDir: path.relative(REPO_ROOT, LOG_DIR) },
    goal: { oursP95Ms: GOAL_MS, metric: 'p95 over paired turns of: latency − endOfUtteranceDelayMs − LLM served delay − ttsTtfbMs' },
    valid,
    failure: failure ?? null,
    goalMet,
    summary,
    join: { summary: joinSummary, perInterview: joins },
    counts: { answersSpoken, paired: turns.length, dropped: dropped.length, afterGoodbye },
    dropped,
    cpu: { windowS: windowMs / 1000, machineBusyPct, perCategory: cpuRows },
    agentWarnings,
    transportFloor: { oneWayMedianMs: floor, probes },
    transportWithHarnessCandidate: harnessProbe,
    cpuProfile: profile,
    interviews: results.map(({ paired: _p, dropped: _d, ...r }) => r),
    turns,
    completions,
    seconds: (Date.now() - started) / 1000,
  };
  writeFileSync(path.join(RESULTS, 'agent-latency.json'), `${JSON.stringify(report, null, 2)}\n`);
  const svg = plotSvg(turns, {
    title: `Agent reply latency: our overhead p95 ${f(summary.ours.p95)} ms (goal ≤ ${GOAL_MS} ms: ${!valid ? 'INVALID RUN' : goalMet ? 'met' : 'not met'})`,
    subtitle: [
      `${turns.length} paired turns of ${answersSpoken} answers (${dropped.length} dropped) in ${results.length} interview(s) · latency p50 ${f(summary.latency.p50)} / p95 ${f(summary.latency.p95)} ms · ours p50 ${f(summary.ours.p50)} / p95 ${f(summary.ours.p95)} / max ${f(summary.ours.max)} ms`,
      `medians: endpointing ${f(summary.parts.endpointing.p50)} ms, LLM ${f(summary.parts.llm.p50)} ms (injected ${settings.llmDelayMs}), TTS first byte ${f(summary.parts.tts.p50)} ms`,
      `ours (medians) = inbound ${f(summary.oursBreakdown.inbound.p50)} + end of turn → LLM request ${f(summary.oursBreakdown.preLlm.p50)} + LLM → first frame ${f(summary.oursBreakdown.postLlm.p50)} + outbound ${f(summary.oursBreakdown.outbound.p50)} ms`,
      `local speech (pocketsphinx, espeak-ng), scripted LLM · ${os.cpus().length} CPUs, machine ${machineBusyPct.toFixed(0)}% busy · ${report.date.slice(0, 16).replace('T', ' ')} UTC`,
    ],
    p95Ours: summary.ours.p95,
    floorOneWay: floor,
    footer: [
      `Join → first greeting audio (n = ${joins.length}, medians): join request ${f(joinSummary.joinMs.p50)} ms + join response → greeting heard ${f(joinSummary.greetingHeardMs.p50)} ms = ${f(joinSummary.joinToGreetingMs.p50)} ms` +
        ` (agent entry ${f(joinSummary.agentEntryMs.p50)}, agent track subscribed ${f(joinSummary.subscribedMs.p50)}, first audio frame ${f(joinSummary.firstAudioFrameMs.p50)}, agent pushes greeting ${f(joinSummary.agentFirstFrameMs.p50)} ms after the join response)`,
      (floor !== null
        ? `Where ours goes (medians): transport ${f(floor)} ms each way (two bench participants via the same LiveKit, no agent), VAD tail ${f(summary.attribution.vadTail.p50)}, ` +
          `espeak-ng lead-in ${f(summary.attribution.ttsLeadIn.p50)}, agent input ${f(summary.attribution.inboundRest.p50)} + pipeline ${f(summary.oursBreakdown.preLlm.p50 + summary.oursBreakdown.postLlm.p50)} + output ${f(summary.attribution.outboundRest.p50)}; ` +
          `agent processing alone (ours − transport − VAD tail − lead-in) p50 ${f(summary.attribution.agent.p50)}, p95 ${f(summary.attribution.agent.p95)} ms.`
        : '') + ` Agent job-loop stalls (its own warnings) inside ${summary.stalls.turnsWithStall} of ${turns.length} turns.`,
    ],
  });
  const files = writeChart(RESULTS, 'agent-latency', svg);
  process.stdout.write(
    `\nwrote ${path.relative(process.cwd(), RESULTS)}/agent-latency.json, ${files.join(', ')}; logs in ${path.relative(process.cwd(), LOG_DIR)}/\n`,
  );
}
