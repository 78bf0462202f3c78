// What a request may not change: the business tables, compared row by row (count and a checksum of
// their contents). rate_limits is bookkeeping (every public call counts a hit there) and is left out.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../db/schema.js';

export const BUSINESS_TABLES = [
  'organizations',
  'users',
  'jobs',
  'candidates',
  'applications',
  'interviews',
  'interview_status_changes',
  'interview_questions',
  'transcript_turns',
  'evaluations',
  'text_sessions',
  'text_responses',
  'audit_log',
  'livekit_events',
] as const satisfies readonly (keyof Database)[];

/** Each table's row count and a checksum of its rows. */
export async function tableSnapshot(db: Kysely<Database>, tables: readonly (keyof Database)[] = BUSINESS_TABLES) {
  const query = tables
    .map((t) => `SELECT '${t}' AS t, count(*)::int AS n, coalesce(md5(string_agg(x::text, ',' ORDER BY x::text)), '-') AS sum FROM ${t} x`)
    .join(' UNION ALL ');
  const { rows } = await sql.raw<{ t: string; n: number; sum: string }>(query).execute(db);
  return Object.fromEntries(rows.map((r) => [r.t, { rows: r.n, md5: r.sum }])) as Record<string, { rows: number; md5: string }>;
}
