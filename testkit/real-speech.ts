// Real human speech for the media benchmarks, from Debian's packaged recordings (nothing of it is
// committed): pocketsphinx-testdata's LibriVox sentences (16 kHz) and asterisk-core-sounds-en-wav's
// prompts (8 kHz telephone speech), each trimmed of its leading/trailing silence and brought to
// 16 kHz. buildAnswers() joins 2–4 of them with "thinking" pauses into candidate answers, from a
// seeded generator so that a run can be repeated exactly.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { trimSilence } from './speech.js';
import { parseWav } from './wav.js';

export const LIBRIVOX_DIR = '/usr/share/pocketsphinx/test/data/librivox';
export const ASTERISK_DIR = '/usr/share/asterisk/sounds/en';
export const SPEECH_RATE = 16000;

export interface Clip {
  /** The file's base name (its words, for the prompts). */
  name: string;
  /** What is said: LibriVox's transcription, or the prompt's name with its dashes as spaces. */
  text: string;
  samples: Int16Array;
  ms: number;
}

/** Fails (never skips) when the recordings are missing. */
export function assertRealSpeech(): void {
  const missing = [LIBRIVOX_DIR, ASTERISK_DIR].filter((d) => !existsSync(d));
  if (missing.length > 0) {
    throw new Error(
      `real speech recordings missing (${missing.join(', ')}): apt-get install pocketsphinx-testdata asterisk-core-sounds-en-wav ` +
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
  for (const f of readdirSync(ASTERISK_DIR)
    .filter((f) => f.endsWith('.wav'))
    .sort()) {
    const c = loadClip(path.join(ASTERISK_DIR, f), f.replace(/\.wav$/, '').replace(/[-_]/g, ' '));
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

export interface Answer {
  /** The whole answer (segments and pauses) at SPEECH_RATE; it ends where the last segment ends. */
  samples: Int16Array;
  text: string;
  /** Each segment's clip and its place in the answer (ms from the answer's first sample). */
  segments: { clip: string; startMs: number; endMs: number }[];
  /** The thinking pauses between segments (ms), segments.length − 1 of them. */
  pausesMs: number[];
  /** The true end: the last segment's end (ms). */
  endMs: number;
}

/** `count` answers of 2–4 clips joined by pauses uniform in [minPauseMs, maxPauseMs]. */
export function buildAnswers(clips: Clip[], count: number, seed: number, minPauseMs = 300, maxPauseMs = 3000): Answer[] {
  const rnd = seededRandom(seed);
  const answers: Answer[] = [];
  for (let n = 0; n < count; n++) {
    const k = 2 + Math.floor(rnd() * 3);
    const parts = Array.from({ length: k }, () => clips[Math.floor(rnd() * clips.length)]!);
    const pausesMs = parts.slice(1).map(() => Math.round(minPauseMs + rnd() * (maxPauseMs - minPauseMs)));
    const pauseSamples = pausesMs.map((ms) => Math.round((ms * SPEECH_RATE) / 1000));
    const total = parts.reduce((s, c) => s + c.samples.length, 0) + pauseSamples.reduce((s, p) => s + p, 0);
    const samples = new Int16Array(total);
    const segments: Answer['segments'] = [];
    let off = 0;
    parts.forEach((c, i) => {
      samples.set(c.samples, off);
      segments.push({ clip: c.name, startMs: (off / SPEECH_RATE) * 1000, endMs: ((off + c.samples.length) / SPEECH_RATE) * 1000 });
      off += c.samples.length + (pauseSamples[i] ?? 0);
    });
    answers.push({ samples, text: parts.map((c) => c.text).join(' … '), segments, pausesMs, endMs: (total / SPEECH_RATE) * 1000 });
  }
  return answers;
}
