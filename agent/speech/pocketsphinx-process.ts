// One pocketsphinx_continuous (Debian's 0.8 "5prealpha") as a child process: spawned behind a
// shell wrapper, fed raw s16le 16 kHz mono PCM on stdin, its stdout read into utterances (a text
// line, then with `-time yes` one line per word with its times), its exit status and errors kept.
import { APIConnectionError } from '@livekit/agents';
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { once } from 'node:events';

/** What pocketsphinx is fed: s16le mono at this rate. */
export const POCKETSPHINX_SAMPLE_RATE = 16000;

/** PocketsphinxSTT's options once checked (pocketsphinx-stt.ts); a process reads `binary` and `args`. */
export interface ResolvedOptions {
  args: string[];
  postspeechFrames: number;
  language: string;
  binary: string;
}

export interface Word {
  word: string;
  /** Seconds in the process's audio timeline. */
  start: number;
  end: number;
  confidence: number;
}

export interface Utterance {
  text: string;
  words: Word[];
}

export interface ExitStatus {
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
export class PocketsphinxProcess {
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
