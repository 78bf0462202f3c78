// One voice interview on the cluster (testkit/cluster.ts), as HR and a candidate make it: HR
// creates the room on one API replica, the candidate joins through another, and a synthetic
// candidate talks to whichever worker LiveKit gave the job. What the cluster test and the fault
// runs share: where the job runs, killing that worker, and what Postgres holds.
import { sql } from 'kysely';
import type { DbHandle } from '../db/connect.js';
import { startCandidate, type Candidate } from './candidate.js';
import type { Cluster, ClusterWorker } from './cluster.js';
import { createInterviewRoom, waitUntil, type InterviewRoom } from './stack.js';

/** A candidate's answers to the 5 planned questions (tests and benches give each candidate them twice, for spare). */
export const CLUSTER_ANSWERS = [
  'I built payment services in node for five years.',
  'I led a team of four engineers on a ledger.',
  'I write tests for every change I make.',
  'I read the logs and found a slow query.',
  'I would like to learn more about the team.',
];

export interface ClusterInterview {
  room: InterviewRoom;
  candidate: Candidate;
}

/** `api`: the candidate joins through replica `api % replicas` (default: the last; HR always uses the first). */
export async function startClusterInterview(
  c: Cluster,
  o: { logDir: string; answers: string[]; name?: string; api?: number },
): Promise<ClusterInterview> {
  const room = await createInterviewRoom(c.apis[0]!);
  const candidate = await startCandidate({
    apiUrl: c.apis[(o.api ?? c.apis.length - 1) % c.apis.length]!.url,
    roomCode: room.roomCode,
    logDir: o.logDir,
    answers: o.answers,
    ...(o.name ? { name: o.name } : {}),
  });
  return { room, candidate };
}

/** The "interview starting" line a worker's job logged for this interview after `fromOffsets`. */
const startLine = (w: ClusterWorker, interviewId: string, fromOffsets: Map<ClusterWorker, number>) =>
  w.process
    .log()
    .slice(fromOffsets.get(w) ?? 0)
    .split('\n')
    .find((l) => l.includes('interview starting') && l.includes(interviewId));

/** The live worker whose job runs this interview (its "interview starting" line after `fromOffsets`), if any yet. */
export function workerOf(c: Cluster, interviewId: string, fromOffsets = new Map<ClusterWorker, number>()): ClusterWorker | undefined {
  return c.workers.find((w) => !w.process.exit && startLine(w, interviewId, fromOffsets) !== undefined);
}

/** The pid of the job process that runs this interview (from its log line), if any yet. */
export function jobPidOf(c: Cluster, interviewId: string, fromOffsets = new Map<ClusterWorker, number>()): number | undefined {
  for (const w of c.workers) {
    const line = startLine(w, interviewId, fromOffsets);
    if (line) return (JSON.parse(line) as { pid?: number }).pid;
  }
  return undefined;
}

export const waitForWorkerOf = (c: Cluster, interviewId: string, timeoutMs: number, fromOffsets?: Map<ClusterWorker, number>) =>
  waitUntil(() => workerOf(c, interviewId, fromOffsets), { timeoutMs, what: `a worker running interview ${interviewId}` });

/** Every worker's log size now: to look only at what they log after. */
export const logOffsets = (c: Cluster) => new Map(c.workers.map((w) => [w, w.process.log().length]));

export interface StoredTurn {
  seq: number;
  speaker: string;
  text: string;
}

export const storedTurns = async (db: DbHandle, id: string): Promise<StoredTurn[]> =>
  (await sql<StoredTurn>`SELECT seq, speaker, text FROM transcript_turns WHERE interview_id = ${id} ORDER BY seq`.execute(db.db)).rows;

export const interviewState = async (db: DbHandle, id: string) =>
  (
    await sql<{ status: string; end_reason: string | null; endings: number; evaluations: number }>`
      SELECT status, end_reason,
        (SELECT count(*)::int FROM audit_log WHERE interview_id = i.id AND action = 'interview.ended') AS endings,
        (SELECT count(*)::int FROM evaluations WHERE interview_id = i.id) AS evaluations
      FROM interviews i WHERE id = ${id}`.execute(db.db)
  ).rows[0]!;

export const ENDED = ['COMPLETED', 'TIMED_OUT', 'ABANDONED', 'FAILED'];

/** The interview's state once it has ended (polled each second). */
export const waitForEnding = (db: DbHandle, id: string, timeoutMs: number) =>
  waitUntil(
    async () => {
      const s = await interviewState(db, id);
      return ENDED.includes(s.status) ? s : undefined;
    },
    { timeoutMs, intervalMs: 1_000, what: `interview ${id} to end` },
  );

/** Turns stored before that are missing or changed after: what a fault lost. */
export const lostTurns = (before: StoredTurn[], after: StoredTurn[]) =>
  before.filter((t) => {
    const now = after.find((a) => a.seq === t.seq);
    return !now || now.text !== t.text || now.speaker !== t.speaker;
  });
