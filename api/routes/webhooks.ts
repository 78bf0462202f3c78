// HR's outbound webhooks (README: Outbound webhooks): register an endpoint for some events (its
// secret shown once), list them, turn one off, remove one, see its recent deliveries, resend one.
// Scoped to the caller's organization: another organization's ids answer 404.
import { Hono } from 'hono';
import { z } from 'zod';
import {
  deleteEndpoint,
  getEndpoint,
  insertEndpoint,
  listDeliveries,
  listEndpoints,
  resendDelivery,
  setEndpointEnabled,
} from '../../db/queries/webhooks.js';
import type { WebhookDelivery, WebhookEndpoint } from '../../db/schema.js';
import type { App, AppEnv } from '../context.js';
import { ApiError, notFound, orNotFound } from '../errors.js';
import { iso } from '../views.js';
import { parseId, parseWith, readJson, requireHr } from '../http.js';
import { newWebhookSecret, WEBHOOK_EVENTS, webhookUrlProblem } from '../lib/webhook-signature.js';

/** Each event fans out to every subscribed endpoint of the organization: keep that bounded. */
const MAX_ENDPOINTS = 20;

const endpointView = (e: WebhookEndpoint) => ({
  id: e.id,
  url: e.url,
  events: e.event_types,
  enabled: e.enabled,
  createdAt: iso(e.created_at),
});

const deliveryView = (d: WebhookDelivery) => ({
  id: d.id,
  eventType: d.event_type,
  webhookId: d.message_id,
  state: d.delivered_at ? 'delivered' : d.failed_at ? 'failed' : 'pending',
  attempts: d.attempts,
  nextAttemptAt: d.delivered_at || d.failed_at ? null : iso(d.next_attempt_at),
  deliveredAt: iso(d.delivered_at),
  failedAt: iso(d.failed_at),
  lastStatus: d.last_status,
  lastError: d.last_error,
  createdAt: iso(d.created_at),
  payload: d.payload,
});

export const deliveriesQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(100).default(50) });
export const patchBody = z.strictObject({ enabled: z.boolean() });
/** `allowLocal`: also http: and local addresses (WEBHOOKS_ALLOW_HTTP, for development and tests). */
export const webhookCreateBody = (allowLocal: boolean) =>
  z.strictObject({
    url: z
      .string()
      .trim()
      .max(2000)
      .superRefine((url, ctx) => {
        const problem = webhookUrlProblem(url, allowLocal);
        if (problem) ctx.addIssue({ code: 'custom', message: `The URL ${problem}` });
      }),
    events: z
      .array(z.enum(WEBHOOK_EVENTS))
      .min(1)
      .max(WEBHOOK_EVENTS.length * 2)
      .transform((events) => [...new Set(events)]),
  });

export function webhookRoutes(app: App) {
  const r = new Hono<AppEnv>().use(requireHr(app));
  const createBody = webhookCreateBody(app.config.webhooks.allowHttp);

  const ownEndpoint = async (organizationId: string, raw: string) => {
    const endpoint = await getEndpoint(app.deps.db, organizationId, parseId(raw, 'Webhook'));
    if (!endpoint) throw notFound('Webhook');
    return endpoint;
  };

  r.post('/', async (c) => {
    const body = await readJson(c, createBody);
    const secret = newWebhookSecret();
    const endpoint = await insertEndpoint(
      app.deps.db,
      { organizationId: c.get('hr').organizationId, url: body.url, secret, events: body.events },
      MAX_ENDPOINTS,
    );
    if (!endpoint) throw new ApiError('CONFLICT', `An organization can have at most ${MAX_ENDPOINTS} webhooks`);
    // The only time the secret is shown: the receiver needs it to verify signatures.
    return c.json({ ...endpointView(endpoint), secret }, 201);
  });

  r.get('/', async (c) => {
    const endpoints = await listEndpoints(app.deps.db, c.get('hr').organizationId);
    return c.json({ items: endpoints.map(endpointView) });
  });

  r.patch('/:id', async (c) => {
    const id = parseId(c.req.param('id'), 'Webhook');
    const body = await readJson(c, patchBody);
    const endpoint = orNotFound(await setEndpointEnabled(app.deps.db, c.get('hr').organizationId, id, body.enabled), 'Webhook');
    return c.json(endpointView(endpoint));
  });

  r.delete('/:id', async (c) => {
    const id = parseId(c.req.param('id'), 'Webhook');
    if (!(await deleteEndpoint(app.deps.db, c.get('hr').organizationId, id))) throw notFound('Webhook');
    return c.body(null, 204);
  });

  r.get('/:id/deliveries', async (c) => {
    const endpoint = await ownEndpoint(c.get('hr').organizationId, c.req.param('id'));
    const { limit } = parseWith(deliveriesQuery, c.req.query(), 'query');
    const deliveries = await listDeliveries(app.deps.db, endpoint.id, limit);
    return c.json({ items: deliveries.map(deliveryView) });
  });

  r.post('/deliveries/:id/resend', async (c) => {
    const id = parseId(c.req.param('id'), 'Delivery');
    const outcome = await resendDelivery(app.deps.db, c.get('hr').organizationId, id);
    if (!outcome.ok && outcome.reason === 'in_flight') {
      throw new ApiError('CONFLICT', 'This delivery is being sent right now; try again in a minute');
    }
    if (!outcome.ok) throw notFound('Delivery');
    return c.json(deliveryView(outcome.delivery), 202);
  });

  return r;
}
