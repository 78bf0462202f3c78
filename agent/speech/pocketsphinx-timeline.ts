// Where a word pocketsphinx reports lies in the caller's audio and in wall-clock time.
import { POCKETSPHINX_SAMPLE_RATE } from './pocketsphinx-process.js';

/** A chunk written to the process: where it ends in the process's sample timeline, and when. */
interface Anchor {
  end: number;
  at: number;
  /** Samples of silence added by flush() up to the end of this chunk. */
  injected: number;
  silence: boolean;
}

/**
 * Maps the process's timeline (caller audio plus the silence flush() adds) back to the caller's
 * audio and to wall-clock time.
 */
export class Timeline {
  #anchors: Anchor[] = [];
  #written = 0;
  #injected = 0;

  add(samples: number, silence: boolean): void {
    this.#written += samples;
    if (silence) this.#injected += samples;
    this.#anchors.push({ end: this.#written, at: Date.now(), injected: this.#injected, silence });
    // Bounded: only utterances trim it otherwise. Two minutes of 10 ms frames.
    if (this.#anchors.length > 12_000) this.#anchors.splice(0, 6_000);
  }

  #find(sample: number): Anchor | undefined {
    return this.#anchors.find((a) => a.end >= sample) ?? this.#anchors[this.#anchors.length - 1];
  }

  /** Seconds into the caller's audio; a point inside added silence maps to where it was added. */
  callerSeconds(seconds: number): number {
    const sample = seconds * POCKETSPHINX_SAMPLE_RATE;
    const a = this.#find(sample);
    if (!a) return seconds;
    const callerSample = a.silence ? a.end - a.injected : sample - a.injected;
    return Math.max(0, callerSample) / POCKETSPHINX_SAMPLE_RATE;
  }

  /** When the sample was handed to pocketsphinx: its chunk's write time, less the rest of the chunk. */
  wallTime(seconds: number): number | undefined {
    const sample = seconds * POCKETSPHINX_SAMPLE_RATE;
    const a = this.#find(sample);
    return a && Math.round(a.at - (Math.max(0, a.end - sample) * 1000) / POCKETSPHINX_SAMPLE_RATE);
  }

  /** Drops what lies before `seconds`: later utterances start after it. */
  forget(seconds: number): void {
    const keep = this.#anchors.findIndex((a) => a.end >= seconds * POCKETSPHINX_SAMPLE_RATE);
    if (keep > 0) this.#anchors.splice(0, keep);
  }
}
