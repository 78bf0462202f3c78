// Offline streaming STT for the voice agent: pocketsphinx_continuous (Debian's 0.8 "5prealpha"), one
// long-lived process per stream, fed raw s16le 16 kHz mono PCM. The process segments speech with its
// own VAD and prints one line per utterance, followed (with `-time yes`) by one line per word with
// its start/end in the process's audio timeline. Nothing is printed while an utterance is in progress,
// so there are no interim transcripts.
import {
  APIConnectionError,
  type APIConnectOptions,
  type AudioBuffer,
  DEFAULT_API_CONNECT_OPTIONS,
  asLanguageCode,
  shortuuid,
  stt,
} from '@livekit/agents';
import { type AudioFrame, AudioResampler } from '@livekit/rtc-node';
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { once } from 'node:events';

export const POCKETSPHINX_SAMPLE_RATE = 16000;

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

interface ResolvedOptions {
  args: string[];
  postspeechFrames: number;
  language: string;
  binary: string;
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

interface Word {
  word: string;
  /** Seconds in the process's audio timeline. */
  start: number;
  end: number;
  confidence: number;
}

interface Utterance {
  text: string;
  words: Word[];
}

interface ExitStatus {
  /** Exit status of pocketsphinx as a shell reports it (128 + n for signal n), or null if unknown. */
  code: number | null;
  /** The wrapper itself died of a signal (e.g. our kill) before reporting the status. */
  signal: NodeJS.Signals | null;
  spawnError?: Error;
}

const EXIT_MARKER = '__pocketsphinx_exit__';
const TIME_LINE = /^(\S+) (-?\d+(?:\.\d+)?) (-?\d+(?:\.\d+)?) (-?\d+(?:\.\d+)?)$/;
const EXIT_LINE = new RegExp(`^${EXIT_MARKER} (\\d+)$`);
// Node's stdin pipe is a socketpair, and pocketsphinx cannot open /dev/stdin on a socket (it exits
// with status 1). `cat` turns it into a real pipe. The brace group reports pocketsphinx's status on
// stdout, because the shell itself only exits once `cat` has, which needs more input or its EOF.
const WRAPPER = `cat | { "$@"; echo "${EXIT_MARKER} $?"; }`;

/**
 * One pocketsphinx_continuous behind `sh -c 'cat | …'`, in a process group of its own so that one
 * kill reaches sh, cat and pocketsphinx. If this Node process dies, cat sees EOF, then pocketsphinx
 * does, and both exit: nothing is left behind.
 */
class PocketsphinxProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly exited: Promise<ExitStatus>;
  onUtterance: (u: Utterance) => void = () => {};
  #stdoutRest = '';
  #pending: Utterance | undefined;
  #errors: string[] = [];
  #stderrRest = '';
  #exit: ExitStatus | undefined;
  #resolveExit!: (s: ExitStatus) => void;
  readonly #gone = new AbortController();
  #stopTimer: NodeJS.Timeout | undefined;

