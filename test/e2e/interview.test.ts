// Voice interviews end to end, on real parts inside the test's own network namespace: the LiveKit
// server, the API, the agent worker (offline speech: flite, pocketsphinx; the scripted
// OpenAI-compatible LLM), Postgres, and a synthetic candidate who joins through the API, answers
// with flite speech when the agent stops talking, and records what it hears.
import { sql } from 'kysely';
import { ParticipantKind } from '@livekit/rtc-node';
import { RoomServiceClient } from 'livekit-server-sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRoomService } from '../../core/livekit.js';
import { connectDatabase, type DbHandle } from '../../db/connect.js';
import { EVALUATION_PROMPT_VERSION } from '../../prompts/evaluation.js';
import { leaveAll, normalise, startCandidate, type Candidate, type CandidateOptions } from '../../testkit/candidate.js';
import { productScript, startFakeLlm, type FakeLlm } from '../../testkit/fake-llm.js';
import { createInterviewRoom, startStack, startWorker, stopAll, waitUntil, type Stack } from '../../testkit/stack.js';

const QUESTIONS = 3;
const ANSWERS = [
  'I spent five years building payment services with node and postgres at a bank.',
  'I designed a ledger service that processed one million transfers every day.',
  'I write unit tests and integration tests and I run them on every change.',
];

let fake: FakeLlm;
let stack: Stack | undefined;
let db: DbHandle | undefined;

beforeAll(async () => {
  fake = await startFakeLlm(productScript(QUESTIONS));
});
afterEach(async () => {
  await leaveAll();
  await db?.close();
  db = undefined;
  await stack?.stop();
  stack = undefined;
}, 60_000);
afterAll(async () => {
  await stopAll();
  await fake?.close();
});

const scriptedLlm = () => ({ LLM_BASE_URL: fake.baseUrl, LLM_API_KEY: 'test', LLM_MODEL: 'scripted' });

async function interviewStack(name: string, env: Record<string, string> = scriptedLlm()) {
  stack = await startStack(name, {
    env: { STT_PROVIDER: 'local', TTS_PROVIDER: 'local', AGENT_MAX_FOLLOW_UPS: '0', ...env },
    worker: {},
  });
  db = await connectDatabase({ databaseUrl: stack.api.database.url, dataDir: '.data', poolSize: 2 });
  return stack;
}

/** The stack, an interview room HR makes through its API, and the candidate who joins it. */
async function interviewWithCandidate(
  name: string,
  options: Omit<CandidateOptions, 'apiUrl' | 'roomCode' | 'logDir'>,
  o: { env?: Record<string, string>; room?: Record<string, unknown> } = {},
) {
  const s = await interviewStack(name, o.env);
  const room = await createInterviewRoom(s.api, o.room ? { room: o.room } : {});
  const candidate: Candidate = await startCandidate({ apiUrl: s.api.url, roomCode: room.roomCode, logDir: s.dir, ...options });
  return { s, room, candidate };
}

const interview = async (id: string) =>
  (
    await sql<{ status: string; end_reason: string | null; started_at: Date | null; ended_at: Date | null }>`
      SELECT status, end_reason, started_at, ended_at FROM interviews WHERE id = ${id}`.execute(db!.db)
  ).rows[0]!;

const turns = async (id: string) =>
  (
    await sql<{ seq: number; speaker: string; text: string; started_at_ms: number }>`
      SELECT seq, speaker, text, started_at_ms FROM transcript_turns WHERE interview_id = ${id} ORDER BY seq`.execute(db!.db)
  ).rows;

async function waitForStatus(id: string, statuses: string[], timeoutMs: number) {
  return waitUntil(
    async () => {
      const i = await interview(id);
      return statuses.includes(i.status) ? i : undefined;
    },
    { timeoutMs, what: `interview status in ${statuses.join('/')}` },
  );
}

/** The interview's evaluation, once stored. */
const storedEvaluation = (id: string) =>
  waitUntil(
    async () =>
      (
        await sql<{ scored: boolean; score: number | null; prompt_version: string; not_scored_reason: string | null }>`
          SELECT scored, score, prompt_version, not_scored_reason FROM evaluations WHERE interview_id = ${id}`.execute(db!.db)
      ).rows[0],
    { timeoutMs: 30_000, what: 'evaluation stored' },
  );

async function roomGone(s: Stack, roomName: string) {
  const rooms = new RoomServiceClient(s.livekit.url.replace(/^ws/, 'http'), s.livekit.apiKey, s.livekit.apiSecret);
  await waitUntil(async () => ((await rooms.listRooms([roomName])).length === 0 ? true : undefined), {
    timeoutMs: 30_000,
    what: `room ${roomName} deleted`,
  });
}

