// createApp(config, deps): the whole HTTP API as a Hono app. server.ts only listens; tests call
// app.request() with no server at all.
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { bodyLimit } from 'hono/body-limit';
import { csrf } from 'hono/csrf';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import type { ApiConfig } from '../core/config.js';
import type { AppEnv, Deps } from './context.js';
import { isDatabaseUnavailable } from '../db/connect.js';
import { ApiError, codeForStatus } from './errors.js';
import { formatTraceparent, parseTraceparent, startSpan } from '../core/traceparent.js';
import { parentContext } from '../core/tracing.js';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { requestMetrics, routeLabel } from './metrics.js';
import { docsRoutes } from './routes/docs.js';
import { metricsRoutes } from './routes/metrics.js';
import { sessionTokens } from './lib/session-token.js';
import { aiInterviewRoutes } from './routes/ai-interview.js';
import { applicationRoutes } from './routes/applications.js';
import { authRoutes } from './routes/auth.js';
import { candidateRoutes } from './routes/candidates.js';
import { interviewRoutes } from './routes/interviews.js';
import { jobRoutes } from './routes/jobs.js';
import { linkJoinRoutes } from './routes/link-join.js';
import { livekitWebhookRoutes } from './routes/livekit-webhook.js';
import { pageRoutes } from './routes/pages.js';
import { reportRoutes } from './routes/reports.js';
import { roomRoutes } from './routes/rooms.js';
import { webhookRoutes } from './routes/webhooks.js';

const MAX_BODY_BYTES = 256 * 1024;

/** Paths carry room codes and link tokens: keep them out of logs. */
const redactPath = (p: string) =>
  p
    .replace(/(\/interviews\/public\/)[^/]+/, '$1…')
    .replace(/(\/public\/)[^/]+\/?$/, '$1…')
    .replace(/(\/(join|room)\/)[A-Za-z0-9]+/, '$1…');

export function createApp(config: ApiConfig, deps: Deps) {
  const app = { config, deps, sessions: sessionTokens(config.sessionSecret) };
  // strict: false — seed 002 writes paths with a trailing slash, seed 000 without.
  const hono = new Hono<AppEnv>({ strict: false });

  hono.use(requestId({ limitLength: 64 }));
  // Before the request log, so every line of this request carries the trace id.
  hono.use(async (c, next) => {
    const header = c.req.header('traceparent');
    // With tracing on, the exported server span decides the ids; off, they are made here.
    const otel = deps.tracing?.tracer.startSpan(c.req.method, { kind: SpanKind.SERVER }, parentContext(parseTraceparent(header)));
    const ids = otel?.spanContext();
    const span = ids
      ? { traceId: ids.traceId, spanId: ids.spanId, flags: ids.traceFlags.toString(16).padStart(2, '0') }
      : startSpan(header);
    c.set('traceId', span.traceId);
    c.set('traceparent', formatTraceparent(span));
    try {
      await next();
    } finally {
      c.header('traceparent', formatTraceparent(span));
      if (otel) {
        const route = routeLabel(c);
        otel.updateName(`${c.req.method} ${route}`);
        otel.setAttributes({ 'http.request.method': c.req.method, 'http.route': route, 'http.response.status_code': c.res.status });
        if (c.res.status >= 500) otel.setStatus({ code: SpanStatusCode.ERROR });
        otel.end();
      }
    }
  });
  hono.use(async (c, next) => {
    const started = performance.now();
    await next();
    deps.log.info(
      {
        requestId: c.get('requestId'),
        traceId: c.get('traceId'),
        method: c.req.method,
        path: redactPath(c.req.path),
        status: c.res.status,
        ms: Math.round(performance.now() - started),
      },
      'request',
    );
  });
  hono.use(requestMetrics(deps.metrics));
  hono.use(secureHeaders());
  // Cookie-authenticated calls must not be triggered by another site's form. Requests without
  // cookies carry no ambient credentials, so API clients (curl, scripts) are not asked for an Origin.
  const publicOrigin = new URL(config.publicBaseUrl).origin;
  const ownOrigin = (origin: string, c: Context) => origin === publicOrigin || origin === new URL(c.req.url).origin;
  const csrfCheck = csrf({ origin: ownOrigin });
  hono.use((c, next) => {
    if (!c.req.header('cookie')) return next();
    // csrf() only looks at the content types an HTML form can send. A cookie call that names another
    // site as its Origin is refused whatever its type: a JSON POST from evil.example with HR's cookie
    // went through, leaving only the browser's preflight between it and a write.
    const origin = c.req.header('origin');
    if (origin !== undefined && !/^(GET|HEAD|OPTIONS)$/.test(c.req.method) && !ownOrigin(origin, c)) {
      throw new HTTPException(403, { message: 'Forbidden' });
    }
    return csrfCheck(c, next);
  });
  hono.use(
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new ApiError('PAYLOAD_TOO_LARGE', `The request body is larger than ${MAX_BODY_BYTES / 1024} KiB`);
      },
    }),
  );

  hono.get('/healthz', (c) => c.json({ ok: true }));
  hono.route('/', metricsRoutes(app));
  hono.route('/api', docsRoutes(app));
  // Before the API routes: the public interview URL answers browsers with the page (pages.ts).
  hono.route('/', pageRoutes(app));
  hono.route('/api/auth', authRoutes(app));
  hono.route('/api/jobs', jobRoutes(app));
  hono.route('/api/candidates', candidateRoutes(app));
  hono.route('/api/applications', applicationRoutes(app));
  hono.route('/api/interviews', interviewRoutes(app));
  hono.route('/api/interviews/public', linkJoinRoutes(app));
  hono.route('/api/public/interview', roomRoutes(app));
  hono.route('/api/ai-interview', aiInterviewRoutes(app));
  hono.route('/api/reports', reportRoutes(app));
  hono.route('/api/livekit', livekitWebhookRoutes(app));
  hono.route('/api/webhooks', webhookRoutes(app));

  hono.notFound((c) => c.json({ error: 'Not found', code: 'NOT_FOUND', requestId: c.get('requestId') }, 404));

  // Three tiers: our own errors, Hono's HTTP exceptions, and the unknown (logged, never shown).
  hono.onError((err, c) => {
    const requestId = c.get('requestId');
    if (err instanceof ApiError) {
      return c.json({ error: err.message, code: err.code, requestId, ...err.extra }, err.status, err.headers);
    }
    if (err instanceof HTTPException && err.status < 500) {
      const code = codeForStatus(err.status);
      const message = err.status === 403 ? 'Forbidden' : err.message || 'Bad request';
      return c.json({ error: message, code, requestId }, err.status);
    }
    if (isDatabaseUnavailable(err)) {
      deps.log.warn({ err: String(err), requestId, traceId: c.get('traceId'), path: redactPath(c.req.path) }, 'database unavailable');
      c.header('Retry-After', '5');
      return c.json({ error: 'The service is briefly unavailable, please retry', code: 'SERVICE_UNAVAILABLE', requestId }, 503);
    }
    deps.log.error({ err, requestId, traceId: c.get('traceId'), path: redactPath(c.req.path) }, 'unhandled error');
    return c.json({ error: 'Internal server error', code: 'INTERNAL', requestId }, 500);
  });

  return hono;
}
