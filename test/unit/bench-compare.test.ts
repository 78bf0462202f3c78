import { describe, expect, it } from 'vitest';
import { compareFigures, turnParts, wordCount, type Round } from '../../bench/compare/figures.js';
import { plainReply, FOLLOW_UP } from '../../bench/compare/plain-script.js';
import { plainTurns } from '../../bench/compare/plain-run.js';
import type { PairedTurn } from '../../bench/latency/pairing.js';

/** A paired turn with only what the comparison reads. */
const turn = (latencyMs: number, o: { eou?: number; ttft?: number; tts?: number; text?: string } = {}) =>
  ({
    latencyMs,
    endpointingMs: o.eou ?? 1000,
    llmTtftMs: o.ttft ?? 200,
    ttsMs: o.tts ?? 50,
    llmMs: 150,
    inboundMs: 100,
    preLlmMs: 10,
    postLlmMs: 20,
    outboundMs: 60,
    replyText: o.text ?? 'Could you give me a concrete example?',
  }) as PairedTurn;

describe('compareFigures (the compare benchmark)', () => {
  it('splits a turn into parts that add up to its reply gap', () => {
    const p = turnParts(turn(1500, { eou: 1000, ttft: 200, tts: 50 }));
    expect(p.rest).toBe(250);
    expect(p.endpointing + p.llmTtft + p.tts + p.rest).toBe(p.gap);
  });

  it('gives the ratio ours/plain, per round and pooled, the greeting ratio, and part differences that add up', () => {
    const rounds: Round[] = [
      { round: 1, kind: 'ours', greetingMs: 2000, paired: [turn(1600, { ttft: 300 }), turn(1700, { ttft: 300, eou: 1100 })] },
      { round: 2, kind: 'plain', greetingMs: 1000, paired: [turn(1500), turn(1500)] },
      { round: 3, kind: 'ours', greetingMs: 3000, paired: [turn(1650, { ttft: 350 })] },
      { round: 4, kind: 'plain', greetingMs: 1500, paired: [turn(1500, { text: 'Thank you. Tell me more.' })] },
    ];
    const f = compareFigures(rounds, 1.1);
    expect(f.n).toEqual({ ours: 3, plain: 3 });
    expect(f.replyGap.ours.p50).toBe(1650);
    expect(f.replyGap.plain.p50).toBe(1500);
    expect(f.replyGap.ratioP50).toBeCloseTo(1.1);
    expect(f.goal.met).toBe(true);
    expect(f.byRound.map((r) => [r.ours, r.plain, r.ratio])).toEqual([
      [1, 2, 1650 / 1500],
      [3, 4, 1.1],
    ]);
    expect(f.greeting.ours.p50).toBe(2500);
    expect(f.greeting.plain.p50).toBe(1250);
    expect(f.greeting.ratioP50).toBe(2);
    const diff = Object.fromEntries(f.parts.map((r) => [r.part, r.diffMean]));
    expect(diff.gap).toBeCloseTo(diff.endpointing! + diff.llmTtft! + diff.tts! + diff.rest!);
    expect(diff.llmTtft).toBeCloseTo(116.67, 1);
    expect(f.parts.find((r) => r.part === 'gap')!.roundP50).toEqual({ ours: [1650, 1650], plain: [1500, 1500] });
    expect(f.meanReplyWords.plain).toBeCloseTo((7 + 7 + 5) / 3);
    expect(compareFigures(rounds, 1.05).goal.met).toBe(false);
  });

  it('counts words, and scripts the plain agent like the interviewer: two follow-ups, then the next question', () => {
    expect(wordCount(' Thank you.  Tell me more. ')).toBe(5);
    expect(plainReply(0, 2)).toMatch(/^Hello Ahmed, .*tell me about your background\.$/);
    expect([1, 2, 4].map((n) => plainReply(n, 2))).toEqual([FOLLOW_UP, FOLLOW_UP, FOLLOW_UP]);
    expect(plainReply(3, 2)).toBe('Thank you. For the Senior Backend Developer - Fintech role, tell me about a system you designed.');
  });

  it("reads the plain agent's reply lines from its worker log as transcript rows", () => {
    const rows = plainTurns([
      { msg: 'registered worker' },
      { msg: 'plain agent reply', text: 'Hi.', started_at_ms: 10, ended_at_ms: 20, metrics: {} },
      { msg: 'plain agent reply', text: 'Why?', started_at_ms: 30, ended_at_ms: 40, metrics: { e2eLatencyMs: 5 } },
    ]);
    expect(rows).toEqual([
      { seq: 0, speaker: 'agent', text: 'Hi.', started_at_ms: 10, ended_at_ms: 20, metrics: {} },
      { seq: 1, speaker: 'agent', text: 'Why?', started_at_ms: 30, ended_at_ms: 40, metrics: { e2eLatencyMs: 5 } },
    ]);
  });
});
