// Real human speech for the media benchmarks, from Debian's packaged recordings (nothing of it is
// committed): pocketsphinx-testdata's LibriVox sentences (16 kHz) and asterisk-core-sounds-en-wav's
// prompts (8 kHz telephone speech), each trimmed of its leading/trailing silence and brought to
// 16 kHz, with what is said (LibriVox's transcription, the prompts' list in asterisk-core-sounds-en).
// buildAnswers() joins 2–4 of them with "thinking" pauses into candidate answers, some of the pauses
// inside a clip's sentence (cut at a word boundary, testkit/word-align.ts), from a seeded generator
// so that a run can be repeated exactly.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { trimSilence } from './speech.js';
import { parseWav } from './wav.js';
import { alignClip, proportionalTimes, quietestCut, splitPoints, tokenise, type WordTime } from './word-align.js';

export const LIBRIVOX_DIR = '/usr/share/pocketsphinx/test/data/librivox';
export const ASTERISK_DIR = '/usr/share/asterisk/sounds/en';
/** The prompts' words, one `name: text` a line (shipped by asterisk-core-sounds-en, which -wav depends on). */
export const ASTERISK_TRANSCRIPTS = '/usr/share/doc/asterisk-core-sounds-en/core-sounds-en.txt.gz';
export const SPEECH_RATE = 16000;

export interface Clip {
  /** The file's base name. */
  name: string;
  /** What is said: LibriVox's transcription, or the prompt's line in the package's list. */
  text: string;
  samples: Int16Array;
  ms: number;
}

/** Fails (never skips) when the recordings are missing. */
export function assertRealSpeech(): void {
  const missing = [LIBRIVOX_DIR, ASTERISK_DIR, ASTERISK_TRANSCRIPTS].filter((d) => !existsSync(d));
  if (missing.length > 0) {
    throw new Error(
      `real speech recordings missing (${missing.join(', ')}): apt-get install pocketsphinx-testdata asterisk-core-sounds-en asterisk-core-sounds-en-wav ` +
        '(scripts/setup.sh --test does it)',
    );
  }
}

/** Doubles the rate (8 → 16 kHz) by linear interpolation: telephone speech has nothing above 4 kHz. */
function upsample2(x: Int16Array): Int16Array {
  const y = new Int16Array(x.length * 2);
  for (let i = 0; i < x.length; i++) {
    const a = x[i]!;
    const b = x[Math.min(i + 1, x.length - 1)]!;
    y[2 * i] = a;
    y[2 * i + 1] = Math.round((a + b) / 2);
  }
  return y;
}

function loadClip(file: string, text: string): Clip | null {
  const { sampleRate, samples } = parseWav(readFileSync(file));
  let s: Int16Array = Int16Array.from(trimSilence(samples, sampleRate, 300, 30));
  if (sampleRate === 8000) s = upsample2(s);
  else if (sampleRate !== SPEECH_RATE) return null;
  return { name: path.basename(file, '.wav'), text, samples: s, ms: Math.round((s.length / SPEECH_RATE) * 1000) };
}

/**
 * The prompts' list (`name: text` lines, `;` comments): stage directions in brackets or parentheses
 * ("[ascending tones]", "(simple tone sound plays)") are dropped, and so are prompts left with no
 * words (tones, beeps): those clips are not speech.
 */
export function parsePromptTranscripts(list: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of list.split('\n')) {
    const m = /^([^;:\s][^:]*):\s*(.*)$/.exec(line.trim());
    if (!m) continue;
    const text = m[2]!
      .replace(/\[[^\]]*\]|\([^)]*\)/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
    if (/[a-z0-9]/i.test(text)) out.set(m[1]!.trim(), text);
  }
  return out;
}

/** Every usable clip, between minMs and maxMs long once trimmed, in a stable order. */
export function loadClips(minMs = 700, maxMs = 4500): Clip[] {
  assertRealSpeech();
  const clips: Clip[] = [];
  const transcription = readFileSync(path.join(LIBRIVOX_DIR, 'transcription'), 'utf8');
  for (const line of transcription.split('\n')) {
    const m = /<s>\s*(.*?)\s*<\/s>\s*\((.+)\)/.exec(line);
    if (!m) continue;
    const c = loadClip(path.join(LIBRIVOX_DIR, `${m[2]}.wav`), m[1]!);
    if (c) clips.push(c);
  }
  const prompts = parsePromptTranscripts(gunzipSync(readFileSync(ASTERISK_TRANSCRIPTS)).toString('utf8'));
  for (const f of readdirSync(ASTERISK_DIR)
    .filter((f) => f.endsWith('.wav'))
    .sort()) {
    const text = prompts.get(f.replace(/\.wav$/, ''));
    if (text === undefined) continue;
    const c = loadClip(path.join(ASTERISK_DIR, f), text);
    if (c) clips.push(c);
  }
  const usable = clips.filter((c) => c.ms >= minMs && c.ms <= maxMs);
  if (usable.length < 10) throw new Error(`only ${usable.length} usable real-speech clips`);
  return usable;
}

/** mulberry32: a small seeded generator, reproducible across runs and machines. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A thinking pause between two clips (after a whole sentence or prompt), or inside one clip's sentence. */
export const PAUSE_KINDS = ['between', 'inside'] as const;
export type PauseKind = (typeof PAUSE_KINDS)[number];

