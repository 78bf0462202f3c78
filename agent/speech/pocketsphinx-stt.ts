// Offline streaming STT for the voice agent: pocketsphinx_continuous (Debian's 0.8 "5prealpha"), one
// long-lived process per stream, fed raw s16le 16 kHz mono PCM. The process segments speech with its
// own VAD and prints one line per utterance, followed (with `-time yes`) by one line per word with
// its start/end in the process's audio timeline. Nothing is printed while an utterance is in progress,
// so there are no interim transcripts.
import { type APIConnectOptions, type AudioBuffer, DEFAULT_API_CONNECT_OPTIONS, asLanguageCode, shortuuid, stt } from '@livekit/agents';
import type { AudioFrame } from '@livekit/rtc-node';
import { PcmConverter } from './pcm-converter.js';
import { POCKETSPHINX_SAMPLE_RATE, PocketsphinxProcess, type ResolvedOptions, type Utterance, type Word } from './pocketsphinx-process.js';
import { Timeline } from './pocketsphinx-timeline.js';

export { POCKETSPHINX_SAMPLE_RATE };

export interface PocketsphinxSTTOptions {
  /**
   * Extra `-name value` pairs for pocketsphinx_continuous, e.g. `['-jsgf', '/path/answers.jsgf']` to
   * restrict recognition to a grammar. They replace the defaults of the same name. `-infile`, `-inmic`
   * and `-time` are set by this class and refused here.
   */
  extraArgs?: string[];
  /**
   * Frames (10 ms each) of silence after which pocketsphinx ends an utterance and prints it. Its own
   * default is 50; 30 prints each transcript 0.2 s sooner. A pause this long inside a sentence splits it
   * into two transcripts, which the session joins within a turn.
   */
  vadPostspeechFrames?: number;
  /** Language reported on transcripts; the acoustic model decides what is actually recognised. */
  language?: string;
  /** Binary to run; for installs outside PATH. */
  binary?: string;
}

const OWN_ARGS = new Set(['-infile', '-inmic', '-time']);

function resolveOptions(opts: PocketsphinxSTTOptions): ResolvedOptions {
  const extra = opts.extraArgs ?? [];
  if (extra.length % 2 !== 0) throw new Error('PocketsphinxSTT extraArgs must be -name value pairs');
  const args = new Map<string, string>([['-vad_postspeech', String(opts.vadPostspeechFrames ?? 30)]]);
  for (let i = 0; i < extra.length; i += 2) {
    const name = extra[i]!;
    if (!name.startsWith('-')) throw new Error(`PocketsphinxSTT extraArgs: expected an option name, got ${JSON.stringify(name)}`);
    if (OWN_ARGS.has(name)) throw new Error(`PocketsphinxSTT sets ${name} itself`);
    // pocketsphinx refuses a repeated option, so the caller's value replaces ours instead of following it.
    args.set(name, extra[i + 1]!);
  }
  const postspeechFrames = Number(args.get('-vad_postspeech'));
  if (!Number.isInteger(postspeechFrames) || postspeechFrames < 1) throw new Error('-vad_postspeech must be a positive integer');
  return {
    args: ['-time', 'yes', ...[...args].flat()],
    postspeechFrames,
    language: opts.language ?? 'en',
    binary: opts.binary ?? 'pocketsphinx_continuous',
  };
}

export class PocketsphinxSTT extends stt.STT {
  label = 'pocketsphinx.STT';
  readonly #opts: ResolvedOptions;

  constructor(opts: PocketsphinxSTTOptions = {}) {
    super({ streaming: true, interimResults: false, alignedTranscript: false });
    this.#opts = resolveOptions(opts);
  }

  override get model(): string {
    return 'en-us';
  }

  override get provider(): string {
    return 'pocketsphinx';
  }

