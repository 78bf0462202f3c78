// A synthetic LiveKit participant on @livekit/rtc-node, parent side: starts the child process
// (participant-child.ts) that is the WebRTC participant, and mirrors everything it reports
// (segments, answers, transcripts), so reads are synchronous; waitFor() waits.
//
// Each participant runs in a CHILD PROCESS (forked under tsx): rtc-node keeps a native runtime per
// process that only `dispose()` ends, audio pacing stays real-time whatever the test process does,
// and `dropAfterAnswers` / `drop()` can vanish the way a crashed browser does (SIGKILL: no leave
// message, sockets closed by the kernel).
//
// Run it inside the test network namespace (npm test does): rtc-node gathers no candidates on lo.
import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { closeSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AnswerTiming, ChildMsg, ChildStart, ParentMsg, ParticipantOptions, TranscriptEntry } from './participant-messages.js';
import { assertLocalVoice, type SpeechSegment } from './speech.js';

/** The participant's own program, forked once per participant. */
export const PARTICIPANT_CHILD = fileURLToPath(new URL('./participant-child.ts', import.meta.url));

export class SyntheticParticipant extends EventEmitter {
  identity = '';
  roomName = '';
  /** Sid of our published microphone track (transcripts of it carry it as lk.transcribed_track_id). */
  micTrackSid = '';
  connectedAt = 0;
  publishedAt = 0;
  /** When the listened-to participant's audio was subscribed / its first frame arrived. */
  subscribedAt: number | undefined;
  firstAudioAt: number | undefined;
  /** Is the listened-to participant talking right now (per the detector)? */
  remoteSpeaking = false;
  /** The first loud frame heard from the listened-to participant (epoch ms). */
  firstSpeechAt: number | undefined;
  readonly segments: SpeechSegment[] = [];
  readonly answers: AnswerTiming[] = [];
  readonly transcripts: TranscriptEntry[] = [];
  readonly participants: { event: 'connected' | 'disconnected'; identity: string; kind: number; at: number }[] = [];
  disconnected: { reason: string; at: number } | undefined;
  dropped: number | undefined;
  errors: string[] = [];
  exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  readonly exited: Promise<void>;
  readonly logFile: string;
  readonly wavFile: string;
  readonly summaryFile: string;

