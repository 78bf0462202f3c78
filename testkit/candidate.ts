// A synthetic interview candidate on @livekit/rtc-node, for end-to-end tests.
//
// startCandidate() joins through the API (POST /api/public/interview/join/{code} with the phone and
// names), then connects to LiveKit with the returned token as a real WebRTC participant: it
// publishes a microphone track (continuous 10 ms frames, silence between answers, as a real
// microphone does), subscribes to the agent's audio, detects when the agent starts and stops
// talking from the received energy (frame RMS over a threshold, ended by ≥ hangoverMs of silence),
// collects the `lk.transcription` text streams, and answers with espeak-ng speech from a script:
// one answer each time the agent stops talking.
//
// Each participant runs in a CHILD PROCESS (this same file, forked under tsx): rtc-node keeps a
// native runtime per process that only `dispose()` ends, audio pacing stays real-time whatever the
// test process does, and `dropAfterAnswers` / `drop()` can vanish the way a crashed browser does
// (SIGKILL: no leave message, sockets closed by the kernel). The parent side mirrors everything the
// child reports (segments, answers, transcripts), so reads are synchronous; waitFor() waits.
//
// Run it inside the test network namespace (npm test does): rtc-node gathers no candidates on lo.
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AudioFrame, AudioSource, RemoteTrack } from '@livekit/rtc-node';

const THIS_FILE = fileURLToPath(import.meta.url);
const CHILD_FLAG = 'SYNTHETIC_PARTICIPANT_CHILD';

// ---------------------------------------------------------------------------------------------
// What a participant records

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

/** One `lk.transcription` text stream, read to its end. */
export interface TranscriptEntry {
  /** Whose speech it transcribes (the stream's sender identity): the agent's, or ours as its STT heard it. */
  participantIdentity: string;
  segmentId?: string;
  trackId?: string;
  /** lk.transcription_final of the stream header (agents' delta streams say 'false' even when complete). */
  final: boolean;
  text: string;
  /** When the stream opened / closed (epoch ms). */
  openedAt: number;
  closedAt: number;
}

/** One spoken answer and its timings (epoch ms). */
export interface AnswerTiming {
  /** 0, 1, 2… in speaking order. */
  index: number;
  text: string;
  /** The first frame of this answer went to the AudioSource. */
  startedAt: number;
  /** The last frame of this answer went to the AudioSource (trailing silence trimmed). */
  lastFrameAt?: number;
  audioMs: number;
  /** The first loud frame from the listened-to participant that arrived after lastFrameAt. */
  replyAt?: number;
  /** replyAt − lastFrameAt: the latency the candidate perceives. */
  latencyMs?: number;
}

export interface ParticipantOptions {
  /** ws://… of LiveKit and a token for it. */
  serverUrl: string;
  token: string;
  /** Label for logs and artifacts (`<logDir>/<name>.log`, `.heard.wav`, `.json`). */
  name: string;
  logDir: string;
  /** Spoken one per turn: each time the listened-to participant stops talking. */
  answers?: string[];
  /** Speak answers[0] as soon as the listened-to participant's audio is subscribed. */
  speakFirst?: boolean;
  /** After the first turn, talk without pause (answers cycled, gaps of keepTalkingGapMs) until leave/drop. */
  keepTalking?: boolean;
  keepTalkingGapMs?: number;
  /** Vanish (SIGKILL, no leave) right after this many answers have been spoken; 0: at the first turn. */
  dropAfterAnswers?: number;
  /** Listen to this identity; default: any participant of kind AGENT. */
  listenTo?: string;
  /** Sample rate of the published microphone: 48000 (default) or 16000. */
  publishSampleRate?: 48000 | 16000;
  /** espeak-ng voice and words per minute (default en-us+klatt2, 160). */
  voice?: string;
  wpm?: number;
  /** Frame RMS (int16) at or above which a received frame is speech (default 300 ≈ −40 dBFS). */
  threshold?: number;
  /** Silence after speech that ends a segment: "the agent stopped talking" (default 1000 ms). */
  hangoverMs?: number;
  /** Loud audio needed before a segment counts as started (default 40 ms). */
  minSpeechMs?: number;
  /** Pause between the agent stopping and the answer starting (default 0; the hangover is already a pause). */
  answerDelayMs?: number;
  /** Write what we heard as a 16 kHz WAV (default true). */
  recordWav?: boolean;
  /** Also send each spoken text on `lk.transcription` as our own transcript (as an agent does; for harness tests). */
  publishTranscripts?: boolean;
  /** How long to wait for the child to connect and publish (default 30 s). */
  connectTimeoutMs?: number;
}

