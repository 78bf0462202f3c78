// Benchmark: the voice agent's reply latency as the candidate hears it, and how much of it is ours.
// Real parts inside a private network namespace (LiveKit server, API, agent worker with local
// speech: pocketsphinx STT, espeak-ng TTS, Silero VAD, the local turn detector), the scripted
// OpenAI-compatible LLM in this process with a fixed injected delay per completion, and a
// synthetic candidate (WebRTC participant) who answers each time the agent stops talking.
//
// Per answer: latency = last answer frame sent → first loud reply frame received (candidate's
// clock). Subtracted, per turn, the parts that are not ours: the endpointing delay (the agent's
// eou metric), the LLM's own time (measured at the fake server: request in → first token out, the
// injected delay) and the TTS time to first byte (the agent's ttsNodeTtfb). What is left is
// our overhead. Goal (issue): ≤ 120 ms at the 95th percentile over ≥ 30 turns. Also: candidate
// joins → first greeting audio.
//
//   scripts/bench.sh agent-latency     (runs this inside scripts/netns.sh with LIVEKIT_BIN set)
//
// Env: BENCH_INTERVIEWS (3), BENCH_FOLLOW_UPS (2: AGENT_MAX_FOLLOW_UPS, so 5 × 3 answers per
// interview), BENCH_LLM_DELAY_MS (150), BENCH_AGENT_LOG_LEVEL (info; debug adds the agent's
// per-turn events to the worker log, at some CPU cost). Logs: .artifacts/bench/agent-latency/.
// Writes bench/results/agent-latency.{json,svg} (and .png when rsvg-convert exists). Exit 1 on an
// invalid run: an interview that did not complete, or fewer than 30 paired turns.
import { execFileSync, fork, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { initializeLogger, VADEventType } from '@livekit/agents';
import * as silero from '@livekit/agents-plugin-silero';
import { sql } from 'kysely';
import { AccessToken } from 'livekit-server-sdk';
import { connectDatabase, migrateToLatest, type DbHandle } from '../db/connect.js';
import type { AudioSource, RemoteTrack } from '@livekit/rtc-node';
import {
  assertEspeak,
  leaveAll,
  parseEspeakWav,
  SpeechDetector,
  startParticipant,
  trimSilence,
  type DetectorEvent,
  type JoinResponse,
  type SpeechSegment,
} from '../testkit/candidate.js';
import { productScript, startFakeLlm, type ChatRequest, type FakeLlm } from '../testkit/fake-llm.js';
import { adminQuery, urlFor, type TestDatabase } from '../testkit/postgres.js';
import { runBounded } from './lib/run.js';
import {
  createInterviewRoom,
  DEFAULT_WORKER_COMMAND,
  REPO_ROOT,
  sleep,
  startApi,
  startLiveKit,
  startWorker,
  stopAll,
  waitUntil,
  type Api,
  type LiveKit,
  type Worker,
} from '../testkit/stack.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const RESULTS = path.join(here, 'results');
const LOG_DIR = path.join(REPO_ROOT, '.artifacts', 'bench', 'agent-latency');
const GOAL_MS = 120;
const MIN_TURNS = 30;
/** core/question-plan.ts QUESTIONS_PER_INTERVIEW: every interview has 5 planned questions. */
const QUESTIONS = 5;

const num = (name: string, def: number, min: number, max: number) => {
  const v = Number(process.env[name] ?? def);
  if (!Number.isInteger(v) || v < min || v > max) throw new Error(`${name} must be an integer in ${min}..${max}`);
  return v;
};
const settings = {
  interviews: num('BENCH_INTERVIEWS', 3, 1, 20),
  followUps: num('BENCH_FOLLOW_UPS', 2, 0, 5),
  llmDelayMs: num('BENCH_LLM_DELAY_MS', 150, 0, 5000),
  agentLogLevel: process.env.BENCH_AGENT_LOG_LEVEL ?? 'info',
  /** BENCH_CPU_PROF=1: V8 CPU profiles of the worker's processes, summarised by code area. */
  cpuProf: process.env.BENCH_CPU_PROF === '1',
};
const PROF_DIR = path.join(LOG_DIR, 'prof');
const answersPerInterview = QUESTIONS * (settings.followUps + 1);

// Short answers (3 words; pocketsphinx tends to hear a word or two more): the scripted interviewer
// follows each up while the budget allows (< 6 words heard), then the code moves on to the next
// question, so every reply is one completion with spoken text (a longer transcript makes the
// model call next_question first: two completions, both counted as the LLM's time).
const ANSWERS = [
  'I built services.',
  'We used postgres.',
  'I wrote tests.',
  'It handled transfers.',
  'I fixed bugs.',
  'I led teams.',
  'We shipped fast.',
  'I designed databases.',
  'I reviewed code.',
  'We measured releases.',
  'I planned tests.',
  'It ran well.',
  'I learned much.',
  'We cut costs.',
  'I like problems.',
  'We kept simple.',
  'I wrote docs.',
  'It worked well.',
  'I moved fast.',
  'We grew quickly.',
];

// ---------------------------------------------------------------------------------------------
// Cleanup: every process and the database go away on success, error, signal or the deadline.

let dbName: string | undefined;
let fake: FakeLlm | undefined;
let cleaning: Promise<void> | undefined;
let sampler: NodeJS.Timeout | undefined;

function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    clearInterval(sampler);
    await Promise.all([...benchChildren].map((c) => c.leave(5_000))).catch(() => undefined);
    await leaveAll().catch(() => undefined);
    await stopAll({ graceMs: 10_000 }).catch(() => undefined);
    await fake?.close().catch(() => undefined);
    if (dbName) {
      await adminQuery(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch((e: unknown) => {
        process.stderr.write(`bench: could not drop database ${dbName}: ${String(e)}\n`);
      });
    }
  })();
  return cleaning;
}

function installHandlers() {
  process.on('uncaughtException', (e) => {
    process.stderr.write(`bench: ${e.stack ?? e.message}\n`);
    void cleanup().finally(() => process.exit(1));
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      process.stderr.write(`bench: ${signal}, cleaning up\n`);
      void cleanup().finally(() => process.exit(130));
    });
  }
  // Last resort: no participant process outlives this one.
  process.once('exit', () => {
    for (const c of benchChildren) c.kill();
  });
}

// ---------------------------------------------------------------------------------------------
// The scripted LLM, with the injected delay measured as served.

interface Completion {
  kind: 'plan' | 'interviewer' | 'evaluation';
  /** The request reached the handler (body read). Epoch ms. */
  at: number;
  /** The delay was over; the first chunk is written right after. Epoch ms. */
  servedAt: number;
  serverMs: number;
}
const completions: Completion[] = [];

function benchLlm() {
  const script = productScript(QUESTIONS);
  return async (req: ChatRequest) => {
    const at = Date.now();
    const sys = req.messages.find((m) => m.role === 'system')?.content ?? '';
    const kind: Completion['kind'] = sys.includes('You plan job interviews')
      ? 'plan'
      : sys.includes('You assess a job interview')
        ? 'evaluation'
        : 'interviewer';
    const reply = await script(req);
    // The delay runs here rather than through Reply.delayMs, so that what was served is measured
    // (a late timer on a busy machine counts as the LLM's time, not ours).
    if (settings.llmDelayMs > 0) await sleep(settings.llmDelayMs);
    const servedAt = Date.now();
    completions.push({ kind, at, servedAt, serverMs: servedAt - at });
    return reply;
  };
}

// ---------------------------------------------------------------------------------------------
// CPU per process of this namespace, sampled (short-lived espeak-ng/pocketsphinx processes are
// counted through their job process's reaped-children time).

const TICK_MS = 10; // CLK_TCK 100
interface ProcCpu {
  cat: string;
  first: number;
  last: number;
  childFirst: number;
  childLast: number;
}
const procs = new Map<number, ProcCpu>();
let myNs = '';
/** Set once the window's baseline is taken: processes seen after it count from zero. */
let baselineTaken = false;
const knownPids = new Map<number, string>();

function categorise(pid: number): string | undefined {
  const known = knownPids.get(pid);
  if (known) return known;
  let cmd: string;
  try {
    cmd = readFileSync(`/proc/${pid}/cmdline`, 'latin1').replace(/\0/g, ' ');
  } catch {
    return undefined;
  }
  if (/job_proc_lazy_main/.test(cmd)) return 'agent job process';
  if (/inference_proc_lazy_main/.test(cmd)) return 'agent inference process';
  if (/test\/support\/candidate\.ts|bench\/agent-latency\.ts/.test(cmd)) return 'synthetic candidate';
  // Speech tools: counted through the job process's children time when reaped.
  if (/espeak-ng|pocketsphinx|^(sh|cat) /.test(cmd)) return '';
  return 'other';
}

function readStat(pid: number): { self: number; children: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return {
      self: (Number(f[11]) + Number(f[12])) * TICK_MS,
      children: (Number(f[13]) + Number(f[14])) * TICK_MS,
    };
  } catch {
    return undefined;
  }
}

function sampleCpu() {
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const pid = Number(d);
    let ns: string;
    try {
      ns = readlinkSync(`/proc/${d}/ns/net`);
    } catch {
      continue;
    }
    if (ns !== myNs) continue;
    const s = readStat(pid);
    if (!s) continue;
    const p = procs.get(pid);
    if (p) {
      p.last = s.self;
      p.childLast = s.children;
      continue;
    }
    const cat = categorise(pid);
    if (cat === undefined) continue;
    // A process first seen after the baseline started after the previous sample: it counts from zero.
    procs.set(pid, {
      cat,
      first: baselineTaken ? 0 : s.self,
      last: s.self,
      childFirst: baselineTaken ? 0 : s.children,
      childLast: s.children,
    });
  }
}

function machineBusyMs(): { busy: number; total: number } {
  const cpu = readFileSync('/proc/stat', 'latin1').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const idle = (cpu[3] ?? 0) + (cpu[4] ?? 0);
  const total = cpu.reduce((a, b) => a + b, 0);
  return { busy: (total - idle) * TICK_MS, total: total * TICK_MS };
}

