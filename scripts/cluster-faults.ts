// The fault runs of `npm run cluster -- --fault <name>`: one fault injected into a running
// cluster, and what it cost, printed: what was lost, how long until service came back, how the
// interview ended. Each returns its figures; scripts/cluster.ts prints them and exits non-zero
// when something was lost.
//   worker    SIGKILL of the worker running an interview, mid-interview
//   api       SIGKILL of an API replica under a load of HR writes that clients retry elsewhere
//   node      SIGKILL of the LiveKit node hosting an interview's room
//   postgres  Postgres restarted (immediate stop, 5 s down) mid-interview
import { roomNode, type Cluster } from '../testkit/cluster.js';
import {
  CLUSTER_ANSWERS,
  interviewState,
  logOffsets,
  lostTurns,
  startClusterInterview,
  storedTurns,
  waitForWorkerOf,
  type ClusterInterview,
  waitForEnding,
} from '../testkit/cluster-interview.js';
import type { PrivatePostgres } from '../testkit/private-postgres.js';
import { sleep, waitUntil } from '../testkit/process.js';
import { median } from '../testkit/stats.js';
import { createInterviewRoom } from '../testkit/stack.js';

export interface FaultReport {
  /** Printed as they are. */
  lines: string[];
  /** Acknowledged data lost or applied twice: the run fails. */
  lost: number;
}

const AGENT_KIND = 4;
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** An interview under way: the agent has answered the first answer and it is stored. */
async function interviewUnderWay(c: Cluster, logDir: string): Promise<ClusterInterview> {
  const it = await startClusterInterview(c, { logDir, answers: [...CLUSTER_ANSWERS, ...CLUSTER_ANSWERS] });
  await it.candidate.waitForReply(1, 120_000);
  await waitUntil(async () => (await storedTurns(c.database, it.room.sessionId)).some((t) => t.speaker === 'candidate'), {
    timeoutMs: 30_000,
    what: 'first answer stored',
  });
  return it;
}

/** How the interview ended, once it has; and the turns against those stored before the fault. */
async function ending(c: Cluster, it: ClusterInterview, before: Awaited<ReturnType<typeof storedTurns>>) {
  const ended = await waitForEnding(c.database, it.room.sessionId, 400_000);
  await sleep(5_000); // the evaluation follows the ending
  const st = await interviewState(c.database, it.room.sessionId);
  const after = await storedTurns(c.database, it.room.sessionId);
  const lost = lostTurns(before, after);
  const gapless = after.every((t, i) => t.seq === i + 1);
  await it.candidate.leave();
  return {
    lost: lost.length + (gapless ? 0 : 1) + (st.endings > 1 ? st.endings - 1 : 0),
    lines: [
      `  turns stored before the fault: ${before.length}; lost or changed since: ${lost.length}; now ${after.length}, numbered ${gapless ? 'without a gap' : 'WITH GAPS'}`,
      `  ended ${ended.status} (${ended.end_reason}); endings recorded: ${st.endings}; evaluations: ${st.evaluations}`,
    ],
  };
}

/** When an agent next joined the candidate's room after `since` (the candidate's own record). */
const agentJoinedAfter = (it: ClusterInterview, since: number) =>
  it.candidate.participants.find((p) => p.event === 'connected' && p.kind === AGENT_KIND && p.at > since)?.at;

async function workerFault(c: Cluster, logDir: string): Promise<FaultReport> {
  const it = await interviewUnderWay(c, logDir);
  const first = await waitForWorkerOf(c, it.room.sessionId, 30_000);
  const node = roomNode(c, it.room.roomName)?.name ?? 'unknown';
  const before = await storedTurns(c.database, it.room.sessionId);
  const offsets = logOffsets(c);
  await first.process.stop({ signal: 'SIGKILL', graceMs: 0 });
  const killedAt = Date.now();
  const second = await waitForWorkerOf(c, it.room.sessionId, 120_000, offsets);
  const joined = await waitUntil(() => agentJoinedAfter(it, killedAt), { timeoutMs: 60_000, what: 'an agent back in the room' });
  // The first speech the candidate heard from the new agent (a segment is reported once it ends).
  const heard = await it.candidate.waitFor(() => it.candidate.segments.find((g) => g.start > joined)?.start, {
    timeoutMs: 60_000,
    what: 'the resumed agent heard',
  });
  const end = await ending(c, it, before);
  return {
    lost: end.lost,
    lines: [
      `fault worker: ${first.name} (${first.host}) killed with SIGKILL mid-interview (room on ${node})`,
      `  ${second.name} took the job; the agent was back in the room after ${s(joined - killedAt)}, heard after ${s(heard - killedAt)} (goal ≤ 15 s)`,
      ...end.lines,
    ],
  };
}

