// Configuration, parsed once per process from the environment and passed in from there. Each
// process reads only the variables it needs: the API (core/config/api.ts), the voice worker
// (core/config/worker.ts), the tools (core/config/tools.ts), all built from the shared groups of
// core/config/env.ts. The variable names are part of the product's interface (README: Configuration).
import { loadApiConfig, type ApiConfig } from './config/api.js';
import { ConfigError, type Source } from './config/env.js';
import { workerSections, type WorkerConfig } from './config/worker.js';

export {
  ConfigError,
  DEV_SECRETS,
  parseEnv,
  sttLanguage,
  ttsVoice,
  type LivekitConfig,
  type LlmConfig,
  type OtelConfig,
  type SttConfig,
  type TtsConfig,
} from './config/env.js';
export { loadApiConfig, type ApiConfig } from './config/api.js';
export { loadWorkerConfig, type AgentTuning, type WorkerConfig } from './config/worker.js';
export { loadDatabaseConfig, loadEmbeddedDbConfig, loadEvalConfig, type DatabaseConfig } from './config/tools.js';

/**
 * The API's and the worker's configuration in one object, for harnesses that run the API and the
 * agent's code in one process (testkit/, bench/). A real process loads only its own.
 */
export type Config = ApiConfig & Omit<WorkerConfig, 'databaseUrl'>;

export function loadConfig(source: Source = process.env): Config {
  const api = loadApiConfig(source);
  const worker = workerSections(source);
  // The API's pieces win where both have one: its LiveKit section adds the public URL, its metrics the switch.
  return { ...worker, ...api };
}

/** At a process's start: its configuration, or the field errors on stderr and exit status 1 (no stack trace to read past). */
export function configOrExit<T>(load: (source: Source) => T, source: Source = process.env): T {
  try {
    return load(source);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    process.stderr.write(`${e.message}\n`);
    process.exit(1);
  }
}
