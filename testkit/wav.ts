// WAV in and out for the synthetic participants: the local voice's stdout in, what a participant
// heard out. Hand-written rather than a library: espeak-ng's streaming header carries bogus RIFF and
// data sizes that a strict parser refuses, and the writer streams frames to disk as they arrive
// (a library would hold the whole recording in memory); both are a few dozen lines.
import { closeSync, openSync, writeSync } from 'node:fs';

/** Parses a local voice's WAV (espeak-ng's --stdout RIFF/data sizes are bogus streaming values). */
export function parseWav(buf: Buffer): { sampleRate: number; samples: Int16Array } {
  if (buf.length < 44 || buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') {
    throw new Error('the voice program did not write a WAV file');
  }
  // Walk the chunks: fmt gives the rate; data runs to the end of the buffer.
  let off = 12;
  let sampleRate = 0;
  while (off + 8 <= buf.length) {
    const id = buf.toString('ascii', off, off + 4);
    const size = buf.readUInt32LE(off + 4);
    if (id === 'fmt ') {
      const format = buf.readUInt16LE(off + 8);
      const channels = buf.readUInt16LE(off + 10);
      sampleRate = buf.readUInt32LE(off + 12);
      const bits = buf.readUInt16LE(off + 22);
      if (format !== 1 || channels !== 1 || bits !== 16) throw new Error('the WAV is not 16-bit mono PCM');
    } else if (id === 'data') {
      const data = buf.subarray(off + 8, buf.length - ((buf.length - off - 8) % 2));
      const samples = new Int16Array(data.length / 2);
      for (let i = 0; i < samples.length; i++) samples[i] = data.readInt16LE(i * 2);
      if (!sampleRate) throw new Error('the WAV has no fmt chunk');
      return { sampleRate, samples };
    }
    off += 8 + size + (size % 2);
  }
  throw new Error('the WAV has no data chunk');
}

/** WAV writer (16-bit mono) whose header is patched on close(). */
export class WavWriter {
  private fd: number;
  private bytes = 0;
  constructor(
    readonly file: string,
    private readonly sampleRate: number,
  ) {
    this.fd = openSync(file, 'w');
    writeSync(this.fd, this.header());
  }
  private header(): Buffer {
    const h = Buffer.alloc(44);
    h.write('RIFF', 0, 'ascii');
    h.writeUInt32LE(36 + this.bytes, 4);
    h.write('WAVEfmt ', 8, 'ascii');
    h.writeUInt32LE(16, 16);
    h.writeUInt16LE(1, 20);
    h.writeUInt16LE(1, 22);
    h.writeUInt32LE(this.sampleRate, 24);
    h.writeUInt32LE(this.sampleRate * 2, 28);
    h.writeUInt16LE(2, 32);
    h.writeUInt16LE(16, 34);
    h.write('data', 36, 'ascii');
    h.writeUInt32LE(this.bytes, 40);
    return h;
  }
  write(samples: Int16Array) {
    if (this.fd < 0) return;
    const b = Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
    writeSync(this.fd, b);
    this.bytes += b.length;
  }
  close() {
    if (this.fd < 0) return;
    writeSync(this.fd, this.header(), 0, 44, 0);
    closeSync(this.fd);
    this.fd = -1;
  }
}
