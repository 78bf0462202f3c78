// The variables every process's configuration is built from, in groups by what they configure
// (the database, LiveKit, the LLM, speech…). Each process (core/config/api.ts, worker.ts, tools.ts)
// takes the groups it needs, so a variable has one schema, one default and one name wherever it is read.
// The variable names are part of the product's interface (README: Configuration).
import { z } from 'zod';
import type { InterviewLanguage } from '../domain.js';
import { ARABIC_LOCAL_VOICE, DEFAULT_LOCAL_VOICE } from '../local-voice.js';

/** Dev defaults: fine on a laptop, refused when NODE_ENV=production by whichever process reads them. */
export const DEV_SECRETS = {
  LIVEKIT_API_KEY: 'devkey',
  LIVEKIT_API_SECRET: 'devsecret-devsecret-devsecret-0123',
  LINK_SECRET: 'dev-link-secret-change-me-0123456789',
  SESSION_SECRET: 'dev-session-secret-change-me-012345',
  ADMIN_EMAIL: 'admin@example.com',
  ADMIN_PASSWORD: 'admin123',
} as const;

export type Source = Record<string, string | undefined>;
export type NodeEnv = 'development' | 'production' | 'test';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

export const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');
export const optionalUrl = z.string().url().optional();
export const port = (fallback: number, min = 1) => z.coerce.number().int().min(min).max(65535).default(fallback);

export const PROCESS_VARS = {
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
};

export const DATABASE_VARS = {
  DATABASE_URL: z.string().min(1).optional(),
  DATA_DIR: z.string().min(1).default('.data'),
};

export const LIVEKIT_VARS = {
  LIVEKIT_URL: z.string().url().default('ws://127.0.0.1:7880'),
  LIVEKIT_API_KEY: z.string().min(1).default(DEV_SECRETS.LIVEKIT_API_KEY),
  LIVEKIT_API_SECRET: z.string().min(32).default(DEV_SECRETS.LIVEKIT_API_SECRET),
};

export const LLM_VARS = {
  LLM_BASE_URL: optionalUrl,
  LLM_API_KEY: z.string().min(1).optional(),
  LLM_MODEL: z.string().min(1).default('gpt-4o-mini'),
  OPENAI_API_KEY: z.string().min(1).optional(),
};

export const TTS_VARS = {
  TTS_PROVIDER: z.enum(['openai', 'local']).optional(),
  TTS_BASE_URL: optionalUrl,
  TTS_MODEL: z.string().min(1).default('tts-1'),
  // Default: alloy for OpenAI, flite's slt for the local voice (core/local-voice.ts).
  TTS_VOICE: z.string().min(1).optional(),
  // The voice of Arabic interviews. Default: espeak-ng's ar for the local voice; TTS_VOICE for OpenAI (its voices speak Arabic too).
  TTS_VOICE_AR: z.string().min(1).optional(),
  OPENAI_API_KEY: z.string().min(1).optional(),
};

export const STT_VARS = {
  STT_PROVIDER: z.enum(['deepgram', 'openai', 'local']).optional(),
  STT_BASE_URL: optionalUrl,
  STT_MODEL: z.string().min(1).optional(),
  STT_LANGUAGE: z.string().min(2).optional(),
  STT_LANGUAGE_AR: z.string().min(2).default('ar'),
  DEEPGRAM_API_KEY: z.string().min(1).optional(),
  OPENAI_API_KEY: z.string().min(1).optional(),
};

export const OTEL_VARS = {
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl,
  OTEL_SERVICE_NAME: z.string().min(1).optional(),
};

export const METRICS_TOKEN_VARS = {
  METRICS_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
};

/**
 * Parses `source` (empty strings count as unset) against `shape`, reading only the variables the
 * shape names, or throws a ConfigError with one `NAME: problem` line per bad variable.
 */
export function parseEnv<S extends z.ZodRawShape>(shape: S, source: Source): z.output<z.ZodObject<S>> {
  const cleaned = Object.fromEntries(Object.keys(shape).map((k) => [k, source[k] === '' ? undefined : source[k]]));
  const parsed = z.object(shape).safeParse(cleaned);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  return parsed.data;
}

/** With NODE_ENV=production, each of `names` must be set, and not to its dev default. */
function requireProductionSecrets(env: NodeEnv, source: Source, names: readonly (keyof typeof DEV_SECRETS)[]): void {
  if (env !== 'production') return;
  const missing = names.filter((k) => source[k] === undefined || source[k] === '' || source[k] === DEV_SECRETS[k]);
  if (missing.length > 0) {
    throw new ConfigError(missing.map((k) => `${k}: must be set to a non-default value when NODE_ENV=production`));
  }
}

export interface LlmConfig {
  baseUrl: string;
  apiKey: string;
  model: string;
}

/** null: no LLM, structured mode (question bank, evaluation stored as not scored). */
export function llmConfig(e: z.output<z.ZodObject<typeof LLM_VARS>>): LlmConfig | null {
  if (!e.LLM_BASE_URL && !e.LLM_API_KEY) return null;
  return {
    baseUrl: (e.LLM_BASE_URL ?? 'https://api.openai.com/v1').replace(/\/+$/, ''),
    apiKey: e.LLM_API_KEY ?? e.OPENAI_API_KEY ?? 'none',
    model: e.LLM_MODEL,
  };
}

export interface LivekitConfig {
  url: string;
  apiKey: string;
  apiSecret: string;
}

