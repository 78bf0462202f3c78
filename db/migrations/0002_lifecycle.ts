// Frozen in time: never edit a migration that has shipped; add a new one to db/migrations/index.ts.
// The interview lifecycle (issue: every interview reaches one honest ending): how far the plan got
// at the end, the API's dispatch supervision, a lease for the one-replica sweeper (a row, not a
// lock held in a transaction: PGlite's socket server serialises transactions across connections),
// and LiveKit webhook event ids for de-duplication.
import { sql, type Kysely } from 'kysely';

const statements = [
  sql`
    ALTER TABLE interviews
      ADD COLUMN questions_asked integer,
      ADD COLUMN questions_answered integer,
      ADD COLUMN agent_dispatched_at timestamptz,
      ADD COLUMN agent_dispatches integer NOT NULL DEFAULT 0;
  `,
  sql`
    ALTER TABLE interviews ADD CONSTRAINT interviews_end_reason_known CHECK (end_reason IS NULL OR end_reason IN (
      'completed', 'candidate_asked_to_stop', 'candidate_ended', 'hr_ended', 'time_limit',
      'time_limit_watchdog', 'candidate_silent', 'candidate_left', 'agent_failed', 'text_completed'));
  `,
  sql`
    CREATE TABLE leases (
      name text PRIMARY KEY,
      holder text NOT NULL,
      expires_at timestamptz NOT NULL
    );
  `,
  sql`
    CREATE TABLE livekit_events (
      id text PRIMARY KEY,
      event text NOT NULL,
      room_name text,
      received_at timestamptz NOT NULL DEFAULT now()
    );
  `,
  sql`
    CREATE INDEX interviews_unevaluated ON interviews (ended_at) WHERE ended_at IS NOT NULL;
  `,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await statement.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE livekit_events, leases`.execute(db);
  await sql`DROP INDEX interviews_unevaluated`.execute(db);
  await sql`ALTER TABLE interviews DROP CONSTRAINT interviews_end_reason_known,
    DROP COLUMN questions_asked, DROP COLUMN questions_answered,
    DROP COLUMN agent_dispatched_at, DROP COLUMN agent_dispatches`.execute(db);
}