describe('voice interview, end to end', () => {
  it(
    'runs a full interview: greeting, every question, turns stored in order, evaluation, COMPLETED, room gone',
    { timeout: 300_000 },
    async () => {
      const { s, room, candidate } = await interviewWithCandidate('interview-full', { answers: ANSWERS });
      // The agent arrives in seconds (the worker reports its real load, not a fixed one).
      expect((await candidate.waitForFirstSpeech(60_000)) - candidate.connectedAt).toBeLessThan(15_000);
      // A second dispatch into the room (a watchdog's, racing a slow agent) must not bring a
      // second interviewer: that job asks the server who is in the room and stays out.
      await createRoomService(s.livekit).dispatchAgent(room.roomName, room.sessionId);
      await s.worker!.process.waitForLog(/another interviewer is already in the room/, { timeoutMs: 30_000 });

      const ended = await waitForStatus(room.sessionId, ['COMPLETED', 'TIMED_OUT', 'ABANDONED', 'FAILED'], 240_000);
      expect(ended).toMatchObject({ status: 'COMPLETED', end_reason: 'completed' });

      // What the candidate heard: the greeting with the AI notice, then every planned question.
      const heard = normalise(candidate.heardText());
      expect(heard).toContain('hello ahmed');
      expect(heard).toContain('conducted by an ai interviewer');
      const questions = (
        await sql<{ text: string }>`SELECT text FROM interview_questions WHERE interview_id = ${room.sessionId} ORDER BY position`.execute(
          db!.db,
        )
      ).rows;
      expect(questions).toHaveLength(QUESTIONS);
      for (const q of questions) expect(heard).toContain(normalise(q.text));
      expect(candidate.answers.filter((a) => a?.lastFrameAt)).toHaveLength(ANSWERS.length);
      expect(candidate.participants.filter((p) => p.event === 'connected' && p.kind === ParticipantKind.AGENT)).toHaveLength(1);

      // Stored as spoken: every candidate answer is a non-empty turn, in order, between agent turns.
      const stored = await turns(room.sessionId);
      const candidateTurns = stored.filter((t) => t.speaker === 'candidate');
      expect(candidateTurns.length).toBeGreaterThanOrEqual(ANSWERS.length);
      for (const t of candidateTurns) expect(t.text.trim()).not.toBe('');
      expect(stored.map((t) => t.seq)).toEqual(stored.map((_, i) => i + 1));
      for (let i = 1; i < stored.length; i++) expect(stored[i]!.started_at_ms).toBeGreaterThanOrEqual(stored[i - 1]!.started_at_ms);
      expect(stored[0]!.speaker).toBe('agent');

      const evaluation = await storedEvaluation(room.sessionId);
      expect(evaluation).toMatchObject({ scored: true, score: 72, prompt_version: EVALUATION_PROMPT_VERSION });
      await roomGone(s, room.roomName);
    },
  );

  it(
    'stops at a short maxDuration while the candidate keeps talking: wrap-up heard, TIMED_OUT, on time',
    { timeout: 240_000 },
    async () => {
      const { s, room, candidate } = await interviewWithCandidate(
        'interview-time-limit',
        { answers: ANSWERS, keepTalking: true },
        { room: { maxDuration: 60 } },
      );
      const ended = await waitForStatus(room.sessionId, ['COMPLETED', 'TIMED_OUT', 'ABANDONED', 'FAILED'], 150_000);
      expect(ended).toMatchObject({ status: 'TIMED_OUT', end_reason: 'time_limit' });
      const heard = normalise(candidate.heardText());
      expect(heard).toContain('almost out of time');
      expect(heard).toContain('reached the time limit');
      // Ended no later than the limit plus a few seconds (the goodbye), counted from the start.
      const started = ended.started_at!.getTime();
      expect(ended.ended_at!.getTime() - started).toBeLessThanOrEqual(60_000 + 12_000);
      await roomGone(s, room.roomName);
    },
  );

  it('keeps the transcript of a candidate who drops mid-interview, and ends it ABANDONED', { timeout: 240_000 }, async () => {
    const { s, room, candidate } = await interviewWithCandidate(
      'interview-drop',
      { answers: ANSWERS, dropAfterAnswers: 1 },
      { env: { ...scriptedLlm(), AGENT_REJOIN_GRACE_S: '3' } },
    );
    await candidate.waitForAnswers(1, 90_000);
    const ended = await waitForStatus(room.sessionId, ['COMPLETED', 'TIMED_OUT', 'ABANDONED', 'FAILED'], 120_000);
    expect(ended).toMatchObject({ status: 'ABANDONED', end_reason: 'candidate_left' });
    const stored = await turns(room.sessionId);
    expect(stored.filter((t) => t.speaker === 'candidate').length).toBeGreaterThanOrEqual(1);
    expect(stored[0]!.speaker).toBe('agent');
    expect(normalise(stored[0]!.text)).toContain('hello ahmed');
    await roomGone(s, room.roomName);
  });

  it(
    'runs with no keys at all: structured mode asks the bank questions verbatim and stores no invented score',
    { timeout: 300_000 },
    async () => {
      const longAnswers = ANSWERS.map((a) => `${a} That is the short version of a longer story about my work.`);
      const { s, room, candidate } = await interviewWithCandidate(
        'interview-structured',
        { answers: [...longAnswers, ...longAnswers] },
        { env: {} },
      );
      const ended = await waitForStatus(room.sessionId, ['COMPLETED', 'TIMED_OUT', 'ABANDONED', 'FAILED'], 280_000);
      expect(ended).toMatchObject({ status: 'COMPLETED', end_reason: 'completed' });
      const questions = (
        await sql<{
          text: string;
          source: string;
        }>`SELECT text, source FROM interview_questions WHERE interview_id = ${room.sessionId} ORDER BY position`.execute(db!.db)
      ).rows;
      expect(questions.length).toBeGreaterThan(0);
      expect(new Set(questions.map((q) => q.source))).toEqual(new Set(['bank']));
      const heard = normalise(candidate.heardText());
      expect(heard).toContain('conducted by an ai interviewer');
      for (const q of questions) expect(heard).toContain(normalise(q.text));
      const evaluation = await storedEvaluation(room.sessionId);
      expect(evaluation).toMatchObject({ scored: false, score: null });
      expect(evaluation.not_scored_reason).toMatch(/No LLM is configured/);
      await roomGone(s, room.roomName);
    },
  );

  it(
    'replaces a worker killed with SIGKILL mid-interview: a new agent resumes, welcome back, no stored turn lost',
    { timeout: 300_000 },
    async () => {
      const { s, room, candidate } = await interviewWithCandidate('interview-worker-killed', { answers: [...ANSWERS, ...ANSWERS] });
      await candidate.waitForReply(1, 120_000);
      await waitUntil(async () => (await turns(room.sessionId)).some((t) => t.speaker === 'candidate'), {
        timeoutMs: 30_000,
        what: 'first answer stored',
      });
      const before = await turns(room.sessionId);

      // kill -9: no shutdown callback runs, the job process dies with the worker's process group.
      await s.worker!.process.stop({ signal: 'SIGKILL', graceMs: 0 });
      const killedAt = Date.now();
      const heardBefore = candidate.heardUtterances().length;
      const second = await startWorker({
        logDir: `${s.dir}/worker-2`,
        livekit: s.livekit,
        databaseUrl: s.api.database.url,
        env: { ...scriptedLlm(), STT_PROVIDER: 'local', TTS_PROVIDER: 'local', AGENT_MAX_FOLLOW_UPS: '0' },
      });
      try {
        // The API notices the candidate alone and dispatches again; the new agent says welcome back.
        await waitUntil(() => normalise(candidate.heardUtterances().slice(heardBefore).join(' ')).includes('welcome back'), {
          timeoutMs: 60_000,
          what: 'the resumed agent welcomes the candidate back',
        });
        const resumedAfterMs = Date.now() - killedAt;
        expect(resumedAfterMs).toBeLessThan(45_000);
        const ended = await waitForStatus(room.sessionId, ['COMPLETED', 'TIMED_OUT', 'ABANDONED', 'FAILED'], 200_000);
        expect(ended).toMatchObject({ status: 'COMPLETED', end_reason: 'completed' });
        const after = await turns(room.sessionId);
        // Every turn stored before the crash is still there, as it was; numbering goes on without a gap.
        expect(after.slice(0, before.length)).toEqual(before);
        expect(after.map((t) => t.seq)).toEqual(after.map((_, i) => i + 1));
        expect(after.length).toBeGreaterThan(before.length);
        const endings = (
          await sql<{
            n: number;
          }>`SELECT count(*)::int AS n FROM audit_log WHERE interview_id = ${room.sessionId} AND action = 'interview.ended'`.execute(db!.db)
        ).rows[0]!.n;
        expect(endings).toBe(1);
        await waitUntil(
          async () =>
            (await sql<{ n: number }>`SELECT count(*)::int AS n FROM evaluations WHERE interview_id = ${room.sessionId}`.execute(db!.db))
              .rows[0]!.n === 1,
          { timeoutMs: 30_000, what: 'one evaluation stored' },
        );
      } finally {
        await second.stop();
      }
    },
  );
});