async function apiFault(c: Cluster): Promise<FaultReport> {
  const [victim, survivor] = [c.apis[0]!, c.apis[1]!];
  // HR's fixtures through the survivor: a job and the candidates the load applies to it.
  const fixture = await createInterviewRoom(survivor);
  const auth = { ...fixture.auth, 'content-type': 'application/json' };
  const total = 600;
  const candidates: string[] = [];
  for (let i = 0; i < total; i++) {
    const res = await fetch(`${survivor.url}/api/candidates`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({
        firstName: 'Load',
        lastName: `Candidate ${i}`,
        email: `load-${i}@example.com`,
        phoneNumber: `+97150${String(1_000_000 + i)}`,
      }),
    });
    if (res.status !== 201) throw new Error(`fixture candidate ${i}: ${res.status} ${await res.text()}`);
    candidates.push(((await res.json()) as { id: string }).id);
  }
  // The load: each application is sent to a replica in turn; a client that sees it fail (a reset
  // connection, a 5xx) sends it to the other, as a load balancer with retries does. 409 on a retry:
  // the first attempt had been applied.
  let next = 0;
  let killedAt = 0;
  const tally = { acknowledged: 0, seenFailures: 0, appliedBeforeFailure: 0, serverErrors: 0, afterKill: 0 };
  const acked: string[] = [];
  const client = async (k: number) => {
    for (let i = next++; i < total; i = next++) {
      let replica = (i + k) % 2 === 0 ? victim : survivor;
      for (let attempt = 0; attempt < 5; attempt++) {
        try {
          const res = await fetch(`${replica.url}/api/applications`, {
            method: 'POST',
            headers: auth,
            body: JSON.stringify({ jobId: fixture.jobId, candidateId: candidates[i] }),
            signal: AbortSignal.timeout(5_000),
          });
          if (res.status >= 500) tally.serverErrors++;
          if (res.status === 201 || (res.status === 409 && attempt > 0)) {
            if (res.status === 201) acked.push(candidates[i]!);
            else tally.appliedBeforeFailure++;
            tally.acknowledged++;
            if (killedAt) tally.afterKill++;
            break;
          }
          throw new Error(`status ${res.status}`);
        } catch {
          tally.seenFailures++;
          replica = replica === victim ? survivor : victim;
        }
      }
    }
  };
  const load = Promise.all(Array.from({ length: 8 }, (_, k) => client(k)));
  await waitUntil(() => next > total / 3, { timeoutMs: 60_000, intervalMs: 20, what: 'a third of the load sent' });
  await victim.process.stop({ signal: 'SIGKILL', graceMs: 0 });
  killedAt = Date.now();
  await load;
  const rows = await c.database.db
    .selectFrom('applications')
    .select(({ fn }) => ['candidate_id', fn.countAll<number>().as('n')])
    .where('job_id', '=', fixture.jobId)
    .groupBy('candidate_id')
    .execute();
  const count = new Map(rows.map((r) => [r.candidate_id, Number(r.n)]));
  const missing = acked.filter((id) => !count.has(id)).length;
  const doubled = rows.filter((r) => Number(r.n) > 1).length;
  const unanswered = total - tally.acknowledged;
  return {
    lost: missing + doubled + unanswered,
    lines: [
      `fault api: ${victim.name} killed with SIGKILL a third of the way through ${total} HR writes (8 clients, replicas in turn, retry on the other)`,
      `  acknowledged ${tally.acknowledged}/${total} (${tally.afterKill} after the kill); failures the clients saw and retried: ${tally.seenFailures}; of those already applied (409 on the retry): ${tally.appliedBeforeFailure}`,
      `  acknowledged but not stored: ${missing}; stored twice: ${doubled}; never acknowledged: ${unanswered}; 5xx answers: ${tally.serverErrors}`,
    ],
  };
}

