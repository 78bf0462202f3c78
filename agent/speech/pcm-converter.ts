// Audio frames as pocketsphinx wants them: s16le, 16 kHz, mono.
import { type AudioFrame, AudioResampler } from '@livekit/rtc-node';
import { POCKETSPHINX_SAMPLE_RATE } from './pocketsphinx-process.js';

/** Turns frames of any rate and channel count into s16le 16 kHz mono bytes. */
export class PcmConverter {
  #resampler: AudioResampler | undefined;
  #from = { rate: 0, channels: 0 };

  push(frame: AudioFrame): Buffer[] {
    if (frame.samplesPerChannel === 0) return [];
    if (frame.sampleRate === POCKETSPHINX_SAMPLE_RATE && frame.channels === 1) return [toBytes(frame)];
    if (!this.#resampler || this.#from.rate !== frame.sampleRate || this.#from.channels !== frame.channels) {
      this.#resampler?.close();
      this.#resampler = new AudioResampler(frame.sampleRate, POCKETSPHINX_SAMPLE_RATE, frame.channels);
      this.#from = { rate: frame.sampleRate, channels: frame.channels };
    }
    return this.#resampler.push(frame).map(toBytes);
  }

  flush(): Buffer[] {
    return this.#resampler ? this.#resampler.flush().map(toBytes) : [];
  }

  close(): void {
    this.#resampler?.close();
    this.#resampler = undefined;
  }
}

/** A copy: frames' sample buffers may be reused by their producer after the write is queued. */
function toBytes(frame: AudioFrame): Buffer {
  const n = frame.samplesPerChannel;
  const ch = frame.channels;
  if (ch === 1) return Buffer.from(frame.data.buffer.slice(frame.data.byteOffset, frame.data.byteOffset + n * 2));
  const mono = new Int16Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let c = 0; c < ch; c++) sum += frame.data[i * ch + c]!;
    mono[i] = Math.round(sum / ch);
  }
  return Buffer.from(mono.buffer);
}
