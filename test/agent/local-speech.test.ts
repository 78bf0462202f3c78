// The offline speech providers against the real programs: flite and espeak-ng speak, pocketsphinx
// listens. Speech is generated here with flite (the default voice) and fed as RoomIO would: 24 kHz
// mono frames. The generic pocketsphinx model still gets some words of it wrong, so exact text is
// only asserted with a grammar; without one, order is checked through the utterances' times.
import { initializeLogger, stt, type tts } from '@livekit/agents';
import { AudioFrame, AudioResampler } from '@livekit/rtc-node';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LocalTTS } from '../../agent/speech/local-tts.js';
import { PocketsphinxSpeechStream, PocketsphinxSTT } from '../../agent/speech/pocketsphinx-stt.js';

const RATE = 24_000;
const SENTENCE_1 = 'I have five years of experience building web applications.';
const SENTENCE_2 = 'My most recent project was a payment system.';
const words = (s: string) => s.toLowerCase().replace(/[^a-z' ]/g, '');

let dir: string;
let grammar: string;
let speech1: Int16Array;
let speech2: Int16Array;
const streams: PocketsphinxSpeechStream[] = [];

beforeAll(async () => {
  // Missing programs fail the file instead of skipping it: these providers are the offline product.
  for (const bin of ['flite', 'espeak-ng', 'pocketsphinx_continuous']) {
    const found = spawnSync('sh', ['-c', `command -v ${bin}`]).status === 0;
    if (!found) throw new Error(`${bin} is not installed; apt-get install flite espeak-ng pocketsphinx pocketsphinx-en-us`);
  }
  initializeLogger({ pretty: false, level: 'warn' });
  dir = mkdtempSync(join(tmpdir(), 'local-speech-'));
  grammar = join(dir, 'answers.jsgf');
  writeFileSync(grammar, `#JSGF V1.0;\ngrammar answers;\npublic <answer> = ${words(SENTENCE_1)} | ${words(SENTENCE_2)};\n`);
  [speech1, speech2] = await Promise.all([speak24k(SENTENCE_1), speak24k(SENTENCE_2)]);
});

afterEach(() => {
  for (const s of streams.splice(0)) s.close();
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function speak24k(text: string): Promise<Int16Array> {
  const frame = await new LocalTTS().synthesize(text).collect();
  const resampler = new AudioResampler(frame.sampleRate, RATE, 1);
  const out = [...resampler.push(frame), ...resampler.flush()];
  resampler.close();
  return concat(out.map((f) => f.data.subarray(0, f.samplesPerChannel)));
}

function concat(parts: Int16Array[]): Int16Array {
  const all = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return all;
}

const silence = (seconds: number) => new Int16Array(Math.round(seconds * RATE));

function frames(pcm: Int16Array, ms = 10): AudioFrame[] {
  const n = (RATE * ms) / 1000;
  const out: AudioFrame[] = [];
  for (let i = 0; i < pcm.length; i += n) {
    const data = new Int16Array(n);
    data.set(pcm.subarray(i, i + n));
    out.push(new AudioFrame(data, RATE, 1, n));
  }
  return out;
}

function open(sttEngine: PocketsphinxSTT, connOptions?: { maxRetry: number; retryIntervalMs: number; timeoutMs: number }) {
  const stream = sttEngine.stream(connOptions ? { connOptions } : undefined);
  streams.push(stream);
  return stream;
}

/** Reads events in the background; `until(n, type)` resolves once n events of that type arrived. */
function collect(stream: stt.SpeechStream) {
  const events: stt.SpeechEvent[] = [];
  const waiters: { ready: () => boolean; resolve: () => void }[] = [];
  const count = (type: stt.SpeechEventType) => events.filter((e) => e.type === type).length;
  const done = (async () => {
    for await (const ev of stream) {
      events.push(ev);
      for (const w of waiters.filter((w) => w.ready())) w.resolve();
    }
  })();
  const until = (n: number, type = stt.SpeechEventType.FINAL_TRANSCRIPT) => {
    const ready = () => count(type) >= n;
    return ready() ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ ready, resolve }));
  };
  return { events, done, until, finals: () => events.filter((e) => e.type === stt.SpeechEventType.FINAL_TRANSCRIPT) };
}

/** Members of a process group as "pid name" (sh, cat, pocketsphinx_co…); empty once the group is gone. */
function groupMembers(pgid: number): string[] {
  const r = spawnSync('pgrep', ['-g', String(pgid), '-l']);
  return r.stdout.toString().trim().split('\n').filter(Boolean);
}

/** The pocketsphinx process itself (sh's command line names it too, so match the process name). */
function pocketsphinxPid(pgid: number): number | undefined {
  const line = groupMembers(pgid).find((l) => / pocketsphinx/.test(l));
  return line ? Number(line.split(' ')[0]) : undefined;
}

async function eventually(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const text = (e: stt.SpeechEvent) => e.alternatives?.[0]?.text ?? '';
interface ProviderError {
  error: Error;
  recoverable: boolean;
}
const sttErrors = (engine: stt.STT) => {
  const errors: ProviderError[] = [];
  engine.on('error', (e) => errors.push(e));
  return errors;
};

describe('LocalTTS', () => {
  const samplesOf = (chunks: tts.SynthesizedAudio[]) => concat(chunks.map((c) => c.frame.data.subarray(0, c.frame.samplesPerChannel)));

  it.each([
    ['slt', 'flite', 16_000],
    ['en-us+klatt2', 'espeak-ng', 22_050],
  ])('voice %s: %s speaks a sentence as %i Hz mono audio of plausible length, last frame final', async (voice, program, rate) => {
    const engine = new LocalTTS({ voice });
    expect(engine.provider).toBe(program);
    expect(engine.sampleRate).toBe(rate);
    const chunks: tts.SynthesizedAudio[] = [];
    for await (const a of engine.synthesize(SENTENCE_1)) chunks.push(a);

    const samples = samplesOf(chunks);
    const seconds = samples.length / rate;
    expect(seconds).toBeGreaterThan(1);
    expect(seconds).toBeLessThan(6);
    expect(chunks.every((c) => c.frame.sampleRate === rate && c.frame.channels === 1)).toBe(true);
    const rms = Math.sqrt(samples.reduce((s, v) => s + v * v, 0) / samples.length);
    expect(rms).toBeGreaterThan(500);
    // Both start with silence; the 44 header bytes read as samples ('RIFF', 'WAVE'…) would be loud.
    expect(Math.max(...samples.subarray(0, 22).map(Math.abs))).toBeLessThan(1000);
    expect(chunks.map((c) => c.final)).toEqual([...chunks.slice(1).map(() => false), true]);
  });

  it('speaks Arabic with an espeak-ng voice', async () => {
    const frame = await new LocalTTS({ voice: 'ar' }).synthesize('مرحبا، شكرا لانضمامك إلى المقابلة.').collect();
    expect(frame.sampleRate).toBe(22_050);
    expect(frame.samplesPerChannel / frame.sampleRate).toBeGreaterThan(1);
  });

  it.each(['slt', 'en-us+klatt2'])('voice %s: speaks text that starts with a dash instead of taking it as an option', async (voice) => {
    const engine = new LocalTTS({ voice });
    const errors: unknown[] = [];
    engine.on('error', (e) => errors.push(e));
    const frame = await engine.synthesize('--help me with this').collect();
    expect(errors).toEqual([]);
    expect(frame.samplesPerChannel / frame.sampleRate).toBeGreaterThan(0.7);
  });

  it.each(['slt', 'en-us+klatt2'])('voice %s: stops and kills the program when aborted', async (voice) => {
    const marker = `zqx${process.pid}abort`;
    const long = `${'This is a long answer that goes on and on. '.repeat(60)} ${marker}`;
    const full = 60 * 2; // seconds, at the very least
    const ac = new AbortController();
    let received = 0;
    for await (const a of new LocalTTS({ voice }).synthesize(long, undefined, ac.signal)) {
      received += a.frame.samplesPerChannel / a.frame.sampleRate;
      if (!ac.signal.aborted) ac.abort();
    }
    expect(received).toBeLessThan(full / 4);
    await eventually(() => spawnSync('pgrep', ['-f', marker]).status === 1, 'voice program gone');
  });

  it('reports a missing program as an error event and ends the stream', async () => {
    const engine = new LocalTTS({ binary: 'no-such-flite' });
    const errors: ProviderError[] = [];
    engine.on('error', (e) => errors.push(e));
    const chunks: tts.SynthesizedAudio[] = [];
    for await (const a of engine.synthesize('hello')) chunks.push(a);
    expect(chunks).toEqual([]);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.error.message).toMatch(/no-such-flite/);
    expect(errors[0]!.recoverable).toBe(false);
  });
});

describe('PocketsphinxSTT', () => {
  it('is a streaming STT with no interim results', () => {
    const engine = new PocketsphinxSTT();
    expect(engine.capabilities.streaming).toBe(true);
    expect(engine.capabilities.interimResults).toBe(false);
  });

  it('refuses options it sets itself and malformed extra args', () => {
    expect(() => new PocketsphinxSTT({ extraArgs: ['-infile', 'x.wav'] })).toThrow(/-infile/);
    expect(() => new PocketsphinxSTT({ extraArgs: ['-jsgf'] })).toThrow(/pairs/);
    expect(() => new PocketsphinxSTT({ extraArgs: ['-vad_postspeech', '0'] })).toThrow(/positive/);
  });

  it('transcribes two utterances from 24 kHz frames, one final each, in order', async () => {
    const engine = new PocketsphinxSTT();
    const errors = sttErrors(engine);
    const stream = open(engine);
    const got = collect(stream);
    for (const f of frames(concat([silence(1), speech1, silence(1), speech2, silence(1)]))) stream.pushFrame(f);
    await got.until(2, stt.SpeechEventType.END_OF_SPEECH);

    const finals = got.finals();
    expect(finals).toHaveLength(2);
    expect(finals.every((e) => text(e).trim().length > 0)).toBe(true);
    // Order, through times in the fed audio: 1 s silence, speech 1, 1 s silence, speech 2.
    const len1 = speech1.length / RATE;
    const [a, b] = finals.map((e) => e.alternatives![0]);
    expect(a!.startTime).toBeGreaterThan(0.7);
    expect(a!.endTime).toBeLessThan(1 + len1 + 0.3);
    expect(b!.startTime).toBeGreaterThan(1 + len1 + 0.7);
    // Each transcript comes as start, final, end, as streaming providers send them.
    const kinds = got.events.filter((e) => e.type !== stt.SpeechEventType.RECOGNITION_USAGE).map((e) => e.type);
    const { START_OF_SPEECH: S, FINAL_TRANSCRIPT: F, END_OF_SPEECH: E } = stt.SpeechEventType;
    expect(kinds).toEqual([S, F, E, S, F, E]);
    expect(errors).toEqual([]);
  }, 60_000);

  it('gives the exact sentences with a JSGF grammar, from paced 20 ms frames', async () => {
    const engine = new PocketsphinxSTT({ extraArgs: ['-jsgf', grammar] });
    const stream = open(engine);
    const got = collect(stream);
    const all = frames(concat([silence(0.5), speech1, silence(1), speech2, silence(0.6)]), 20);
    const start = Date.now();
    for (let i = 0; i < all.length; i++) {
      stream.pushFrame(all[i]!);
      const due = start + (i + 1) * 20 - Date.now();
      if (due > 0) await new Promise((r) => setTimeout(r, due));
    }
    await got.until(2);
    expect(got.finals().map(text)).toEqual([words(SENTENCE_1), words(SENTENCE_2)]);
  }, 60_000);

  it('finishes the utterance in progress on flush(), without more audio', async () => {
    const stream = open(new PocketsphinxSTT({ extraArgs: ['-jsgf', grammar] }));
    const got = collect(stream);
    for (const f of frames(concat([silence(0.5), speech2]))) stream.pushFrame(f);
    stream.flush();
    await got.until(1);
    expect(text(got.finals()[0]!)).toBe(words(SENTENCE_2));

    // The silence flush() adds is not part of the caller's audio: later times do not move by it.
    for (const f of frames(concat([silence(0.5), speech1, silence(0.8)]))) stream.pushFrame(f);
    await got.until(2);
    expect(text(got.finals()[1]!)).toBe(words(SENTENCE_1));
    const secondStart = 0.5 + speech2.length / RATE + 0.5;
    expect(got.finals()[1]!.alternatives![0].startTime).toBeGreaterThan(secondStart - 0.25);
    expect(got.finals()[1]!.alternatives![0].startTime).toBeLessThan(secondStart + 0.25);
  }, 60_000);

  it('on endInput(), transcribes what is left and ends the stream cleanly', async () => {
    const engine = new PocketsphinxSTT({ extraArgs: ['-jsgf', grammar] });
    const errors = sttErrors(engine);
    const stream = open(engine);
    const got = collect(stream);
    for (const f of frames(concat([silence(0.5), speech1]))) stream.pushFrame(f);
    stream.endInput();
    await got.done;
    expect(got.finals().map(text)).toEqual([words(SENTENCE_1)]);
    expect(errors).toEqual([]);
  }, 60_000);

  it('leaves no pocketsphinx process behind when the stream is closed', async () => {
    const stream = open(new PocketsphinxSTT());
    const got = collect(stream);
    stream.pushFrame(frames(silence(0.1))[0]!);
    await eventually(() => stream.processGroupId !== undefined, 'process started');
    const pgid = stream.processGroupId!;
    await eventually(() => pocketsphinxPid(pgid) !== undefined, 'pocketsphinx running');

    stream.close();
    await got.done;
    await eventually(() => groupMembers(pgid).length === 0, 'process group gone');
  }, 30_000);

  it('reports a crashed pocketsphinx as an error event and ends the stream (no retries)', async () => {
    const engine = new PocketsphinxSTT();
    const errors = sttErrors(engine);
    const stream = open(engine, { maxRetry: 0, retryIntervalMs: 0, timeoutMs: 10_000 });
    const got = collect(stream);
    stream.pushFrame(frames(silence(0.1))[0]!);
    await eventually(() => stream.processGroupId !== undefined, 'process started');
    const pgid = stream.processGroupId!;
    await eventually(() => pocketsphinxPid(pgid) !== undefined, 'pocketsphinx running');
    process.kill(pocketsphinxPid(pgid)!, 'SIGKILL');

    await got.done;
    expect(errors).toHaveLength(1);
    expect(errors[0]!.error.message).toMatch(/signal 9/);
    expect(errors[0]!.recoverable).toBe(false);
    await eventually(() => groupMembers(pgid).length === 0, 'process group gone');
  }, 30_000);

  it('restarts a crashed pocketsphinx and keeps transcribing (default retries)', async () => {
    const engine = new PocketsphinxSTT({ extraArgs: ['-jsgf', grammar] });
    const errors = sttErrors(engine);
    const stream = open(engine);
    const got = collect(stream);
    stream.pushFrame(frames(silence(0.1))[0]!);
    await eventually(() => stream.processGroupId !== undefined, 'process started');
    const first = stream.processGroupId!;
    await eventually(() => pocketsphinxPid(first) !== undefined, 'pocketsphinx running');
    process.kill(pocketsphinxPid(first)!, 'SIGKILL');
    await eventually(() => stream.processGroupId !== undefined && stream.processGroupId !== first, 'restarted', 10_000);

    for (const f of frames(concat([silence(0.5), speech2, silence(0.8)]))) stream.pushFrame(f);
    await got.until(1);
    expect(got.finals().map(text)).toEqual([words(SENTENCE_2)]);
    expect(errors).toEqual([]);
    await eventually(() => groupMembers(first).length === 0, 'crashed group cleaned up');
  }, 60_000);

  it('reports a bad grammar file at once, with pocketsphinx’s reason', async () => {
    const engine = new PocketsphinxSTT({ extraArgs: ['-jsgf', join(dir, 'missing.jsgf')] });
    const errors = sttErrors(engine);
    const stream = open(engine);
    const got = collect(stream);
    stream.pushFrame(frames(silence(0.1))[0]!);
    await got.done;
    expect(errors).toHaveLength(1);
    expect(errors[0]!.error.message).toMatch(/missing\.jsgf/);
    expect(errors[0]!.recoverable).toBe(false);
  }, 30_000);

  it('recognize() transcribes a buffer of 24 kHz frames in one call', async () => {
    const engine = new PocketsphinxSTT({ extraArgs: ['-jsgf', grammar] });
    const ev = await engine.recognize(frames(concat([silence(0.3), speech1, silence(0.3)])));
    expect(ev.type).toBe(stt.SpeechEventType.FINAL_TRANSCRIPT);
    expect(text(ev)).toBe(words(SENTENCE_1));
    expect(ev.alternatives![0].endTime).toBeGreaterThan(ev.alternatives![0].startTime);
  }, 30_000);
});
