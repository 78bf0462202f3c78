// Word timings of a real-speech clip (testkit/real-speech.ts), for two uses in bench `turns`: a
// pause put inside a sentence is cut at a word boundary, and the oracle recogniser answers an upload
// with the words the uploaded audio holds. Debian's pocketsphinx is 0.8 "5prealpha", which has no
// `pocketsphinx align`; a JSGF grammar that is exactly the clip's sentence does the same job: the
// decoder can only find those words in that order, so what it reports is where each one lies.
// Clips the aligner cannot take (a word missing from the dictionary, a number of several digits)
// get times spread over the clip by their letters, and are never split.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WavWriter } from './wav.js';

export const CMUDICT = '/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict';

/** A word of the transcript (as written, punctuation kept) and where it lies in the audio (ms). */
export interface WordTime {
  word: string;
  startMs: number;
  endMs: number;
}

const DIGITS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

/** The transcript's words as written (what the oracle gives back). */
export const tokenise = (text: string): string[] => text.split(/\s+/).filter(Boolean);

/**
 * The aligner's units for each token: lower case, punctuation dropped, hyphenated parts apart, a
 * single digit spelt out. null when a token cannot be aligned (several digits, or no letters).
 */
export function alignmentUnits(tokens: string[]): { unit: string; token: number }[] | null {
  const units: { unit: string; token: number }[] = [];
  for (const [i, t] of tokens.entries()) {
    const parts = t
      .toLowerCase()
      .split(/[-–—/]+/)
      .map((p) => p.replace(/[^a-z0-9']/g, '').replace(/^'+|'+$/g, ''))
      .filter(Boolean);
    if (parts.length === 0) {
      // Punctuation alone ("…"): nothing is said.
      if (/[a-z0-9]/i.test(t)) return null;
      continue;
    }
    for (const p of parts) {
      if (/^[0-9]$/.test(p)) units.push({ unit: DIGITS[Number(p)]!, token: i });
      else if (/^[a-z']+$/.test(p)) units.push({ unit: p, token: i });
      else return null;
    }
  }
  return units;
}

/** pocketsphinx_continuous `-time yes` word lines (`word start end prob`, seconds), fillers and silences dropped. */
export function parseAlignment(stdout: string): WordTime[] {
  const out: WordTime[] = [];
  for (const line of stdout.split('\n')) {
    const m = /^(\S+) (\d+\.\d+) (\d+\.\d+) [-\d.e]+$/.exec(line.trim());
    if (!m) continue;
    const word = m[1]!;
    if (word.startsWith('<') || word.startsWith('[') || word.startsWith('+')) continue;
    out.push({ word: word.replace(/\(\d+\)$/, ''), startMs: Math.round(Number(m[2]) * 1000), endMs: Math.round(Number(m[3]) * 1000) });
  }
  return out;
}

/**
 * The tokens' times from the aligned units: a token spans its first unit's start to its last
 * unit's end. null when the aligner did not return the grammar's units in order (it failed).
 */
export function tokenTimes(tokens: string[], units: { unit: string; token: number }[], aligned: WordTime[]): WordTime[] | null {
  if (aligned.length !== units.length || aligned.some((a, i) => a.word !== units[i]!.unit)) return null;
  const out: WordTime[] = [];
  let prevEnd = 0;
  for (const [i, word] of tokens.entries()) {
    const mine = aligned.filter((_, k) => units[k]!.token === i);
    // A token with no unit ("…") takes no time, where the previous one ended.
    out.push(
      mine.length ? { word, startMs: mine[0]!.startMs, endMs: mine[mine.length - 1]!.endMs } : { word, startMs: prevEnd, endMs: prevEnd },
    );
    prevEnd = out[out.length - 1]!.endMs;
  }
  return out;
}

/** The fallback: the clip's time shared among its words by their letters (never used to split). */
export function proportionalTimes(tokens: string[], ms: number): WordTime[] {
  const weight = tokens.map((t) => Math.max(1, t.replace(/[^a-z0-9]/gi, '').length));
  const total = weight.reduce((s, w) => s + w, 0);
  let at = 0;
  return tokens.map((word, i) => {
    const startMs = (at / total) * ms;
    at += weight[i]!;
    return { word, startMs, endMs: (at / total) * ms };
  });
}

let dictionary: Set<string> | undefined;
function inDictionary(word: string): boolean {
  dictionary ??= new Set(
    readFileSync(CMUDICT, 'utf8')
      .split('\n')
      .map((l) => l.split(' ', 1)[0]!.replace(/\(\d+\)$/, '')),
  );
  return dictionary.has(word);
}

const PAD_MS = 300;

/**
 * Forced alignment of one clip (16 kHz) against its transcript, or null when the aligner cannot take
 * it. The clip is padded with silence (its trim keeps only 30 ms, too little for the decoder's own
 * speech detector to start on the first word) and -vad_postspeech is long enough that the whole clip
 * is one utterance (the grammar is the whole sentence).
 */
export function alignClip(samples: Int16Array, rate: number, text: string): WordTime[] | null {
  const tokens = tokenise(text);
  const units = alignmentUnits(tokens);
  if (!units || units.length === 0 || !units.every((u) => inDictionary(u.unit))) return null;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'align-'));
  try {
    const pad = new Int16Array(Math.round((PAD_MS * rate) / 1000));
    const pcm = new Int16Array(pad.length * 2 + samples.length);
    pcm.set(samples, pad.length);
    const w = new WavWriter(path.join(dir, 'clip.wav'), rate);
    w.write(pcm);
    w.close();
    writeFileSync(path.join(dir, 'clip.jsgf'), `#JSGF V1.0;\ngrammar clip;\npublic <s> = ${units.map((u) => u.unit).join(' ')};\n`);
    const r = spawnSync(
      'pocketsphinx_continuous',
      [
        '-infile',
        path.join(dir, 'clip.wav'),
        '-jsgf',
        path.join(dir, 'clip.jsgf'),
        '-time',
        'yes',
        '-samprate',
        String(rate),
        '-vad_postspeech',
        '500',
        '-logfn',
        '/dev/null',
      ],
      { encoding: 'utf8', timeout: 30_000 },
    );
    if (r.status !== 0) return null;
    const aligned = parseAlignment(r.stdout).map((w) => ({ ...w, startMs: w.startMs - PAD_MS, endMs: w.endMs - PAD_MS }));
    return tokenTimes(tokens, units, aligned);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Where a clip may take a pause inside a sentence: after word i (the index returned) when no
 * punctuation ends it (a comma or full stop is a boundary of its own, the between-sentence kind)
 * and at least `minSideMs` of speech lies on each side.
 */
export function splitPoints(words: WordTime[], minSideMs = 400): number[] {
  const out: number[] = [];
  const end = words[words.length - 1]?.endMs ?? 0;
  for (let i = 0; i < words.length - 1; i++) {
    const w = words[i]!;
    if (/[.,;:!?…"')\]]$/.test(w.word)) continue;
    if (w.endMs < minSideMs || end - words[i + 1]!.startMs < minSideMs) continue;
    out.push(i);
  }
  return out;
}

/**
 * The sample to cut at near `at`: the middle of the quietest 10 ms window within `radius` samples
 * (the aligner's boundaries are 10 ms frames; a cut in the loudest part of a co-articulated join
 * would click).
 */
export function quietestCut(samples: Int16Array, at: number, radius: number, rate: number): number {
  const win = Math.max(1, Math.round(rate / 100));
  let best = at;
  let bestEnergy = Infinity;
  const step = Math.max(1, Math.round(win / 4));
  for (let c = Math.max(win, at - radius); c <= Math.min(samples.length - win, at + radius); c += step) {
    let e = 0;
    for (let k = c - (win >> 1); k < c + (win >> 1); k++) e += samples[k]! * samples[k]!;
    if (e < bestEnergy) {
      bestEnergy = e;
      best = c;
    }
  }
  return best;
}