  /** One-shot recognition of a buffer with a process of its own (model load included, ~1 s). */
  protected async _recognize(buffer: AudioBuffer, abortSignal?: AbortSignal): Promise<stt.SpeechEvent> {
    const frames = Array.isArray(buffer) ? buffer : [buffer];
    const converter = new PcmConverter();
    const pcm = Buffer.concat(frames.flatMap((f) => converter.push(f)).concat(converter.flush()));
    converter.close();

    const proc = new PocketsphinxProcess(this.#opts);
    const utterances: Utterance[] = [];
    proc.onUtterance = (u) => utterances.push(u);
    const kill = () => proc.kill();
    abortSignal?.addEventListener('abort', kill, { once: true });
    try {
      if (abortSignal?.aborted) kill();
      // A failed write means the process is gone; its exit status below says why.
      await proc.write(pcm, abortSignal).catch(() => {});
      proc.endInput();
      const exit = await proc.exited;
      abortSignal?.throwIfAborted();
      if (exit.code !== 0) throw proc.failure(exit);
    } finally {
      abortSignal?.removeEventListener('abort', kill);
      proc.stop();
    }

    const spoken = utterances.filter((u) => u.text);
    const words = spoken.flatMap((u) => u.words);
    return {
      type: stt.SpeechEventType.FINAL_TRANSCRIPT,
      requestId: shortuuid('pocketsphinx_'),
      alternatives: [
        {
          language: asLanguageCode(this.#opts.language),
          text: spoken.map((u) => u.text).join(' '),
          startTime: words.length ? words[0]!.start : 0,
          endTime: words.length ? words[words.length - 1]!.end : pcm.length / 2 / POCKETSPHINX_SAMPLE_RATE,
          confidence: meanConfidence(words),
        },
      ],
    };
  }

  stream(options?: { connOptions?: APIConnectOptions }): PocketsphinxSpeechStream {
    return new PocketsphinxSpeechStream(this, this.#opts, options?.connOptions ?? DEFAULT_API_CONNECT_OPTIONS);
  }
}

function meanConfidence(words: Word[]): number {
  return words.length ? words.reduce((a, w) => a + w.confidence, 0) / words.length : 0;
}

export class PocketsphinxSpeechStream extends stt.SpeechStream {
  label = 'pocketsphinx.SpeechStream';
  readonly #opts: ResolvedOptions;
  readonly #converter = new PcmConverter();
  #proc: PocketsphinxProcess | undefined;
  /** Samples of caller audio not yet reported as usage. */
  #unreported = 0;
  #requestId = shortuuid('pocketsphinx_');

  constructor(owner: PocketsphinxSTT, opts: ResolvedOptions, connOptions: APIConnectOptions) {
    // No sample rate for the base class: its resampler is fixed to the first frame's rate and to mono.
    super(owner, undefined, connOptions);
    this.#opts = opts;
  }

  /** Process group of the running pocketsphinx (sh, cat and pocketsphinx), for diagnostics and tests. */
  get processGroupId(): number | undefined {
    return this.#proc?.running ? this.#proc.pid : undefined;
  }

  override close(): void {
    super.close();
    this.#proc?.stop();
    this.#converter.close();
  }

  protected async run(): Promise<void> {
    if (this.abortSignal.aborted) return;
    const proc = new PocketsphinxProcess(this.#opts);
    this.#proc = proc;
    const timeline = new Timeline();
    proc.onUtterance = (u) => {
      if (u.text) this.#emit(u, timeline);
    };

    const stop = new AbortController();
    const stopProc = () => proc.stop();
    this.abortSignal.addEventListener('abort', stopProc, { once: true });
    void proc.exited.then(() => stop.abort());
    const signal = AbortSignal.any([this.abortSignal, stop.signal]);

    const write = async (bytes: Buffer, silence = false) => {
      timeline.add(bytes.length / 2, silence);
      await proc.write(bytes, signal);
    };

    let inputEnded = false;
    try {
      while (!signal.aborted) {
        let item: IteratorResult<AudioFrame | typeof PocketsphinxSpeechStream.FLUSH_SENTINEL>;
        try {
          // With a signal, a wait that is given up does not take the next frame: a retry gets it.
          item = await this.input.next({ signal });
        } catch {
          break;
        }
        // close() may land between a frame's arrival and here; its converter is gone by then.
        if (this.abortSignal.aborted) break;
        if (item.done) {
          for (const b of this.#converter.flush()) await write(b);
          inputEnded = true;
          proc.endInput();
          break;
        }
        if (item.value === PocketsphinxSpeechStream.FLUSH_SENTINEL) {
          // pocketsphinx ends an utterance only after enough silence: give it that silence now.
          await write(Buffer.alloc((this.#opts.postspeechFrames + 10) * 320), true);
          continue;
        }
        for (const b of this.#converter.push(item.value)) {
          this.#unreported += b.length / 2;
          await write(b);
        }
      }
    } catch {
      // A write given up because the process ended or the stream closed; the exit status decides.
    }

    try {
      // Also after close(): its abort stops the process, which ends this wait.
      const exit = await proc.exited;
      if (this.abortSignal.aborted) return;
      if (!inputEnded || exit.code !== 0) throw proc.failure(exit);
    } finally {
      this.abortSignal.removeEventListener('abort', stopProc);
      proc.stop();
      this.#reportUsage();
    }
  }

  #emit(u: Utterance, timeline: Timeline): void {
    if (this.queue.closed) return;
    const first = u.words[0];
    const last = u.words[u.words.length - 1];
    const speechEndTime = last && timeline.wallTime(last.end);
    // Relative to the stream's start, as the session expects (it adds its own input start time).
    const offset = this.startTimeOffset;
    this.#requestId = shortuuid('pocketsphinx_');
    const data: stt.SpeechData = {
      language: asLanguageCode(this.#opts.language),
      text: u.text,
      startTime: first ? offset + timeline.callerSeconds(first.start) : 0,
      endTime: last ? offset + timeline.callerSeconds(last.end) : 0,
      confidence: meanConfidence(u.words),
    };
    if (last) timeline.forget(last.end);
    // The order streaming providers use (deepgram: start, final, end). pocketsphinx reports an
    // utterance only once it is over, so all three arrive together. With a VAD in the session (our
    // case) the session takes speech start/end from the VAD and ignores these two; they matter only
    // with turnDetection 'stt'.
    this.queue.put({ type: stt.SpeechEventType.START_OF_SPEECH, requestId: this.#requestId });
    this.queue.put({ type: stt.SpeechEventType.FINAL_TRANSCRIPT, requestId: this.#requestId, alternatives: [data], speechEndTime });
    this.queue.put({ type: stt.SpeechEventType.END_OF_SPEECH, requestId: this.#requestId, speechEndTime });
    this.#reportUsage();
  }

  /** RECOGNITION_USAGE becomes the stream's stt_metrics (audio duration). */
  #reportUsage(): void {
    if (this.#unreported === 0 || this.queue.closed) return;
    const audioDuration = this.#unreported / POCKETSPHINX_SAMPLE_RATE;
    this.#unreported = 0;
    this.queue.put({ type: stt.SpeechEventType.RECOGNITION_USAGE, requestId: this.#requestId, recognitionUsage: { audioDuration } });
  }
}
