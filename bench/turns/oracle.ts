// turns' oracle recogniser: the handler of testkit's fake-stt.ts (an OpenAI-compatible
// /v1/audio/transcriptions), which answers each upload with the true words of the audio it holds,
// as a good production recogniser would. The worker runs with STT_PROVIDER=openai against it: the
// framework cuts the microphone into utterances with the session's Silero VAD and uploads each one
// (500 ms of prefix padding, the speech, the VAD's trailing silence) the moment the VAD ends it.
//
// Which words an upload holds, in two steps:
// 1. Timing. The bench knows when each answer's first frame left the candidate (its 'answer-start'
//    stamp, same clock: one machine). An upload arriving at `at` ends about LAG_MS before (transport,
//    Silero's 32 ms windows, the WAV and the request) and is as long as its audio, which gives its
//    place in the answer being played, give or take ~100–200 ms.
// 2. Matching the audio. The upload went through Opus and resampling, so its samples are not the
//    ones played, but its loudness contour is: the 10 ms log-energy envelopes of the upload and of
//    the answer are correlated at every offset within ±SEARCH_MS of the timing estimate, and the best
//    one is taken when it correlates well (≥ MIN_SCORE); otherwise (an upload of near-silence) the
//    estimate stands.
// The words are then those whose middle lies inside the upload. Uploads start and end in silence
// (the VAD's padding and trailing silence), ≥ 250 ms from any word, so a residual error of a few
// tens of ms never moves a word across; every mapping is kept (shift, score) for the report.
import type { TranscriptionRequest } from '../../testkit/fake-stt.js';
import { SPEECH_RATE, type Answer } from '../../testkit/real-speech.js';
import type { WordTime } from '../../testkit/word-align.js';

export const LAG_MS = 150;
export const SEARCH_MS = 600;
export const MIN_SCORE = 0.6;
const FRAME_MS = 10;
/** RMS floor of the envelope: digital silence and Opus' noise floor look the same. */
const FLOOR = 30;

/** 10 ms log-energy frames. */
export function envelope(samples: Int16Array, rate: number): Float64Array {
  const win = Math.round((rate * FRAME_MS) / 1000);
  const n = Math.floor(samples.length / win);
  const out = new Float64Array(n);
  for (let f = 0; f < n; f++) {
    let e = 0;
    for (let k = f * win; k < (f + 1) * win; k++) e += samples[k]! * samples[k]!;
    out[f] = Math.log10(Math.max(FLOOR, Math.sqrt(e / win)));
  }
  return out;
}

/** Pearson correlation of `a` against `b` from frame `at` on (b is floor beyond its ends). */
function correlate(a: Float64Array, b: Float64Array, at: number): number {
  const floor = Math.log10(FLOOR);
  let sa = 0;
  let sb = 0;
  let saa = 0;
  let sbb = 0;
  let sab = 0;
  const n = a.length;
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[at + i] ?? floor;
    sa += x;
    sb += y;
    saa += x * x;
    sbb += y * y;
    sab += x * y;
  }
  const va = saa - (sa * sa) / n;
  const vb = sbb - (sb * sb) / n;
  return va > 0 && vb > 0 ? (sab - (sa * sb) / n) / Math.sqrt(va * vb) : 0;
}

export interface Placement {
  /** Where the upload lies in the answer (ms from its first sample). */
  fromMs: number;
  toMs: number;
  /** Matched offset − timing estimate (ms); 0 when the match was not taken. */
  shiftMs: number;
  /** The best correlation found (−1…1). */
  score: number;
  matched: boolean;
}

/** Places an upload of `samples` in `answer`, from the timing estimate of its start (ms in the answer). */
export function place(samples: Int16Array, rate: number, answer: Pick<Answer, 'samples'>, estimateMs: number): Placement {
  const durMs = (samples.length / rate) * 1000;
  const up = envelope(samples, rate);
  const ref = envelope(answer.samples, SPEECH_RATE);
  const est = Math.round(estimateMs / FRAME_MS);
  const r = Math.round(SEARCH_MS / FRAME_MS);
  let best = est;
  let score = -Infinity;
  if (up.length >= 5) {
    for (let k = est - r; k <= est + r; k++) {
      const c = correlate(up, ref, k);
      if (c > score) {
        score = c;
        best = k;
      }
    }
  }
  const matched = score >= MIN_SCORE;
  const fromMs = matched ? best * FRAME_MS : estimateMs;
  return {
    fromMs,
    toMs: fromMs + durMs,
    shiftMs: matched ? (best - est) * FRAME_MS : 0,
    score: Number.isFinite(score) ? score : 0,
    matched,
  };
}

/** The words whose middle lies in [fromMs, toMs), in order. */
export function wordsIn(words: WordTime[], fromMs: number, toMs: number): string {
  return words
    .filter((w) => {
      const mid = (w.startMs + w.endMs) / 2;
      return mid >= fromMs && mid < toMs;
    })
    .map((w) => w.word)
    .join(' ');
}

export interface OracleRecord {
  /** Index of the answer in the answer set; -1: nothing was being played. */
  answer: number;
  at: number;
  audioMs: number;
  placement: Placement | null;
  text: string;
}

/** What the handler needs: every answer as it started playing, and a record of each upload. */
export class Oracle {
  readonly records: OracleRecord[] = [];
  private readonly played: { index: number; answer: Answer; startedAt: number }[] = [];

  /** An answer's first frame left at `startedAt` (epoch ms). */
  playing(index: number, answer: Answer, startedAt: number): void {
    this.played.push({ index, answer, startedAt });
  }

  readonly handler = (req: TranscriptionRequest): string => {
    const audioMs = (req.samples.length / req.sampleRate) * 1000;
    const p = this.played.filter((x) => x.startedAt <= req.at).at(-1);
    if (!p) {
      this.records.push({ answer: -1, at: req.at, audioMs, placement: null, text: '' });
      return '';
    }
    const placement = place(req.samples, req.sampleRate, p.answer, req.at - p.startedAt - LAG_MS - audioMs);
    const text = wordsIn(p.answer.words, placement.fromMs, placement.toMs);
    this.records.push({ answer: p.index, at: req.at, audioMs, placement, text });
    return text;
  };
}
