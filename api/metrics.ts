// Prometheus metrics of the API (prom-client), scraped at GET /metrics (routes/metrics.ts).
// One registry per app, so tests and several apps in one process never share counters. Interview
// counts are read from Postgres at scrape time: every replica reports the same figures, so a
// dashboard takes max() of them, not sum().
import type { MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { EVALUATION_CALL } from '../core/evaluation.js';
import type { JsonLlm } from '../core/llm.js';
import type { Db } from '../db/connect.js';
import { countInterviewsByStatus } from '../db/queries/metrics.js';

export interface ApiMetrics {
  registry: Registry;
  requests: Counter<'method' | 'route' | 'status'>;
  duration: Histogram<'method' | 'route'>;
  evaluationFailures: Counter;
}

/**
 * With `scrape` (metrics enabled), also the process's own figures (CPU, memory, event loop) and the
 * interview counts read from Postgres at each scrape; without, nothing ever reads the database for it.
 */
export function createApiMetrics(scrape?: { db: Db }): ApiMetrics {
  const registry = new Registry();
  if (scrape) collectScrapeMetrics(registry, scrape.db);
  return {
    registry,
    requests: new Counter({
      name: 'interviewer_http_requests_total',
      help: 'HTTP requests by route pattern (never the raw path: it carries codes and tokens) and status',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'interviewer_http_request_duration_seconds',
      help: 'Time to answer, by route pattern',
      labelNames: ['method', 'route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    evaluationFailures: new Counter({
      name: 'interviewer_evaluation_failures_total',
      help: 'Evaluations (at the end or re-evaluations) whose model call failed, in this process',
      registers: [registry],
    }),
  };
}

function collectScrapeMetrics(registry: Registry, db: Db) {
  collectDefaultMetrics({ register: registry });
  new Gauge({
    name: 'interviewer_interviews',
    help: 'Interviews by status and end reason ("" while open), read from Postgres at scrape time',
    labelNames: ['status', 'end_reason'],
    registers: [registry],
    async collect() {
      const rows = await countInterviewsByStatus(db);
      this.reset();
      for (const r of rows) this.set({ status: r.status, end_reason: r.end_reason ?? '' }, Number(r.count));
    },
  });
}

/** The route pattern a request matched (`/api/jobs/:id`), or "unmatched" for a 404 on no route. */
export function routeLabel(c: Parameters<MiddlewareHandler>[0]): string {
  // Middleware registered with use() matches everything (method ALL); the first real route is
  // the one that answered (or whose middleware refused the request).
  const route = matchedRoutes(c).find((r) => r.method !== 'ALL');
  return route?.path ?? 'unmatched';
}

export function requestMetrics(metrics: ApiMetrics): MiddlewareHandler {
  return async (c, next) => {
    const end = metrics.duration.startTimer();
    try {
      await next();
    } finally {
      const route = routeLabel(c);
      end({ method: c.req.method, route });
      metrics.requests.inc({ method: c.req.method, route, status: String(c.res.status) });
    }
  };
}

/** The same client, counting failed evaluation calls (whoever makes them: a route, the watchdog). */
export function countEvaluationFailures(llm: JsonLlm, metrics: ApiMetrics): JsonLlm {
  return {
    get model() {
      return llm.model;
    },
    async completeJson(prompt, schema, name) {
      try {
        return await llm.completeJson(prompt, schema, name);
      } catch (err) {
        if (name === EVALUATION_CALL) metrics.evaluationFailures.inc();
        throw err;
      }
    },
  };
}
