// bench turns' pure pieces: the oracle recogniser's placing of an upload in the answer being played
// (timing, then the loudness contour, robust to gain, noise and another sample rate) and its words;
// the end-of-turn predictions read from the worker's log and put on pauses and true ends.
import { describe, expect, it } from 'vitest';
import { parseEotLog, slotPredictions } from '../../bench/turns/eot-log.js';
import { LAG_MS, Oracle, place, wordsIn } from '../../bench/turns/oracle.js';
import type { AnswerResult } from '../../bench/turns/session.js';
import { SPEECH_RATE, type Answer } from '../../testkit/real-speech.js';

/** An answer of bursts: [startMs, endMs] loud, silence elsewhere, one word per burst. */
function answerOf(bursts: [number, number][], totalMs: number): Answer {
  const samples = new Int16Array((totalMs * SPEECH_RATE) / 1000);
  let seed = 1;
  const noise = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
  for (const [a, b] of bursts) {
    // Each burst with its own loudness shape, as syllables have.
    for (let i = (a * SPEECH_RATE) / 1000; i < (b * SPEECH_RATE) / 1000; i++) {
      const t = (i / SPEECH_RATE) * 1000 - a;
      samples[i] = Math.round(noise() * 6000 * (0.4 + 0.6 * Math.abs(Math.sin(t / 37))));
    }
  }
  const segments = [{ clip: 'x', part: 'whole' as const, startMs: bursts[0]![0], endMs: bursts[bursts.length - 1]![1] }];
  const words = bursts.map(([a, b], i) => ({ word: `w${i}`, startMs: a, endMs: b }));
  return { samples, text: '', segments, pausesMs: [], pauseKinds: [], words, endMs: segments[0]!.endMs };
}

/** What the worker uploads: a stretch of the answer at another rate, quieter, with a noise floor. */
function upload(a: Answer, fromMs: number, toMs: number, rate = 24000, gain = 0.5): Int16Array {
  const out = new Int16Array(Math.round(((toMs - fromMs) * rate) / 1000));
  for (let i = 0; i < out.length; i++) {
    const src = Math.round(((fromMs + (i / rate) * 1000) * SPEECH_RATE) / 1000);
    out[i] = Math.round((a.samples[src] ?? 0) * gain + ((i * 7919) % 41) - 20);
  }
  return out;
}

const bursts: [number, number][] = [
  [200, 500],
  [560, 900],
  [1000, 1400],
  [2600, 2900],
  [2950, 3500],
  [5200, 5600],
  [5700, 6100],
];
const answer = answerOf(bursts, 7000);

describe('oracle place / wordsIn', () => {
  it('finds the upload by its loudness contour when the timing estimate is off', () => {
    for (const err of [-400, -150, 0, 220, 450]) {
      const p = place(upload(answer, 2100, 4100), 24000, answer, 2100 + err);
      expect(p.matched).toBe(true);
      expect(Math.abs(p.fromMs - 2100)).toBeLessThanOrEqual(20);
      expect(wordsIn(answer.words, p.fromMs, p.toMs)).toBe('w3 w4');
    }
  });

  it('keeps the timing estimate for an upload with nothing to match (silence)', () => {
    const p = place(upload(answer, 4000, 4800), 24000, answer, 4100);
    expect(p.matched).toBe(false);
    expect(p.fromMs).toBe(4100);
  });

  it('takes a word by its middle', () => {
    expect(wordsIn(answer.words, 0, 700)).toBe('w0');
    expect(wordsIn(answer.words, 0, 740)).toBe('w0 w1');
    expect(wordsIn(answer.words, 5400, 10_000)).toBe('w5 w6');
  });
});

describe('Oracle', () => {
  it('answers from the answer being played, and records what it did', () => {
    const o = new Oracle();
    const other = answerOf([[100, 900]], 1000);
    const t0 = 1_000_000;
    expect(o.handler({ samples: new Int16Array(16000), sampleRate: 16000, model: 'm', language: 'en', at: t0 })).toBe('');
    o.playing(0, other, t0);
    o.playing(1, answer, t0 + 10_000);
    // The upload of 0.6–1.9 s arrives LAG_MS after its end.
    const s = upload(answer, 600, 1900, 16000, 1);
    const text = o.handler({ samples: s, sampleRate: 16000, model: 'm', language: 'en', at: t0 + 10_000 + 1900 + LAG_MS + 80 });
    expect(text).toBe('w1 w2');
    expect(o.records.map((r) => r.answer)).toEqual([-1, 1]);
    expect(o.records[1]!.placement!.matched).toBe(true);
  });
});

describe('end-of-turn predictions', () => {
  const line = (time: number, p: number, delay: number, trigger = 'vad') =>
    JSON.stringify({
      level: 20,
      time,
      endOfTurnProbability: p,
      unlikelyThreshold: 0.36,
      endpointingDelay: delay,
      trigger,
      msg: 'eot prediction',
    });

  it('reads the prediction lines of a pino log', () => {
    const log = [line(5, 0.5, 500), '{"level":30,"msg":"other"}', 'not json "eot prediction"', line(6, 0.1, 3000, 'stt')].join('\n');
    expect(parseEotLog(log)).toEqual([
      { at: 5, probability: 0.5, threshold: 0.36, delayMs: 500, trigger: 'vad' },
      { at: 6, probability: 0.1, threshold: 0.36, delayMs: 3000, trigger: 'stt' },
    ]);
  });

  it('puts each on its pause or the true end, the last one standing, none inside speech or after a cut-off', () => {
    const a: Answer = {
      samples: new Int16Array(0),
      text: '',
      segments: [
        { clip: 'x', part: 'head', startMs: 0, endMs: 1000 },
        { clip: 'x', part: 'tail', startMs: 2000, endMs: 3000 },
        { clip: 'y', part: 'whole', startMs: 4500, endMs: 6000 },
      ],
      pausesMs: [1000, 1500],
      pauseKinds: ['inside', 'between'],
      words: [],
      endMs: 6000,
    };
    const r = (cutOffPause: number | null, cutOffAtMs: number | null): AnswerResult => ({
      policy: 'p',
      interview: 1,
      answer: 0,
      pausesMs: a.pausesMs,
      pauseKinds: a.pauseKinds,
      startedAt: 100_000,
      endAt: 106_000,
      cutOffAtMs,
      cutOffPause,
      deadAirMs: null,
    });
    const preds = parseEotLog(
      [
        line(100_500, 0.9, 500), // inside the first segment: not a pause
        line(101_600, 0.2, 3000),
        line(101_650, 0.25, 3000, 'stt'), // the one standing in pause 0
        line(103_700, 0.6, 500), // pause 1
        line(106_600, 0.7, 500), // the true end
        line(120_000, 0.7, 500), // after the cap
      ].join('\n'),
    );
    const all = slotPredictions(preds, [r(null, null)], [a], 8000);
    expect(all.map((s) => [s.slot, s.pause, s.probability])).toEqual([
      ['inside', 0, 0.25],
      ['between', 1, 0.6],
      ['end', null, 0.7],
    ]);
    // Cut off in pause 0: pause 1 was not reached as a pause.
    expect(slotPredictions(preds, [r(0, 1700)], [a], 8000).map((s) => s.slot)).toEqual(['inside', 'end']);
  });
});