// ---------------------------------------------------------------------------------------------
// Statistics

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
/** Nearest-rank percentile (as bench/lib/load.ts). */
function pct(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = sorted(xs);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}
const median = (xs: number[]) => {
  if (xs.length === 0) return NaN;
  const s = sorted(xs);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const stats = (xs: number[]) => ({
  n: xs.length,
  p50: median(xs),
  p95: pct(xs, 95),
  max: xs.length ? Math.max(...xs) : NaN,
  min: xs.length ? Math.min(...xs) : NaN,
});

// ---------------------------------------------------------------------------------------------
// The bench's candidate: a WebRTC participant like testkit/candidate.ts (its speech detector,
// espeak-ng answers trimmed the same way, 48 kHz microphone, 16 kHz listening), with one change
// that matters at this scale: it knows when its last answer frame actually leaves. candidate.ts
// hands frames to an AudioSource with a 200 ms queue and, after an event-loop stall shorter than
// 250 ms, catches up by bursting; the backlog then stays queued, so its `lastFrameAt` can precede
// the frame's real departure by up to 200 ms (the transport probe measures it). Here a frame is
// handed over only while the source holds less than 30 ms, silence is never caught up, and the
// first and last frames of an answer are stamped at hand-over + the source's queued duration.

const CHILD_FLAG = 'BENCH_AGENT_LATENCY_CHILD';
const THIS_FILE = fileURLToPath(import.meta.url);
const FRAME_MS = 10;

interface BenchAnswer {
  index: number;
  text: string;
  /** The answer's first frame leaves the source (hand-over + queued duration). */
  startedAt: number;
  /** The last frame was handed to the AudioSource / the source then held this much audio. */
  handedAt?: number;
  queuedMs?: number;
  /** The last frame leaves the source: handedAt + queuedMs − one frame. */
  lastFrameAt?: number;
  /** The first loud frame heard after lastFrameAt (arrival time). */
  replyAt?: number;
  latencyMs?: number;
}

type ToChild =
  | { type: 'start'; serverUrl: string; token: string; name: string; answers: string[]; listenTo?: string }
  | { type: 'say'; text: string }
  | { type: 'leave' };
type FromChild =
  | { type: 'ready'; identity: string; connectedAt: number; publishedAt: number }
  | { type: 'subscribed'; at: number }
  | { type: 'first-audio'; at: number }
  | { type: 'speech-end'; segment: SpeechSegment }
  | { type: 'answer-start'; index: number; text: string; startedAt: number }
  | { type: 'answer-end'; index: number; handedAt: number; queuedMs: number; lastFrameAt: number }
  | { type: 'reply'; index: number; replyAt: number }
  | { type: 'error'; message: string };

const benchChildren = new Set<BenchParticipant>();

class BenchParticipant extends EventEmitter {
  identity = '';
  connectedAt = 0;
  publishedAt = 0;
  subscribedAt: number | undefined;
  firstAudioAt: number | undefined;
  readonly segments: SpeechSegment[] = [];
  readonly answers: BenchAnswer[] = [];
  readonly errors: string[] = [];
  exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  readonly exited: Promise<void>;

  constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    super();
    child.on('message', (m: FromChild) => this.#on(m));
    this.exited = new Promise((resolve) =>
      child.on('exit', (code, signal) => {
        this.exit = { code, signal };
        benchChildren.delete(this);
        this.emit('update');
        resolve();
      }),
    );
  }

  #on(m: FromChild) {
    switch (m.type) {
      case 'ready':
        Object.assign(this, { identity: m.identity, connectedAt: m.connectedAt, publishedAt: m.publishedAt });
        break;
      case 'subscribed':
        this.subscribedAt ??= m.at;
        break;
      case 'first-audio':
        this.firstAudioAt ??= m.at;
        break;
      case 'speech-end':
        this.segments.push(m.segment);
        break;
      case 'answer-start':
        this.answers[m.index] = { index: m.index, text: m.text, startedAt: m.startedAt };
        break;
      case 'answer-end':
        Object.assign(this.answers[m.index] ?? {}, { handedAt: m.handedAt, queuedMs: m.queuedMs, lastFrameAt: m.lastFrameAt });
        break;
      case 'reply': {
        const a = this.answers[m.index];
        if (a?.lastFrameAt !== undefined) Object.assign(a, { replyAt: m.replyAt, latencyMs: m.replyAt - a.lastFrameAt });
        break;
      }
      case 'error':
        this.errors.push(m.message);
        break;
    }
    this.emit('update');
  }

  waitFor<T>(check: () => T | undefined | false | null, o: { timeoutMs: number; what: string }): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const done = (fn: () => void) => {
        clearTimeout(timer);
        this.off('update', onUpdate);
        fn();
      };
      const onUpdate = () => {
        const v = check();
        if (v !== undefined && v !== false && v !== null) return done(() => resolve(v));
        if (this.exit)
          done(() =>
            reject(new Error(`${this.name}: ${o.what}: process ended (${this.errors.join('; ')}), see ${LOG_DIR}/${this.name}.log`)),
          );
      };
      const timer = setTimeout(
        () => done(() => reject(new Error(`${this.name}: ${o.what}: timed out after ${o.timeoutMs} ms`))),
        o.timeoutMs,
      );
      this.on('update', onUpdate);
      onUpdate();
    });
  }

  say(text: string) {
    if (!this.exit && this.child.connected) this.child.send({ type: 'say', text } satisfies ToChild);
  }

  async leave(timeoutMs = 10_000) {
    if (this.exit) return;
    if (this.child.connected) this.child.send({ type: 'leave' } satisfies ToChild);
    const t = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    await this.exited;
    clearTimeout(t);
  }

  kill() {
    if (!this.exit) this.child.kill('SIGKILL');
  }

  get pid() {
    return this.child.pid;
  }
}

async function startBenchParticipant(o: {
  serverUrl: string;
  token: string;
  name: string;
  answers?: string[];
  listenTo?: string;
  /** CPU accounting category (default: by command line, "synthetic candidate"). */
  category?: string;
}): Promise<BenchParticipant> {
  assertEspeak();
  const fd = openSync(path.join(LOG_DIR, `${o.name}.log`), 'w');
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
  if (o.category && child.pid) knownPids.set(child.pid, o.category);
  const p = new BenchParticipant(o.name, child);
  benchChildren.add(p);
  child.send({
    type: 'start',
    serverUrl: o.serverUrl,
    token: o.token,
    name: o.name,
    answers: o.answers ?? [],
    listenTo: o.listenTo,
  } satisfies ToChild);
  try {
    await p.waitFor(() => p.publishedAt > 0, { timeoutMs: 30_000, what: 'connecting and publishing' });
  } catch (e) {
    p.kill();
    throw e;
  }
  return p;
}

