// One interview of agent-latency: HR fixtures through the API, the candidate joins (testkit's
// synthetic candidate, pacing 'queue') and answers until the agent ends it, then its turns are
// paired (pairing.ts) and the join → greeting steps read from the join response, the worker's log
// and the stored turns.
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import type { DbHandle } from '../../db/connect.js';
import { startCandidate } from '../../testkit/candidate.js';
import { createInterviewRoom, waitUntil, type Api, type Worker } from '../../testkit/stack.js';
import { completions } from './llm.js';
import { agentJoinedToGreetingMs, pair, type Pairing, type TurnRow } from './pairing.js';
import { answersPerInterview, ANSWERS, LOG_DIR } from './settings.js';

export interface JoinFigures {
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
  /** The agent's participant connected (as the candidate saw it) → the first loud greeting frame. */
  agentJoinedToGreetingMs: number | null;
}

export interface InterviewResult extends Pairing {
  index: number;
  interviewId: string;
  status: string;
  endReason: string | null;
  answersSpoken: number;
  join: JoinFigures;
  seconds: number;
}

/** Worker log lines (pino JSON) from `fromOffset` on. */
export function workerLog(worker: Worker, fromOffset = 0): Record<string, unknown>[] {
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

/** One interview; the candidate's log goes to `logDir` (agent-latency's by default). */
export async function runInterview(index: number, api: Api, worker: Worker, db: DbHandle, logDir = LOG_DIR): Promise<InterviewResult> {
  const started = Date.now();
  const room = await createInterviewRoom(api);
  const finishedBefore = workerLog(worker).filter((l) => l.msg === 'interview finished').length;
  const candidate = await startCandidate({
    apiUrl: api.url,
    roomCode: room.roomCode,
    name: `candidate-${index}`,
    logDir,
    answers: ANSWERS.slice(0, Math.min(ANSWERS.length, answersPerInterview + 3)),
    pacing: 'queue',
    recordWav: false,
  });
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
      agentJoinedToGreetingMs: agentJoinedToGreetingMs(candidate),
    },
    seconds: (Date.now() - started) / 1000,
  };
}
