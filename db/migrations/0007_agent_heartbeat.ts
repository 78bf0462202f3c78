// Frozen in time: never edit a migration that has shipped; add a new one to db/migrations/index.ts.
// The interviewer's heartbeat: a running job stamps it every couple of seconds (Postgres' clock),
// so the API's watchdog can tell an agent that died with its machine (it stays in the room until
// LiveKit's ICE timeout, ~20 s) from a live one, remove it and send another at once.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE interviews ADD COLUMN agent_heartbeat_at timestamptz`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE interviews DROP COLUMN agent_heartbeat_at`.execute(db);
}
