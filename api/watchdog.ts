// The API's side of reliability. Every couple of seconds one replica (the holder of a lease row)
// reconciles the interviews a candidate has joined against what LiveKit says is in their rooms:
// - the agent arrives: a dispatch is confirmed, not assumed. LiveKit drops a job no worker takes
//   (a worker at its load threshold, none registered yet) and never re-dispatches one whose worker
//   died, so a room with no interviewer some seconds after a join or a dispatch gets the agent
//   sent again, with backoff; the new agent resumes from the stored transcript;
// - an agent that died with its machine stays in the room until LiveKit's ICE timeout (~20 s): one
//   whose heartbeat has gone silent is removed and replaced at once;
// - maxDuration is enforced here too: past its limit (plus a grace) an interview is finalized and
//   its room deleted, even when no agent is alive to do it;
// - an interview that had started and whose room has stayed empty (the candidate gone, no agent
//   left to notice) ends as the candidate leaving;
// - an ended interview that no agent evaluated gets its evaluation.
// LiveKit webhooks (routes/livekit-webhook.ts) trigger the agent check for one room at once; they
// speed it up and are never needed for it.
import { randomUUID } from 'node:crypto';
import { ensureEvaluation, finalize } from '../core/interview-lifecycle.js';
import {
  claimAgentDispatch,
  getLiveRoom,
  listLiveRooms,
  listUnevaluated,
  resetAgentDispatches,
  type LiveRoom,
} from '../db/queries/interviews.js';
import { releaseLease, takeLease } from '../db/queries/leases.js';
import { pruneLivekitEvents } from '../db/queries/livekit-events.js';
import type { RoomParticipant } from '../core/livekit.js';
import type { Deps } from './context.js';

export const WATCHDOG = {
  intervalMs: 2_000,
  /** A replica that stops renewing its lease (crashed) is replaced after this long. */
  leaseMs: 10_000,
  /** Past maxDuration by this much, the agent has had its chance to end the interview. */
  limitGraceMs: 60_000,
  /**
   * After a join or a dispatch, an agent is expected in the room within this long (a job process
   * starts in about a second); then it is sent again, waiting twice as long each time, up to
   * `agentMaxWaitMs`. A duplicate that arrives late leaves by itself (agent/main.ts).
   */
  agentWaitMs: 5_000,
  agentMaxWaitMs: 30_000,
  /**
   * An interviewer whose heartbeat (every HEARTBEAT_MS, 2 s) is this old is dead. Judged only
   * once this replica has reached Postgres for as long without a break: after an outage every
   * heartbeat is old, and the agents are alive.
   */
  agentSilentMs: 6_000,
  /** A started interview whose room stayed empty this long: the candidate left, nobody ended it. */
  emptyRoomMs: 90_000,
  /** An ended interview still without an evaluation this long after: no agent will write it. */
  evaluationGraceMs: 20_000,
  /** Evaluations the sweeper makes per pass (each may be a model call). */
  evaluationsPerTick: 3,
};

export type Watchdog = ReturnType<typeof createWatchdog>;

const LEASE = 'api-watchdog';

/** Every interviewer in the room has been silent for `agentSilentMs` (and was there that long). */
const agentsSilent = (opts: typeof WATCHDOG, i: LiveRoom, agents: RoomParticipant[], t: number) =>
  i.agent_heartbeat_at !== null &&
  t - i.agent_heartbeat_at.getTime() > opts.agentSilentMs &&
  agents.every((a) => t - a.joinedAtMs > opts.agentSilentMs);

/**
 * The agent part, for one room: send it again when it is overdue. `judgeHeartbeats`: this caller
 * has had Postgres long enough to take a silent heartbeat for a dead agent.
 */
async function superviseAgent(
  deps: Deps,
  opts: typeof WATCHDOG,
  i: LiveRoom,
  people: RoomParticipant[],
  t: number,
  judgeHeartbeats = false,
) {
  const { db, log, rooms } = deps;
  const agents = people.filter((p) => p.isAgent);
  if (agents.length > 0) {
    if (!judgeHeartbeats || !agentsSilent(opts, i, agents, t)) {
      if (i.agent_dispatches > 0) await resetAgentDispatches(db, i.id);
      return;
    }
    const silentS = Math.round((t - i.agent_heartbeat_at!.getTime()) / 1000);
    log.warn({ interviewId: i.id, silentS }, 'the interviewer stopped its heartbeat: removing it from the room');
    for (const a of agents) await rooms.removeParticipant(i.room_name, a.identity);
  }
  const candidates = people.filter((p) => p.identity.startsWith('candidate_'));
  if (candidates.length === 0) return;
  // The token's dispatch happens when the candidate's client enters the room (it creates it), which
  // a slow device does seconds after the join answer: the wait counts from the latest of the three.
  const expectedSince = Math.max(i.last_joined_at.getTime(), i.agent_dispatched_at?.getTime() ?? 0, ...candidates.map((p) => p.joinedAtMs));
  const wait = Math.min(opts.agentWaitMs * 2 ** i.agent_dispatches, opts.agentMaxWaitMs);
  if (t - expectedSince < wait) return;
  if (!(await claimAgentDispatch(db, i.id, i.agent_dispatches, new Date(t)))) return; // someone else just did
  log.warn({ interviewId: i.id, attempt: i.agent_dispatches + 1 }, 'no interviewer in the room: dispatching the agent again');
  await rooms.dispatchAgent(i.room_name, i.id);
}

