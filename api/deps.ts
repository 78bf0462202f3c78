import type { ApiConfig } from '../core/config.js';
import { createLlm } from '../core/llm.js';
import type { Logger } from '../core/logger.js';
import { createSpeech } from '../core/speech.js';
import type { Db } from '../db/connect.js';
import type { Deps } from './context.js';
import { createRoomService } from '../core/livekit.js';
import { startTracing } from '../core/tracing.js';
import { countEvaluationFailures, createApiMetrics } from './metrics.js';

/** The production wiring of the API's dependencies; tests use it too, overriding the clock. */
export function buildDeps(config: ApiConfig, db: Db, log: Logger): Deps {
  const metrics = createApiMetrics(config.metrics.enabled ? { db } : undefined);
  return {
    db,
    log,
    // Counted here, so failures count whoever evaluates: a route or the watchdog's sweeper.
    llm: config.llm ? countEvaluationFailures(createLlm(config.llm), metrics) : null,
    metrics,
    tracing: startTracing(config.otel, 'interviewer-api'),
    rooms: createRoomService(config.livekit),
    speech: createSpeech(config.tts),
    now: Date.now,
  };
}
