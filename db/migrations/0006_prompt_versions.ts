// Frozen in time: never edit a migration that has shipped; add a new one to db/migrations/index.ts.
// Every prompt version stored with what it produced: a planned question records the question-plan
// prompt that wrote it, an agent turn the interviewer prompt it was spoken under (evaluations have
// had their prompt_version since 0001). Null: a question from the built-in bank, a candidate's
// turn, or a row stored before this migration.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE interview_questions ADD COLUMN prompt_version text`.execute(db);
  await sql`ALTER TABLE transcript_turns ADD COLUMN prompt_version text`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE transcript_turns DROP COLUMN prompt_version`.execute(db);
  await sql`ALTER TABLE interview_questions DROP COLUMN prompt_version`.execute(db);
}