  constructor(
    readonly options: ParticipantOptions,
    private readonly child: ChildProcess,
  ) {
    super();
    this.logFile = path.join(options.logDir, `${options.name}.log`);
    this.wavFile = path.join(options.logDir, `${options.name}.heard.wav`);
    this.summaryFile = path.join(options.logDir, `${options.name}.json`);
    child.on('message', (m: ChildMsg) => this.onMessage(m));
    this.exited = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        this.exit = { code, signal };
        live.delete(this);
        this.writeSummary();
        this.emit('update');
        resolve();
      });
    });
  }

  get pid() {
    return this.child.pid;
  }

  private onMessage(m: ChildMsg) {
    switch (m.type) {
      case 'ready':
        Object.assign(this, {
          identity: m.identity,
          roomName: m.roomName,
          micTrackSid: m.micTrackSid,
          connectedAt: m.connectedAt,
          publishedAt: m.publishedAt,
        });
        break;
      case 'participant':
        this.participants.push({ event: m.event, identity: m.identity, kind: m.kind, at: m.at });
        break;
      case 'subscribed':
        this.subscribedAt ??= m.at;
        break;
      case 'first-audio':
        this.firstAudioAt ??= m.at;
        break;
      case 'speech-start':
        this.remoteSpeaking = true;
        this.firstSpeechAt ??= m.at;
        break;
      case 'speech-end':
        this.remoteSpeaking = false;
        this.segments.push(m.segment);
        break;
      case 'answer-start':
        this.answers[m.answer.index] = { ...m.answer };
        break;
      case 'answer-end':
        this.answers[m.answer.index] = { ...this.answers[m.answer.index], ...m.answer };
        break;
      case 'reply': {
        const a = this.answers[m.index];
        if (a && a.lastFrameAt !== undefined) Object.assign(a, { replyAt: m.replyAt, latencyMs: m.replyAt - a.lastFrameAt });
        break;
      }
      case 'transcript':
        this.transcripts.push(m.entry);
        break;
      case 'disconnected':
        this.disconnected = { reason: m.reason, at: m.at };
        break;
      case 'dropping':
        this.dropped = m.at;
        break;
      case 'error':
        this.errors.push(m.message);
        break;
      case 'left':
        break;
    }
    // An 'error' nobody listens for would throw here: the child's errors are kept in `errors` (a
    // room deleted under us, e.g. when HR ends the interview, reports "Disconnected while receiving").
    if (m.type !== 'error' || this.listenerCount('error') > 0) this.emit(m.type, m);
    this.emit('update');
  }

  private isOwn(t: TranscriptEntry) {
    return t.participantIdentity === this.identity || (this.micTrackSid !== '' && t.trackId === this.micTrackSid);
  }

  /**
   * One text per transcription segment (lk.segment_id), in order of first arrival: the agent sends
   * user transcripts twice (interim, then final) and its own speech as one delta stream per segment.
   */
  private utterances(own: boolean): string[] {
    const bySegment = new Map<string, TranscriptEntry>();
    this.transcripts.forEach((t, i) => {
      if (this.isOwn(t) !== own) return;
      const key = t.segmentId ?? `#${i}`;
      const prev = bySegment.get(key);
      if (!prev || t.final || !prev.final) bySegment.set(key, t); // Map keeps first-insertion order
    });
    return [...bySegment.values()].map((t) => t.text.replace(/\s+/g, ' ').trim()).filter(Boolean);
  }

  /** What the other side said, per its transcription streams: one string per segment. */
  heardUtterances(): string[] {
    return this.utterances(false);
  }

  /** Our own speech as the agent's STT transcribed it (streams under our identity or about our mic track). */
  ownUtterances(): string[] {
    return this.utterances(true);
  }

  /** heardUtterances() joined. */
  heardText(): string {
    return this.heardUtterances().join(' ');
  }

  /** ownUtterances() joined. */
  ownTranscript(): string {
    return this.ownUtterances().join(' ');
  }

  /**
   * Waits until `check()` is truthy, re-checking on every report from the child. Throws on timeout,
   * or if the child exits first (unless `check` then passes).
   */
  waitFor<T>(check: () => T | undefined | false | null, opts: { timeoutMs: number; what: string }): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const done = (fn: () => void) => {
        clearTimeout(timer);
        this.off('update', onUpdate);
        fn();
      };
      const onUpdate = () => {
        let v: T | undefined | false | null;
        try {
          v = check();
        } catch (e) {
          return done(() => reject(e as Error));
        }
        if (v !== undefined && v !== false && v !== null) return done(() => resolve(v as T));
        if (this.exit) {
          return done(() =>
            reject(
              new Error(
                `${this.options.name}: ${opts.what}: participant process ended (${fmtExit(this.exit!)}); ${this.errors.join('; ')} see ${this.logFile}`,
              ),
            ),
          );
        }
      };
      const timer = setTimeout(
        () =>
          done(() => reject(new Error(`${this.options.name}: ${opts.what}: timed out after ${opts.timeoutMs} ms (log: ${this.logFile})`))),
        opts.timeoutMs,
      );
      this.on('update', onUpdate);
      onUpdate();
    });
  }

  /** Waits until the listened-to side is first heard (a loud frame): the agent has arrived. */
  waitForFirstSpeech(timeoutMs: number): Promise<number> {
    return this.waitFor(() => this.firstSpeechAt, { timeoutMs, what: 'waiting to hear the other side' });
  }

  /** Waits for the n-th (1-based) complete speech segment heard from the listened-to side. */
  waitForSegments(n: number, timeoutMs: number): Promise<SpeechSegment> {
    return this.waitFor(() => this.segments[n - 1], { timeoutMs, what: `waiting for ${n} speech segment(s)` });
  }

  /** Waits until n answers have been fully spoken. */
  waitForAnswers(n: number, timeoutMs: number): Promise<AnswerTiming> {
    return this.waitFor(() => (this.answers[n - 1]?.lastFrameAt !== undefined ? this.answers[n - 1] : undefined), {
      timeoutMs,
      what: `waiting for ${n} answer(s) spoken`,
    });
  }

  /** Waits until the listened-to side answered the n-th answer (its reply audio arrived). */
  waitForReply(n: number, timeoutMs: number): Promise<AnswerTiming> {
    return this.waitFor(() => (this.answers[n - 1]?.replyAt !== undefined ? this.answers[n - 1] : undefined), {
      timeoutMs,
      what: `waiting for a reply to answer ${n}`,
    });
  }

  /** Reply latencies (ms) of the answers that got a reply, in order: for benchmarks. */
  latencies(): number[] {
    return this.answers.flatMap((a) => (a?.latencyMs !== undefined ? [a.latencyMs] : []));
  }

  /** Speaks `text` now (queued after anything being spoken); it counts as an answer. */
  say(text: string) {
    this.send({ type: 'say', text });
  }

  /** Plays `samples` (int16 mono at the publish rate) now, queued like say(); it counts as an answer. */
  play(samples: Int16Array, text: string) {
    this.send({ type: 'play', samples, text });
  }

  /** Disconnects from the room, disposes rtc-node and ends the child process. */
  async leave(timeoutMs = 10_000): Promise<void> {
    if (this.exit) return;
    this.send({ type: 'leave' });
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** Vanishes now, like a crashed browser: SIGKILL, no leave message. */
  async drop(): Promise<void> {
    if (this.exit) return;
    this.dropped = Date.now();
    this.child.kill('SIGKILL');
    await this.exited;
  }

  private send(m: ParentMsg) {
    if (!this.exit && this.child.connected) this.child.send(m);
  }

  writeSummary() {
    const { token: _token, ...options } = this.options;
    const summary = {
      options,
      identity: this.identity,
      roomName: this.roomName,
      connectedAt: this.connectedAt,
      subscribedAt: this.subscribedAt,
      firstAudioAt: this.firstAudioAt,
      segments: this.segments,
      answers: this.answers,
      transcripts: this.transcripts,
      participants: this.participants,
      disconnected: this.disconnected,
      dropped: this.dropped,
      errors: this.errors,
      exit: this.exit,
    };
    try {
      writeFileSync(this.summaryFile, JSON.stringify(summary, null, 2));
    } catch {
      /* artifacts are best effort */
    }
  }
}

