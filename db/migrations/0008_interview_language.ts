// Frozen in time: never edit a migration that has shipped; add a new one to db/migrations/index.ts.
// The language an interview is held in: what the agent says, the questions it plans, the language
// its speech is recognised and spoken in. Every interview before this one was held in English, so
// existing rows are 'en'. The list is spelled out here, not imported: a migration does not change
// when the app's list does (a new language is a new migration).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE interviews ADD COLUMN language text NOT NULL DEFAULT 'en'
    CONSTRAINT interviews_language_check CHECK (language IN ('en', 'ar'))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE interviews DROP COLUMN language`.execute(db);
}
