// Sends the webhook outbox (webhook_deliveries, filled by the database's triggers) to the endpoints
// HR registered. Every API process runs one loop: claiming a row is a single guarded UPDATE, so
// loops never send the same attempt twice, and a loop that dies mid-request only delays its rows
// until their lock runs out. Delivery is at least once (a receiver that answered 2xx but whose
// answer was lost gets the event again, with the same webhook-id) and stops at the first 2xx.
import type { Deps } from './context.js';
import { claimDeliveries, recordAttempt, type ClaimedDelivery } from '../db/queries/webhooks.js';
import { webhookHeaders } from './lib/webhook-signature.js';

export const WEBHOOK_DELIVERY = {
  intervalMs: 1_000,
  /** Deliveries claimed at once (each to a different endpoint: one in flight per endpoint). */
  batch: 10,
  /** Claim rounds per tick: an endpoint's next event is due as soon as the one before it is delivered. */
  roundsPerTick: 20,
  timeoutMs: 10_000,
  /** Longer than a request may take, so a slow attempt is never retried beside itself. */
  lockMs: 60_000,
  /**
   * The wait before each retry, ±20% jitter so endpoints that failed together do not all come back
   * together; when the attempt after the last wait fails too, the delivery is given up (about 24 h).
   */
  retryMs: [5_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000, 7_200_000, 14_400_000, 28_800_000, 28_800_000],
  jitter: 0.2,
};

export type WebhookDeliveryOptions = typeof WEBHOOK_DELIVERY;

/** A short reason for HR, never a stack or an address: the receiver's status or the kind of failure. */
function describeFailure(err: unknown): string {
  const e = err as { name?: string; cause?: { code?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return 'timeout';
  const code = e?.cause?.code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'connection reset';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found';
  if (typeof code === 'string' && /CERT|SSL|TLS/.test(code)) return 'TLS error';
  return 'network error';
}

export function createWebhookDelivery(deps: Pick<Deps, 'db' | 'log'>, opts: WebhookDeliveryOptions = WEBHOOK_DELIVERY) {
  const { db, log } = deps;

  // Not a retry library: the next attempt's time is stored in the outbox row, so it survives restarts and any replica sends it.
  const retryIn = (attempt: number) => {
    const wait = opts.retryMs[attempt - 1];
    return wait === undefined ? null : Math.round(wait * (1 - opts.jitter + 2 * opts.jitter * Math.random()));
  };

  async function send(d: ClaimedDelivery) {
    const body = JSON.stringify(d.payload);
    let status: number | null = null;
    let error: string | null;
    try {
      const res = await fetch(d.url, {
        method: 'POST',
        // The wall clock, not deps.now(): receivers check the timestamp against theirs.
        headers: webhookHeaders(d.secret, d.message_id, Date.now(), body),
        body,
        // A redirect is not followed (it could lead anywhere, the API's own network included).
        redirect: 'manual',
        signal: AbortSignal.timeout(opts.timeoutMs),
      });
      status = res.status;
      await res.body?.cancel().catch(() => {});
      error = res.ok ? null : `HTTP ${res.status}`;
    } catch (err) {
      error = describeFailure(err);
    }
    const delivered = error === null;
    const next = delivered ? null : retryIn(d.attempts);
    await recordAttempt(db, d, { delivered, status, error, retryInMs: next });
    if (!delivered) {
      log.warn(
        { deliveryId: d.id, endpointId: d.endpoint_id, attempt: d.attempts, error, givenUp: next === null },
        'webhook delivery failed',
      );
    }
  }

  async function drain() {
    for (let round = 0; round < opts.roundsPerTick; round++) {
      const claimed = await claimDeliveries(db, opts.batch, opts.lockMs);
      if (claimed.length === 0) return;
      await Promise.all(
        claimed.map((d) =>
          // Not recorded (the database went away): the lock runs out and the delivery is tried again.
          send(d).catch((err: unknown) => log.warn({ err: String(err), deliveryId: d.id }, 'webhook attempt not recorded')),
        ),
      );
    }
  }

  let running: Promise<void> | null = null;
  const tick = () =>
    (running ??= drain().finally(() => {
      running = null;
    }));

  return {
    /** Sends what is due now (skipped while the previous tick goes on); for tests. */
    tick,
    start() {
      const timer = setInterval(
        () => void tick().catch((err: unknown) => log.warn({ err: String(err) }, 'webhook delivery pass failed')),
        opts.intervalMs,
      );
      timer.unref();
      return async () => {
        clearInterval(timer);
        await (running ?? Promise.resolve()).catch(() => {});
      };
    },
  };
}
