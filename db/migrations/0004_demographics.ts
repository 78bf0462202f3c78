// Frozen in time: never edit a migration that has shipped; add a new one to db/migrations/index.ts.
// Demographic categories an organization supplies for its candidates, for the NYC Local Law 144
// bias-audit export only. A table of their own, not columns on candidates: the queries that load a
// candidate for a prompt or an evaluation select from candidates and never see these. The allowed
// values are written out here (a migration imports nothing from the app); core/demographics.ts has
// the same lists.
import { sql, type Kysely } from 'kysely';

const statements = [
  sql`
    CREATE TABLE candidate_demographics (
      candidate_id uuid PRIMARY KEY REFERENCES candidates(id) ON DELETE CASCADE,
      organization_id uuid NOT NULL REFERENCES organizations(id),
      sex text CHECK (sex IN ('male', 'female', 'declined')),
      race_ethnicity text CHECK (race_ethnicity IN (
        'hispanic_or_latino', 'white', 'black_or_african_american', 'native_hawaiian_or_pacific_islander',
        'asian', 'native_american_or_alaska_native', 'two_or_more_races', 'declined')),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
  `,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await statement.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE candidate_demographics`.execute(db);
}
