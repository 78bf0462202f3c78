// The silence rule, as a small clock: when both sides are quiet for the timeout, check in; when they
// are quiet as long again after the check-in, give up. Any word from the candidate starts it over.
// (The framework's `userAwayTimeout` fires 'away' once and never again while the candidate stays
// quiet, so a second, ending timeout cannot hang off it.)

export class SilenceWatch {
  #timer: NodeJS.Timeout | undefined;
  #checkedIn = false;
  #candidateSpeaking = false;
  #agentBusy = true;
  #stopped = false;

  constructor(
    private readonly timeoutMs: number,
    private readonly on: { checkIn(): void; giveUp(): void },
  ) {}

  /**
   * The candidate is speaking (or away from the room, where the rejoin grace rules instead), or not.
   * Either resets the check-in: they were there.
   */
  candidate(speaking: boolean) {
    this.#candidateSpeaking = speaking;
    if (speaking) this.#checkedIn = false;
    this.#rearm();
  }

  /** The agent is talking or preparing a reply (no clock runs then), or listening. */
  agent(busy: boolean) {
    this.#agentBusy = busy;
    this.#rearm();
  }

  stop() {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  #rearm() {
    clearTimeout(this.#timer);
    if (this.#stopped || this.#candidateSpeaking || this.#agentBusy) return;
    this.#timer = setTimeout(() => {
      if (this.#stopped) return;
      if (this.#checkedIn) {
        this.stop();
        this.on.giveUp();
      } else {
        this.#checkedIn = true;
        this.on.checkIn();
        // The check-in being spoken pauses the clock; if nothing is spoken, it runs on anyway.
        this.#rearm();
      }
    }, this.timeoutMs);
  }
}
