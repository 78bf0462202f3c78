// The tools' configuration: each reads only what it touches, so `npm run db:migrate` or `npm run
// eval` never needs a secret of the API's or the worker's.
import { DATABASE_VARS, LLM_VARS, llmConfig, parseEnv, port, type LlmConfig, type Source } from './env.js';

export interface DatabaseConfig {
  /** Unset: embedded PGlite under `dataDir`. */
  databaseUrl: string | undefined;
  dataDir: string;
}

/** `npm run db:migrate` (db/migrate.ts). */
export function loadDatabaseConfig(source: Source = process.env): DatabaseConfig {
  const e = parseEnv(DATABASE_VARS, source);
  return { databaseUrl: e.DATABASE_URL, dataDir: e.DATA_DIR };
}

/** The embedded database `npm start` serves to the API and the worker (db/embedded-server.ts). */
export function loadEmbeddedDbConfig(source: Source = process.env): { dataDir: string; port: number } {
  const e = parseEnv({ DATA_DIR: DATABASE_VARS.DATA_DIR, EMBEDDED_DB_PORT: port(5433) }, source);
  return { dataDir: e.DATA_DIR, port: e.EMBEDDED_DB_PORT };
}

/** `npm run eval` (eval/main.ts): the model under test; null: none configured. */
export function loadEvalConfig(source: Source = process.env): { llm: LlmConfig | null } {
  return { llm: llmConfig(parseEnv(LLM_VARS, source)) };
}