export interface Answer {
  /** The whole answer (segments and pauses) at SPEECH_RATE; it ends where the last segment ends. */
  samples: Int16Array;
  text: string;
  /**
   * Each segment's clip and its place in the answer (ms from the answer's first sample); `part`:
   * the whole clip, or the clip before / after a pause inside its sentence.
   */
  segments: { clip: string; part: 'whole' | 'head' | 'tail'; startMs: number; endMs: number }[];
  /** The thinking pauses between segments (ms), segments.length − 1 of them, and their kinds. */
  pausesMs: number[];
  pauseKinds: PauseKind[];
  /** Every word said, as the transcript writes it, and where it lies in the answer (ms). */
  words: WordTime[];
  /** The true end: the last segment's end (ms). */
  endMs: number;
}

export interface AnswerOptions {
  minPauseMs?: number;
  maxPauseMs?: number;
  /** The chance that a clip is cut inside its sentence for a pause (when it has a place to cut). */
  insideShare?: number;
  /** A clip's word times (default: forced alignment, testkit/word-align.ts); null: unknown, never cut. */
  wordTimes?: (clip: Clip) => WordTime[] | null;
}

const FADE_MS = 5;

/** The two sides of a cut, each with a 5 ms ramp at the cut so that it does not click. */
function cutAt(samples: Int16Array, at: number): [Int16Array, Int16Array] {
  const head = samples.slice(0, at);
  const tail = samples.slice(at);
  const n = Math.round((FADE_MS * SPEECH_RATE) / 1000);
  for (let k = 0; k < n; k++) {
    const g = k / n;
    if (head.length - 1 - k >= 0) head[head.length - 1 - k] = Math.round(head[head.length - 1 - k]! * g);
    if (k < tail.length) tail[k] = Math.round(tail[k]! * g);
  }
  return [head, tail];
}

interface Piece {
  clip: string;
  part: Answer['segments'][number]['part'];
  samples: Int16Array;
  words: WordTime[];
}

/**
 * `count` answers of 2–4 clips joined by pauses uniform in [minPauseMs, maxPauseMs]; each clip is
 * cut for a pause inside its sentence with probability `insideShare`, at a word boundary drawn among
 * its splitPoints(), so answers mix both kinds of pause.
 */
export function buildAnswers(clips: Clip[], count: number, seed: number, o: AnswerOptions = {}): Answer[] {
  const { minPauseMs = 300, maxPauseMs = 3000, insideShare = 0.5 } = o;
  const rnd = seededRandom(seed);
  const known = new Map<string, WordTime[] | null>();
  const times = (c: Clip) => {
    if (!known.has(c.name)) known.set(c.name, (o.wordTimes ?? ((x) => alignClip(x.samples, SPEECH_RATE, x.text)))(c));
    return known.get(c.name)!;
  };
  const answers: Answer[] = [];
  for (let n = 0; n < count; n++) {
    const k = 2 + Math.floor(rnd() * 3);
    const pieces: Piece[] = [];
    const kinds: PauseKind[] = [];
    for (let j = 0; j < k; j++) {
      const c = clips[Math.floor(rnd() * clips.length)]!;
      // Both draws are made whatever the clip, so one clip's alignment does not shift the rest.
      const split = rnd() < insideShare;
      const pick = rnd();
      const aligned = times(c);
      const words = aligned ?? proportionalTimes(tokenise(c.text), c.ms);
      const points = aligned ? splitPoints(aligned) : [];
      if (j > 0) kinds.push('between');
      if (split && points.length > 0) {
        const i = points[Math.floor(pick * points.length)]!;
        const boundary = Math.round(((words[i]!.endMs + words[i + 1]!.startMs) / 2 / 1000) * SPEECH_RATE);
        const at = quietestCut(c.samples, boundary, Math.round(0.03 * SPEECH_RATE), SPEECH_RATE);
        const atMs = (at / SPEECH_RATE) * 1000;
        const [head, tail] = cutAt(c.samples, at);
        const shift = (w: WordTime) => ({ ...w, startMs: w.startMs - atMs, endMs: w.endMs - atMs });
        pieces.push({ clip: c.name, part: 'head', samples: head, words: words.slice(0, i + 1) });
        kinds.push('inside');
        pieces.push({ clip: c.name, part: 'tail', samples: tail, words: words.slice(i + 1).map(shift) });
      } else {
        pieces.push({ clip: c.name, part: 'whole', samples: c.samples, words });
      }
    }
    const pausesMs = kinds.map(() => Math.round(minPauseMs + rnd() * (maxPauseMs - minPauseMs)));
    const pauseSamples = pausesMs.map((ms) => Math.round((ms * SPEECH_RATE) / 1000));
    const total = pieces.reduce((s, p) => s + p.samples.length, 0) + pauseSamples.reduce((s, p) => s + p, 0);
    const samples = new Int16Array(total);
    const segments: Answer['segments'] = [];
    const words: WordTime[] = [];
    let off = 0;
    pieces.forEach((p, i) => {
      samples.set(p.samples, off);
      const startMs = (off / SPEECH_RATE) * 1000;
      segments.push({ clip: p.clip, part: p.part, startMs, endMs: ((off + p.samples.length) / SPEECH_RATE) * 1000 });
      words.push(...p.words.map((w) => ({ ...w, startMs: w.startMs + startMs, endMs: w.endMs + startMs })));
      off += p.samples.length + (pauseSamples[i] ?? 0);
    });
    const text = pieces.map((p) => p.words.map((w) => w.word).join(' ')).join(' … ');
    answers.push({ samples, text, segments, pausesMs, pauseKinds: kinds, words, endMs: (total / SPEECH_RATE) * 1000 });
  }
  return answers;
}
