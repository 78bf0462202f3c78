// One interview's clocks and ending (agent/interview-run.ts), with fake timers and no LiveKit: a
// stand-in session and room emit the framework's events, the database is real Postgres. Silence
// (check in, then end), the rejoin grace, the wrap-up and the hard stop, and finalize once.
import { EventEmitter } from 'node:events';
import { llm, voice } from '@livekit/agents';
import { RoomEvent } from '@livekit/rtc-node';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { InterviewRun } from '../../agent/interview-run.js';
import { createLogger } from '../../core/logger.js';
import { INTERVIEWER_PROMPT_VERSION, lines } from '../../prompts/interviewer.js';
import { hrUser, recordingRooms, room, startHarness, type Harness } from '../../testkit/api.js';

const E = voice.AgentSessionEventTypes;

/** The parts of voice.AgentSession the run uses: events, say, interrupt, shutdown, close. */
class FakeSession extends EventEmitter {
  llm: unknown = undefined;
  said: { text: string; allowInterruptions?: boolean }[] = [];
  shutdowns: string[] = [];
  interrupts = 0;
  say(text: string, opts: { allowInterruptions?: boolean } = {}) {
    this.said.push({ text, allowInterruptions: opts.allowInterruptions });
  }
  interrupt() {
    this.interrupts += 1;
  }
  shutdown({ reason }: { drain?: boolean; reason: string }) {
    this.shutdowns.push(reason);
    // The framework closes the session once the goodbye has played out.
    setTimeout(() => this.emit(E.Close, { reason }), 0);
  }
  async close() {
    this.emit(E.Close, { reason: 'user_initiated' });
  }
  agentSays(state: 'speaking' | 'listening') {
    this.emit(E.AgentStateChanged, { newState: state });
  }
  candidate(state: 'speaking' | 'listening') {
    this.emit(E.UserStateChanged, { newState: state });
  }
}

const SILENCE_S = 20;
const GRACE_S = 20;

let h: Harness;
const lk = recordingRooms();
beforeAll(async () => {
  h = await startHarness(
    { AGENT_SILENCE_TIMEOUT_S: String(SILENCE_S), AGENT_REJOIN_GRACE_S: String(GRACE_S), AGENT_WRAP_UP_S: '60' },
    undefined,
    { rooms: lk.service },
  );
});
afterAll(() => h?.close());
afterEach(() => {
  vi.useRealTimers();
});

async function startRun(maxDuration = 1800) {
  const hr = await hrUser(h);
  const r = await room(h, hr.auth, { maxDuration });
  const prepared = await InterviewRun.prepare(
    { config: h.config, db: h.deps.db, log: createLogger('silent'), planner: null, rooms: lk.service },
    r.sessionId,
  );
  const session = new FakeSession();
  const roomEvents = new EventEmitter();
  // Fake timers from here: the run's clocks (setTimeout) and Date.now are the test's.
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  const run = prepared!.create(session as unknown as voice.AgentSession);
  run.attach(roomEvents as never);
  await run.planned;
  return { r, hr, run, session, roomEvents };
}

const row = async (id: string) =>
  (await sql<{ status: string; end_reason: string | null }>`SELECT status, end_reason FROM interviews WHERE id = ${id}`.execute(h.deps.db))
    .rows[0]!;
const evaluations = async (id: string) =>
  (await sql<{ n: number }>`SELECT count(*)::int AS n FROM evaluations WHERE interview_id = ${id}`.execute(h.deps.db)).rows[0]!.n;
const texts = (s: FakeSession) => s.said.map((x) => x.text);

describe('silence', () => {
  it('checks in after the timeout, ends after as long again, and finalizes ABANDONED with one evaluation', async () => {
    const { r, run, session } = await startRun();
    session.agentSays('speaking'); // the greeting
    await vi.advanceTimersByTimeAsync(60_000);
    expect(texts(session)).toEqual([]); // no clock while the agent talks
    session.agentSays('listening');
    await vi.advanceTimersByTimeAsync(SILENCE_S * 1000 - 100);
    expect(texts(session)).toEqual([]);
    await vi.advanceTimersByTimeAsync(200);
    expect(texts(session)).toEqual([lines.checkIn]);
    session.agentSays('speaking');
    session.agentSays('listening');
    await vi.advanceTimersByTimeAsync(SILENCE_S * 1000 + 100);
    expect(texts(session)).toEqual([lines.checkIn, lines.silentGoodbye]);
    expect(session.shutdowns).toEqual(['candidate_silent']);
    await run.finish(null);
    expect(await row(r.sessionId)).toEqual({ status: 'ABANDONED', end_reason: 'candidate_silent' });
    expect(await evaluations(r.sessionId)).toBe(1);
    expect(lk.deleted).toContain(r.roomName);
  });

  it('starts over when the candidate speaks after the check-in', async () => {
    const { run, session } = await startRun();
    session.agentSays('listening');
    await vi.advanceTimersByTimeAsync(SILENCE_S * 1000 + 100);
    expect(texts(session)).toEqual([lines.checkIn]);
    session.candidate('speaking');
    session.candidate('listening');
    await vi.advanceTimersByTimeAsync(SILENCE_S * 1000 + 100);
    // A fresh first check-in, not the goodbye.
    expect(texts(session)).toEqual([lines.checkIn, lines.checkIn]);
    expect(session.shutdowns).toEqual([]);
    expect(run.ending).toBe(false);
  });
});