/** Log lines matching `pattern` that these processes wrote after `offsets`. */
const linesAfter = (procs: { process: { log(): string } }[], offsets: number[], pattern: RegExp) =>
  procs.flatMap((p, i) =>
    p.process
      .log()
      .slice(offsets[i])
      .split('\n')
      .filter((l) => pattern.test(l)),
  );

async function nodeFault(c: Cluster, logDir: string): Promise<FaultReport> {
  const it = await interviewUnderWay(c, logDir);
  const node = await waitUntil(() => roomNode(c, it.room.roomName), { timeoutMs: 10_000, what: "the room's node" });
  const before = await storedTurns(c.database, it.room.sessionId);
  await node.process.stop({ signal: 'SIGKILL', graceMs: 0 });
  const killedAt = Date.now();
  // The candidate's client reconnects through the balancer (LiveKit moves the room to a live node);
  // or it gives up, as a page with no network does.
  const back = await waitUntil(() => agentJoinedAfter(it, killedAt) ?? (it.candidate.disconnected ? -1 : undefined), {
    timeoutMs: 120_000,
    what: 'an agent back in the room, or the candidate disconnected',
  }).catch(() => undefined);
  const moved = roomNode(c, it.room.roomName);
  const end = await ending(c, it, before);
  return {
    lost: end.lost,
    lines: [
      `fault node: ${node.name}, which hosted the room, killed with SIGKILL mid-interview`,
      back === undefined
        ? '  within 120 s: no agent back in the room, and the candidate was not told it was disconnected'
        : back === -1
          ? `  the candidate's client gave up (${it.candidate.disconnected?.reason}) after ${s(it.candidate.disconnected!.at - killedAt)}`
          : `  the room went on on ${moved?.name ?? '?'}: an agent was back in it after ${s(back - killedAt)}`,
      ...end.lines,
    ],
  };
}

const OUTAGE_MS = 15_000;

async function postgresFault(c: Cluster, logDir: string, postgres?: PrivatePostgres): Promise<FaultReport> {
  if (!postgres) throw new Error('the postgres fault runs on a private Postgres (scripts/cluster.ts starts one)');
  const it = await interviewUnderWay(c, logDir);
  const before = await storedTurns(c.database, it.room.sessionId);
  const workerOffsets = c.workers.map((w) => w.process.log().length);
  const apiOffsets = c.apis.map((a) => a.process.log().length);
  const { downAt, upAt } = await postgres.restart(OUTAGE_MS);
  const end = await ending(c, it, before);
  const spokenDuring = (
    await c.database.db
      .selectFrom('transcript_turns')
      .select(({ fn }) => fn.countAll<number>().as('n'))
      .where('interview_id', '=', it.room.sessionId)
      .where('started_at_ms', '>=', downAt)
      .where('started_at_ms', '<=', upAt)
      .executeTakeFirstOrThrow()
  ).n;
  const gaps = (from: number, to: number) =>
    it.candidate.answers
      .filter((a) => a.lastFrameAt !== undefined && a.lastFrameAt >= from && a.lastFrameAt < to && a.latencyMs !== undefined)
      .map((a) => a.latencyMs!);
  const [gapsBefore, gapsDuring] = [gaps(0, downAt), gaps(downAt, upAt)];
  const retries = linesAfter(c.workers, workerOffsets, /transcript write failed; retrying/).length;
  const removals = linesAfter(c.apis, apiOffsets, /stopped its heartbeat/).length;
  return {
    lost: end.lost + (removals > 0 ? removals : 0),
    lines: [
      `fault postgres: the database stopped (immediate, as a crash) mid-interview for ${s(upAt - downAt)}, then started again`,
      `  turns spoken while it was down, stored once it was back: ${Number(spokenDuring)}; transcript writes retried: ${retries}`,
      `  reply gap while it was down: median ${gapsDuring.length ? Math.round(median(gapsDuring)) : 'n/a'} ms over ${gapsDuring.length} answer(s), against ${Math.round(median(gapsBefore))} ms before (the audio path never waits for a write)`,
      `  live interviewers removed by the watchdog for a heartbeat silent during the outage: ${removals} (should be 0)`,
      ...end.lines,
    ],
  };
}

export const FAULTS: Record<string, (c: Cluster, logDir: string, postgres?: PrivatePostgres) => Promise<FaultReport>> = {
  worker: workerFault,
  api: apiFault,
  postgres: postgresFault,
  node: nodeFault,
};
