import type { Db } from '../connect.js';

export const listTurns = (db: Db, interviewId: string) =>
  db.selectFrom('transcript_turns').selectAll().where('interview_id', '=', interviewId).orderBy('seq').execute();