type ChildStart = { type: 'start'; options: ParticipantOptions };
type ParentMsg = ChildStart | { type: 'say'; text: string } | { type: 'leave' } | { type: 'drop' };

type ChildMsg =
  | { type: 'ready'; identity: string; roomName: string; micTrackSid: string; connectedAt: number; publishedAt: number }
  | { type: 'participant'; event: 'connected' | 'disconnected'; identity: string; kind: number; at: number }
  | { type: 'subscribed'; identity: string; trackSid: string; at: number }
  | { type: 'first-audio'; identity: string; at: number }
  | { type: 'speech-start'; at: number }
  | { type: 'speech-end'; segment: SpeechSegment }
  | { type: 'answer-start'; answer: AnswerTiming }
  | { type: 'answer-end'; answer: AnswerTiming }
  | { type: 'reply'; index: number; replyAt: number }
  | { type: 'transcript'; entry: TranscriptEntry }
  | { type: 'disconnected'; reason: string; at: number }
  | { type: 'dropping'; at: number }
  | { type: 'error'; message: string }
  | { type: 'left' };

// ---------------------------------------------------------------------------------------------
// Pure pieces (unit-testable): speech detection and PCM helpers

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

/** Parses espeak-ng's --stdout WAV (its RIFF/data sizes are bogus streaming values). */
export function parseEspeakWav(buf: Buffer): { sampleRate: number; samples: Int16Array } {
  if (buf.length < 44 || buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') {
    throw new Error('espeak-ng did not write a WAV file');
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
      if (format !== 1 || channels !== 1 || bits !== 16) throw new Error(`espeak-ng WAV is not 16-bit mono PCM`);
    } else if (id === 'data') {
      const data = buf.subarray(off + 8, buf.length - ((buf.length - off - 8) % 2));
      const samples = new Int16Array(data.length / 2);
      for (let i = 0; i < samples.length; i++) samples[i] = data.readInt16LE(i * 2);
      if (!sampleRate) throw new Error('espeak-ng WAV has no fmt chunk');
      return { sampleRate, samples };
    }
    off += 8 + size + (size % 2);
  }
  throw new Error('espeak-ng WAV has no data chunk');
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

/** Fails (never skips) when espeak-ng is missing. */
export function assertEspeak(): void {
  const r = spawnSync('espeak-ng', ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new Error('espeak-ng is not installed (Debian: apt-get install espeak-ng; scripts/setup.sh --test does it)');
  }
}

