// compare's figures, from the paired turns of every round (pure: unit-tested in
// test/unit/bench-compare.test.ts): the reply gap of each agent and the ratio ours/plain, the
// first greeting, and where the difference goes, part by part. The parts of a turn add up to its
// reply gap (endpointing + LLM TTFT + TTS TTFB + the rest), so their mean differences add up to
// the mean gap's difference; medians are given beside them, as the machine's stalls skew means.
import { summarise, type Summary } from '../../testkit/stats.js';
import type { PairedTurn } from '../latency/pairing.js';

export type Kind = 'ours' | 'plain';

/** Issue: the greeting's audio ≤ 1.5 s after the agent joins the room. */
export const GREETING_GOAL_MS = 1500;

export interface Round {
  round: number;
  kind: Kind;
  paired: PairedTurn[];
  /** Candidate pressed join → first loud greeting frame heard (ms), when heard. */
  greetingMs: number | null;
  /** The agent joined the room (as the candidate saw it) → first loud greeting frame heard (ms). */
  agentToGreetingMs?: number | null;
}

/** A turn's parts, in ms; the first four add up to gap. */
export function turnParts(t: PairedTurn) {
  return {
    gap: t.latencyMs,
    endpointing: t.endpointingMs,
    llmTtft: t.llmTtftMs,
    tts: t.ttsMs,
    rest: t.latencyMs - t.endpointingMs - t.llmTtftMs - t.ttsMs,
    // For information: the LLM as served (the injected delay: the same for both), and where the
    // rest and the LLM's client side go (pairing.ts's breakdown: inbound + commit → LLM request +
    // LLM first token → first frame − TTS + outbound = gap − endpointing − served − TTS).
    llmServed: t.llmMs,
    inbound: t.inboundMs,
    commitToLlm: t.preLlmMs,
    llmToFrame: t.postLlmMs,
    outbound: t.outboundMs,
  };
}
export type Part = keyof ReturnType<typeof turnParts>;
export const PARTS: Part[] = [
  'gap',
  'endpointing',
  'llmTtft',
  'tts',
  'rest',
  'llmServed',
  'inbound',
  'commitToLlm',
  'llmToFrame',
  'outbound',
];

/** Words of a spoken text, as the mean reply length counts them. */
export const wordCount = (text: string) => text.split(/\s+/).filter(Boolean).length;

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);

export interface PartRow {
  part: Part;
  ours: Summary & { mean: number };
  plain: Summary & { mean: number };
  /** ours − plain, of the medians and of the means. */
  diffP50: number;
  diffMean: number;
  /** The p50 of each round, in round order (the spread the chart's whiskers show). */
  roundP50: { ours: number[]; plain: number[] };
}

export function compareFigures(rounds: Round[], goalRatio: number) {
  const of = (kind: Kind) => rounds.filter((r) => r.kind === kind);
  const turns = (kind: Kind) => of(kind).flatMap((r) => r.paired);
  const stat = (xs: number[]) => ({ ...summarise(xs), mean: mean(xs) });
  const parts: PartRow[] = PARTS.map((part) => {
    const ours = stat(turns('ours').map((t) => turnParts(t)[part]));
    const plain = stat(turns('plain').map((t) => turnParts(t)[part]));
    const roundP50 = (kind: Kind) => of(kind).map((r) => summarise(r.paired.map((t) => turnParts(t)[part])).p50);
    return {
      part,
      ours,
      plain,
      diffP50: ours.p50 - plain.p50,
      diffMean: ours.mean - plain.mean,
      roundP50: { ours: roundP50('ours'), plain: roundP50('plain') },
    };
  });
  const gap = parts[0]!;
  // Round by round (ours k beside plain k, minutes apart on the same machine): the p50 ratio.
  const byRound = of('ours').map((o, k) => {
    const p = of('plain')[k];
    const op50 = summarise(o.paired.map((t) => t.latencyMs)).p50;
    const pp50 = p ? summarise(p.paired.map((t) => t.latencyMs)).p50 : NaN;
    return { ours: o.round, plain: p?.round ?? null, oursP50: op50, plainP50: pp50, ratio: op50 / pp50 };
  });
  const greetings = (kind: Kind) => of(kind).flatMap((r) => (r.greetingMs === null ? [] : [r.greetingMs]));
  const greeting = { ours: summarise(greetings('ours')), plain: summarise(greetings('plain')) };
  const afterJoin = (kind: Kind) => of(kind).flatMap((r) => (typeof r.agentToGreetingMs === 'number' ? [r.agentToGreetingMs] : []));
  const greetingAfterAgentJoined = { ours: summarise(afterJoin('ours')), plain: summarise(afterJoin('plain')) };
  const words = (kind: Kind) => turns(kind).map((t) => wordCount(t.replyText));
  const ratioP50 = gap.ours.p50 / gap.plain.p50;
  return {
    n: { ours: gap.ours.n, plain: gap.plain.n },
    replyGap: { ours: gap.ours, plain: gap.plain, ratioP50, ratioP95: gap.ours.p95 / gap.plain.p95 },
    byRound,
    medianRoundRatio: summarise(byRound.map((r) => r.ratio).filter(Number.isFinite)).p50,
    greeting: { ...greeting, ratioP50: greeting.ours.p50 / greeting.plain.p50 },
    greetingAfterAgentJoined,
    parts,
    meanReplyWords: { ours: mean(words('ours')), plain: mean(words('plain')) },
    goal: { ratio: goalRatio, met: ratioP50 <= goalRatio },
  };
}
export type CompareFigures = ReturnType<typeof compareFigures>;