const live = new Set<SyntheticParticipant>();
let exitHook = false;

function fmtExit(e: { code: number | null; signal: NodeJS.Signals | null }) {
  return e.signal ? `signal ${e.signal}` : `exit code ${e.code}`;
}

/** Starts a participant process with a ready token; resolves once it is connected and publishing. */
export async function startParticipant(options: ParticipantOptions): Promise<SyntheticParticipant> {
  assertLocalVoice();
  mkdirSync(options.logDir, { recursive: true });
  if (!exitHook) {
    exitHook = true;
    process.once('exit', () => {
      for (const p of live) {
        try {
          if (p.pid) process.kill(p.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
    });
  }
  const logFile = path.join(options.logDir, `${options.name}.log`);
  const fd = openSync(logFile, 'w');
  let child: ChildProcess;
  try {
    child = fork(PARTICIPANT_CHILD, [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, NODE_OPTIONS: '' },
      stdio: ['ignore', fd, fd, 'ipc'],
      serialization: 'advanced',
    });
  } finally {
    closeSync(fd);
  }
  const p = new SyntheticParticipant(options, child);
  live.add(p);
  child.send({ type: 'start', options } satisfies ChildStart);
  try {
    await p.waitFor(() => p.connectedAt > 0 && p.publishedAt > 0, {
      timeoutMs: options.connectTimeoutMs ?? 30_000,
      what: 'connecting and publishing',
    });
  } catch (e) {
    await p.drop();
    throw e;
  }
  return p;
}

/** Leaves with every participant still running (for afterAll / afterEach). */
export async function leaveAll(): Promise<void> {
  await Promise.all([...live].map((p) => p.leave()));
}
