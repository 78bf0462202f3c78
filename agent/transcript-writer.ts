// Writes each transcript turn to Postgres as soon as it is final, in order, off the audio path:
// append() returns at once; writes run one after another in the background and are retried until
// they land. Each turn's seq is fixed when it is appended, and inserts are idempotent, so a retry
// (or a restarted worker replaying a turn) never writes a turn twice.
import type { Logger } from '../core/logger.js';
import type { Db } from '../db/connect.js';
import { insertTurn, type NewTurn } from '../db/queries/transcript.js';

// Hand-written, not p-retry: it retries forever on this fixed schedule, which its options would say in as many lines.
const RETRY_DELAYS_MS = [100, 250, 500, 1000, 2000, 5000];

export class TranscriptWriter {
  #nextSeq: number;
  #chain: Promise<void> = Promise.resolve();
  #pending = 0;

  constructor(
    private readonly db: Db,
    private readonly interviewId: string,
    private readonly log: Logger,
    /** The seq after the last stored turn (a resumed interview continues its numbering). */
    nextSeq: number,
  ) {
    this.#nextSeq = nextSeq;
  }

  get pending() {
    return this.#pending;
  }

  append(turn: Omit<NewTurn, 'interviewId' | 'seq'>): number {
    const seq = this.#nextSeq++;
    const row: NewTurn = { ...turn, interviewId: this.interviewId, seq };
    this.#pending += 1;
    this.#chain = this.#chain
      .then(() => this.#write(row))
      .finally(() => {
        this.#pending -= 1;
      });
    return seq;
  }

  async #write(row: NewTurn) {
    for (let attempt = 0; ; attempt++) {
      try {
        await insertTurn(this.db, row);
        return;
      } catch (err) {
        const delay = RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length - 1)]!;
        this.log.warn({ err: String(err), interviewId: row.interviewId, seq: row.seq, attempt }, 'transcript write failed; retrying');
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  /** Resolves when every appended turn is stored. */
  flush(): Promise<void> {
    return this.#chain;
  }
}
