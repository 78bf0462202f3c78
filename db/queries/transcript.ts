import type { Db } from '../connect.js';

export const listTurns = (db: Db, interviewId: string) =>
  db.selectFrom('transcript_turns').selectAll().where('interview_id', '=', interviewId).orderBy('seq').execute();

export interface NewTurn {
  interviewId: string;
  seq: number;
  speaker: 'agent' | 'candidate';
  text: string;
  startedAtMs: number | null;
  endedAtMs: number | null;
  questionPosition: number | null;
  metrics: Record<string, number> | null;
  /** The interviewer prompt an agent turn was spoken under. */
  promptVersion?: string | null;
}

/** Idempotent by (interview, seq): a retried write, or a second worker replaying it, changes nothing. */
export async function insertTurn(db: Db, t: NewTurn) {
  await db
    .insertInto('transcript_turns')
    .values({
      interview_id: t.interviewId,
      seq: t.seq,
      speaker: t.speaker,
      text: t.text,
      started_at_ms: t.startedAtMs,
      ended_at_ms: t.endedAtMs,
      question_position: t.questionPosition,
      metrics: t.metrics === null ? null : JSON.stringify(t.metrics),
      prompt_version: t.promptVersion ?? null,
    })
    .onConflict((oc) => oc.columns(['interview_id', 'seq']).doNothing())
    .execute();
}
