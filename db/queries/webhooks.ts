// Outbound webhooks: the endpoints HR registers and the delivery outbox. Deliveries are created by
// the database's triggers (migration 0005), never here: these queries only claim, record and show.
import { sql } from 'kysely';
import type { Db } from '../connect.js';
import type { WebhookDelivery, WebhookEndpoint } from '../schema.js';

/** Creates the endpoint unless the organization already has `max` of them (each event fans out to all). */
export async function insertEndpoint(
  db: Db,
  e: { organizationId: string; url: string; secret: string; events: string[] },
  max: number,
): Promise<WebhookEndpoint | undefined> {
  const { rows } = await sql<WebhookEndpoint>`
    INSERT INTO webhook_endpoints (organization_id, url, secret, event_types)
    SELECT ${e.organizationId}, ${e.url}, ${e.secret}, ${e.events}::text[]
    WHERE (SELECT count(*) FROM webhook_endpoints WHERE organization_id = ${e.organizationId}) < ${max}
    RETURNING *`.execute(db);
  return rows[0];
}

export const listEndpoints = (db: Db, organizationId: string) =>
  db
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();

export const getEndpoint = (db: Db, organizationId: string, id: string) =>
  db.selectFrom('webhook_endpoints').selectAll().where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();

/** Disabled: no new events are queued for it, and those queued wait until it is enabled again. */
export const setEndpointEnabled = (db: Db, organizationId: string, id: string, enabled: boolean) =>
  db
    .updateTable('webhook_endpoints')
    .set({ enabled })
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();

/** Removes the endpoint with its deliveries, sent or not. */
export async function deleteEndpoint(db: Db, organizationId: string, id: string): Promise<boolean> {
  const r = await db.deleteFrom('webhook_endpoints').where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();
  return r.numDeletedRows > 0n;
}

/** The endpoint's most recent deliveries, newest first. */
export const listDeliveries = (db: Db, endpointId: string, limit: number) =>
  db.selectFrom('webhook_deliveries').selectAll().where('endpoint_id', '=', endpointId).orderBy('seq', 'desc').limit(limit).execute();

export type ResendOutcome = { ok: true; delivery: WebhookDelivery } | { ok: false; reason: 'not_found' | 'in_flight' };

/**
 * Puts a delivery back in the queue, due now, with its webhook-id and a fresh retry schedule,
 * whether it was delivered, given up or still retrying. Not while a loop is sending it.
 */
export async function resendDelivery(db: Db, organizationId: string, id: string): Promise<ResendOutcome> {
  const delivery = await db
    .updateTable('webhook_deliveries')
    .set({ attempts: 0, next_attempt_at: sql`now()`, delivered_at: null, failed_at: null, locked_until: null })
    .where('id', '=', id)
    .where('endpoint_id', 'in', (eb) => eb.selectFrom('webhook_endpoints').select('id').where('organization_id', '=', organizationId))
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', sql<Date>`now()`)]))
    .returningAll()
    .executeTakeFirst();
  if (delivery) return { ok: true, delivery };
  const exists = await db
    .selectFrom('webhook_deliveries')
    .innerJoin('webhook_endpoints', 'webhook_endpoints.id', 'webhook_deliveries.endpoint_id')
    .select('webhook_deliveries.id')
    .where('webhook_deliveries.id', '=', id)
    .where('webhook_endpoints.organization_id', '=', organizationId)
    .executeTakeFirst();
  return { ok: false, reason: exists ? 'in_flight' : 'not_found' };
}

export interface ClaimedDelivery {
  id: string;
  endpoint_id: string;
  message_id: string;
  payload: Record<string, unknown>;
  /** Counting this one: the attempt number, and the fence its outcome is recorded against. */
  attempts: number;
  url: string;
  secret: string;
}

/**
 * Claims up to `limit` due deliveries for `lockMs`, in one statement (nothing held open: PGlite's
 * socket server serialises transactions). SKIP LOCKED and the lock column keep two loops from
 * taking the same row. Only the oldest undelivered delivery of each endpoint is ever due, so an
 * endpoint gets one request at a time, in creation order; a later event waits for an earlier one
 * to be delivered or given up.
 */
export async function claimDeliveries(db: Db, limit: number, lockMs: number): Promise<ClaimedDelivery[]> {
  const { rows } = await sql<ClaimedDelivery>`
    WITH claimed AS (
      UPDATE webhook_deliveries d
      SET locked_until = now() + make_interval(secs => ${lockMs / 1000}), attempts = d.attempts + 1
      WHERE d.id IN (
        SELECT c.id FROM webhook_deliveries c
        JOIN webhook_endpoints e ON e.id = c.endpoint_id AND e.enabled
        WHERE c.delivered_at IS NULL AND c.failed_at IS NULL AND c.next_attempt_at <= now()
          AND (c.locked_until IS NULL OR c.locked_until < now())
          AND NOT EXISTS (
            SELECT 1 FROM webhook_deliveries p
            WHERE p.endpoint_id = c.endpoint_id AND p.seq < c.seq AND p.delivered_at IS NULL AND p.failed_at IS NULL)
        ORDER BY c.seq
        LIMIT ${limit}
        FOR UPDATE OF c SKIP LOCKED)
      RETURNING d.id, d.endpoint_id, d.message_id, d.payload, d.attempts, d.seq
    )
    SELECT claimed.id, claimed.endpoint_id, claimed.message_id, claimed.payload, claimed.attempts, e.url, e.secret
    FROM claimed JOIN webhook_endpoints e ON e.id = claimed.endpoint_id
    ORDER BY claimed.seq`.execute(db);
  return rows;
}

/**
 * The outcome of a claimed attempt. Fenced on the attempt count: when this loop's lock ran out and
 * another loop claimed the delivery since, the other loop's outcome is the one kept.
 * `retryInMs` null: that was the last attempt, give up.
 */
export async function recordAttempt(
  db: Db,
  d: { id: string; attempts: number },
  outcome: { delivered: boolean; status: number | null; error: string | null; retryInMs: number | null },
) {
  const now = sql<Date>`now()`;
  await db
    .updateTable('webhook_deliveries')
    .set({
      locked_until: null,
      last_status: outcome.status,
      last_error: outcome.error,
      delivered_at: outcome.delivered ? now : null,
      failed_at: !outcome.delivered && outcome.retryInMs === null ? now : null,
      next_attempt_at:
        !outcome.delivered && outcome.retryInMs !== null
          ? sql`now() + make_interval(secs => ${outcome.retryInMs / 1000})`
          : sql`next_attempt_at`,
    })
    .where('id', '=', d.id)
    .where('attempts', '=', d.attempts)
    .execute();
}
