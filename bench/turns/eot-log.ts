// What the end-of-turn model said at each pause and at each true end. The worker runs at
// LOG_LEVEL=debug, where the framework logs every prediction ('eot prediction': the probability
// that the turn is over, the `unlikely` threshold, the delay it chose, the trigger). Each line's
// time is put on the answer that was playing: in the pause between two segments (up to 300 ms into
// the next one: a prediction is made when the VAD ends, so it can land just after the candidate
// resumed), after the true end, or inside a segment (a silence inside a clip). The last prediction
// of a slot is the one that stood.
import { readFileSync } from 'node:fs';
import type { Answer, PauseKind } from '../../testkit/real-speech.js';
import { median } from '../../testkit/stats.js';
import type { AnswerResult } from './session.js';

export interface EotPrediction {
  at: number;
  probability: number;
  threshold: number;
  delayMs: number;
  trigger: string;
}

/** The 'eot prediction' lines of a pino JSON log. */
export function parseEotLog(text: string): EotPrediction[] {
  const out: EotPrediction[] = [];
  for (const line of text.split('\n')) {
    if (!line.includes('"eot prediction"')) continue;
    try {
      const j = JSON.parse(line) as Record<string, unknown>;
      if (typeof j.time !== 'number' || typeof j.endOfTurnProbability !== 'number') continue;
      out.push({
        at: j.time,
        probability: j.endOfTurnProbability,
        threshold: Number(j.unlikelyThreshold),
        delayMs: Number(j.endpointingDelay),
        trigger: String(j.trigger),
      });
    } catch {
      // Not JSON (a pretty-printed line): skipped.
    }
  }
  return out;
}

export type Slot = PauseKind | 'end';
export const SLOTS = ['between', 'inside', 'end'] as const;
const RESUME_GRACE_MS = 300;

export interface SlotPrediction {
  policy: string;
  answer: number;
  slot: Slot;
  /** The pause's index (null: the true end). */
  pause: number | null;
  pauseMs: number | null;
  probability: number;
  threshold: number;
  delayMs: number;
}

/** The prediction that stood in each pause the candidate reached and at each true end. */
export function slotPredictions(preds: EotPrediction[], results: AnswerResult[], answers: Answer[], capMs: number): SlotPrediction[] {
  const out: SlotPrediction[] = [];
  for (const r of results) {
    const a = answers[r.answer]!;
    const reached = r.cutOffAtMs === null ? a.pausesMs.length : r.cutOffPause === null ? 0 : r.cutOffPause + 1;
    const last = new Map<number, EotPrediction>();
    for (const p of preds) {
      const t = p.at - r.startedAt;
      if (t < 0 || p.at > r.endAt + capMs) continue;
      // -1: the true end; otherwise the pause the prediction fell in (none: inside a segment).
      const slot =
        p.at >= r.endAt
          ? -1
          : a.segments.findIndex((s, i) => i < a.segments.length - 1 && t > s.endMs && t <= a.segments[i + 1]!.startMs + RESUME_GRACE_MS);
      if (slot === -1 && p.at < r.endAt) continue;
      if (slot >= reached) continue;
      if (!last.has(slot) || last.get(slot)!.at <= p.at) last.set(slot, p);
    }
    for (const [slot, p] of last) {
      out.push({
        policy: r.policy,
        answer: r.answer,
        slot: slot === -1 ? 'end' : a.pauseKinds[slot]!,
        pause: slot === -1 ? null : slot,
        pauseMs: slot === -1 ? null : a.pausesMs[slot]!,
        probability: p.probability,
        threshold: p.threshold,
        delayMs: p.delayMs,
      });
    }
  }
  return out;
}

export function readSlotPredictions(logFile: string, results: AnswerResult[], answers: Answer[], capMs: number): SlotPrediction[] {
  let text: string;
  try {
    text = readFileSync(logFile, 'utf8');
  } catch {
    // No log (the worker never started): nothing to report.
    return [];
  }
  return slotPredictions(parseEotLog(text), results, answers, capMs);
}

/**
 * Per slot kind: how many predictions, their median, and the share the model called unfinished
 * (probability below the threshold) at the threshold used and at a few others, which is what a
 * different `unlikelyThreshold` would have changed (the delay it picks, not when the VAD ends).
 */
export function predictionTable(sp: SlotPrediction[], thresholds = [0.1, 0.2, 0.36, 0.5, 0.7]): string {
  const head = `| slot | predictions | median p | "unfinished" (p < t) at t = ${thresholds.join(' · ')} |\n|---|---|---|---|\n`;
  return (
    head +
    SLOTS.map((s) => {
      const ps = sp.filter((x) => x.slot === s).map((x) => x.probability);
      const cells = thresholds.map((t) => (ps.length ? `${Math.round((100 * ps.filter((p) => p < t).length) / ps.length)}%` : 'n/a'));
      return `| ${s} | ${ps.length} | ${ps.length ? median(ps).toFixed(2) : 'n/a'} | ${cells.join(' · ')} |`;
    }).join('\n') +
    '\n'
  );
}