/** The candidate's join through the API (as candidate.ts does it), then the bench participant. */
async function startBenchCandidate(apiUrl: string, roomCode: string, name: string, answers: string[]) {
  const started = Date.now();
  const res = await fetch(`${apiUrl}/api/public/interview/join/${encodeURIComponent(roomCode)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phoneNumber: '+971509876543', firstName: 'Ahmed', lastName: 'Hassan' }),
  });
  const joinResponseAt = Date.now();
  if (res.status !== 200) throw new Error(`join ${roomCode} → ${res.status} ${await res.text()}`);
  const join = (await res.json()) as JoinResponse;
  const p = await startBenchParticipant({ serverUrl: join.serverUrl, token: join.token, name, answers });
  return Object.assign(p, { joinMs: joinResponseAt - started, joinResponseAt });
}
type BenchCandidate = Awaited<ReturnType<typeof startBenchCandidate>>;

async function childMain(): Promise<void> {
  const start = await new Promise<Extract<ToChild, { type: 'start' }>>((resolve) => {
    process.once('message', (m: ToChild) => {
      if (m.type === 'start') resolve(m);
    });
  });
  const send = (m: FromChild) => {
    if (process.connected) process.send!(m);
  };
  const log = (...a: unknown[]) => console.log(new Date().toISOString(), ...a);
  const fail = (e: unknown) => {
    log('ERROR', e instanceof Error ? (e.stack ?? e.message) : String(e));
    send({ type: 'error', message: e instanceof Error ? e.message : String(e) });
  };
  const rtc = await import('@livekit/rtc-node');
  const RATE = 48_000;
  const SPF = (RATE * FRAME_MS) / 1000;
  const TARGET_QUEUE_MS = 30;
  const THRESHOLD = 300;
  const detector = new SpeechDetector({ threshold: THRESHOLD, hangoverMs: 1000, minSpeechMs: 40 });

  const cache = new Map<string, Int16Array>();
  const synth = (text: string): Int16Array => {
    const hit = cache.get(text);
    if (hit) return hit;
    const r = spawnSync('espeak-ng', ['-v', 'en-us+klatt2', '-s', '160', '--stdout', '--stdin'], { input: text, maxBuffer: 64 << 20 });
    if (r.error || r.status !== 0) throw new Error(`espeak-ng failed: ${r.error?.message ?? r.stderr?.toString()}`);
    const { sampleRate, samples } = parseEspeakWav(r.stdout);
    const trimmed = Int16Array.from(trimSilence(samples, sampleRate));
    const rs = new rtc.AudioResampler(sampleRate, RATE, 1);
    const frames = [...rs.push(new rtc.AudioFrame(trimmed, sampleRate, 1, trimmed.length)), ...rs.flush()];
    rs.close();
    const out = new Int16Array(frames.reduce((n, f) => n + f.data.length, 0));
    let off = 0;
    for (const f of frames) {
      out.set(f.data, off);
      off += f.data.length;
    }
    cache.set(text, out);
    return out;
  };
  for (const a of start.answers) synth(a); // no synthesis (a blocked loop) at answer time

  interface Utterance {
    samples: Int16Array;
    pos: number;
    answer: BenchAnswer;
  }
  const queue: Utterance[] = [];
  let current: Utterance | undefined;
  let spoken = 0;
  let nextAnswer = 0;
  let stopping = false;
  const awaitingReply: BenchAnswer[] = [];
  const busy = () => current !== undefined || queue.length > 0;
  const enqueue = (text: string) => queue.push({ samples: synth(text), pos: 0, answer: { index: spoken++, text, startedAt: 0 } });
  const takeTurn = () => {
    if (stopping || busy() || nextAnswer >= start.answers.length) return;
    enqueue(start.answers[nextAnswer++]!);
  };

  const pump = async (source: AudioSource) => {
    const silence = new Int16Array(SPF);
    while (!stopping) {
      // Paced by what the source holds, not by a clock to catch up with: a stalled loop leaves a
      // gap (silence, or a hiccup inside an answer) instead of a backlog that delays what follows.
      while (!stopping && source.queuedDuration < TARGET_QUEUE_MS) {
        let first = false;
        if (!current && queue.length > 0) {
          current = queue.shift()!;
          first = true;
        }
        let data = silence;
        let ended: Utterance | undefined;
        if (current) {
          data = new Int16Array(SPF);
          data.set(current.samples.subarray(current.pos, current.pos + SPF));
          current.pos += SPF;
          if (current.pos >= current.samples.length) {
            ended = current;
            current = undefined;
          }
        }
        await source.captureFrame(new rtc.AudioFrame(data, RATE, 1, SPF));
        const now = Date.now();
        const leavesAt = now + Math.max(0, source.queuedDuration - FRAME_MS);
        const u = ended ?? (first ? current : undefined);
        if (first && u) {
          u.answer.startedAt = leavesAt;
          send({ type: 'answer-start', index: u.answer.index, text: u.answer.text, startedAt: leavesAt });
        }
        if (ended) {
          const a = ended.answer;
          a.handedAt = now;
          a.queuedMs = source.queuedDuration;
          a.lastFrameAt = leavesAt;
          awaitingReply.push(a);
          send({ type: 'answer-end', index: a.index, handedAt: now, queuedMs: a.queuedMs, lastFrameAt: leavesAt });
          log(`answer ${a.index} sent, ${a.queuedMs.toFixed(0)} ms queued at the last frame`);
        }
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  };

  const onDetector = (ev: DetectorEvent | undefined) => {
    if (!ev) return;
    if (ev.type === 'start') {
      log('remote started talking');
      for (const a of awaitingReply.splice(0))
        send({ type: 'reply', index: a.index, replyAt: ev.firstLoudAt > a.lastFrameAt! ? ev.firstLoudAt : Date.now() });
    } else {
      log(`remote stopped talking (${ev.segment.durationMs} ms)`);
      send({ type: 'speech-end', segment: ev.segment });
      takeTurn();
    }
  };
  const room = new rtc.Room();
  const isListened = (identity: string, kind: number) =>
    start.listenTo !== undefined ? identity === start.listenTo : kind === rtc.ParticipantKind.AGENT;
  const listen = async (track: RemoteTrack) => {
    const reader = new rtc.AudioStream(track, { sampleRate: 16_000, numChannels: 1, frameSizeMs: FRAME_MS }).getReader();
    let firstAudio = true;
    try {
      for (;;) {
        const { value: frame, done } = await reader.read();
        if (done || stopping) break;
        const at = Date.now();
        if (firstAudio) {
          firstAudio = false;
          send({ type: 'first-audio', at });
        }
        const rms = SpeechDetector.rms(frame.data);
        if (detector.speaking && rms >= THRESHOLD && awaitingReply.length > 0) {
          for (const a of awaitingReply.splice(0)) send({ type: 'reply', index: a.index, replyAt: at });
        }
        onDetector(detector.push(rms, at, (frame.samplesPerChannel / frame.sampleRate) * 1000));
      }
    } finally {
      reader.releaseLock();
    }
  };
  const ticker = setInterval(() => onDetector(detector.tick(Date.now())), 100);
  room.on(rtc.RoomEvent.TrackSubscribed, (track, _pub, participant) => {
    if (track.kind !== rtc.TrackKind.KIND_AUDIO || !isListened(participant.identity, participant.kind)) return;
    log('listening to', participant.identity);
    send({ type: 'subscribed', at: Date.now() });
    void listen(track).catch(fail);
  });

  let source: AudioSource | undefined;
  const leave = async (why: string) => {
    if (stopping) return;
    stopping = true;
    log('leaving:', why);
    clearInterval(ticker);
    await room.disconnect().catch(fail);
    await source?.close().catch(() => undefined);
    await rtc.dispose();
    process.exit(0);
  };
  process.on('message', (m: ToChild) => {
    if (m.type === 'leave') void leave('asked');
    else if (m.type === 'say') enqueue(m.text);
  });
  process.on('disconnect', () => void leave('parent gone'));

  await room.connect(start.serverUrl, start.token, { autoSubscribe: true, dynacast: false });
  const connectedAt = Date.now();
  source = new rtc.AudioSource(RATE, 1, 200);
  const track = rtc.LocalAudioTrack.createAudioTrack('microphone', source);
  await room.localParticipant!.publishTrack(track, new rtc.TrackPublishOptions({ source: rtc.TrackSource.SOURCE_MICROPHONE }));
  void pump(source).catch(fail);
  log('connected and publishing as', room.localParticipant!.identity);
  send({ type: 'ready', identity: room.localParticipant!.identity, connectedAt, publishedAt: Date.now() });
}

// ---------------------------------------------------------------------------------------------
// One interview

interface TurnRow {
  seq: number;
  speaker: string;
  text: string;
  started_at_ms: number | null;
  ended_at_ms: number | null;
  metrics: Record<string, number> | null;
}

interface PairedTurn {
  interview: number;
  answer: number;
  answerText: string;
  replyText: string;
  /** Candidate side: last answer frame sent → first loud reply frame received. */
  latencyMs: number;
  endpointingMs: number;
  llmMs: number;
  llmCalls: number;
  ttsMs: number;
  oursMs: number;
  /** Where ours goes (they add up to oursMs). */
  inboundMs: number;
  preLlmMs: number;
  postLlmMs: number;
  outboundMs: number;
  /** preLlmMs split by the agent's "Creating speech handle" log line: end of turn → reply scheduled. */
  toSpeechHandleMs: number | null;
  /** Epoch ms: the agent committed the user turn (lastSpeakingTime + endOfUtteranceDelayMs); the LLM request arrived. */
  commitAt: number;
  llmAt: number;
  /** For information. */
  llmTtftMs: number;
  transcriptionDelayMs: number | null;
  ttsLeadInMs: number | null;
  /** Offline Silero tail for this answer's audio (see vadTails), and the rest of inbound/outbound
   * once the transport floor, that tail and espeak-ng's lead-in are taken out (null without a probe). */
  vadTailMs: number | null;
  /** Transport floor one way for this turn's interview (mean of the probes around it). */
  floorMs: number | null;
  inboundRestMs: number | null;
  outboundRestMs: number | null;
  /** ours − 2 × transport floor − VAD tail − TTS lead-in: what the agent's processing adds. */
  agentMs: number | null;
  /** The candidate's AudioSource held this much audio when the last answer frame was handed over (already in lastFrameAt). */
  candidateQueueMs: number | null;
  /** The job process's event loop stalled (agent's own warnings) this long inside the turn. */
  stallMs: number;
  /** Largest VAD backlog the agent reported from 1.5 s before the answer ended to the reply. */
  vadBacklogMs: number;
  lastFrameAt: number;
  replyAt: number;
}

interface Dropped {
  interview: number;
  answer: number;
  reason: string;
}

interface JoinFigures {
  interview: number;
  joinMs: number;
  /** From the join response (epoch ms deltas). */
  connectedMs: number;
  /** The worker got the job request (its log). */
  jobRequestMs: number | null;
  /** The question plan's LLM completion (served delay), on the way to the greeting. */
  planLlmMs: number | null;
  agentEntryMs: number | null;
  subscribedMs: number | null;
  firstAudioFrameMs: number | null;
  agentFirstFrameMs: number | null;
  greetingHeardMs: number | null;
  /** joinMs + greetingHeardMs: the candidate pressed join → heard the greeting. */
  joinToGreetingMs: number | null;
}

interface InterviewResult {
  index: number;
  interviewId: string;
  status: string;
  endReason: string | null;
  answersSpoken: number;
  agentReplies: number;
  paired: PairedTurn[];
  dropped: Dropped[];
  afterGoodbye: number;
  join: JoinFigures;
  seconds: number;
}

/** espeak-ng's lead-in before the first loud 10 ms frame (the candidate's detector threshold, RMS 300). */
const leadInCache = new Map<string, number | null>();
function ttsLeadInMs(text: string): number | null {
  if (leadInCache.has(text)) return leadInCache.get(text)!;
  let v: number | null = null;
  const r = spawnSync('espeak-ng', ['-v', 'en-us+klatt2', '-s', '160', '--stdout', '--', text], { maxBuffer: 64 << 20 });
  if (r.status === 0 && r.stdout) {
    try {
      const { sampleRate, samples } = parseEspeakWav(r.stdout);
      const n = Math.round(sampleRate / 100);
      for (let i = 0; i + n <= samples.length; i += n) {
        let sum = 0;
        for (let j = i; j < i + n; j++) sum += samples[j]! * samples[j]!;
        if (Math.sqrt(sum / n) >= 300) {
          v = Math.round((i / sampleRate) * 1000);
          break;
        }
      }
    } catch {
      v = null;
    }
  }
  leadInCache.set(text, v);
  return v;
}

function pair(
  index: number,
  candidate: { answers: BenchAnswer[] },
  turns: TurnRow[],
): Pick<InterviewResult, 'paired' | 'dropped' | 'afterGoodbye' | 'agentReplies'> {
  const replies = turns
    .filter((t) => t.speaker === 'agent' && t.metrics && t.started_at_ms !== null)
    .map((t) => ({ ...t, started: Number(t.started_at_ms), m: t.metrics! }))
    .filter((t) => t.m.endOfUtteranceDelayMs !== undefined || t.m.e2eLatencyMs !== undefined)
    .sort((a, b) => a.started - b.started);
  const agentTurns = turns.filter((t) => t.speaker === 'agent' && t.started_at_ms !== null);
  const lastAgentStart = Math.max(...agentTurns.map((t) => Number(t.started_at_ms)));
  const used = new Set<number>();
  const paired: PairedTurn[] = [];
  const dropped: Dropped[] = [];
  let afterGoodbye = 0;
  const answers = candidate.answers.filter((a) => a && a.lastFrameAt !== undefined);
  for (const a of answers) {
    const lastFrameAt = a.lastFrameAt!;
    if (lastFrameAt >= lastAgentStart && a.replyAt === undefined) {
      afterGoodbye++; // spoken after the goodbye began: nothing to reply to
      continue;
    }
    const drop = (reason: string) => dropped.push({ interview: index, answer: a.index, reason });
    if (a.replyAt === undefined) {
      drop('no reply audio heard');
      continue;
    }
    const replyAt = a.replyAt;
    // The agent turn that replied: it started after the answer ended and before the candidate
    // heard it, and the user speech it answered ended (per the agent) around this answer's end.
    const matches = replies.filter((r) => {
      if (used.has(r.seq)) return false;
      if (!(r.started > lastFrameAt && r.started <= replyAt + 5 && replyAt - r.started < 2000)) return false;
      const e2e = r.m.e2eLatencyMs;
      if (e2e === undefined) return true;
      const userStop = r.started - e2e;
      return userStop >= a.startedAt && userStop <= lastFrameAt + 2000;
    });
    if (matches.length !== 1) {
      drop(matches.length === 0 ? 'no agent reply turn with metrics in its window' : `${matches.length} agent turns in its window`);
      continue;
    }
    const r = matches[0]!;
    used.add(r.seq);
    const { endOfUtteranceDelayMs: eou, e2eLatencyMs: e2e, ttsTtfbMs: tts, llmTtftMs: ttft } = r.m;
    if (eou === undefined || eou <= 0 || e2e === undefined || tts === undefined || ttft === undefined) {
      drop(
        `reply turn ${r.seq} lacks metrics (${['endOfUtteranceDelayMs', 'e2eLatencyMs', 'ttsTtfbMs', 'llmTtftMs'].filter((k) => !(r.m[k]! > 0)).join(', ')})`,
      );
      continue;
    }
    const userStop = r.started - e2e;
    const commit = userStop + eou;
    const calls = completions.filter((c) => c.kind === 'interviewer' && c.at >= commit - 5 && c.at <= r.started);
    if (calls.length === 0) {
      drop(`no LLM completion between the end of turn and reply turn ${r.seq}`);
      continue;
    }
    const latency = replyAt - lastFrameAt;
    const llm = calls.reduce((s, c) => s + c.serverMs, 0);
    const ours = latency - eou - llm - tts;
    const inbound = userStop - lastFrameAt;
    const preLlm = calls[0]!.at - commit;
    const outbound = replyAt - r.started;
    paired.push({
      interview: index,
      answer: a.index,
      answerText: a.text,
      replyText: r.text,
      latencyMs: latency,
      endpointingMs: eou,
      llmMs: llm,
      llmCalls: calls.length,
      ttsMs: tts,
      oursMs: ours,
      inboundMs: inbound,
      preLlmMs: preLlm,
      postLlmMs: ours - inbound - preLlm - outbound,
      outboundMs: outbound,
      toSpeechHandleMs: null,
      commitAt: commit,
      llmAt: calls[0]!.at,
      llmTtftMs: ttft,
      transcriptionDelayMs: r.m.transcriptionDelayMs ?? null,
      ttsLeadInMs: ttsLeadInMs(r.text),
      candidateQueueMs: a.queuedMs ?? null,
      vadTailMs: null,
      floorMs: null,
      inboundRestMs: null,
      outboundRestMs: null,
      agentMs: null,
      stallMs: 0,
      vadBacklogMs: 0,
      lastFrameAt,
      replyAt,
    });
  }
  return { paired, dropped, afterGoodbye, agentReplies: replies.length };
}

/** Worker log lines (pino JSON) from `fromOffset` on. */
function workerLog(worker: Worker, fromOffset = 0): Record<string, unknown>[] {
  const text = readFileSync(worker.process.logFile).subarray(fromOffset).toString('utf8');
  const out: Record<string, unknown>[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      out.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      /* a partial line */
    }
  }
  return out;
}

async function runInterview(index: number, api: Api, worker: Worker, db: DbHandle): Promise<InterviewResult> {
  const started = Date.now();
  const room = await createInterviewRoom(api);
  const finishedBefore = workerLog(worker).filter((l) => l.msg === 'interview finished').length;
  const candidate: BenchCandidate = await startBenchCandidate(
    api.url,
    room.roomCode,
    `candidate-${index}`,
    ANSWERS.slice(0, Math.min(ANSWERS.length, answersPerInterview + 3)),
  );
  const joinResponseAt = candidate.joinResponseAt;

  const interview = async () =>
    (
      await sql<{ status: string; end_reason: string | null }>`
        SELECT status, end_reason FROM interviews WHERE id = ${room.sessionId}`.execute(db.db)
    ).rows[0]!;
  const timeoutMs = 60_000 + answersPerInterview * 25_000;
  const ended = await waitUntil(
    async () => {
      const i = await interview();
      return ['COMPLETED', 'TIMED_OUT', 'ABANDONED', 'FAILED'].includes(i.status) ? i : undefined;
    },
    {
      timeoutMs,
      intervalMs: 500,
      what: `interview ${index} ended`,
      abort: () => (worker.process.exit ? 'the worker exited' : candidate.exit ? 'the candidate process exited' : undefined),
    },
  );
  // The job wrote every turn and wrapped up (evaluation, room deleted) before the next one starts.
  await waitUntil(() => workerLog(worker).filter((l) => l.msg === 'interview finished').length > finishedBefore, {
    timeoutMs: 60_000,
    what: `interview ${index}: the agent's "interview finished"`,
  }).catch(() => undefined);
  await candidate.leave();

  const turns = (
    await sql<TurnRow>`
      SELECT seq, speaker, text, started_at_ms, ended_at_ms, metrics
      FROM transcript_turns WHERE interview_id = ${room.sessionId} ORDER BY seq`.execute(db.db)
  ).rows;
  const p = pair(index, candidate, turns);

  const since = (t: number | undefined | null) => (t === undefined || t === null ? null : t - joinResponseAt);
  const wlog = workerLog(worker);
  const entry = wlog.find((l) => l.msg === 'interview starting' && l.interviewId === room.sessionId);
  const jobRequest = wlog.find(
    (l) => l.msg === 'received job request' && typeof l.time === 'number' && (l.time as number) >= joinResponseAt - 1000,
  );
  const plan = completions.find((c) => c.kind === 'plan' && c.at >= joinResponseAt - 1000);
  const greeting = turns.find((t) => t.speaker === 'agent');
  const greetingHeard = since(candidate.segments[0]?.start);
  return {
    index,
    interviewId: room.sessionId,
    status: ended.status,
    endReason: ended.end_reason,
    answersSpoken: candidate.answers.filter((a) => a?.lastFrameAt !== undefined).length,
    ...p,
    join: {
      interview: index,
      joinMs: candidate.joinMs,
      connectedMs: candidate.connectedAt - joinResponseAt,
      jobRequestMs: since(typeof jobRequest?.time === 'number' ? jobRequest.time : undefined),
      planLlmMs: plan?.serverMs ?? null,
      agentEntryMs: since(typeof entry?.time === 'number' ? entry.time : undefined),
      subscribedMs: since(candidate.subscribedAt),
      firstAudioFrameMs: since(candidate.firstAudioAt),
      agentFirstFrameMs: since(greeting?.started_at_ms === null || greeting === undefined ? undefined : Number(greeting.started_at_ms)),
      greetingHeardMs: greetingHeard,
      joinToGreetingMs: greetingHeard === null ? null : candidate.joinMs + greetingHeard,
    },
    seconds: (Date.now() - started) / 1000,
  };
}

