// Offline TTS for the voice agent: flite (English) or espeak-ng (other languages), chosen by voice
// (core/local-voice.ts); one process per synthesize() call (the session's tts.StreamAdapter calls it
// once per sentence). Both write a WAV to stdout far faster than real time; frames are pushed as soon
// as they exist so the first audio reaches the room quickly.
import { APIConnectionError, type APIConnectOptions, AudioByteStream, DEFAULT_API_CONNECT_OPTIONS, shortuuid, tts } from '@livekit/agents';
import { type AudioFrame, AudioResampler } from '@livekit/rtc-node';
import { DEFAULT_LOCAL_VOICE, killLocalVoice, localVoice, spawnLocalVoice } from '../../core/local-voice.js';

export interface LocalTTSOptions {
  /** A flite voice (slt, rms…) or an espeak-ng voice (ar, en-us+klatt2…). */
  voice?: string;
  /** Runs this instead of flite / espeak-ng: for installs outside PATH. */
  binary?: string;
}

export class LocalTTS extends tts.TTS {
  label = 'local.TTS';
  readonly #voice: string;
  readonly #binary: string | undefined;

  constructor(opts: LocalTTSOptions = {}) {
    const voice = opts.voice ?? DEFAULT_LOCAL_VOICE;
    // Not streaming: AgentSession wraps it in tts.StreamAdapter, which splits the text into sentences.
    super(localVoice(voice).sampleRate, 1, { streaming: false });
    this.#voice = voice;
    this.#binary = opts.binary;
  }

  override get model(): string {
    return this.#voice;
  }

  override get provider(): string {
    return localVoice(this.#voice).program;
  }

  synthesize(text: string, connOptions?: APIConnectOptions, abortSignal?: AbortSignal): tts.ChunkedStream {
    return new LocalChunkedStream(this, text, { voice: this.#voice, binary: this.#binary }, connOptions, abortSignal);
  }

  stream(): tts.SynthesizeStream {
    throw new Error('LocalTTS does not stream; AgentSession wraps it in tts.StreamAdapter');
  }
}

// Bytes kept back from the byte stream until more arrive, so that the frame carrying `final: true`
// can be sent at exit without holding back a whole frame (and a whole frame's latency) all along
// (10 ms at the highest rate).
const TAIL_BYTES = 2 * Math.round(22_050 / 100);

interface WavFormat {
  sampleRate: number;
  channels: number;
  dataOffset: number;
}

/**
 * Finds the start of the PCM data by walking the RIFF chunks instead of assuming a 44-byte header,
 * so a build that adds a LIST chunk still works. Returns undefined until the header is complete.
 * espeak-ng writes a placeholder length (it cannot seek on a pipe), so sizes of the RIFF and data
 * chunks are not trusted.
 * Hand-written: WAV libraries (wavefile, wav) parse a whole file and trust those sizes, or are unmaintained.
 */
export function parseWavHeader(buf: Buffer): WavFormat | undefined {
  if (buf.length < 12) return undefined;
  if (buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') {
    throw new Error('the voice program wrote no WAV stream');
  }
  let pos = 12;
  let fmt: Omit<WavFormat, 'dataOffset'> | undefined;
  while (buf.length >= pos + 8) {
    const id = buf.toString('ascii', pos, pos + 4);
    const size = buf.readUInt32LE(pos + 4);
    if (id === 'data') {
      if (!fmt) throw new Error('the WAV has no fmt chunk before its data');
      return { ...fmt, dataOffset: pos + 8 };
    }
    if (buf.length < pos + 8 + size) return undefined;
    if (id === 'fmt ') {
      const format = buf.readUInt16LE(pos + 8);
      const bits = buf.readUInt16LE(pos + 22);
      if (format !== 1 || bits !== 16) throw new Error(`the WAV is not 16-bit PCM (format ${format}, ${bits} bits)`);
      fmt = { channels: buf.readUInt16LE(pos + 10), sampleRate: buf.readUInt32LE(pos + 12) };
    }
    pos += 8 + size + (size % 2);
    if (pos > 4096) throw new Error('the WAV header is implausibly long');
  }
  return undefined;
}

class LocalChunkedStream extends tts.ChunkedStream {
  label = 'local.ChunkedStream';
  readonly #opts: LocalTTSOptions & { voice: string };
  readonly #owner: LocalTTS;

  constructor(
    owner: LocalTTS,
    text: string,
    opts: LocalTTSOptions & { voice: string },
    connOptions: APIConnectOptions = DEFAULT_API_CONNECT_OPTIONS,
    abortSignal?: AbortSignal,
  ) {
    super(text, owner, connOptions, abortSignal);
    this.#owner = owner;
    this.#opts = opts;
  }

  protected async run(): Promise<void> {
    try {
      await this.#synthesize();
    } catch (e) {
      // Reported here rather than rethrown: ChunkedStream rethrows from a promise nobody awaits, which
      // is an unhandled rejection (fatal outside job processes). The session hears the same 'error'
      // event either way; the stream just ends without audio.
      const error = e instanceof Error ? e : new Error(String(e));
      this.#owner.emit('error', { type: 'tts_error', timestamp: Date.now(), label: this.#owner.label, error, recoverable: false });
    }
  }

  async #synthesize(): Promise<void> {
    const text = this.inputText;
    if (!text.trim() || this.abortSignal.aborted) return;

    const requestId = shortuuid('local_tts_');
    const { voice, binary } = this.#opts;
    const { program, sampleRate } = localVoice(voice);
    const child = spawnLocalVoice(voice, text, binary);
    const kill = () => killLocalVoice(child);
    this.abortSignal.addEventListener('abort', kill, { once: true });

    let stderr = '';
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (s: string) => {
      if (stderr.length < 2000) stderr += s;
    });
    let spawnError: Error | undefined;
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      child.on('error', (e) => {
        spawnError = e;
        resolve({ code: null, signal: null });
      });
      child.on('close', (code, signal) => resolve({ code, signal }));
    });