  constructor(opts: ResolvedOptions) {
    this.exited = new Promise((resolve) => (this.#resolveExit = resolve));
    this.child = spawn('sh', ['-c', WRAPPER, 'sh', opts.binary, '-infile', '/dev/stdin', ...opts.args], {
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.on('error', (spawnError) => this.#finish({ code: null, signal: null, spawnError }));
    this.child.on('close', (code, signal) => {
      this.#takeStdout('', true);
      this.#finish({ code: signal ? null : code, signal });
    });
    // EPIPE once pocketsphinx or cat is gone; the exit status says what happened.
    this.child.stdin.on('error', () => {});
    this.child.stdout.setEncoding('utf8');
    this.child.stdout.on('data', (s: string) => this.#takeStdout(s, false));
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (s: string) => this.#takeStderr(s));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.#exit === undefined;
  }

  /** Resolves once the pipe took the data; rejects if `signal` aborts or the process ends first. */
  async write(data: Buffer, signal?: AbortSignal): Promise<void> {
    if (!this.running || this.child.stdin.writableEnded || this.child.stdin.destroyed) return;
    if (this.child.stdin.write(data)) return;
    // 'drain' never comes once the reader is gone.
    await once(this.child.stdin, 'drain', { signal: signal ? AbortSignal.any([signal, this.#gone.signal]) : this.#gone.signal });
  }

  endInput(): void {
    if (!this.child.stdin.writableEnded) this.child.stdin.end();
  }

  /**
   * Ends the input, which lets cat, pocketsphinx and both shells exit in turn, each reaped by its
   * parent; kills the group only if that takes longer than `graceMs`. A killed group's members are
   * orphans, and only an init that reaps (not a bare `node` as PID 1) collects them.
   */
  stop(graceMs = 1000): void {
    this.endInput();
    if (this.#stopTimer || !this.#alive()) return;
    this.#stopTimer = setTimeout(() => this.kill(), graceMs);
    this.#stopTimer.unref();
    this.child.once('close', () => clearTimeout(this.#stopTimer));
  }

  #alive(): boolean {
    return this.child.pid !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  kill(): void {
    // Once sh has exited, so have cat and pocketsphinx (sh waits for both), and the group id is free
    // for reuse by someone else's processes.
    if (!this.#alive()) return;
    try {
      process.kill(-this.child.pid!, 'SIGKILL');
    } catch {
      // The group is already gone.
    }
  }

  failure(exit: ExitStatus): APIConnectionError {
    const detail = this.#errors.length ? `: ${this.#errors.join(' | ')}` : '';
    if (exit.spawnError) {
      return new APIConnectionError({ message: `cannot start pocketsphinx: ${exit.spawnError.message}`, options: { retryable: false } });
    }
    const how =
      exit.code === null
        ? `was killed (${exit.signal})`
        : exit.code === 127
          ? 'was not found'
          : exit.code > 128
            ? `died of signal ${exit.code - 128}`
            : `exited with status ${exit.code}`;
    // Status 1 is pocketsphinx's fatal error (bad option, missing model or grammar) and 126/127 the
    // shell's "cannot run": retrying repeats them. A signal (crash, OOM killer) may well not recur.
    const deterministic = exit.code === 1 || exit.code === 126 || exit.code === 127;
    return new APIConnectionError({ message: `pocketsphinx ${how}${detail}`, options: { retryable: !deterministic } });
  }

  #finish(status: ExitStatus): void {
    if (this.#exit) return;
    this.#exit = status;
    this.#gone.abort();
    this.#resolveExit(status);
  }

  #takeStdout(text: string, eof: boolean): void {
    const lines = (this.#stdoutRest + text).split('\n');
    this.#stdoutRest = eof ? '' : lines.pop()!;
    for (const line of lines) this.#takeLine(line.trim());
    // The transcript and its word times are written together, in one flush. So when a read ends on a
    // line boundary the utterance is complete, and it goes out now rather than after a timer.
    if (this.#stdoutRest === '' && this.#pending) {
      const u = this.#pending;
      this.#pending = undefined;
      this.onUtterance(u);
    }
  }

  #takeLine(line: string): void {
    const exit = EXIT_LINE.exec(line);
    if (exit) {
      if (this.#pending) this.onUtterance(this.#pending);
      this.#pending = undefined;
      this.#finish({ code: Number(exit[1]), signal: null });
      return;
    }
    const time = TIME_LINE.exec(line);
    if (time) {
      // Word lines of an utterance already sent (a flush split across reads) are dropped.
      const word = time[1]!;
      if (!this.#pending || /^[<[+]/.test(word)) return; // <s>, </s>, <sil>, [NOISE], ++NOISE++
      this.#pending.words.push({
        word: word.replace(/\(\d+\)$/, ''), // alternative pronunciations: was(2)
        start: Number(time[2]),
        end: Number(time[3]),
        confidence: Math.min(1, Math.max(0, Number(time[4]))),
      });
      return;
    }
    if (this.#pending) this.onUtterance(this.#pending);
    this.#pending = { text: line.replace(/\s+/g, ' '), words: [] };
  }

  #takeStderr(text: string): void {
    const lines = (this.#stderrRest + text).split('\n');
    this.#stderrRest = lines.pop()!.slice(-1000);
    for (const line of lines) {
      if (!/^(ERROR|FATAL|SYSTEM_ERROR|FATAL_ERROR)\b/.test(line)) continue;
      this.#errors.push(line.trim().slice(0, 300));
      if (this.#errors.length > 4) this.#errors.shift();
    }
  }
}

/** Turns frames of any rate and channel count into s16le 16 kHz mono bytes. */
class PcmConverter {
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

function meanConfidence(words: Word[]): number {
  return words.length ? words.reduce((a, w) => a + w.confidence, 0) / words.length : 0;
}

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
class Timeline {
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
