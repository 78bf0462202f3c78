// The API's side of reliability, run every few seconds by one replica at a time:
// - maxDuration is enforced here too: an interview past its limit (plus a grace) is ended and its
//   room deleted, even when no agent is alive to do it;
// - self-hosted LiveKit never re-dispatches a job whose worker died (nor one created while no
//   worker was registered): a room with the candidate in it and no interviewer for a while gets
//   the agent dispatched again, and the new agent resumes from the stored transcript.
import { listLiveRooms, transitionInterview, withWatchdogLock } from '../db/queries/interviews.js';
import type { Deps } from './context.js';

export const WATCHDOG = {
  intervalMs: 10_000,
  /** Past maxDuration by this much, the agent has had its chance to end the interview. */
  limitGraceMs: 60_000,
  /**
   * A candidate alone this long gets an agent again. A normal dispatch takes a second or two; a
   * starved machine can take far longer, so this is generous (a duplicate agent leaves anyway).
   */
  aloneMs: 45_000,
};

export function createWatchdog(deps: Deps, opts = WATCHDOG) {
  const { db, log, rooms, now } = deps;
  const aloneSince = new Map<string, number>();

  async function check(i: Awaited<ReturnType<typeof listLiveRooms>>[number], t: number) {
    const roomName = i.room_name!;
    const from = (i.started_at ?? i.last_joined_at)!.getTime();
    if (t > from + i.max_duration_s * 1000 + opts.limitGraceMs) {
      aloneSince.delete(i.id);
      const moved = await transitionInterview(db, i.id, {
        from: ['READY', 'IN_PROGRESS'],
        to: { IN_PROGRESS: 'TIMED_OUT', READY: 'ABANDONED' },
        endReason: 'time_limit_watchdog',
        audit: { action: 'interview.ended', actor: 'system', details: { reason: 'time_limit_watchdog' } },
      });
      if (moved) await rooms.deleteRoom(roomName).catch(() => {});
      return;
    }
    const people = await rooms.participants(roomName);
    const candidateAlone = people.some((p) => p.identity.startsWith('candidate_')) && !people.some((p) => p.isAgent);
    if (!candidateAlone) {
      aloneSince.delete(i.id);
      return;
    }
    const since = aloneSince.get(i.id) ?? t;
    aloneSince.set(i.id, since);
    if (t - since >= opts.aloneMs) {
      aloneSince.delete(i.id);
      log.warn({ interviewId: i.id }, 'candidate alone in the room: dispatching the interviewer again');
      await rooms.dispatchAgent(roomName, i.id);
    }
  }

  return {
    /** One pass; exposed for tests. */
    async tick() {
      await withWatchdogLock(db, async () => {
        const t = now();
        for (const i of await listLiveRooms(db)) {
          await check(i, t).catch((err: unknown) => log.warn({ err: String(err), interviewId: i.id }, 'watchdog check failed'));
        }
      });
    },
    start() {
      const timer = setInterval(() => void this.tick().catch((err: unknown) => log.error({ err: String(err) }, 'watchdog failed')), opts.intervalMs);
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}