describe('a candidate who leaves', () => {
  it('may come back within the grace; one who does not ends ABANDONED as having left', async () => {
    const { r, run, session, roomEvents } = await startRun();
    session.candidate('speaking'); // heard: IN_PROGRESS
    session.candidate('listening');
    session.agentSays('listening');
    const candidate = { identity: 'candidate_971509876543' };
    roomEvents.emit(RoomEvent.ParticipantDisconnected, candidate);
    await vi.advanceTimersByTimeAsync(GRACE_S * 1000 - 1_000);
    roomEvents.emit(RoomEvent.ParticipantConnected, candidate);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(session.shutdowns).toEqual([]);
    roomEvents.emit(RoomEvent.ParticipantDisconnected, candidate);
    // The silence rule does not run for a candidate who is not in the room.
    await vi.advanceTimersByTimeAsync(GRACE_S * 1000 + 100);
    expect(texts(session)).not.toContain(lines.checkIn);
    expect(session.shutdowns).toEqual(['candidate_left']);
    await run.finish(null);
    expect(await row(r.sessionId)).toEqual({ status: 'ABANDONED', end_reason: 'candidate_left' });
  });
});

describe('time', () => {
  it('wraps up before the limit, stops hard at it, and ends TIMED_OUT with the plan unfinished', async () => {
    const { r, run, session } = await startRun(120); // wrap-up lead: min(60 s, a quarter) = 30 s
    session.candidate('speaking');
    // Keep talking the whole time: the silence rule never fires, the clocks do.
    await vi.advanceTimersByTimeAsync(90_000 - 100);
    expect(texts(session)).not.toContain(lines.wrapUp);
    await vi.advanceTimersByTimeAsync(200);
    expect(session.said.at(-1)).toEqual({ text: lines.wrapUp, allowInterruptions: false });
    expect(run.wrappingUp).toBe(true);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(session.interrupts).toBe(1);
    expect(session.said.at(-1)).toEqual({ text: lines.timeUp, allowInterruptions: false });
    expect(session.shutdowns).toEqual(['time_limit']);
    await run.finish(null);
    expect(await row(r.sessionId)).toEqual({ status: 'TIMED_OUT', end_reason: 'time_limit' });
  });
});

describe('finalize once', () => {
  it('stores one ending and one evaluation however often the session closes and the job shuts down', async () => {
    const { r, run, session } = await startRun();
    session.candidate('speaking');
    run.end('completed');
    session.emit(E.Close, { reason: 'error' });
    session.emit(E.Close, { reason: 'participant_disconnected' });
    await Promise.all([run.finish(null), run.finish('agent_failed')]);
    await vi.advanceTimersByTimeAsync(100);
    await run.finish(null);
    expect(await row(r.sessionId)).toEqual({ status: 'COMPLETED', end_reason: 'completed' });
    expect(await evaluations(r.sessionId)).toBe(1);
    const ended = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM audit_log WHERE interview_id = ${r.sessionId} AND action = 'interview.ended'`.execute(h.deps.db);
    expect(ended.rows[0]!.n).toBe(1);
  });

  it('evaluates an interview the API ended (the room deleted) and changes nothing else', async () => {
    const { r, hr, run, session } = await startRun();
    session.candidate('speaking');
    await vi.advanceTimersByTimeAsync(10);
    const end = await h.request(`/api/interviews/${r.sessionId}/end`, { method: 'POST', headers: hr.auth });
    expect(end.status).toBe(200);
    session.emit(E.Close, { reason: 'job_shutdown' });
    await run.finish(null);
    expect(await row(r.sessionId)).toEqual({ status: 'COMPLETED', end_reason: 'hr_ended' });
    expect(await evaluations(r.sessionId)).toBe(1);
  });

  it('leaves an interview open when the worker only drains (the next agent resumes it)', async () => {
    const { r, run, session } = await startRun();
    session.candidate('speaking');
    session.emit(E.Close, { reason: 'job_shutdown' });
    await run.finish(null);
    expect((await row(r.sessionId)).status).toBe('IN_PROGRESS');
    expect(await evaluations(r.sessionId)).toBe(0);
  });
});

describe('what each prompt produced', () => {
  it('stores an agent turn with the interviewer prompt version, a candidate turn and a bank question with none', async () => {
    const { r, run, session } = await startRun();
    session.emit(E.ConversationItemAdded, {
      item: llm.ChatMessage.create({ role: 'assistant', content: 'Tell me about a system you built.' }),
    });
    run.candidateTurn('A billing service in TypeScript.');
    await vi.advanceTimersByTimeAsync(10);
    await run.writer.flush();
    const turns = await h.deps.db
      .selectFrom('transcript_turns')
      .select(['speaker', 'prompt_version'])
      .where('interview_id', '=', r.sessionId)
      .orderBy('seq')
      .execute();
    expect(turns).toEqual([
      { speaker: 'agent', prompt_version: INTERVIEWER_PROMPT_VERSION },
      { speaker: 'candidate', prompt_version: null },
    ]);
    // No planner: the built-in bank, which no prompt wrote.
    const questions = await h.deps.db
      .selectFrom('interview_questions')
      .select(['source', 'prompt_version'])
      .where('interview_id', '=', r.sessionId)
      .execute();
    expect(questions.length).toBeGreaterThan(0);
    expect(new Set(questions.map((q) => `${q.source}:${q.prompt_version}`))).toEqual(new Set(['bank:null']));
  });
});
