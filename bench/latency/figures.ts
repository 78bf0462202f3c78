// agent-latency's figures, once every interview ran: the attribution of each paired turn (the
// transport floor of the probes around its interview, the VAD's tail, the voice's lead-in, the
// agent's stalls), the summaries of every part, the join → greeting steps, and the measured
// window's CPU per process category and the agent's own warnings.
import { median, summarise } from '../../testkit/stats.js';
import type { NamespaceCpu } from '../lib/cpu.js';
import { stallsPerTurn, vadTails } from './attribution.js';
import type { InterviewResult, JoinFigures } from './interview.js';
import type { PairedTurn } from './pairing.js';
import type { TransportProbe } from './probe.js';

/** What the CPU sampler calls the agent's job processes (their children are the speech tools). */
export const JOB_PROCESS = 'agent job process';

export interface Probe {
  when: string;
  floor: TransportProbe | null;
}

export async function turnFigures(results: InterviewResult[], probes: Probe[], workerLines: Record<string, unknown>[]) {
  const turns = results.flatMap((r) => r.paired);
  stallsPerTurn(turns, workerLines);
  // Attribution of "ours": the transport floor (probe), the VAD's tail and the voice's lead-in.
  let tails = new Map<string, number>();
  try {
    tails = await vadTails([...new Set(turns.map((t) => t.answerText))]);
  } catch (e) {
    process.stdout.write(`offline VAD tail failed (informational): ${e instanceof Error ? e.message : String(e)}\n`);
  }
  // Each interview's floor: the mean of the probes just before and just after it.
  const probeP50 = (k: number) => {
    const v = probes[k]?.floor?.oneWayMs.p50;
    return v !== undefined && Number.isFinite(v) ? v : undefined;
  };
  const floorFor = (interview: number): number | null => {
    const around = [probeP50(interview - 1), probeP50(interview)].filter((v): v is number => v !== undefined);
    return around.length ? around.reduce((a, b) => a + b, 0) / around.length : null;
  };
  const probeValues = probes.map((_, k) => probeP50(k)).filter((v): v is number => v !== undefined);
  const floor = probeValues.length ? median(probeValues) : null;
  for (const t of turns) {
    t.vadTailMs = tails.get(t.answerText) ?? null;
    t.floorMs = floorFor(t.interview);
    if (t.floorMs === null || t.vadTailMs === null || t.ttsLeadInMs === null) continue;
    const floor = t.floorMs;
    t.inboundRestMs = Math.round(t.inboundMs - floor - t.vadTailMs);
    t.outboundRestMs = Math.round(t.outboundMs - floor - t.ttsLeadInMs);
    t.agentMs = t.inboundRestMs + t.preLlmMs + t.postLlmMs + t.outboundRestMs;
  }
  const dropped = results.flatMap((r) => r.dropped);
  const answersSpoken = results.reduce((s, r) => s + r.answersSpoken, 0);
  const afterGoodbye = results.reduce((s, r) => s + r.afterGoodbye, 0);
  const col = (k: keyof PairedTurn) => turns.map((t) => t[k]).filter((v): v is number => typeof v === 'number');
  const summary = {
    n: turns.length,
    latency: summarise(col('latencyMs')),
    ours: summarise(col('oursMs')),
    parts: {
      endpointing: summarise(col('endpointingMs')),
      llm: summarise(col('llmMs')),
      tts: summarise(col('ttsMs')),
    },
    oursBreakdown: {
      inbound: summarise(col('inboundMs')),
      preLlm: summarise(col('preLlmMs')),
      toSpeechHandle: summarise(col('toSpeechHandleMs')),
      speechHandleToLlm: summarise(turns.filter((t) => t.toSpeechHandleMs !== null).map((t) => t.preLlmMs - t.toSpeechHandleMs!)),
      postLlm: summarise(col('postLlmMs')),
      outbound: summarise(col('outboundMs')),
    },
    info: {
      llmTtft: summarise(col('llmTtftMs')),
      llmClientSide: summarise(turns.filter((t) => t.llmCalls === 1).map((t) => t.llmTtftMs - t.llmMs)),
      transcriptionDelay: summarise(col('transcriptionDelayMs')),
      ttsLeadIn: summarise(col('ttsLeadInMs')),
      candidateQueue: summarise(col('candidateQueueMs')),
      multiCallTurns: turns.filter((t) => t.llmCalls > 1).length,
    },
    attribution: {
      transportFloorOneWayMs: floor,
      vadTail: summarise(col('vadTailMs')),
      ttsLeadIn: summarise(col('ttsLeadInMs')),
      inboundRest: summarise(col('inboundRestMs')),
      outboundRest: summarise(col('outboundRestMs')),
      agent: summarise(col('agentMs')),
    },
    stalls: {
      turnsWithStall: turns.filter((t) => t.stallMs > 0).length,
      stallMs: summarise(turns.filter((t) => t.stallMs > 0).map((t) => t.stallMs)),
      oursWithoutStall: summarise(turns.filter((t) => t.stallMs === 0).map((t) => t.oursMs)),
      oursWithStall: summarise(turns.filter((t) => t.stallMs > 0).map((t) => t.oursMs)),
      turnsWithVadBacklog: turns.filter((t) => t.vadBacklogMs > 0).length,
      vadBacklogMs: summarise(turns.filter((t) => t.vadBacklogMs > 0).map((t) => t.vadBacklogMs)),
    },
  };
  const joins = results.map((r) => r.join);
  const jstat = (k: keyof JoinFigures) => summarise(joins.map((j) => j[k]).filter((v): v is number => typeof v === 'number'));
  const joinSummary = {
    n: joins.length,
    joinMs: jstat('joinMs'),
    connectedMs: jstat('connectedMs'),
    jobRequestMs: jstat('jobRequestMs'),
    planLlmMs: jstat('planLlmMs'),
    agentEntryMs: jstat('agentEntryMs'),
    subscribedMs: jstat('subscribedMs'),
    firstAudioFrameMs: jstat('firstAudioFrameMs'),
    agentFirstFrameMs: jstat('agentFirstFrameMs'),
    greetingHeardMs: jstat('greetingHeardMs'),
    joinToGreetingMs: jstat('joinToGreetingMs'),
  };
  return { turns, floor, probeValues, dropped, answersSpoken, afterGoodbye, summary, joins, joinSummary };
}
export type TurnFigures = Awaited<ReturnType<typeof turnFigures>>;

