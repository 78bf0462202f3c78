// LiveKit's webhooks (livekit.yaml `webhook.urls`): signed events about rooms and participants.
// Verified over the raw body (a JWT in Authorization whose sha256 claim is the body's hash),
// counted once per event id (LiveKit retries deliveries), and used only as a fast trigger: the
// watchdog's reconcile against LiveKit's room list stays the source of truth, so a lost, replayed
// or out-of-order event changes nothing it would not have done anyway.
import { Hono } from 'hono';
import { WebhookReceiver } from 'livekit-server-sdk';
import { recordLivekitEvent } from '../../db/queries/livekit-events.js';
import type { App, AppEnv } from '../context.js';
import { ApiError } from '../errors.js';
import { checkRoomAgent } from '../watchdog.js';

/** Events after which a room may be missing its interviewer. */
const AGENT_TRIGGERS = new Set(['participant_joined', 'participant_left', 'participant_connection_aborted']);

export function livekitWebhookRoutes(app: App) {
  const r = new Hono<AppEnv>();
  const receiver = new WebhookReceiver(app.config.livekit.apiKey, app.config.livekit.apiSecret);
  const { db, log } = app.deps;

  r.post('/webhook', async (c) => {
    const body = await c.req.text();
    const auth = c.req.header('authorization')?.replace(/^Bearer\s+/i, '');
    const event = await receiver.receive(body, auth).catch(() => {
      throw new ApiError('UNAUTHORIZED', 'The webhook signature is not valid');
    });
    if (!event.id || !event.event) throw new ApiError('VALIDATION_FAILED', 'The webhook event has no id or type');
    const roomName = event.room?.name || null;
    const fresh = await recordLivekitEvent(db, { id: event.id, event: event.event, roomName });
    if (fresh && roomName && AGENT_TRIGGERS.has(event.event)) {
      // Answer LiveKit at once; the check talks to LiveKit and must not hold its delivery.
      void checkRoomAgent(app.deps, roomName).catch((err: unknown) =>
        log.warn({ err: String(err), event: event.event }, 'webhook-triggered check failed'),
      );
    }
    return c.json({ received: true, duplicate: !fresh });
  });

  return r;
}
