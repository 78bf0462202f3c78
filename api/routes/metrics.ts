// GET /metrics for Prometheus. Off unless METRICS_ENABLED (a 404 like any unknown path, so a public
// deployment shows nothing), and with METRICS_TOKEN set it also needs that token as a bearer.
import { Hono } from 'hono';
import type { App, AppEnv } from '../context.js';
import { ApiError, notFound } from '../errors.js';
import { bearerToken } from '../http.js';
import { tokenMatches } from '../../core/metrics-token.js';

export function metricsRoutes(app: App) {
  const r = new Hono<AppEnv>();
  const { enabled, token } = app.config.metrics;
  const { registry } = app.deps.metrics;

  r.get('/metrics', async (c) => {
    if (!enabled) throw notFound();
    if (token !== undefined && !tokenMatches(bearerToken(c), token)) {
      throw new ApiError('UNAUTHORIZED', 'The metrics token is required', {}, { 'WWW-Authenticate': 'Bearer' });
    }
    return c.body(await registry.metrics(), 200, { 'Content-Type': registry.contentType, 'Cache-Control': 'no-store' });
  });

  return r;
}