/**
 * A LiveKit event about this room: check its agent now, on whichever replica got the event (the
 * dispatch claim keeps replicas from doubling up).
 */
export async function checkRoomAgent(deps: Deps, roomName: string, opts = WATCHDOG) {
  const i = await getLiveRoom(deps.db, roomName);
  if (i) await superviseAgent(deps, opts, i, await deps.rooms.participants(roomName), deps.now());
}

export function createWatchdog(deps: Deps, opts = WATCHDOG) {
  const { db, log, rooms, now } = deps;
  const holder = randomUUID();
  const emptySince = new Map<string, number>();
  /** Since when every pass has reached Postgres (undefined after a failed one). */
  let reachableSince: number | undefined;
  let ticks = 0;

  async function check(i: LiveRoom, t: number) {
    const from = (i.started_at ?? i.last_joined_at).getTime();
    if (t > from + i.max_duration_s * 1000 + opts.limitGraceMs) {
      emptySince.delete(i.id);
      await finalize(deps, i.id, { reason: 'time_limit_watchdog', actor: 'system', evaluate: false });
      return;
    }
    const people = await rooms.participants(i.room_name);
    // An empty room of an interview that has not started is nothing yet: the candidate may still
    // come (their join holds for the whole window).
    if (people.length > 0 || i.status !== 'IN_PROGRESS') {
      emptySince.delete(i.id);
      return superviseAgent(deps, opts, i, people, t, reachableSince !== undefined && t - reachableSince >= opts.agentSilentMs);
    }
    const since = emptySince.get(i.id) ?? t;
    emptySince.set(i.id, since);
    if (t - since >= opts.emptyRoomMs && t - i.last_joined_at.getTime() >= opts.emptyRoomMs) {
      emptySince.delete(i.id);
      await finalize(deps, i.id, { reason: 'candidate_left', actor: 'system', evaluate: false });
    }
  }

  /** Evaluations may each wait on a model: they run beside the room checks, never holding them up. */
  async function sweepUnevaluated() {
    if (!(await takeLease(db, LEASE, holder, opts.leaseMs))) return;
    for (const { id } of await listUnevaluated(db, new Date(now() - opts.evaluationGraceMs), opts.evaluationsPerTick)) {
      await ensureEvaluation(deps, id);
    }
  }

  async function pass() {
    const t = now();
    let live: LiveRoom[];
    try {
      if (!(await takeLease(db, LEASE, holder, opts.leaseMs))) return;
      live = await listLiveRooms(db);
      reachableSince ??= t;
    } catch (err) {
      reachableSince = undefined;
      throw err;
    }
    for (const i of live) {
      await check(i, t).catch((err: unknown) => log.warn({ err: String(err), interviewId: i.id }, 'watchdog check failed'));
    }
    for (const id of emptySince.keys()) if (!live.some((i) => i.id === id)) emptySince.delete(id);
    if (ticks++ % 300 === 0) await pruneLivekitEvents(db, new Date(t - 24 * 3600_000));
  }

  /** Runs `work` unless its previous run is still going; `idle` waits for that run. */
  const single = (work: () => Promise<void>) => {
    let running: Promise<void> | null = null;
    return {
      run: () =>
        (running ??= work().finally(() => {
          running = null;
        })),
      idle: () => running ?? Promise.resolve(),
    };
  };
  const passes = single(pass);
  const sweeps = single(() => sweepUnevaluated().catch((err: unknown) => log.warn({ err: String(err) }, 'evaluation sweep failed')));

  return {
    /** One pass and one evaluation sweep (each skipped while its previous run goes on); for tests. */
    async tick(): Promise<void> {
      await Promise.all([passes.run(), sweeps.run()]);
    },
    start() {
      const timer = setInterval(
        () => void this.tick().catch((err: unknown) => log.error({ err: String(err) }, 'watchdog failed')),
        opts.intervalMs,
      );
      timer.unref();
      return async () => {
        clearInterval(timer);
        await Promise.all([passes.idle(), sweeps.idle()]).catch(() => {});
        await releaseLease(db, LEASE, holder).catch(() => {});
      };
    },
  };
}