    const put = (frame: AudioFrame, final: boolean) => {
      // close() on the stream closes the queue; frames after that have nowhere to go.
      if (!this.queue.closed) this.queue.put({ requestId, segmentId: requestId, frame, final });
    };

    let header: Buffer = Buffer.alloc(0);
    let format: WavFormat | undefined;
    let bytes: AudioByteStream | undefined;
    let resampler: AudioResampler | undefined;
    let tail: Buffer = Buffer.alloc(0);
    const emit = (frames: AudioFrame[], final: boolean) => {
      const out = resampler ? frames.flatMap((f) => resampler!.push(f)) : frames;
      if (final && resampler) out.push(...resampler.flush());
      out.forEach((f, i) => put(f, final && i === out.length - 1));
    };

    try {
      for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
        if (this.abortSignal.aborted) break;
        let pcm = chunk;
        if (!format) {
          header = Buffer.concat([header, chunk]);
          format = parseWavHeader(header);
          if (!format) continue;
          if (format.channels !== 1) throw new Error(`${program} produced ${format.channels} channels`);
          // 50 ms frames: the first is ready after 50 ms of synthesized audio rather than 100 ms.
          bytes = new AudioByteStream(format.sampleRate, 1, Math.floor(format.sampleRate / 20));
          // Some voices (espeak-ng's mbrola ones) speak at another rate than declared; this TTS's is fixed.
          if (format.sampleRate !== sampleRate) resampler = new AudioResampler(format.sampleRate, sampleRate, 1);
          pcm = header.subarray(format.dataOffset);
        }
        const joined = tail.length ? Buffer.concat([tail, pcm]) : pcm;
        const cut = Math.max(0, joined.length - TAIL_BYTES);
        tail = Buffer.from(joined.subarray(cut));
        if (cut > 0) emit(bytes!.write(joined.subarray(0, cut)), false);
      }
      const { code, signal } = await exited;
      if (this.abortSignal.aborted) return;
      if (spawnError) {
        throw new APIConnectionError({
          message: `cannot run ${binary ?? program}: ${spawnError.message}`,
          options: { retryable: false },
        });
      }
      if (code !== 0) {
        throw new APIConnectionError({
          message: `${binary ?? program} exited with ${signal ?? code}: ${stderr.trim()}`,
          options: { retryable: false },
        });
      }
      if (!bytes) throw new APIConnectionError({ message: `${program} wrote no WAV header`, options: { retryable: false } });
      const rest = [...bytes.write(tail), ...bytes.flush()];
      if (rest.length) emit(rest, true);
    } finally {
      this.abortSignal.removeEventListener('abort', kill);
      kill();
      resampler?.close();
      if (!this.queue.closed) this.queue.close();
    }
  }
}
