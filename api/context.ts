// What every route gets: the parsed config and the process's shared dependencies.
import type { ApiConfig } from '../core/config.js';
import type { JsonLlm } from '../core/llm.js';
import type { Logger } from '../core/logger.js';
import type { Speech } from '../core/speech.js';
import type { Db } from '../db/connect.js';
import type { RoomService } from '../core/livekit.js';
import type { HrSession, SessionTokens } from './lib/session-token.js';
import type { Tracing } from '../core/tracing.js';
import type { ApiMetrics } from './metrics.js';

export interface Deps {
  db: Db;
  log: Logger;
  /** null: structured mode. */
  llm: JsonLlm | null;
  rooms: RoomService;
  speech: Speech;
  /** Injectable clock (ms), so tests can stand before or after a link's window. */
  now: () => number;
  /** The process's Prometheus registry and its counters (api/metrics.ts). */
  metrics: ApiMetrics;
  /** OpenTelemetry export (core/tracing.ts); null when OTEL_EXPORTER_OTLP_ENDPOINT is unset. */
  tracing: Tracing | null;
  /** Where the built web pages are (default web/dist); tests build theirs elsewhere. */
  pagesDir?: string;
}

export interface App {
  config: ApiConfig;
  deps: Deps;
  sessions: SessionTokens;
}

export type AppEnv = {
  Variables: {
    requestId: string;
    /** W3C trace id of this request (api/lib/traceparent.ts): in its logs and its answer. */
    traceId: string;
    /** This request's span as a W3C traceparent, handed on with an agent dispatch. */
    traceparent: string;
    hr: HrSession;
  };
};
