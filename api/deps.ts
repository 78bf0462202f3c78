import type { Config } from '../core/config.js';
import { createLlm } from '../core/llm.js';
import type { Logger } from '../core/logger.js';
import { createSpeech } from '../core/speech.js';
import type { Db } from '../db/connect.js';
import type { Deps } from './context.js';
import { createRoomService } from '../core/livekit.js';

/** The production wiring of the API's dependencies; tests use it too, overriding the clock. */
export function buildDeps(config: Config, db: Db, log: Logger): Deps {
  return {
    db,
    log,
    llm: config.llm ? createLlm(config.llm) : null,
    rooms: createRoomService(config.livekit),
    speech: createSpeech(config.speech),
    now: Date.now,
  };
}