// ---------------------------------------------------------------------------------------------
// The VAD's own tail, offline: Silero (as agent/main.ts loads it) run over each answer exactly as
// the candidate sends it (espeak-ng, trimmed, 48 kHz), in audio time. The agent's end-of-speech
// estimate (lastSpeakingTime, where endOfUtteranceDelayMs starts) lies this far after the audio's
// real end even with no transport and no processing delay: Silero's probability decays after the
// last phoneme and is read in 32 ms windows. Part of "ours" (inbound), reported for attribution.

async function vadTails(texts: string[]): Promise<Map<string, number>> {
  // 'error': fed faster than real time, Silero warns that it is "slower than realtime".
  initializeLogger({ pretty: false, level: 'error' });
  const vad = await silero.VAD.load({ minSilenceDuration: 550 });
  const rtc = await import('@livekit/rtc-node');
  const out = new Map<string, number>();
  for (const text of texts) {
    const r = spawnSync('espeak-ng', ['-v', 'en-us+klatt2', '-s', '160', '--stdout', '--stdin'], { input: text, maxBuffer: 64 << 20 });
    if (r.status !== 0) continue;
    const { sampleRate, samples } = parseEspeakWav(r.stdout);
    const trimmed = Int16Array.from(trimSilence(samples, sampleRate));
    const rs = new rtc.AudioResampler(sampleRate, 48_000, 1);
    const frames = [...rs.push(new rtc.AudioFrame(trimmed, sampleRate, 1, trimmed.length)), ...rs.flush()];
    rs.close();
    const LEAD = 24_000; // 500 ms of silence first
    const pcm = new Int16Array(LEAD + frames.reduce((n, f) => n + f.data.length, 0) + 96_000);
    let off = LEAD;
    for (const f of frames) {
      pcm.set(f.data, off);
      off += f.data.length;
    }
    const audioEndMs = (off / 48_000) * 1000;
    const stream = vad.stream();
    for (let i = 0; i + 480 <= pcm.length; i += 480) stream.pushFrame(new rtc.AudioFrame(pcm.slice(i, i + 480), 48_000, 1, 480));
    for await (const ev of stream) {
      if (ev.type === VADEventType.END_OF_SPEECH) {
        out.set(text, Math.round(ev.timestamp - ev.silenceDuration - audioEndMs));
        break;
      }
    }
    stream.close();
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Transport floor: two bench participants through the same LiveKit server, no agent. One says
// phrases, the other listens. Onset: first frame leaves → first loud frame heard; offset: last
// frame leaves → last loud frame heard. The first includes the phrase's quiet lead-in, the second
// misses its quiet tail: the one-way delay lies between them (their mean is the estimate). Then the
// same with testkit/candidate.ts speaking (its `startedAt`/`lastFrameAt`: hand-over to its
// AudioSource), for comparison: the difference is its send queue.

interface TransportProbe {
  n: number;
  onsetMs: ReturnType<typeof stats>;
  offsetMs: ReturnType<typeof stats>;
  /** (onset + offset) / 2, per phrase: the estimate of one way through LiveKit and WebRTC. */
  oneWayMs: ReturnType<typeof stats>;
}

function probeFigures(said: { startedAt: number; lastFrameAt?: number }[], heard: SpeechSegment[]): TransportProbe {
  const onset: number[] = [];
  const offset: number[] = [];
  const oneWay: number[] = [];
  for (const a of said) {
    if (!a || a.lastFrameAt === undefined || !a.startedAt) continue;
    const seg = heard.find((g) => g.start + FRAME_MS >= a.startedAt && g.start <= a.lastFrameAt!);
    if (!seg) continue;
    const on = seg.start + FRAME_MS - a.startedAt; // arrival of the first loud 10 ms frame
    const off = seg.end - a.lastFrameAt;
    onset.push(on);
    offset.push(off);
    oneWay.push((on + off) / 2);
  }
  return { n: oneWay.length, onsetMs: stats(onset), offsetMs: stats(offset), oneWayMs: stats(oneWay) };
}

async function transportProbe(
  livekit: LiveKit,
  phrases: string[],
  withHarness: boolean,
): Promise<{ floor: TransportProbe; harness: TransportProbe | null }> {
  const roomName = `bench-probe-${randomBytes(3).toString('hex')}`;
  const token = (identity: string) => {
    const t = new AccessToken(livekit.apiKey, livekit.apiSecret, { identity });
    t.addGrant({ roomJoin: true, room: roomName, canPublish: true, canSubscribe: true });
    return t.toJwt();
  };
  const say = async (speaker: { say(text: string): void }, spoken: () => number, listener: BenchParticipant, speakerName: string) => {
    await listener.waitFor(() => listener.firstAudioAt, { timeoutMs: 20_000, what: `probe: audio from ${speakerName}` });
    await sleep(500);
    const before = listener.segments.length;
    for (let k = 0; k < phrases.length; k++) {
      speaker.say(phrases[k]!);
      await waitUntil(() => spoken() > k, { timeoutMs: 10_000, intervalMs: 20, what: `probe: ${speakerName} said phrase ${k + 1}` });
      // The listener ends a segment after 1 s of silence.
      await listener
        .waitFor(() => listener.segments.length > before + k, { timeoutMs: 5_000, what: `probe: phrase ${k + 1} heard` })
        .catch(() => undefined);
      await sleep(200);
    }
  };

  const common = { serverUrl: livekit.url, category: 'transport probe' };
  const listener = await startBenchParticipant({
    ...common,
    token: await token('probe-listener'),
    name: 'probe-listener',
    listenTo: 'probe-speaker',
  });
  let floor: TransportProbe;
  try {
    const speaker = await startBenchParticipant({
      ...common,
      token: await token('probe-speaker'),
      name: 'probe-speaker',
      listenTo: 'probe-listener',
      answers: phrases,
    });
    try {
      await say(speaker, () => speaker.answers.filter((a) => a?.lastFrameAt !== undefined).length, listener, 'probe-speaker');
    } finally {
      await speaker.leave();
    }
    floor = probeFigures(speaker.answers, listener.segments);
  } finally {
    await listener.leave();
  }

  let harness: TransportProbe | null = null;
  if (!withHarness) return { floor, harness };
  const listener2 = await startBenchParticipant({
    ...common,
    token: await token('probe-listener-2'),
    name: 'probe-listener-2',
    listenTo: 'probe-harness',
  });
  try {
    // answers: synthesised at start (as in an interview), never spoken on their own (the listener is silent).
    const h = await startParticipant({
      serverUrl: livekit.url,
      token: await token('probe-harness'),
      name: 'probe-harness',
      logDir: LOG_DIR,
      listenTo: 'probe-listener-2',
      answers: phrases,
      recordWav: false,
    });
    try {
      await say(h, () => h.answers.filter((a) => a?.lastFrameAt !== undefined).length, listener2, 'probe-harness');
    } finally {
      await h.leave();
    }
    harness = probeFigures(h.answers, listener2.segments);
  } catch (e) {
    process.stdout.write(`transport probe with candidate.ts failed (informational): ${e instanceof Error ? e.message : String(e)}\n`);
  } finally {
    await listener2.leave();
  }
  return { floor, harness };
}

// ---------------------------------------------------------------------------------------------
// The agent's own warnings, per turn: its job process's event loop stalls and the VAD's backlog.

function stallsPerTurn(turns: PairedTurn[], log: Record<string, unknown>[]) {
  const stalls = log
    .filter((l) => l.loop === 'job' && typeof l.duration === 'number' && typeof l.time === 'number')
    .map((l) => ({ from: (l.time as number) - (l.duration as number), to: l.time as number }));
  const vad = log
    .filter((l) => l.msg === 'VAD inference is slower than realtime' && typeof l.delay === 'number')
    .map((l) => ({ at: l.time as number, delay: l.delay as number }));
  const handles = log.filter((l) => l.msg === 'Creating speech handle' && typeof l.time === 'number').map((l) => l.time as number);
  for (const t of turns) {
    const h = handles.find((at) => at >= t.commitAt - 20 && at <= t.llmAt);
    t.toSpeechHandleMs = h === undefined ? null : h - t.commitAt;
    t.stallMs = Math.round(stalls.reduce((sum, s) => sum + Math.max(0, Math.min(s.to, t.replyAt) - Math.max(s.from, t.lastFrameAt)), 0));
    t.vadBacklogMs = Math.max(0, ...vad.filter((v) => v.at >= t.lastFrameAt - 1500 && v.at <= t.replyAt).map((v) => v.delay));
  }
}

// ---------------------------------------------------------------------------------------------
// BENCH_CPU_PROF=1: self time of the job processes' V8 profiles, by code area.

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string } }[];
  samples: number[];
  timeDeltas: number[];
}

