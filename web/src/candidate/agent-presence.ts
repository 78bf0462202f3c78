// What the interviewer line says while no interviewer is in the room. The API re-dispatches an agent
// that does not show up (with backoff, api/watchdog.ts) and a new one resumes an interrupted
// interview, so a wait is usually seconds; the page says so honestly and escalates as time passes,
// instead of one "waiting" text forever. Pure apart from the clock, so tests drive it with fake timers.

/** When the wait starts to look slow, and when it is longer than it should be. */
export const PRESENCE_TIMING = { slowAfterMs: 8_000, lateAfterMs: 30_000 };
export type PresenceTiming = typeof PRESENCE_TIMING;

/**
 * Why the page waits: the interviewer has not arrived yet (`joining`), or it left while the
 * candidate stayed connected (`lost`: its worker died, a new one is on its way).
 */
export type WaitCause = 'joining' | 'lost';

export const ABSENCES = ['joining', 'lost', 'slow', 'late', 'late-lost'] as const;
/** What to show: the cause first, `slow` after a while (either cause), then `late` by cause. */
export type Absence = (typeof ABSENCES)[number];

export function absenceAfter(cause: WaitCause, waitedMs: number, timing: PresenceTiming = PRESENCE_TIMING): Absence {
  if (waitedMs >= timing.lateAfterMs) return cause === 'lost' ? 'late-lost' : 'late';
  if (waitedMs >= timing.slowAfterMs) return 'slow';
  return cause;
}

/** How long until absenceAfter() changes, or undefined once it is at its last step. */
export function nextChangeIn(waitedMs: number, timing: PresenceTiming = PRESENCE_TIMING): number | undefined {
  for (const at of [timing.slowAfterMs, timing.lateAfterMs]) if (waitedMs < at) return at - waitedMs;
  return undefined;
}

export interface PresenceClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const systemClock: PresenceClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Follows the agents in the room (by identity: during a handover, or when a late duplicate joins and
 * leaves, another agent may still be there) and the candidate's own connection, and calls `show`
 * whenever what to show changes: an Absence, or null when an interviewer is here (then its own
 * state, lk.agent.state, is what the page shows).
 */
export class AgentPresence {
  readonly #agents = new Set<string>();
  #online = false;
  /** The current wait, while online with no agent; its clock starts when the wait does. */
  #wait: { cause: WaitCause; since: number } | null = null;
  #timer: unknown;
  #shown: Absence | null | undefined;
  #stopped = false;

  constructor(
    private readonly show: (absence: Absence | null) => void,
    private readonly timing: PresenceTiming = PRESENCE_TIMING,
    private readonly clock: PresenceClock = systemClock,
  ) {}

  /** What is shown now: an Absence, or null when an interviewer is in the room. */
  get current(): Absence | null {
    if (this.#agents.size > 0) return null;
    // Before the room connects, or while the candidate's own connection is being restored (the
    // connection line says so): nobody can be reached yet, so no escalation either.
    if (!this.#online || !this.#wait) return 'joining';
    return absenceAfter(this.#wait.cause, this.clock.now() - this.#wait.since, this.timing);
  }

  /**
   * The candidate's connection is up (the first connect or after a reconnect), with these agents in
   * the room. A wait that began before a reconnect starts over: the agent may have dropped with it.
   */
  online(agents: Iterable<string>): void {
    const wasOnline = this.#online;
    const hadAgents = this.#agents.size > 0;
    this.#online = true;
    this.#agents.clear();
    for (const a of agents) this.#agents.add(a);
    if (this.#agents.size > 0) this.#wait = null;
    else if (!wasOnline || !this.#wait) this.#wait = { cause: wasOnline && hadAgents ? 'lost' : 'joining', since: this.clock.now() };
    this.#update();
  }

  /** The candidate's connection dropped: waiting for the interviewer pauses until it is back. */
  offline(): void {
    this.#online = false;
    this.#wait = null;
    this.#update();
  }

  agentJoined(identity: string): void {
    this.#agents.add(identity);
    this.#wait = null;
    this.#update();
  }

  agentLeft(identity: string): void {
    if (!this.#agents.delete(identity) || this.#agents.size > 0) return;
    if (this.#online) this.#wait = { cause: 'lost', since: this.clock.now() };
    this.#update();
  }

  /** The interview is over: no more updates. */
  stop(): void {
    this.#stopped = true;
    this.clock.clearTimeout(this.#timer);
  }

  #update(): void {
    if (this.#stopped) return;
    this.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    const now = this.current;
    if (now !== this.#shown) {
      this.#shown = now;
      this.show(now);
    }
    if (this.#online && this.#wait && this.#agents.size === 0) {
      const next = nextChangeIn(this.clock.now() - this.#wait.since, this.timing);
      if (next !== undefined) this.#timer = this.clock.setTimeout(() => this.#update(), next);
    }
  }
}