export function windowFigures(
  sampler: NamespaceCpu,
  windowMs: number,
  machine: { busy: number; total: number }[],
  workerLines: Record<string, unknown>[],
) {
  const [machine0, machine1] = machine as [{ busy: number; total: number }, { busy: number; total: number }];
  // CPU over the window, per category.
  const cpu = sampler.perCategory(JOB_PROCESS, 'speech tools (flite, pocketsphinx)');
  const cpuRows = [...cpu].sort((a, b) => b[1] - a[1]).map(([cat, ms]) => ({ cat, cpuS: ms / 1000, pctOfOneCore: (ms / windowMs) * 100 }));
  const machineBusyPct = ((machine1.busy - machine0.busy) / (machine1.total - machine0.total)) * 100;
  const oursCpuMs = [...cpu.values()].reduce((a, b) => a + b, 0);

  // The agent's own warnings in the window: blocked event loops, unscheduled processes.
  const warnings = workerLines.filter((l) => typeof l.msg === 'string' && (l.level as number) >= 40);
  const warn = (re: RegExp) => {
    const ls = warnings.filter((l) => re.test(l.msg as string));
    return { count: ls.length, totalMs: Math.round(ls.reduce((s, l) => s + (typeof l.duration === 'number' ? l.duration : 0), 0)) };
  };
  const agentWarnings = {
    eventLoopBlocked: warn(/event loop blocked/),
    processNotScheduled: warn(/process not scheduled/),
    vadSlowerThanRealtime: warn(/slower than realtime/),
    other: warnings.filter((l) => !/event loop blocked|process not scheduled|slower than realtime/.test(l.msg as string)).length,
  };
  return { cpuRows, machineBusyPct, oursCpuMs, agentWarnings };
}
export type WindowFigures = ReturnType<typeof windowFigures>;
