// Frozen in time: never edit a migration that has shipped; add a new one to db/migrations/index.ts.
// Evaluation people can trust: a rubric per job (null: the default rubric), the criterion each
// planned question covers, and evaluations kept in versions (a re-evaluation adds one, the highest
// is current), each with who asked for it.
import { sql, type Kysely } from 'kysely';

const statements = [
  sql`ALTER TABLE jobs ADD COLUMN rubric jsonb`,
  sql`ALTER TABLE interview_questions ADD COLUMN criterion text`,
  sql`ALTER TABLE evaluations DROP CONSTRAINT evaluations_interview_id_key`,
  sql`
    ALTER TABLE evaluations
      ADD COLUMN version integer NOT NULL DEFAULT 1 CHECK (version > 0),
      ADD COLUMN requested_by text NOT NULL DEFAULT 'system',
      ADD CONSTRAINT evaluations_interview_version UNIQUE (interview_id, version);
  `,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await statement.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DELETE FROM evaluations WHERE version > 1`.execute(db);
  await sql`ALTER TABLE evaluations DROP CONSTRAINT evaluations_interview_version,
    DROP COLUMN version, DROP COLUMN requested_by`.execute(db);
  await sql`ALTER TABLE evaluations ADD CONSTRAINT evaluations_interview_id_key UNIQUE (interview_id)`.execute(db);
  await sql`ALTER TABLE interview_questions DROP COLUMN criterion`.execute(db);
  await sql`ALTER TABLE jobs DROP COLUMN rubric`.execute(db);
}
