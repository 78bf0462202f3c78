// Pairing, per interview: each answer the candidate spoke with the agent turn (transcript_turns,
// with the agent's own metrics) that replied to it, and the reply latency split into the parts
// that are not ours (endpointing, the LLM as served, TTS first byte) and ours (inbound, commit →
// LLM request, LLM → first frame, outbound). Answers that pair with no turn, or with several,
// are dropped with the reason.
import type { AnswerTiming } from '../../testkit/candidate.js';
import { leadInMs } from '../../testkit/speech.js';
import { completions } from './llm.js';

/** ParticipantKind.AGENT of rtc-node (the candidate's view of who joined). */
const AGENT_KIND = 4;

/**
 * The agent appeared in the room, as the candidate saw it (its participant connected) → the first
 * loud greeting frame heard: the greeting's own wait, whatever the job did before joining.
 */
export function agentJoinedToGreetingMs(c: {
  participants: readonly { event: string; kind: number; at: number }[];
  segments: readonly { start: number }[];
}): number | null {
  const joined = c.participants.find((p) => p.event === 'connected' && p.kind === AGENT_KIND)?.at;
  const heard = c.segments[0]?.start;
  return joined === undefined || heard === undefined ? null : heard - joined;
}

export interface TurnRow {
  seq: number;
  speaker: string;
  text: string;
  started_at_ms: number | null;
  ended_at_ms: number | null;
  metrics: Record<string, number> | null;
}

export interface PairedTurn {
  interview: number;
  answer: number;
  answerText: string;
  replyText: string;
  /** Candidate side: last answer frame sent → first loud reply frame received. */
  latencyMs: number;
  endpointingMs: number;
  llmMs: number;
  llmCalls: number;
  ttsMs: number;
  oursMs: number;
  /** Where ours goes (they add up to oursMs). */
  inboundMs: number;
  preLlmMs: number;
  postLlmMs: number;
  outboundMs: number;
  /** preLlmMs split by the agent's "Creating speech handle" log line: end of turn → reply scheduled. */
  toSpeechHandleMs: number | null;
  /** Epoch ms: the agent committed the user turn (lastSpeakingTime + endOfUtteranceDelayMs); the LLM request arrived. */
  commitAt: number;
  llmAt: number;
  /** For information. */
  llmTtftMs: number;
  transcriptionDelayMs: number | null;
  ttsLeadInMs: number | null;
  /** Offline Silero tail for this answer's audio (see vadTails), and the rest of inbound/outbound
   * once the transport floor, that tail and espeak-ng's lead-in are taken out (null without a probe). */
  vadTailMs: number | null;
  /** Transport floor one way for this turn's interview (mean of the probes around it). */
  floorMs: number | null;
  inboundRestMs: number | null;
  outboundRestMs: number | null;
  /** ours − 2 × transport floor − VAD tail − TTS lead-in: what the agent's processing adds. */
  agentMs: number | null;
  /** The candidate's AudioSource held this much audio when the last answer frame was handed over (already in lastFrameAt). */
  candidateQueueMs: number | null;
  /** The job process's event loop stalled (agent's own warnings) this long inside the turn. */
  stallMs: number;
  /** Largest VAD backlog the agent reported from 1.5 s before the answer ended to the reply. */
  vadBacklogMs: number;
  lastFrameAt: number;
  replyAt: number;
}

export interface Dropped {
  interview: number;
  answer: number;
  reason: string;
}

export interface Pairing {
  paired: PairedTurn[];
  dropped: Dropped[];
  /** Answers spoken after the goodbye began: nothing to reply to. */
  afterGoodbye: number;
  agentReplies: number;
}

/** espeak-ng's lead-in before the first loud 10 ms frame (the candidate's detector threshold, RMS 300). */
const leadInCache = new Map<string, number | null>();
function ttsLeadInMs(text: string): number | null {
  if (!leadInCache.has(text)) {
    let v: number | null = null;
    try {
      v = leadInMs(text);
    } catch {
      // espeak-ng failed on this text: no lead-in figure for the turn, it is only attribution.
    }
    leadInCache.set(text, v);
  }
  return leadInCache.get(text)!;
}