function codeArea(url: string, fn: string): string {
  if (fn === '(garbage collector)') return 'GC';
  if (fn === '(idle)') return 'idle';
  if (fn === '(program)') return 'native (program)';
  const root = `file://${REPO_ROOT}/`;
  if (url.startsWith(`${root}agent/speech/`)) return 'ours: agent/speech/';
  if (url.startsWith(`${root}agent/`)) return 'ours: agent/';
  if (url.startsWith(root) && !url.includes('/node_modules/') && /^(core|db|prompts|api)\//.test(url.slice(root.length)))
    return 'ours: core/ db/ prompts/';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1];
  if (pkg === '@livekit/agents-plugin-silero' || pkg === 'onnxruntime-node' || pkg === 'onnxruntime-common')
    return 'Silero VAD (+ onnxruntime)';
  if (pkg === '@livekit/agents') return '@livekit/agents (framework)';
  if (pkg?.startsWith('@livekit/rtc-node') || pkg === '@bufbuild/protobuf') return '@livekit/rtc-node (+ protobuf FFI)';
  if (pkg === 'tsx' || pkg === 'esbuild' || pkg === 'get-tsconfig') return 'tsx (loading TypeScript)';
  if (pkg) return `${pkg}`;
  if (url.startsWith('node:') || url === '') return 'node internals';
  return 'other';
}

function summariseProfiles(
  pids: Set<number>,
): { files: number; totalMs: number; areas: { area: string; ms: number; pct: number }[]; topOurs: { fn: string; ms: number }[] } | null {
  let files: string[];
  try {
    files = readdirSync(PROF_DIR).filter((f) => f.endsWith('.cpuprofile'));
  } catch {
    return null;
  }
  const areas = new Map<string, number>();
  const ours = new Map<string, number>();
  let used = 0;
  for (const file of files) {
    const pid = Number(/^CPU\.\d+\.\d+\.(\d+)\./.exec(file)?.[1]);
    if (!pids.has(pid)) continue;
    const prof = JSON.parse(readFileSync(path.join(PROF_DIR, file), 'utf8')) as CpuProfile;
    used++;
    const byId = new Map(prof.nodes.map((n) => [n.id, n.callFrame]));
    prof.samples.forEach((id, i) => {
      const cf = byId.get(id);
      const us = prof.timeDeltas[i + 1] ?? 0;
      if (!cf) return;
      const area = codeArea(cf.url, cf.functionName);
      areas.set(area, (areas.get(area) ?? 0) + us / 1000);
      if (area.startsWith('ours')) {
        const key = `${cf.functionName || '(anonymous)'} ${cf.url.replace(`file://${REPO_ROOT}/`, '')}`;
        ours.set(key, (ours.get(key) ?? 0) + us / 1000);
      }
    });
  }
  if (used === 0) return null;
  const busy = [...areas].filter(([a]) => a !== 'idle').reduce((s, [, ms]) => s + ms, 0);
  return {
    files: used,
    totalMs: busy,
    areas: [...areas]
      .filter(([a]) => a !== 'idle')
      .sort((a, b) => b[1] - a[1])
      .map(([area, ms]) => ({ area, ms: Math.round(ms), pct: (ms / busy) * 100 })),
    topOurs: [...ours]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8)
      .map(([fn, ms]) => ({ fn, ms: Math.round(ms) })),
  };
}

// ---------------------------------------------------------------------------------------------
// Plot: per-turn stacked bars (ours at the bottom, so the goal line reads against it), and the
// same "ours" on its own scale.

const COLORS = {
  ours: '#d62728',
  tts: '#59a14f',
  llm: '#f28e2b',
  endpointing: '#4e79a7',
  // Panel 2: ours, attributed.
  transport: '#bab0ac',
  vadTail: '#76b7b2',
  leadIn: '#b07aa1',
};
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
function niceStep(span: number, ticks: number): number {
  const raw = span / ticks;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const n = raw / mag;
  return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10) * mag;
}

