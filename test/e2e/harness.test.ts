// Self-test of the e2e harness, with no agent: inside the test network namespace, start the real
// LiveKit server and the API (fresh migrated database), create HR fixtures through the API, let a
// synthetic candidate join through the API, and put a second rtc-node participant ("echo", with its
// own token) in the same room. Media must flow both ways: the candidate hears the echo's flite
// sentence, answers it, the echo hears the answer and replies. LiveKit's participant_joined
// webhooks reach a tiny receiver here. Also: the process manager's stop escalation and clean-up.
import { createServer, type Server } from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AccessToken, WebhookReceiver, type WebhookEvent } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leaveAll, SpeechDetector, startCandidate, startParticipant } from '../../testkit/candidate.js';
import {
  CANDIDATE_PHONE,
  createInterviewRoom,
  freeTcpPort,
  insideTestNetns,
  sleep,
  spawnManaged,
  startStack,
  startWorker,
  stopAll,
  type Api,
  type LiveKit,
  type Stack,
} from '../../testkit/stack.js';

let dir: string;
const timings: Record<string, number | undefined> = {};

interface Sink {
  url: string;
  events: WebhookEvent[];
  rejected: number;
  close(): Promise<void>;
}

/** Receives LiveKit's webhooks and keeps those whose signature verifies. */
async function webhookSink(apiKey: string, apiSecret: string): Promise<Sink> {
  const receiver = new WebhookReceiver(apiKey, apiSecret);
  const sink: Sink = { url: '', events: [], rejected: 0, close: async () => {} };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      receiver
        .receive(body, req.headers.authorization)
        .then((ev) => sink.events.push(ev))
        .catch(() => sink.rejected++)
        .finally(() => res.writeHead(200).end());
    });
  });
  const port = await freeTcpPort();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  sink.url = `http://127.0.0.1:${port}/livekit/webhook`;
  sink.close = () => new Promise((r) => server.close(() => r()));
  return sink;
}

let stack: Stack | undefined;
let lk: LiveKit;
let api: Api;
let sink: Sink;

beforeAll(async () => {
  // Media tests only work in the namespace npm test runs vitest in (scripts/netns.sh).
  expect(insideTestNetns(), 'run through `npm test` (vitest inside scripts/netns.sh)').toBe(true);
  sink = await webhookSink('devkey', 'devsecret-devsecret-devsecret-0123');
  stack = await startStack('harness', { webhookUrl: sink.url });
  ({ dir, livekit: lk, api } = stack);
  timings.livekitStartupMs = lk.startupMs;
  timings.apiStartupMs = api.startupMs;
}, 90_000);

afterAll(async () => {
  await leaveAll();
  await stack?.stop();
  await stopAll(); // anything a test started by itself
  await sink?.close();
  if (dir) writeFileSync(path.join(dir, 'timings.json'), JSON.stringify(timings, null, 2));
  console.log('e2e harness timings (ms):', JSON.stringify(timings));
}, 60_000);

const ECHO_LINES = ['Hello, this is the echo participant. Please tell me about your last project.', 'Thank you, that was a clear answer.'];
const ANSWER = 'I built a payment service in TypeScript and Postgres for a bank.';

