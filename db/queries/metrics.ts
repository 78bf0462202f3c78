// What /metrics reads from Postgres at scrape time: one grouped count, so a scrape costs one small
// query however many interviews there are in flight.
import { sql } from 'kysely';
import type { Db } from '../connect.js';

/** Interviews by status and end reason (null while open), across every organization. */
export const countInterviewsByStatus = (db: Db) =>
  db
    .selectFrom('interviews')
    .select(['status', 'end_reason', sql<string>`count(*)`.as('count')])
    .groupBy(['status', 'end_reason'])
    .execute();