export function pair(index: number, candidate: { answers: AnswerTiming[] }, turns: TurnRow[]): Pairing {
  const replies = turns
    .filter((t) => t.speaker === 'agent' && t.metrics && t.started_at_ms !== null)
    .map((t) => ({ ...t, started: Number(t.started_at_ms), m: t.metrics! }))
    .filter((t) => t.m.endOfUtteranceDelayMs !== undefined || t.m.e2eLatencyMs !== undefined)
    .sort((a, b) => a.started - b.started);
  const agentTurns = turns.filter((t) => t.speaker === 'agent' && t.started_at_ms !== null);
  const lastAgentStart = Math.max(...agentTurns.map((t) => Number(t.started_at_ms)));
  const used = new Set<number>();
  const paired: PairedTurn[] = [];
  const dropped: Dropped[] = [];
  let afterGoodbye = 0;
  const answers = candidate.answers.filter((a) => a && a.lastFrameAt !== undefined);
  for (const a of answers) {
    const lastFrameAt = a.lastFrameAt!;
    if (lastFrameAt >= lastAgentStart && a.replyAt === undefined) {
      afterGoodbye++; // spoken after the goodbye began: nothing to reply to
      continue;
    }
    const drop = (reason: string) => dropped.push({ interview: index, answer: a.index, reason });
    if (a.replyAt === undefined) {
      drop('no reply audio heard');
      continue;
    }
    const replyAt = a.replyAt;
    // The agent turn that replied: it started after the answer ended and before the candidate
    // heard it, and the user speech it answered ended (per the agent) around this answer's end.
    const matches = replies.filter((r) => {
      if (used.has(r.seq)) return false;
      if (!(r.started > lastFrameAt && r.started <= replyAt + 5 && replyAt - r.started < 2000)) return false;
      const e2e = r.m.e2eLatencyMs;
      if (e2e === undefined) return true;
      const userStop = r.started - e2e;
      return userStop >= a.startedAt && userStop <= lastFrameAt + 2000;
    });
    if (matches.length !== 1) {
      drop(matches.length === 0 ? 'no agent reply turn with metrics in its window' : `${matches.length} agent turns in its window`);
      continue;
    }
    const r = matches[0]!;
    used.add(r.seq);
    const { endOfUtteranceDelayMs: eou, e2eLatencyMs: e2e, ttsTtfbMs: tts, llmTtftMs: ttft } = r.m;
    if (eou === undefined || eou <= 0 || e2e === undefined || tts === undefined || ttft === undefined) {
      drop(
        `reply turn ${r.seq} lacks metrics (${['endOfUtteranceDelayMs', 'e2eLatencyMs', 'ttsTtfbMs', 'llmTtftMs'].filter((k) => !(r.m[k]! > 0)).join(', ')})`,
      );
      continue;
    }
    const userStop = r.started - e2e;
    const commit = userStop + eou;
    const calls = completions.filter((c) => c.kind === 'interviewer' && c.at >= commit - 5 && c.at <= r.started);
    if (calls.length === 0) {
      drop(`no LLM completion between the end of turn and reply turn ${r.seq}`);
      continue;
    }
    const latency = replyAt - lastFrameAt;
    const llm = calls.reduce((s, c) => s + c.serverMs, 0);
    const ours = latency - eou - llm - tts;
    const inbound = userStop - lastFrameAt;
    const preLlm = calls[0]!.at - commit;
    const outbound = replyAt - r.started;
    paired.push({
      interview: index,
      answer: a.index,
      answerText: a.text,
      replyText: r.text,
      latencyMs: latency,
      endpointingMs: eou,
      llmMs: llm,
      llmCalls: calls.length,
      ttsMs: tts,
      oursMs: ours,
      inboundMs: inbound,
      preLlmMs: preLlm,
      postLlmMs: ours - inbound - preLlm - outbound,
      outboundMs: outbound,
      toSpeechHandleMs: null,
      commitAt: commit,
      llmAt: calls[0]!.at,
      llmTtftMs: ttft,
      transcriptionDelayMs: r.m.transcriptionDelayMs ?? null,
      ttsLeadInMs: ttsLeadInMs(r.text),
      candidateQueueMs: a.queuedMs ?? null,
      vadTailMs: null,
      floorMs: null,
      inboundRestMs: null,
      outboundRestMs: null,
      agentMs: null,
      stallMs: 0,
      vadBacklogMs: 0,
      lastFrameAt,
      replyAt,
    });
  }
  return { paired, dropped, afterGoodbye, agentReplies: replies.length };
}