describe('e2e harness (no agent)', () => {
  it('a candidate joins through the API; media flows both ways with a second participant', { timeout: 120_000 }, async () => {
    const room = await createInterviewRoom(api);
    const joinStarted = Date.now();
    const candidate = await startCandidate({
      apiUrl: api.url,
      roomCode: room.roomCode,
      phoneNumber: '0509876543',
      logDir: dir,
      listenTo: 'echo',
      answers: [ANSWER],
    });
    timings.joinRequestMs = candidate.joinMs;
    timings.joinToConnectedMs = candidate.connectedAt - joinStarted;
    expect(candidate.join.identity).toBe(`candidate_${CANDIDATE_PHONE.slice(1)}`);
    expect(candidate.join.roomName).toBe(room.roomName);
    expect(candidate.join.serverUrl).toBe(lk.url);
    expect(candidate.identity).toBe(candidate.join.identity);

    const token = new AccessToken(lk.apiKey, lk.apiSecret, { identity: 'echo', name: 'Echo' });
    token.addGrant({ roomJoin: true, room: room.roomName, canPublish: true, canSubscribe: true, canPublishData: true });
    const echo = await startParticipant({
      serverUrl: lk.url,
      token: await token.toJwt(),
      name: 'echo',
      logDir: dir,
      listenTo: candidate.identity,
      speakFirst: true,
      answers: ECHO_LINES,
      publishTranscripts: true,
      publishSampleRate: 16000,
    });

    // The candidate hears the echo's first sentence as one segment of about its length.
    const heard = await candidate.waitForSegments(1, 30_000);
    timings.joinToMediaMs = candidate.firstAudioAt! - joinStarted;
    timings.joinToFirstSpeechHeardMs = heard.start - joinStarted;
    const said = echo.answers[0]!;
    expect(said.audioMs).toBeGreaterThan(2_000);
    expect(heard.durationMs).toBeGreaterThan(said.audioMs * 0.6);
    expect(heard.durationMs).toBeLessThan(said.audioMs * 1.5 + 300);
    expect(heard.peakRms).toBeGreaterThan(1_000);
    expect(heard.start).toBeGreaterThanOrEqual(said.startedAt - 50);

    // It answers once the echo has stopped; the echo hears the candidate's published audio.
    const answer = await candidate.waitForAnswers(1, 30_000);
    expect(answer.text).toBe(ANSWER);
    expect(answer.startedAt).toBeGreaterThanOrEqual(heard.end + 900); // the 1 s hangover
    const echoHeard = await echo.waitForSegments(1, 30_000);
    expect(echoHeard.durationMs).toBeGreaterThan(answer.audioMs * 0.6);
    expect(echoHeard.durationMs).toBeLessThan(answer.audioMs * 1.5 + 300);

    // The echo replies; the candidate measures the latency from its last answer frame.
    const replied = await candidate.waitForReply(1, 30_000);
    expect(replied.latencyMs).toBeGreaterThan(0);
    timings.echoReplyLatencyMs = replied.latencyMs; // ≈ echo's 1 s hangover + transport
    expect(candidate.latencies()).toEqual([replied.latencyMs]);
    await candidate.waitForSegments(2, 30_000);

    // Transcription streams (lk.transcription) reach the candidate under the sender's identity.
    await candidate.waitFor(() => candidate.transcripts.length >= 2, { timeoutMs: 10_000, what: 'transcripts' });
    expect(candidate.heardText()).toBe(ECHO_LINES.join(' '));
    expect(candidate.transcripts.every((t) => t.participantIdentity === 'echo' && t.final)).toBe(true);
    expect(candidate.participants.some((p) => p.identity === 'echo' && p.event === 'connected')).toBe(true);

    // LiveKit reported both participants as joined (media connected), signed with the API key.
    await sleep(0);
    const joined = () => new Set(sink.events.filter((e) => e.event === 'participant_joined').map((e) => e.participant?.identity));
    await expect.poll(() => joined().has(candidate.identity) && joined().has('echo'), { timeout: 15_000, interval: 200 }).toBe(true);
    expect(sink.rejected).toBe(0);

    await echo.leave();
    await candidate.waitFor(() => candidate.participants.some((p) => p.identity === 'echo' && p.event === 'disconnected'), {
      timeoutMs: 10_000,
      what: 'echo leaving',
    });
    await candidate.leave();
    expect(candidate.exit).toEqual({ code: 0, signal: null });
    expect(echo.exit).toEqual({ code: 0, signal: null });
  });

  it('a dropped participant vanishes without a leave; the other side sees it go', { timeout: 120_000 }, async () => {
    const room = await createInterviewRoom(api, { phoneNumber: '+971501112233' });
    const candidate = await startCandidate({
      apiUrl: api.url,
      roomCode: room.roomCode,
      phoneNumber: '+971501112233',
      name: 'dropper',
      logDir: dir,
      listenTo: 'echo2',
      answers: [ANSWER],
      dropAfterAnswers: 1,
    });
    const token = new AccessToken(lk.apiKey, lk.apiSecret, { identity: 'echo2' });
    token.addGrant({ roomJoin: true, room: room.roomName, canPublish: true, canSubscribe: true });
    const echo = await startParticipant({
      serverUrl: lk.url,
      token: await token.toJwt(),
      name: 'echo2',
      logDir: dir,
      listenTo: candidate.identity,
      speakFirst: true,
      answers: ['Hello there, can you hear me?'],
    });
    await candidate.exited;
    expect(candidate.exit?.signal).toBe('SIGKILL');
    expect(candidate.dropped).toBeDefined();
    expect(candidate.answers[0]?.lastFrameAt).toBeDefined();
    // The echo got (most of) the answer, then the candidate is gone: LiveKit notices the dead
    // connection by itself (no leave was sent).
    const got = await echo.waitForSegments(1, 30_000);
    expect(got.durationMs).toBeGreaterThan(1_000);
    await echo.waitFor(() => echo.participants.some((p) => p.identity === candidate.identity && p.event === 'disconnected'), {
      timeoutMs: 60_000,
      what: 'the dropped candidate to disappear',
    });
    timings.dropDetectedMs = echo.participants.find((p) => p.event === 'disconnected')!.at - candidate.dropped!;
    await echo.leave();
  });

  it('speech detector: start after min speech, end after the hangover, clicks ignored', () => {
    const d = new SpeechDetector({ threshold: 300, hangoverMs: 1000, minSpeechMs: 40 });
    let t = 0;
    const feed = (rms: number, ms: number) => {
      const out = [];
      for (let i = 0; i < ms / 10; i++) {
        t += 10;
        const ev = d.push(rms, t, 10);
        if (ev) out.push(ev);
      }
      return out;
    };
    expect(feed(0, 500)).toEqual([]);
    expect(feed(2000, 20)).toEqual([]); // a 20 ms click
    expect(feed(0, 500)).toEqual([]);
    const started = feed(2000, 1500);
    expect(started).toEqual([{ type: 'start', at: 1020, firstLoudAt: 1030 }]);
    expect(feed(0, 900)).toEqual([]); // a pause inside speech
    feed(2000, 100);
    const ended = feed(0, 1100);
    expect(ended).toEqual([{ type: 'end', segment: { start: 1020, end: 3520, durationMs: 2500, peakRms: 2000 } }]);
  });

  it('stop() escalates to SIGKILL and leaves no process of the group behind', { timeout: 30_000 }, async () => {
    // A "worker" that ignores SIGTERM and forks a grandchild, like a job process.
    const script = `
      const { spawn } = require('node:child_process');
      const g = spawn('sleep', ['300'], { stdio: 'ignore' });
      console.log('grandchild ' + g.pid);
      process.on('SIGTERM', () => console.log('ignoring SIGTERM'));
      setTimeout(() => console.log('registered worker'), 200);
      setInterval(() => {}, 1000);`;
    const worker = await startWorker({
      logDir: dir,
      livekit: lk,
      command: [process.execPath, '-e', script],
      stopGraceMs: 1_000,
    });
    expect(worker.readyLine).toBe('registered worker');
    const grandchild = Number(/grandchild (\d+)/.exec(worker.process.log())![1]);
    // Alive and not a zombie waiting to be reaped.
    const alive = (pid: number) => {
      try {
        return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
      } catch {
        return false;
      }
    };
    expect(alive(grandchild)).toBe(true);
    const exit = await worker.stop();
    expect(exit.signal).toBe('SIGKILL');
    expect(worker.process.log()).toContain('ignoring SIGTERM');
    await expect.poll(() => alive(grandchild), { timeout: 5_000 }).toBe(false);

    // Early exit is a failure that shows the log.
    await expect(
      startWorker({ logDir: dir, livekit: lk, command: [process.execPath, '-e', 'console.log("boom"); process.exit(3)'] }),
    ).rejects.toThrow(/exited early \(exit code 3\)[\s\S]*boom/);
    // And a missing entry says so.
    await expect(startWorker({ logDir: dir, livekit: lk, command: [process.execPath, 'agent/nope.ts'] })).rejects.toThrow(/does not exist/);
    // spawnManaged is what all of them use; a plain process stops on SIGTERM.
    const p = spawnManaged({ name: 'sleeper', command: 'sleep', args: ['300'], env: process.env, logDir: dir });
    expect((await p.stop()).signal).toBe('SIGTERM');
  });
});