export function livekitConfig(e: z.output<z.ZodObject<typeof LIVEKIT_VARS>>): LivekitConfig {
  return { url: e.LIVEKIT_URL, apiKey: e.LIVEKIT_API_KEY, apiSecret: e.LIVEKIT_API_SECRET };
}

/** Speech synthesis: an OpenAI-compatible /audio/speech, or the offline voices (`local`: flite or espeak-ng, by voice; no model). */
export interface TtsConfig {
  provider: 'openai' | 'local';
  baseUrl: string | undefined;
  apiKey: string | undefined;
  model: string;
  /** The voice of English interviews (TTS_VOICE). */
  voice: string;
  /** The voice of Arabic interviews (TTS_VOICE_AR). */
  voiceAr: string;
}

/** The voice an interview in `language` is spoken with. */
export const ttsVoice = (t: TtsConfig, language: InterviewLanguage) => (language === 'ar' ? t.voiceAr : t.voice);

// With no keys the product runs offline; a key (or a base URL) switches a provider on.
export function ttsConfig(e: z.output<z.ZodObject<typeof TTS_VARS>>): TtsConfig {
  const provider = e.TTS_PROVIDER ?? (e.TTS_BASE_URL || e.OPENAI_API_KEY ? 'openai' : 'local');
  const voice = e.TTS_VOICE ?? (provider === 'openai' ? 'alloy' : DEFAULT_LOCAL_VOICE);
  return {
    provider,
    baseUrl: e.TTS_BASE_URL,
    apiKey: e.OPENAI_API_KEY,
    model: e.TTS_MODEL,
    voice,
    // flite speaks English only; an OpenAI-compatible server's voices are multilingual.
    voiceAr: e.TTS_VOICE_AR ?? (provider === 'openai' ? voice : ARABIC_LOCAL_VOICE),
  };
}

/** Speech recognition: Deepgram, an OpenAI-compatible /audio/transcriptions, or pocketsphinx (`local`). */
export interface SttConfig {
  provider: 'deepgram' | 'openai' | 'local';
  baseUrl: string | undefined;
  /** The provider's key: DEEPGRAM_API_KEY for Deepgram, OPENAI_API_KEY otherwise. */
  apiKey: string | undefined;
  model: string;
  /** The recognition language of English interviews (STT_LANGUAGE). */
  language: string;
  /** The recognition language of Arabic interviews (STT_LANGUAGE_AR); pocketsphinx has no Arabic model. */
  languageAr: string;
}

/** The language speech of an interview in `language` is recognised in. */
export const sttLanguage = (s: SttConfig, language: InterviewLanguage) => (language === 'ar' ? s.languageAr : s.language);

/** Each provider's model and language when STT_MODEL / STT_LANGUAGE are unset; pocketsphinx's model is its one English model. */
export const STT_DEFAULTS = {
  deepgram: { model: 'nova-3', language: 'en-US' },
  openai: { model: 'whisper-1', language: 'en' },
  local: { model: 'en-us', language: 'en' },
} as const;

export function sttConfig(e: z.output<z.ZodObject<typeof STT_VARS>>): SttConfig {
  const provider = e.STT_PROVIDER ?? (e.DEEPGRAM_API_KEY ? 'deepgram' : e.STT_BASE_URL ? 'openai' : 'local');
  return {
    provider,
    baseUrl: e.STT_BASE_URL,
    apiKey: provider === 'deepgram' ? e.DEEPGRAM_API_KEY : e.OPENAI_API_KEY,
    model: e.STT_MODEL ?? STT_DEFAULTS[provider].model,
    language: e.STT_LANGUAGE ?? STT_DEFAULTS[provider].language,
    languageAr: e.STT_LANGUAGE_AR,
  };
}

/** OpenTelemetry traces over OTLP/HTTP to `endpoint` (…/v1/traces); unset: no tracing (core/tracing.ts). */
export interface OtelConfig {
  endpoint: string | undefined;
  serviceName: string | undefined;
}

export function otelConfig(e: z.output<z.ZodObject<typeof OTEL_VARS>>): OtelConfig {
  return { endpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT?.replace(/\/+$/, ''), serviceName: e.OTEL_SERVICE_NAME };
}

/** What the API and the worker both read (each adds its own): the process, the database, LiveKit, the LLM, speech synthesis, traces, the metrics token, HOST. */
export const SERVICE_VARS = {
  ...PROCESS_VARS,
  ...DATABASE_VARS,
  ...LIVEKIT_VARS,
  ...LLM_VARS,
  ...TTS_VARS,
  ...OTEL_VARS,
  ...METRICS_TOKEN_VARS,
  HOST: z.string().min(1).default('127.0.0.1'),
};

/** SERVICE_VARS and a process's `own` variables, checked together (every bad one named), `secrets` required in production. */
export function parseServiceEnv<S extends z.ZodRawShape>(own: S, source: Source, secrets: readonly (keyof typeof DEV_SECRETS)[]) {
  const e = parseEnv({ ...SERVICE_VARS, ...own }, source) as z.output<z.ZodObject<typeof SERVICE_VARS>> & z.output<z.ZodObject<S>>;
  requireProductionSecrets(e.NODE_ENV, source, secrets);
  const common = {
    env: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    host: e.HOST,
    livekit: livekitConfig(e),
    llm: llmConfig(e),
    tts: ttsConfig(e),
    metrics: { token: e.METRICS_TOKEN },
    otel: otelConfig(e),
  };
  return { e, common };
}
