// The pure pieces of the synthetic participants (unit-testable, no LiveKit connection): the
// frame-energy speech detector that decides when the other side starts and stops talking, and the
// answers in the local voice (flite unless told otherwise), trimmed of their silence and resampled to
// the microphone's rate.
import { spawnSync } from 'node:child_process';
import { DEFAULT_LOCAL_VOICE, localVoiceCommand } from '../core/local-voice.js';
import { parseWav } from './wav.js';

type Rtc = typeof import('@livekit/rtc-node');

/** One stretch of speech heard from the listened-to participant (epoch ms). */
export interface SpeechSegment {
  /** Start of the first loud frame. */
  start: number;
  /** End of the last loud frame. */
  end: number;
  durationMs: number;
  /** Highest frame RMS (int16 units). */
  peakRms: number;
}

export interface DetectorOptions {
  threshold: number;
  hangoverMs: number;
  minSpeechMs: number;
}

export type DetectorEvent = { type: 'start'; at: number; firstLoudAt: number } | { type: 'end'; segment: SpeechSegment };

/**
 * Frame-energy speech detector with hangover. Feed it every received frame (`at` = arrival time of
 * the frame's end) and call tick() now and then, so silence by absence (no frames) also ends speech.
 */
export class SpeechDetector {
  speaking = false;
  private pendingStart: number | undefined;
  private pendingFirstLoudAt = 0;
  private pendingLoudMs = 0;
  private segStart = 0;
  private lastLoudEnd = 0;
  private peak = 0;

  constructor(private readonly o: DetectorOptions) {}

  static rms(samples: Int16Array): number {
    if (samples.length === 0) return 0;
    let sum = 0;
    for (let i = 0; i < samples.length; i++) sum += samples[i]! * samples[i]!;
    return Math.sqrt(sum / samples.length);
  }

  push(rms: number, at: number, frameMs: number): DetectorEvent | undefined {
    const loud = rms >= this.o.threshold;
    if (!this.speaking) {
      if (loud) {
        if (this.pendingStart === undefined) {
          this.pendingStart = at - frameMs;
          this.pendingFirstLoudAt = at;
          this.pendingLoudMs = 0;
          this.peak = 0;
        }
        this.pendingLoudMs += frameMs;
        this.lastLoudEnd = at;
        this.peak = Math.max(this.peak, rms);
        if (this.pendingLoudMs >= this.o.minSpeechMs) {
          this.speaking = true;
          this.segStart = this.pendingStart;
          this.pendingStart = undefined;
          return { type: 'start', at: this.segStart, firstLoudAt: this.pendingFirstLoudAt };
        }
      } else if (this.pendingStart !== undefined && at - this.lastLoudEnd > 200) {
        this.pendingStart = undefined; // a click, not speech
      }
      return undefined;
    }
    if (loud) {
      this.lastLoudEnd = at;
      this.peak = Math.max(this.peak, rms);
      return undefined;
    }
    return this.tick(at);
  }

  tick(now: number): DetectorEvent | undefined {
    if (!this.speaking || now - this.lastLoudEnd < this.o.hangoverMs) return undefined;
    this.speaking = false;
    const segment = {
      start: this.segStart,
      end: this.lastLoudEnd,
      durationMs: this.lastLoudEnd - this.segStart,
      peakRms: Math.round(this.peak),
    };
    return { type: 'end', segment };
  }
}

/** Drops leading/trailing near-silence, keeping `marginMs` on each side. */
export function trimSilence(samples: Int16Array, sampleRate: number, level = 200, marginMs = 20): Int16Array {
  let a = 0;
  let b = samples.length - 1;
  while (a < samples.length && Math.abs(samples[a]!) < level) a++;
  while (b > a && Math.abs(samples[b]!) < level) b--;
  if (a >= b) return samples.subarray(0, 0);
  const m = Math.round((sampleRate * marginMs) / 1000);
  return samples.subarray(Math.max(0, a - m), Math.min(samples.length, b + 1 + m));
}

/** Fails (never skips) when the offline voices are missing. */
export function assertLocalVoice(): void {
  for (const program of ['flite', 'espeak-ng']) {
    const r = spawnSync('sh', ['-c', `command -v ${program}`]);
    if (r.status !== 0)
      throw new Error(`${program} is not installed (Debian: apt-get install flite espeak-ng; scripts/setup.sh --test does it)`);
  }
}

export interface VoiceOptions {
  /** A local voice (core/local-voice.ts): flite's slt unless told otherwise. */
  voice?: string;
}

/** `text` as the local voice says it, untrimmed, at the program's own rate. */
export function speak(text: string, o: VoiceOptions = {}): { sampleRate: number; samples: Int16Array } {
  const { command, args } = localVoiceCommand(o.voice ?? DEFAULT_LOCAL_VOICE, text);
  const r = spawnSync(command, args, { maxBuffer: 64 * 1024 * 1024 });
  if (r.error || r.status !== 0) throw new Error(`${command} ${args[2] ?? ''} failed: ${r.error?.message ?? r.stderr?.toString()}`);
  return parseWav(r.stdout);
}

/** An answer as a participant speaks it: the local voice, silence trimmed, resampled to `rate`. */
export function answerAudio(rtc: Rtc, text: string, rate: number, o: VoiceOptions = {}): Int16Array {
  const { sampleRate, samples } = speak(text, o);
  const trimmed = Int16Array.from(trimSilence(samples, sampleRate));
  if (sampleRate === rate) return trimmed;
  const rs = new rtc.AudioResampler(sampleRate, rate, 1);
  const frames = [...rs.push(new rtc.AudioFrame(trimmed, sampleRate, 1, trimmed.length)), ...rs.flush()];
  rs.close();
  const out = new Int16Array(frames.reduce((n, f) => n + f.data.length, 0));
  let off = 0;
  for (const f of frames) {
    out.set(f.data, off);
    off += f.data.length;
  }
  return out;
}

/** The local voice's quiet lead-in: where its first 10 ms frame at or over `threshold` RMS starts (ms). */
export function leadInMs(text: string, threshold = 300, o: VoiceOptions = {}): number | null {
  const { sampleRate, samples } = speak(text, o);
  const n = Math.round(sampleRate / 100);
  for (let i = 0; i + n <= samples.length; i += n) {
    if (SpeechDetector.rms(samples.subarray(i, i + n)) >= threshold) return Math.round((i / sampleRate) * 1000);
  }
  return null;
}