function plotSvg(
  turns: PairedTurn[],
  o: { title: string; subtitle: string[]; p95Ours: number; floorOneWay: number | null; footer: string[] },
): string {
  const n = Math.max(1, turns.length);
  const m = { left: 80, right: 40, top: 60 + o.subtitle.length * 16 + 20 };
  const W = Math.max(1000, m.left + m.right + n * 20);
  const plotW = W - m.left - m.right;
  const slot = plotW / n;
  const barW = Math.max(3, slot * 0.72);
  const h1 = 320;
  const h2 = 200;
  const gap = 70;
  const top1 = m.top;
  const top2 = top1 + h1 + gap;
  const legendY = top2 + h2 + 58;
  const maxChars = Math.floor((W - m.left - m.right) / 6.4);
  const wrapped = o.footer.flatMap((line) => {
    const lines: string[] = [];
    let cur = '';
    for (const word of line.split(' ')) {
      if (cur && cur.length + 1 + word.length > maxChars) {
        lines.push(cur);
        cur = word;
      } else cur = cur ? `${cur} ${word}` : word;
    }
    return cur ? [...lines, cur] : lines;
  });
  const H = legendY + 44 + wrapped.length * 16 + 6;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="DejaVu Sans, Arial, sans-serif">`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text x="${W / 2}" y="30" text-anchor="middle" font-size="18" font-weight="bold">${esc(o.title)}</text>`,
  ];
  o.subtitle.forEach((line, i) =>
    out.push(`<text x="${W / 2}" y="${52 + i * 16}" text-anchor="middle" font-size="12" fill="#555">${esc(line)}</text>`),
  );

  const axis = (top: number, h: number, lo: number, hi: number, label: string, heading: string) => {
    const step = niceStep(hi - lo, 6);
    const yMin = Math.floor(lo / step) * step;
    const yMax = Math.ceil(hi / step) * step;
    const y = (v: number) => top + h - ((v - yMin) / (yMax - yMin)) * h;
    for (let v = yMin; v <= yMax + 1e-9; v += step) {
      out.push(
        `<line x1="${m.left}" x2="${m.left + plotW}" y1="${y(v)}" y2="${y(v)}" stroke="${v === 0 ? '#999' : '#e6e6e6'}"/>`,
        `<text x="${m.left - 8}" y="${y(v) + 4}" text-anchor="end" font-size="11" fill="#333">${Math.round(v).toLocaleString('en-US')}</text>`,
      );
    }
    out.push(
      `<line x1="${m.left}" x2="${m.left}" y1="${top}" y2="${top + h}" stroke="#333"/>`,
      `<text transform="translate(22 ${top + h / 2}) rotate(-90)" text-anchor="middle" font-size="12" fill="#333">${esc(label)}</text>`,
      `<text x="${m.left}" y="${top - 10}" font-size="13" font-weight="bold" fill="#333">${esc(heading)}</text>`,
    );
    return y;
  };
  const hline = (y: number, color: string, text: string, dash: string, anchorRight: boolean) => {
    out.push(
      `<line x1="${m.left}" x2="${m.left + plotW}" y1="${y}" y2="${y}" stroke="${color}" stroke-width="1.5" stroke-dasharray="${dash}"/>`,
    );
    // A white halo keeps the label readable over the bars.
    out.push(
      `<text x="${anchorRight ? m.left + plotW - 4 : m.left + 4}" y="${y - 5}" text-anchor="${anchorRight ? 'end' : 'start'}" font-size="11" font-weight="bold" fill="${color}" stroke="#ffffff" stroke-width="3" paint-order="stroke">${esc(text)}</text>`,
    );
  };
  const xOf = (i: number) => m.left + slot * i + (slot - barW) / 2;
  const interviewBreaks = (top: number, h: number) => {
    turns.forEach((t, i) => {
      if (i > 0 && turns[i - 1]!.interview !== t.interview) {
        const x = m.left + slot * i;
        out.push(`<line x1="${x}" x2="${x}" y1="${top}" y2="${top + h}" stroke="#bbb" stroke-dasharray="2 3"/>`);
      }
    });
  };

  // Panel 1: the whole latency, stacked.
  const maxLat = Math.max(GOAL_MS, ...turns.map((t) => Math.max(t.latencyMs, t.endpointingMs + t.llmMs + t.ttsMs + Math.max(0, t.oursMs))));
  const y1 = axis(top1, h1, 0, maxLat * 1.05, 'ms', 'Per turn: last answer frame sent → first reply audio heard, split into its parts');
  interviewBreaks(top1, h1);
  turns.forEach((t, i) => {
    let base = 0;
    for (const [key, v] of [
      ['ours', Math.max(0, t.oursMs)],
      ['tts', t.ttsMs],
      ['llm', t.llmMs],
      ['endpointing', t.endpointingMs],
    ] as const) {
      if (v <= 0) continue;
      out.push(`<rect x="${xOf(i)}" y="${y1(base + v)}" width="${barW}" height="${y1(base) - y1(base + v)}" fill="${COLORS[key]}"/>`);
      base += v;
    }
  });
  hline(y1(GOAL_MS), '#d62728', `goal: ours ≤ ${GOAL_MS} ms at p95`, '6 4', true);
  if (Number.isFinite(o.p95Ours)) hline(y1(o.p95Ours), '#222', `p95 of ours: ${Math.round(o.p95Ours)} ms`, '3 3', false);

  // Panel 2: ours alone.
  const oursVals = turns.map((t) => t.oursMs);
  const lo = Math.min(0, ...oursVals);
  const hi = Math.max(GOAL_MS, Number.isFinite(o.p95Ours) ? o.p95Ours : 0, ...oursVals) * 1.12;
  const y2 = axis(top2, h2, lo, hi, 'ms', 'Our overhead per turn (latency − endpointing − LLM − TTS first byte), own scale, attributed');
  interviewBreaks(top2, h2);
  turns.forEach((t, i) => {
    // Bottom up: what the agent's processing adds, then the parts it does not choose per turn:
    // the transport floor both ways, the VAD's tail, espeak-ng's lead-in silence.
    // A negative part (the VAD can place the end of speech before a quiet final consonant ends) is
    // folded into the transport segment, so that the stack still adds up to ours.
    let parts: [keyof typeof COLORS, number][] = [['ours', t.oursMs]];
    if (o.floorOneWay !== null && t.agentMs !== null && t.vadTailMs !== null && t.ttsLeadInMs !== null) {
      const own: [keyof typeof COLORS, number][] = [
        ['ours', t.agentMs],
        ['leadIn', t.ttsLeadInMs],
        ['vadTail', t.vadTailMs],
      ];
      const shown = own.map(([k, v]) => [k, Math.max(0, v)] as [keyof typeof COLORS, number]);
      parts = [...shown, ['transport', t.oursMs - shown.reduce((sum, [, v]) => sum + v, 0)]];
    }
    let base = 0;
    for (const [key, v] of parts) {
      if (v <= 0) continue;
      out.push(`<rect x="${xOf(i)}" y="${y2(base + v)}" width="${barW}" height="${y2(base) - y2(base + v)}" fill="${COLORS[key]}"/>`);
      base += v;
    }
    if (t.oursMs < 0) out.push(`<rect x="${xOf(i)}" y="${y2(0)}" width="${barW}" height="${y2(t.oursMs) - y2(0)}" fill="${COLORS.ours}"/>`);
  });
  hline(y2(GOAL_MS), '#d62728', `goal ${GOAL_MS} ms`, '6 4', true);
  if (Number.isFinite(o.p95Ours)) hline(y2(o.p95Ours), '#222', `p95 of ours: ${Math.round(o.p95Ours)} ms`, '3 3', false);
  // Turn numbers under panel 2 (every k-th).
  const every = Math.max(1, Math.ceil(n / 25));
  turns.forEach((_, i) => {
    if (i % every === 0)
      out.push(`<text x="${xOf(i) + barW / 2}" y="${top2 + h2 + 14}" text-anchor="middle" font-size="10" fill="#555">${i + 1}</text>`);
  });
  out.push(
    `<text x="${m.left + plotW / 2}" y="${top2 + h2 + 30}" text-anchor="middle" font-size="11" fill="#333">paired turn (dotted lines: next interview)</text>`,
  );

  // Legend and notes.
  let lx = m.left;
  for (const [key, label] of [
    ['endpointing', 'endpointing (agent eou delay)'],
    ['llm', 'LLM (injected delay, as served)'],
    ['tts', 'TTS first byte (espeak-ng)'],
    ['ours', 'ours (bottom panel: agent processing)'],
  ] as const) {
    out.push(`<rect x="${lx}" y="${legendY - 10}" width="12" height="12" fill="${COLORS[key]}"/>`);
    out.push(`<text x="${lx + 17}" y="${legendY}" font-size="12" fill="#333">${esc(label)}</text>`);
    lx += 30 + label.length * 6.2;
  }
  lx = m.left;
  for (const [key, label] of [
    ['transport', `transport floor, both ways (${o.floorOneWay === null ? 'n/a' : Math.round(o.floorOneWay)} ms each, probes)`],
    ['vadTail', 'Silero VAD tail (offline, per answer)'],
    ['leadIn', 'espeak-ng lead-in silence'],
  ] as const) {
    out.push(`<rect x="${lx}" y="${legendY + 8}" width="12" height="12" fill="${COLORS[key]}"/>`);
    out.push(`<text x="${lx + 17}" y="${legendY + 18}" font-size="12" fill="#333">${esc(label)}</text>`);
    lx += 30 + label.length * 6.2;
  }
  wrapped.forEach((line, i) => out.push(`<text x="${m.left}" y="${legendY + 44 + i * 16}" font-size="12" fill="#333">${esc(line)}</text>`));
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const started = Date.now();
  if (process.env.NETNS_INSIDE !== '1') {
    process.stderr.write('bench agent-latency: run it through scripts/bench.sh (it needs the network namespace of scripts/netns.sh)\n');
    return 2;
  }
  if (!process.env.LIVEKIT_BIN) {
    process.stderr.write('bench agent-latency: LIVEKIT_BIN is not set (scripts/bench.sh sets it from scripts/ensure-livekit.sh)\n');
    return 2;
  }
  myNs = readlinkSync('/proc/self/ns/net');
  process.stdout.write(
    `bench agent-latency: ${settings.interviews} interview(s) × ${answersPerInterview} answers ` +
      `(${QUESTIONS} questions, ${settings.followUps} follow-up(s) each), LLM delay ${settings.llmDelayMs} ms per completion; ` +
      `${os.cpus().length} CPUs, load ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}, Node ${process.version}\n`,
  );

  // A fresh migrated database of our own (startStack would clone the vitest template instead).
  rmSync(LOG_DIR, { recursive: true, force: true });
  mkdirSync(LOG_DIR, { recursive: true });
  dbName = `interviewer_bench_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${dbName}`);
  const url = urlFor(dbName);
  const handle = await connectDatabase({ databaseUrl: url, dataDir: '.data', poolSize: 4 });
  await migrateToLatest(handle.db);
  const database: TestDatabase = { ...handle, url, name: dbName };

  fake = await startFakeLlm(benchLlm());
  const env = {
    STT_PROVIDER: 'local',
    TTS_PROVIDER: 'local',
    LLM_BASE_URL: fake.baseUrl,
    LLM_API_KEY: 'bench',
    LLM_MODEL: 'scripted',
    AGENT_MAX_FOLLOW_UPS: String(settings.followUps),
  };
  // startStack's steps, with our database: LiveKit, the API, then the worker (registered).
  const livekit: LiveKit = await startLiveKit({ logDir: LOG_DIR });
  const api = await startApi({ logDir: LOG_DIR, livekit, database, env });
  const [node, ...workerArgs] = DEFAULT_WORKER_COMMAND;
  const worker = await startWorker({
    logDir: LOG_DIR,
    livekit,
    databaseUrl: url,
    env: { ...env, LOG_LEVEL: settings.agentLogLevel },
    // Job processes are forked with the worker's execArgv, so they are profiled too.
    ...(settings.cpuProf ? { command: [node!, '--cpu-prof', `--cpu-prof-dir=${PROF_DIR}`, ...workerArgs] } : {}),
  });
  process.stdout.write(`stack up: livekit ${livekit.startupMs} ms, api ${api.startupMs} ms, worker ${worker.startupMs} ms\n`);

  // The floor under "ours": the same audio path between two bare participants, no agent; before
  // every interview and after the last, since it moves with the machine's load.
  const probes: { when: string; floor: TransportProbe | null }[] = [];
  let harnessProbe: TransportProbe | null = null;
  const probeNow = async (when: string, withHarness: boolean) => {
    try {
      const r = await transportProbe(livekit, ANSWERS.slice(0, 8), withHarness);
      probes.push({ when, floor: r.floor });
      harnessProbe ??= r.harness;
      process.stdout.write(
        `  transport floor ${when} (2 bench participants via LiveKit, no agent, n = ${r.floor.n}): one way ≈ ${Math.round(r.floor.oneWayMs.p50)} ms p50` +
          ` (onset ${Math.round(r.floor.onsetMs.p50)}, offset ${Math.round(r.floor.offsetMs.p50)} ms)` +
          (r.harness ? `; with testkit/candidate.ts speaking: ${Math.round(r.harness.oneWayMs.p50)} ms (n = ${r.harness.n})` : '') +
          '\n',
      );
    } catch (e) {
      probes.push({ when, floor: null });
      process.stdout.write(`  transport probe ${when} failed (informational only): ${e instanceof Error ? e.message : String(e)}\n`);
    }
  };
  await probeNow('before interview 1', true);
  knownPids.set(livekit.process.pid, 'livekit-server');
  knownPids.set(api.process.pid, 'api');
  knownPids.set(worker.process.pid, 'agent worker (main)');
  knownPids.set(process.pid, 'bench (fake LLM, harness)');

  // The measured window: CPU per process and for the whole machine.
  sampleCpu();
  baselineTaken = true;
  const machine0 = machineBusyMs();
  const window0 = Date.now();
  const logOffset = worker.process.logOffset();
  sampler = setInterval(sampleCpu, 500);

  const results: InterviewResult[] = [];
  let failure: string | undefined;
  for (let i = 1; i <= settings.interviews; i++) {
    try {
      const r = await runInterview(i, api, worker, handle);
      results.push(r);
      const lat = r.paired.map((t) => t.latencyMs);
      const ours = r.paired.map((t) => t.oursMs);
      process.stdout.write(
        `  interview ${i}: ${r.status}/${r.endReason}, ${r.answersSpoken} answers, ${r.paired.length} paired, ${r.dropped.length} dropped` +
          ` · latency p50 ${Math.round(median(lat))} ms · ours p50 ${Math.round(median(ours))} p95 ${Math.round(pct(ours, 95))} ms` +
          ` · join → greeting ${r.join.joinToGreetingMs ?? 'n/a'} ms · ${r.seconds.toFixed(0)} s\n`,
      );
      if (r.status !== 'COMPLETED') {
        failure = `interview ${i} ended ${r.status} (${r.endReason}), not COMPLETED`;
        break;
      }
      await probeNow(`after interview ${i}`, false);
    } catch (e) {
      failure = `interview ${i} failed: ${e instanceof Error ? e.message : String(e)}`;
      break;
    }
  }
  clearInterval(sampler);
  sampleCpu();
  const windowMs = Date.now() - window0;
  const machine1 = machineBusyMs();

  // -------------------------------------------------------------------------------------------
  // Figures

  const turns = results.flatMap((r) => r.paired);
  stallsPerTurn(turns, workerLog(worker, logOffset));
  // Attribution of "ours": the transport floor (probe), the VAD's tail and espeak-ng's lead-in.
  let tails = new Map<string, number>();
  try {
    tails = await vadTails([...new Set(turns.map((t) => t.answerText))]);
  } catch (e) {
    process.stdout.write(`offline VAD tail failed (informational): ${e instanceof Error ? e.message : String(e)}\n`);
  }
  // Each interview's floor: the mean of the probes just before and just after it.
  const probeP50 = (k: number) => {
    const v = probes[k]?.floor?.oneWayMs.p50;
    return v !== undefined && Number.isFinite(v) ? v : undefined;
  };
  const floorFor = (interview: number): number | null => {
    const around = [probeP50(interview - 1), probeP50(interview)].filter((v): v is number => v !== undefined);
    return around.length ? around.reduce((a, b) => a + b, 0) / around.length : null;
  };
  const probeValues = probes.map((_, k) => probeP50(k)).filter((v): v is number => v !== undefined);
  const floor = probeValues.length ? median(probeValues) : null;
  for (const t of turns) {
    t.vadTailMs = tails.get(t.answerText) ?? null;
    t.floorMs = floorFor(t.interview);
    if (t.floorMs === null || t.vadTailMs === null || t.ttsLeadInMs === null) continue;
    const floor = t.floorMs;
    t.inboundRestMs = Math.round(t.inboundMs - floor - t.vadTailMs);
    t.outboundRestMs = Math.round(t.outboundMs - floor - t.ttsLeadInMs);
    t.agentMs = t.inboundRestMs + t.preLlmMs + t.postLlmMs + t.outboundRestMs;
  }
  const dropped = results.flatMap((r) => r.dropped);
  const answersSpoken = results.reduce((s, r) => s + r.answersSpoken, 0);
  const afterGoodbye = results.reduce((s, r) => s + r.afterGoodbye, 0);
  const col = (k: keyof PairedTurn) => turns.map((t) => t[k]).filter((v): v is number => typeof v === 'number');
  const summary = {
    n: turns.length,
    latency: stats(col('latencyMs')),
    ours: stats(col('oursMs')),
    parts: {
      endpointing: stats(col('endpointingMs')),
      llm: stats(col('llmMs')),
      tts: stats(col('ttsMs')),
    },
    oursBreakdown: {
      inbound: stats(col('inboundMs')),
      preLlm: stats(col('preLlmMs')),
      toSpeechHandle: stats(col('toSpeechHandleMs')),
      speechHandleToLlm: stats(turns.filter((t) => t.toSpeechHandleMs !== null).map((t) => t.preLlmMs - t.toSpeechHandleMs!)),
      postLlm: stats(col('postLlmMs')),
      outbound: stats(col('outboundMs')),
    },
    info: {
      llmTtft: stats(col('llmTtftMs')),
      llmClientSide: stats(turns.filter((t) => t.llmCalls === 1).map((t) => t.llmTtftMs - t.llmMs)),
      transcriptionDelay: stats(col('transcriptionDelayMs')),
      ttsLeadIn: stats(col('ttsLeadInMs')),
      candidateQueue: stats(col('candidateQueueMs')),
      multiCallTurns: turns.filter((t) => t.llmCalls > 1).length,
    },
    attribution: {
      transportFloorOneWayMs: floor,
      vadTail: stats(col('vadTailMs')),
      ttsLeadIn: stats(col('ttsLeadInMs')),
      inboundRest: stats(col('inboundRestMs')),
      outboundRest: stats(col('outboundRestMs')),
      agent: stats(col('agentMs')),
    },
    stalls: {
      turnsWithStall: turns.filter((t) => t.stallMs > 0).length,
      stallMs: stats(turns.filter((t) => t.stallMs > 0).map((t) => t.stallMs)),
      oursWithoutStall: stats(turns.filter((t) => t.stallMs === 0).map((t) => t.oursMs)),
      oursWithStall: stats(turns.filter((t) => t.stallMs > 0).map((t) => t.oursMs)),
      turnsWithVadBacklog: turns.filter((t) => t.vadBacklogMs > 0).length,
      vadBacklogMs: stats(turns.filter((t) => t.vadBacklogMs > 0).map((t) => t.vadBacklogMs)),
    },
  };
  const joins = results.map((r) => r.join);
  const jstat = (k: keyof JoinFigures) => stats(joins.map((j) => j[k]).filter((v): v is number => typeof v === 'number'));
  const joinSummary = {
    n: joins.length,
    joinMs: jstat('joinMs'),
    connectedMs: jstat('connectedMs'),
    jobRequestMs: jstat('jobRequestMs'),
    planLlmMs: jstat('planLlmMs'),
    agentEntryMs: jstat('agentEntryMs'),
    subscribedMs: jstat('subscribedMs'),
    firstAudioFrameMs: jstat('firstAudioFrameMs'),
    agentFirstFrameMs: jstat('agentFirstFrameMs'),
    greetingHeardMs: jstat('greetingHeardMs'),
    joinToGreetingMs: jstat('joinToGreetingMs'),
  };

  // CPU over the window, per category.
  const cpu = new Map<string, number>();
  let speechTools = 0;
  for (const p of procs.values()) {
    if (p.cat === '') continue;
    cpu.set(p.cat, (cpu.get(p.cat) ?? 0) + (p.last - p.first));
    if (p.cat === 'agent job process') speechTools += p.childLast - p.childFirst;
  }
  cpu.set('speech tools (espeak-ng, pocketsphinx)', speechTools);
  const cpuRows = [...cpu].sort((a, b) => b[1] - a[1]).map(([cat, ms]) => ({ cat, cpuS: ms / 1000, pctOfOneCore: (ms / windowMs) * 100 }));
  const machineBusyPct = ((machine1.busy - machine0.busy) / (machine1.total - machine0.total)) * 100;
  const oursCpuMs = [...cpu.values()].reduce((a, b) => a + b, 0);

  // The agent's own warnings in the window: blocked event loops, unscheduled processes.
  const warnings = workerLog(worker, logOffset).filter((l) => typeof l.msg === 'string' && (l.level as number) >= 40);
  const warn = (re: RegExp) => {
    const ls = warnings.filter((l) => re.test(l.msg as string));
    return { count: ls.length, totalMs: Math.round(ls.reduce((s, l) => s + (typeof l.duration === 'number' ? l.duration : 0), 0)) };
  };
  const agentWarnings = {
    eventLoopBlocked: warn(/event loop blocked/),
    processNotScheduled: warn(/process not scheduled/),
    vadSlowerThanRealtime: warn(/slower than realtime/),
    other: warnings.filter((l) => !/event loop blocked|process not scheduled|slower than realtime/.test(l.msg as string)).length,
  };

  const valid = !failure && turns.length >= MIN_TURNS;
  const goalMet = valid && summary.ours.p95 <= GOAL_MS;
  if (!failure && turns.length < MIN_TURNS) failure = `only ${turns.length} paired turns (need ≥ ${MIN_TURNS})`;

  // -------------------------------------------------------------------------------------------
  // Print

  const f = (v: number) => (Number.isFinite(v) ? Math.round(v).toString() : 'n/a');
  const rows: string[][] = [
    ['per turn (ms)', 'p50', 'p95', 'max', 'min'],
    ...(
      [
        ['latency (candidate side)', summary.latency],
        ['− endpointing (eou delay)', summary.parts.endpointing],
        ['− LLM (served delay)', summary.parts.llm],
        ['− TTS first byte', summary.parts.tts],
        ['= ours', summary.ours],
        ['  ours: inbound', summary.oursBreakdown.inbound],
        ['  ours: commit → LLM request', summary.oursBreakdown.preLlm],
        ['    commit → speech handle (log)', summary.oursBreakdown.toSpeechHandle],
        ['    speech handle → LLM request', summary.oursBreakdown.speechHandleToLlm],
        ['  ours: LLM token → first frame − TTS', summary.oursBreakdown.postLlm],
        ['  ours: outbound', summary.oursBreakdown.outbound],
        ['info: llmTtft (agent)', summary.info.llmTtft],
        ['info: llmTtft − served (1-call turns)', summary.info.llmClientSide],
        ['info: transcription delay', summary.info.transcriptionDelay],
        ['info: espeak lead-in silence', summary.info.ttsLeadIn],
        ['info: candidate send queue at end', summary.info.candidateQueue],
      ] as const
    ).map(([label, s]) => [label, f(s.p50), f(s.p95), f(s.max), f(s.min)]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const table = (rs: string[][], ws: number[]) =>
    rs.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(ws[i]!) : c.padStart(ws[i]!))).join('  ')).join('\n');
  process.stdout.write(`\n${table(rows, widths)}\n`);
  const at = summary.attribution;
  if (floor !== null) {
    process.stdout.write(
      `\nwhere ours goes (medians, ms): transport in ${f(floor)} (floor) + VAD tail ${f(at.vadTail.p50)} + agent input ${f(at.inboundRest.p50)}` +
        ` | commit → LLM request ${f(summary.oursBreakdown.preLlm.p50)} + LLM → first frame ${f(summary.oursBreakdown.postLlm.p50)}` +
        ` | agent output ${f(at.outboundRest.p50)} + espeak lead-in ${f(at.ttsLeadIn.p50)} + transport out ${f(floor)} (floor)\n` +
        `agent processing = ours − 2 × floor − VAD tail − lead-in: p50 ${f(at.agent.p50)}, p95 ${f(at.agent.p95)}, max ${f(at.agent.max)} ms\n`,
    );
  }
  const dropReasons = new Map<string, number>();
  for (const d of dropped) dropReasons.set(d.reason.replace(/\d+/g, 'N'), (dropReasons.get(d.reason.replace(/\d+/g, 'N')) ?? 0) + 1);
  process.stdout.write(
    `\nn = ${turns.length} paired turns of ${answersSpoken} answers spoken (${dropped.length} dropped, ${afterGoodbye} after the goodbye) in ${results.length} interview(s)` +
      (dropped.length ? `; dropped: ${[...dropReasons].map(([r, c]) => `${c}× ${r}`).join('; ')}` : '') +
      `\nour overhead p95 = ${f(summary.ours.p95)} ms  goal ≤ ${GOAL_MS} ms: ${!valid ? 'n/a, INVALID RUN' : goalMet ? 'MET' : 'NOT MET'}\n`,
  );
  const jrows: string[][] = [
    ['join → greeting (ms)', 'p50', 'max', 'min'],
    ...(
      [
        ['join request (API)', joinSummary.joinMs],
        ['join response → connected', joinSummary.connectedMs],
        ['join response → worker gets the job', joinSummary.jobRequestMs],
        ['  (question plan LLM call, served)', joinSummary.planLlmMs],
        ['join response → agent entry (log)', joinSummary.agentEntryMs],
        ['join response → agent track subscribed', joinSummary.subscribedMs],
        ['join response → first audio frame', joinSummary.firstAudioFrameMs],
        ['join response → agent pushes greeting', joinSummary.agentFirstFrameMs],
        ['join response → greeting heard', joinSummary.greetingHeardMs],
        ['join request → greeting heard', joinSummary.joinToGreetingMs],
      ] as const
    ).map(([label, s]) => [label, f(s.p50), f(s.max), f(s.min)]),
  ];
  const jw = jrows[0]!.map((_, i) => Math.max(...jrows.map((r) => r[i]!.length)));
  process.stdout.write(`\n${table(jrows, jw)}\n(n = ${joins.length})\n`);
  process.stdout.write(
    `\nCPU over ${(windowMs / 1000).toFixed(0)} s (machine busy ${machineBusyPct.toFixed(0)}% of ${os.cpus().length} cores, this bench's processes ${((oursCpuMs / windowMs) * 100).toFixed(0)}% of one core):\n` +
      cpuRows.map((r) => `  ${r.cat.padEnd(40)} ${r.cpuS.toFixed(1).padStart(6)} s  ${r.pctOfOneCore.toFixed(0).padStart(3)}%`).join('\n') +
      `\nagent warnings: event loop blocked ${agentWarnings.eventLoopBlocked.count}× (${agentWarnings.eventLoopBlocked.totalMs} ms), ` +
      `process not scheduled ${agentWarnings.processNotScheduled.count}× (${agentWarnings.processNotScheduled.totalMs} ms), ` +
      `VAD slower than realtime ${agentWarnings.vadSlowerThanRealtime.count}×, other ${agentWarnings.other}\n` +
      `turns with a job-loop stall inside: ${summary.stalls.turnsWithStall} (stall p50 ${f(summary.stalls.stallMs.p50)} ms); ` +
      `ours p50/p95 without a stall ${f(summary.stalls.oursWithoutStall.p50)}/${f(summary.stalls.oursWithoutStall.p95)} ms (n ${summary.stalls.oursWithoutStall.n}), ` +
      `with ${f(summary.stalls.oursWithStall.p50)}/${f(summary.stalls.oursWithStall.p95)} ms; turns with a VAD backlog: ${summary.stalls.turnsWithVadBacklog} (max ${f(summary.stalls.vadBacklogMs.max)} ms)\n` +
      (floor !== null
        ? `transport floor: one way ≈ ${f(floor)} ms (median of ${probeValues.length} probes: ${probeValues.map(f).join(', ')}), so inbound + outbound ≈ ${f(2 * floor)} ms of ours is the audio path any participant has\n`
        : ''),
  );

  // CPU profile of the job processes (after the worker has stopped: profiles are written at exit).
  let profile: ReturnType<typeof summariseProfiles> = null;
  if (settings.cpuProf) {
    await worker.stop();
    await sleep(1000);
    const jobPids = new Set([...procs].filter(([, p]) => p.cat === 'agent job process').map(([pid]) => pid));
    profile = summariseProfiles(jobPids);
    if (profile) {
      process.stdout.write(
        `\njob processes' CPU profile (${profile.files} files, ${(profile.totalMs / 1000).toFixed(1)} s busy):\n` +
          profile.areas
            .slice(0, 14)
            .map((a) => `  ${a.area.padEnd(40)} ${(a.ms / 1000).toFixed(1).padStart(6)} s  ${a.pct.toFixed(1).padStart(5)}%`)
            .join('\n') +
          `\n  top of ours:\n` +
          profile.topOurs.map((t) => `    ${t.ms.toString().padStart(6)} ms  ${t.fn}`).join('\n') +
          '\n',
      );
    }
  }

  // -------------------------------------------------------------------------------------------
  // Files

  mkdirSync(RESULTS, { recursive: true });
  const report = {
    benchmark: 'agent-latency',
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version, loadavg: os.loadavg() },
    settings: { ...settings, questions: QUESTIONS, answersPerInterview, minTurns: MIN_TURNS, logDir: path.relative(REPO_ROOT, LOG_DIR) },
    goal: { oursP95Ms: GOAL_MS, metric: 'p95 over paired turns of: latency − endOfUtteranceDelayMs − LLM served delay − ttsTtfbMs' },
    valid,
    failure: failure ?? null,
    goalMet,
    summary,
    join: { summary: joinSummary, perInterview: joins },
    counts: { answersSpoken, paired: turns.length, dropped: dropped.length, afterGoodbye },
    dropped,
    cpu: { windowS: windowMs / 1000, machineBusyPct, perCategory: cpuRows },
    agentWarnings,
    transportFloor: { oneWayMedianMs: floor, probes },
    transportWithHarnessCandidate: harnessProbe,
    cpuProfile: profile,
    interviews: results.map(({ paired: _p, dropped: _d, ...r }) => r),
    turns,
    completions,
    seconds: (Date.now() - started) / 1000,
  };
  writeFileSync(path.join(RESULTS, 'agent-latency.json'), `${JSON.stringify(report, null, 2)}\n`);
  const svg = plotSvg(turns, {
    title: `Agent reply latency: our overhead p95 ${f(summary.ours.p95)} ms (goal ≤ ${GOAL_MS} ms: ${!valid ? 'INVALID RUN' : goalMet ? 'met' : 'not met'})`,
    subtitle: [
      `${turns.length} paired turns of ${answersSpoken} answers (${dropped.length} dropped) in ${results.length} interview(s) · latency p50 ${f(summary.latency.p50)} / p95 ${f(summary.latency.p95)} ms · ours p50 ${f(summary.ours.p50)} / p95 ${f(summary.ours.p95)} / max ${f(summary.ours.max)} ms`,
      `medians: endpointing ${f(summary.parts.endpointing.p50)} ms, LLM ${f(summary.parts.llm.p50)} ms (injected ${settings.llmDelayMs}), TTS first byte ${f(summary.parts.tts.p50)} ms`,
      `ours (medians) = inbound ${f(summary.oursBreakdown.inbound.p50)} + end of turn → LLM request ${f(summary.oursBreakdown.preLlm.p50)} + LLM → first frame ${f(summary.oursBreakdown.postLlm.p50)} + outbound ${f(summary.oursBreakdown.outbound.p50)} ms`,
      `local speech (pocketsphinx, espeak-ng), scripted LLM · ${os.cpus().length} CPUs, machine ${machineBusyPct.toFixed(0)}% busy · ${report.date.slice(0, 16).replace('T', ' ')} UTC`,
    ],
    p95Ours: summary.ours.p95,
    floorOneWay: floor,
    footer: [
      `Join → first greeting audio (n = ${joins.length}, medians): join request ${f(joinSummary.joinMs.p50)} ms + join response → greeting heard ${f(joinSummary.greetingHeardMs.p50)} ms = ${f(joinSummary.joinToGreetingMs.p50)} ms` +
        ` (agent entry ${f(joinSummary.agentEntryMs.p50)}, agent track subscribed ${f(joinSummary.subscribedMs.p50)}, first audio frame ${f(joinSummary.firstAudioFrameMs.p50)}, agent pushes greeting ${f(joinSummary.agentFirstFrameMs.p50)} ms after the join response)`,
      (floor !== null
        ? `Where ours goes (medians): transport ${f(floor)} ms each way (two bench participants via the same LiveKit, no agent), VAD tail ${f(summary.attribution.vadTail.p50)}, ` +
          `espeak-ng lead-in ${f(summary.attribution.ttsLeadIn.p50)}, agent input ${f(summary.attribution.inboundRest.p50)} + pipeline ${f(summary.oursBreakdown.preLlm.p50 + summary.oursBreakdown.postLlm.p50)} + output ${f(summary.attribution.outboundRest.p50)}; ` +
          `agent processing alone (ours − transport − VAD tail − lead-in) p50 ${f(summary.attribution.agent.p50)}, p95 ${f(summary.attribution.agent.p95)} ms.`
        : '') + ` Agent job-loop stalls (its own warnings) inside ${summary.stalls.turnsWithStall} of ${turns.length} turns.`,
    ],
  });
  const svgPath = path.join(RESULTS, 'agent-latency.svg');
  writeFileSync(svgPath, svg);
  let png = '';
  try {
    execFileSync('rsvg-convert', ['-o', path.join(RESULTS, 'agent-latency.png'), svgPath], { stdio: 'ignore' });
    png = ', agent-latency.png';
  } catch {
    // rsvg-convert is optional (apt-get install librsvg2-bin).
  }
  process.stdout.write(
    `\nwrote ${path.relative(process.cwd(), RESULTS)}/agent-latency.json, agent-latency.svg${png}; logs in ${path.relative(process.cwd(), LOG_DIR)}/\n`,
  );

  await handle.close();
  if (!valid) {
    process.stdout.write(`\nINVALID RUN: ${failure}\n`);
    return 1;
  }
  return 0;
}

if (process.env[CHILD_FLAG] === '1') {
  // A bench participant (forked by startBenchParticipant).
  if (process.send) {
    childMain().catch((e: unknown) => {
      console.error(new Date().toISOString(), 'FATAL', e instanceof Error ? (e.stack ?? e.message) : e);
      if (process.connected) process.send!({ type: 'error', message: e instanceof Error ? e.message : String(e) } satisfies FromChild);
      setTimeout(() => process.exit(1), 100);
    });
  }
} else {
  installHandlers();
  // Bounded: set-up, the probes, every interview at its own timeout, the wrap-ups, and a margin
  // (under bench.sh's 30 min).
  const deadlineMs = Math.min(1_700_000, 240_000 + settings.interviews * (60_000 + answersPerInterview * 25_000 + 70_000 + 45_000));
  await runBounded(main, cleanup, deadlineMs);
}