/** WAV writer (16-bit mono) whose header is patched on close(). */
class WavWriter {
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

// ---------------------------------------------------------------------------------------------
// Parent side

export interface JoinResponse {
  token: string;
  serverUrl: string;
  roomName: string;
  identity: string;
  participantName: string;
  roomCode: string;
  maxDuration: number;
  [k: string]: unknown;
}

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

export interface Candidate extends SyntheticParticipant {
  /** The API's join answer (token, serverUrl, roomName, identity…). */
  join: JoinResponse;
  /** `name=value` of the candidate session cookie join set (for the end call). */
  cookie: string | undefined;
  /** ms the join request took. */
  joinMs: number;
}

const live = new Set<SyntheticParticipant>();
let exitHook = false;

function fmtExit(e: { code: number | null; signal: NodeJS.Signals | null }) {
  return e.signal ? `signal ${e.signal}` : `exit code ${e.code}`;
}

/** Starts a participant process with a ready token; resolves once it is connected and publishing. */
export async function startParticipant(options: ParticipantOptions): Promise<SyntheticParticipant> {
  assertEspeak();
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
    child = fork(THIS_FILE, [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, [CHILD_FLAG]: '1', NODE_OPTIONS: '' },
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

export interface CandidateOptions extends Omit<ParticipantOptions, 'serverUrl' | 'token' | 'name'> {
  /** The API's base URL (e.g. `api.url`). */
  apiUrl: string;
  roomCode: string;
  phoneNumber?: string;
  firstName?: string;
  lastName?: string;
  name?: string;
  /** Replace the join's serverUrl (e.g. when the API hands out a public URL tests can't use). */
  serverUrl?: string;
}

/** Joins through the API like the candidate's browser would, then starts the participant. */
export async function startCandidate(o: CandidateOptions): Promise<Candidate> {
  const started = Date.now();
  const res = await fetch(`${o.apiUrl}/api/public/interview/join/${encodeURIComponent(o.roomCode)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      phoneNumber: o.phoneNumber ?? '+971509876543',
      firstName: o.firstName ?? 'Ahmed',
      lastName: o.lastName ?? 'Hassan',
    }),
  });
  const joinMs = Date.now() - started;
  if (res.status !== 200) throw new Error(`join ${o.roomCode} → ${res.status} ${await res.text()}`);
  const join = (await res.json()) as JoinResponse;
  const cookie = res.headers.get('set-cookie')?.split(';')[0];
  const { apiUrl: _a, roomCode: _r, phoneNumber: _p, firstName: _f, lastName: _l, serverUrl, name, ...rest } = o;
  const p = await startParticipant({ ...rest, name: name ?? 'candidate', serverUrl: serverUrl ?? join.serverUrl, token: join.token });
  return Object.assign(p, { join, cookie, joinMs }) as Candidate;
}

/** Leaves with every participant still running (for afterAll / afterEach). */
export async function leaveAll(): Promise<void> {
  await Promise.all([...live].map((p) => p.leave()));
}

// ---------------------------------------------------------------------------------------------
// Child side

async function childMain(): Promise<void> {
  const start = await new Promise<ChildStart>((resolve) => {
    process.once('message', (m: ParentMsg) => {
      if (m.type === 'start') resolve(m);
    });
  });
  const o = start.options;
  const send = (m: ChildMsg) => {
    if (process.connected) process.send!(m);
  };
  const log = (...a: unknown[]) => console.log(new Date().toISOString(), ...a);
  const fail = (e: unknown) => {
    const message = e instanceof Error ? (e.stack ?? e.message) : String(e);
    log('ERROR', message);
    send({ type: 'error', message: e instanceof Error ? e.message : String(e) });
  };

  const rtc = await import('@livekit/rtc-node');
  const rate = o.publishSampleRate ?? 48000;
  const FRAME_MS = 10;
  const spf = (rate * FRAME_MS) / 1000;
  const HEAR_RATE = 16000;
  const detector = new SpeechDetector({
    threshold: o.threshold ?? 300,
    hangoverMs: o.hangoverMs ?? 1000,
    minSpeechMs: o.minSpeechMs ?? 40,
  });
  const wav = o.recordWav === false ? undefined : new WavWriter(path.join(o.logDir, `${o.name}.heard.wav`), HEAR_RATE);

  // --- speech synthesis (espeak-ng → resampled int16 at the publish rate), cached per text
  const cache = new Map<string, Int16Array>();
  const synth = (text: string): Int16Array => {
    const hit = cache.get(text);
    if (hit) return hit;
    // Text on stdin: an answer starting with '-' must not read as an option.
    const r = spawnSync('espeak-ng', ['-v', o.voice ?? 'en-us+klatt2', '-s', String(o.wpm ?? 160), '--stdout', '--stdin'], {
      input: text,
      maxBuffer: 64 * 1024 * 1024,
    });
    if (r.error || r.status !== 0) throw new Error(`espeak-ng failed: ${r.error?.message ?? r.stderr?.toString()}`);
    const { sampleRate, samples } = parseEspeakWav(r.stdout);
    const trimmed = trimSilence(samples, sampleRate);
    let out: Int16Array;
    if (sampleRate === rate) {
      out = Int16Array.from(trimmed);
    } else {
      const rs = new rtc.AudioResampler(sampleRate, rate, 1);
      const frames = [...rs.push(new rtc.AudioFrame(Int16Array.from(trimmed), sampleRate, 1, trimmed.length)), ...rs.flush()];
      rs.close();
      out = new Int16Array(frames.reduce((n, f) => n + f.data.length, 0));
      let off = 0;
      for (const f of frames) {
        out.set(f.data, off);
        off += f.data.length;
      }
    }
    cache.set(text, out);
    return out;
  };
  const answers = o.answers ?? [];
  for (const a of answers) synth(a); // fail early, and no synthesis delay at answer time

  // --- room
  const room = new rtc.Room();
  let source: AudioSource | undefined;
  let stopping = false;
  const isListened = (identity: string, kind: number) =>
    o.listenTo !== undefined ? identity === o.listenTo : kind === rtc.ParticipantKind.AGENT;

  room.on(rtc.RoomEvent.ParticipantConnected, (p) => {
    log('participant connected', p.identity, 'kind', p.kind);
    send({ type: 'participant', event: 'connected', identity: p.identity, kind: p.kind, at: Date.now() });
  });
  room.on(rtc.RoomEvent.ParticipantDisconnected, (p) => {
    log('participant disconnected', p.identity);
    send({ type: 'participant', event: 'disconnected', identity: p.identity, kind: p.kind, at: Date.now() });
  });
  room.on(rtc.RoomEvent.Disconnected, (reason) => {
    log('disconnected from the room, reason', reason);
    send({ type: 'disconnected', reason: String(rtc.DisconnectReason[reason] ?? reason), at: Date.now() });
  });

  room.registerTextStreamHandler('lk.transcription', (reader, info) => {
    const openedAt = Date.now();
    const attrs = reader.info.attributes ?? {};
    void (async () => {
      let text = '';
      for await (const chunk of reader) text += chunk;
      const entry: TranscriptEntry = {
        participantIdentity: info.identity,
        segmentId: attrs['lk.segment_id'],
        trackId: attrs['lk.transcribed_track_id'],
        final: attrs['lk.transcription_final'] === 'true',
        text,
        openedAt,
        closedAt: Date.now(),
      };
      log('transcript', JSON.stringify(entry));
      send({ type: 'transcript', entry });
    })().catch(fail);
  });

  // --- speaking: a queue of utterances played by a real-time 10 ms pump
  interface Utterance {
    samples: Int16Array;
    pos: number;
    answer?: AnswerTiming;
  }
  const queue: Utterance[] = [];
  let current: Utterance | undefined;
  let spoken = 0; // answers started
  let done = 0; // answers finished
  let nextAnswer = 0;
  let keepTalkingOn = false;
  const awaitingReply: AnswerTiming[] = [];
  const busy = () => current !== undefined || queue.length > 0;

  const enqueueText = (text: string) => {
    const samples = synth(text);
    const answer: AnswerTiming = { index: spoken++, text, startedAt: 0, audioMs: Math.round((samples.length / rate) * 1000) };
    queue.push({ samples, pos: 0, answer });
    if (o.publishTranscripts) {
      void room.localParticipant
        ?.sendText(text, {
          topic: 'lk.transcription',
          attributes: { 'lk.transcription_final': 'true', 'lk.segment_id': `SG_${answer.index}` },
        })
        .catch(fail);
    }
  };
  const enqueueSilence = (ms: number) => queue.push({ samples: new Int16Array(Math.round((rate * ms) / 1000)), pos: 0 });

  let dropping = false;
  const drop = () => {
    if (dropping) return;
    dropping = true;
    log('dropping: SIGKILL, no leave');
    send({ type: 'dropping', at: Date.now() });
    wav?.close();
    // Let the frames already queued in the native source go out, then vanish.
    setTimeout(() => process.kill(process.pid, 'SIGKILL'), 250);
  };

  const takeTurn = () => {
    if (stopping || dropping) return;
    if (o.dropAfterAnswers !== undefined && done >= o.dropAfterAnswers) return drop();
    if (o.keepTalking) {
      if (keepTalkingOn || answers.length === 0) return;
      keepTalkingOn = true;
      enqueueText(answers[nextAnswer++ % answers.length]!);
      return;
    }
    if (busy() || nextAnswer >= answers.length) return;
    const text = answers[nextAnswer++]!;
    if (o.answerDelayMs) setTimeout(() => !stopping && enqueueText(text), o.answerDelayMs);
    else enqueueText(text);
  };

  const onUtteranceEnd = (u: Utterance) => {
    if (!u.answer) return;
    u.answer.lastFrameAt = Date.now();
    done++;
    awaitingReply.push(u.answer);
    send({ type: 'answer-end', answer: u.answer });
    log(`answer ${u.answer.index} sent (${u.answer.audioMs} ms of audio)`);
    if (o.dropAfterAnswers !== undefined && done >= o.dropAfterAnswers) return drop();
    if (keepTalkingOn && queue.length === 0) {
      enqueueSilence(o.keepTalkingGapMs ?? 300);
      enqueueText(answers[nextAnswer++ % answers.length]!);
    }
  };

  const silence = new Int16Array(spf);
  const nextFrame = (): { frame: AudioFrame; ended?: Utterance } => {
    if (!current && queue.length > 0) {
      current = queue.shift()!;
      if (current.answer) {
        current.answer.startedAt = Date.now();
        send({ type: 'answer-start', answer: current.answer });
      }
    }
    if (!current) return { frame: new rtc.AudioFrame(silence, rate, 1, spf) };
    const data = new Int16Array(spf);
    data.set(current.samples.subarray(current.pos, current.pos + spf));
    current.pos += spf;
    const frame = new rtc.AudioFrame(data, rate, 1, spf);
    if (current.pos >= current.samples.length) {
      const ended = current;
      current = undefined;
      return { frame, ended };
    }
    return { frame };
  };

  const LEAD_FRAMES = 3;
  const pump = async (source: AudioSource) => {
    const t0 = performance.now();
    let sent = 0;
    while (!stopping) {
      let due = Math.floor((performance.now() - t0) / FRAME_MS) + LEAD_FRAMES;
      // After a stall (a blocked event loop), skip silence rather than burst it; speech is never skipped.
      if (due - sent > 25 && !busy()) sent = due - LEAD_FRAMES;
      while (sent < due && !stopping) {
        const { frame, ended } = nextFrame();
        await source.captureFrame(frame);
        sent++;
        if (ended) onUtteranceEnd(ended);
        due = Math.floor((performance.now() - t0) / FRAME_MS) + LEAD_FRAMES;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  };

  // --- listening
  let firstAudioSent = false;
  let spokeFirst = false;
  const onDetector = (ev: DetectorEvent | undefined) => {
    if (!ev) return;
    if (ev.type === 'start') {
      log('remote started talking');
      send({ type: 'speech-start', at: ev.at });
      for (const a of awaitingReply.splice(0)) {
        // The first loud frame after our answer ended (a segment already under way counts from its next loud frame).
        const replyAt = ev.firstLoudAt > a.lastFrameAt! ? ev.firstLoudAt : Date.now();
        send({ type: 'reply', index: a.index, replyAt });
      }
    } else {
      log(`remote stopped talking (${ev.segment.durationMs} ms, peak rms ${ev.segment.peakRms})`);
      send({ type: 'speech-end', segment: ev.segment });
      takeTurn();
    }
  };
  const listen = async (track: RemoteTrack, identity: string) => {
    const stream = new rtc.AudioStream(track, { sampleRate: HEAR_RATE, numChannels: 1, frameSizeMs: FRAME_MS });
    const reader = stream.getReader();
    try {
      for (;;) {
        const { value: frame, done: end } = await reader.read();
        if (end || stopping) break;
        const at = Date.now();
        if (!firstAudioSent) {
          firstAudioSent = true;
          send({ type: 'first-audio', identity, at });
        }
        wav?.write(frame.data);
        const frameMs = (frame.samplesPerChannel / frame.sampleRate) * 1000;
        const rms = SpeechDetector.rms(frame.data);
        // While speaking, a loud frame after an answer ended is that answer's reply.
        if (detector.speaking && rms >= (o.threshold ?? 300) && awaitingReply.length > 0) {
          for (const a of awaitingReply.splice(0)) send({ type: 'reply', index: a.index, replyAt: at });
        }
        onDetector(detector.push(rms, at, frameMs));
      }
    } finally {
      reader.releaseLock();
    }
  };
  const ticker = setInterval(() => onDetector(detector.tick(Date.now())), 100);

  room.on(rtc.RoomEvent.TrackSubscribed, (track, publication, participant) => {
    if (track.kind !== rtc.TrackKind.KIND_AUDIO || !isListened(participant.identity, participant.kind)) return;
    log('listening to', participant.identity, publication.sid);
    send({ type: 'subscribed', identity: participant.identity, trackSid: publication.sid ?? '', at: Date.now() });
    void listen(track, participant.identity).catch(fail);
    if (o.speakFirst && !spokeFirst) {
      spokeFirst = true;
      setTimeout(takeTurn, 300);
    }
  });

  // --- leave / say / parent gone
  const leave = async (why: string) => {
    if (stopping) return;
    stopping = true;
    log('leaving:', why);
    clearInterval(ticker);
    try {
      await room.disconnect();
    } catch (e) {
      fail(e);
    }
    wav?.close();
    try {
      await source?.close();
    } catch {
      /* closing twice */
    }
    await rtc.dispose();
    send({ type: 'left' });
    log('left');
    process.exit(0);
  };
  process.on('message', (m: ParentMsg) => {
    if (m.type === 'leave') void leave('asked by the test');
    else if (m.type === 'drop') drop();
    else if (m.type === 'say') {
      try {
        enqueueText(m.text);
      } catch (e) {
        fail(e);
      }
    }
  });
  // The test process went away: don't outlive it.
  process.on('disconnect', () => void leave('parent gone'));

  log('connecting to', o.serverUrl);
  await room.connect(o.serverUrl, o.token, { autoSubscribe: true, dynacast: false });
  const connectedAt = Date.now();
  log('connected as', room.localParticipant?.identity, 'to', room.name);
  source = new rtc.AudioSource(rate, 1, 200);
  const track = rtc.LocalAudioTrack.createAudioTrack('microphone', source);
  const publication = await room.localParticipant!.publishTrack(
    track,
    new rtc.TrackPublishOptions({ source: rtc.TrackSource.SOURCE_MICROPHONE }),
  );
  void pump(source).catch(fail);
  log('publishing the microphone at', rate, 'Hz');
  // Participants already in the room (their TrackSubscribed events still come).
  for (const p of room.remoteParticipants.values()) {
    send({ type: 'participant', event: 'connected', identity: p.identity, kind: p.kind, at: connectedAt });
  }
  send({
    type: 'ready',
    identity: room.localParticipant!.identity,
    roomName: room.name ?? '',
    micTrackSid: publication.sid ?? '',
    connectedAt,
    publishedAt: Date.now(),
  });
}

if (process.env[CHILD_FLAG] === '1' && process.send) {
  childMain().catch((e) => {
    console.error(new Date().toISOString(), 'FATAL', e instanceof Error ? (e.stack ?? e.message) : e);
    if (process.connected) process.send!({ type: 'error', message: e instanceof Error ? e.message : String(e) } satisfies ChildMsg);
    setTimeout(() => process.exit(1), 100);
  });
}
