// Configuration, parsed once per process from the environment and passed in from there.
// The variable names are part of the product's interface (README: Configuration).
import { z } from 'zod';

/** Dev defaults: fine on a laptop, refused when NODE_ENV=production. */
export const DEV_SECRETS = {
  LIVEKIT_API_KEY: 'devkey',
  LIVEKIT_API_SECRET: 'devsecret-devsecret-devsecret-0123',
  LINK_SECRET: 'dev-link-secret-change-me-0123456789',
  SESSION_SECRET: 'dev-session-secret-change-me-012345',
  ADMIN_EMAIL: 'admin@example.com',
  ADMIN_PASSWORD: 'admin123',
} as const;

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');
const optionalUrl = z.string().url().optional();
const emptyToUndefined = (v: unknown) => (v === '' ? undefined : v);

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: z.string().min(1).optional(),
  DATA_DIR: z.string().min(1).default('.data'),
  EMBEDDED_DB_PORT: z.coerce.number().int().min(1).max(65535).default(5433),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8000),
  PUBLIC_BASE_URL: optionalUrl,
  TRUST_PROXY: bool.default(false),
  LIVEKIT_URL: z.string().url().default('ws://127.0.0.1:7880'),
  LIVEKIT_PUBLIC_URL: optionalUrl,
  LIVEKIT_API_KEY: z.string().min(1).default(DEV_SECRETS.LIVEKIT_API_KEY),
  LIVEKIT_API_SECRET: z.string().min(32).default(DEV_SECRETS.LIVEKIT_API_SECRET),
  LINK_SECRET: z.string().min(32).default(DEV_SECRETS.LINK_SECRET),
  SESSION_SECRET: z.string().min(32).default(DEV_SECRETS.SESSION_SECRET),
  ADMIN_EMAIL: z.string().email().default(DEV_SECRETS.ADMIN_EMAIL),
  ADMIN_PASSWORD: z.string().min(6).default(DEV_SECRETS.ADMIN_PASSWORD),
  ADMIN_ORGANIZATION: z.string().min(1).default('Default organization'),
  DEFAULT_PHONE_REGION: z
    .string()
    .regex(/^[A-Z]{2}$/, 'a two-letter country code such as AE')
    .default('AE'),
  LLM_BASE_URL: optionalUrl,
  LLM_API_KEY: z.string().min(1).optional(),
  LLM_MODEL: z.string().min(1).default('gpt-4o-mini'),
  STT_PROVIDER: z.enum(['deepgram', 'openai', 'local']).optional(),
  TTS_PROVIDER: z.enum(['openai', 'local']).optional(),
  DEEPGRAM_API_KEY: z.string().min(1).optional(),
  OPENAI_API_KEY: z.string().min(1).optional(),
  STT_BASE_URL: optionalUrl,
  TTS_BASE_URL: optionalUrl,
  AGENT_MAX_FOLLOW_UPS: z.coerce.number().int().min(0).max(5).default(1),
  AGENT_SILENCE_TIMEOUT_S: z.coerce.number().positive().max(600).default(20),
  AGENT_REJOIN_GRACE_S: z.coerce.number().min(0).max(600).default(20),
  AGENT_WRAP_UP_S: z.coerce.number().min(0).max(600).default(60),
  AGENT_HEALTH_PORT: z.coerce.number().int().min(1).max(65535).default(8081),
  AGENT_MAX_JOBS: z.coerce.number().int().min(1).max(200).default(8),
  RATE_LIMIT_PER_IP: z.coerce.number().int().positive().default(120),
  RATE_LIMIT_PER_KEY: z.coerce.number().int().positive().default(30),
  WEBHOOKS_ALLOW_HTTP: bool.default(false),
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl,
  OTEL_SERVICE_NAME: z.string().min(1).optional(),
  METRICS_ENABLED: bool.default(false),
  METRICS_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
  AGENT_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  AGENT_METRICS_HOST: z.string().min(1).default('127.0.0.1'),
});

export type Env = z.input<typeof envSchema>;

export interface LlmConfig {
  baseUrl: string;
  apiKey: string;
  model: string;
}

export interface Config {
  env: 'development' | 'production' | 'test';
  logLevel: string;
  /** Unset: embedded PGlite under `dataDir`. */
  databaseUrl: string | undefined;
  dataDir: string;
  /** Where `npm start` serves the embedded PGlite to the API and the worker. */
  embeddedDbPort: number;
  host: string;
  port: number;
  publicBaseUrl: string;
  /** Read the client address from X-Forwarded-For (only behind a proxy you control). */
  trustProxy: boolean;
  livekit: { url: string; publicUrl: string; apiKey: string; apiSecret: string };
  linkSecret: string;
  sessionSecret: string;
  admin: { email: string; password: string; organization: string };
  defaultPhoneRegion: string;
  /** null: no LLM, structured mode (question bank, evaluation stored as not scored). */
  llm: LlmConfig | null;
  speech: {
    stt: 'deepgram' | 'openai' | 'local';
    tts: 'openai' | 'local';
    deepgramApiKey: string | undefined;
    openaiApiKey: string | undefined;
    sttBaseUrl: string | undefined;
    ttsBaseUrl: string | undefined;
  };
  rateLimit: { perIp: number; perKey: number; windowMs: number };
  /** Outbound webhooks: `allowHttp` also accepts http: and local addresses (development, tests). */
  webhooks: { allowHttp: boolean };
  /**
   * Prometheus `/metrics` (API and worker). Off by default: it names routes and counts interviews,
   * which is nobody's business on the open internet. With a token, scrapes need it as a bearer.
   */
  metrics: { enabled: boolean; token: string | undefined };
  /** OpenTelemetry traces over OTLP/HTTP to `endpoint` (…/v1/traces); unset: no tracing (core/tracing.ts). */
  otel: { endpoint: string | undefined; serviceName: string | undefined };
  agent: {
    maxFollowUps: number;
    /** Quiet this long (both sides): check in; as long again: end as ABANDONED. */
    silenceTimeoutS: number;
    /** How long a candidate who dropped may take to come back before the interview is ABANDONED. */
    rejoinGraceS: number;
    /** Spoken wrap-up this long before maxDuration (at most a quarter of the interview). */
    wrapUpS: number;
    healthPort: number;
    /** Interviews one worker runs at once; at this many it reports itself full (agent/capacity.ts). */
    maxJobs: number;
    /** The worker's own `/metrics` listener; port 0: none. Loopback unless told otherwise. */
    metricsPort: number;
    metricsHost: string;
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(Object.keys(envSchema.shape).map((k) => [k, emptyToUndefined(source[k])]));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;

  if (e.NODE_ENV === 'production') {
    const missing = (Object.keys(DEV_SECRETS) as (keyof typeof DEV_SECRETS)[]).filter(
      (k) => source[k] === undefined || source[k] === '' || source[k] === DEV_SECRETS[k],
    );
    if (missing.length > 0) {
      throw new ConfigError(missing.map((k) => `${k}: must be set to a non-default value when NODE_ENV=production`));
    }
  }

  const llmKey = e.LLM_API_KEY ?? e.OPENAI_API_KEY;
  const llm: LlmConfig | null =
    e.LLM_BASE_URL || e.LLM_API_KEY
      ? {
          baseUrl: (e.LLM_BASE_URL ?? 'https://api.openai.com/v1').replace(/\/+$/, ''),
          apiKey: llmKey ?? 'none',
          model: e.LLM_MODEL,
        }
      : null;

  // With no keys the product runs offline; a key (or a base URL) switches a provider on.
  const stt = e.STT_PROVIDER ?? (e.DEEPGRAM_API_KEY ? 'deepgram' : e.STT_BASE_URL ? 'openai' : 'local');
  const tts = e.TTS_PROVIDER ?? (e.TTS_BASE_URL || e.OPENAI_API_KEY ? 'openai' : 'local');

  return {
    env: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    embeddedDbPort: e.EMBEDDED_DB_PORT,
    host: e.HOST,
    port: e.PORT,
    publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    trustProxy: e.TRUST_PROXY,
    livekit: {
      url: e.LIVEKIT_URL,
      publicUrl: e.LIVEKIT_PUBLIC_URL ?? e.LIVEKIT_URL,
      apiKey: e.LIVEKIT_API_KEY,
      apiSecret: e.LIVEKIT_API_SECRET,
    },
    linkSecret: e.LINK_SECRET,
    sessionSecret: e.SESSION_SECRET,
    admin: { email: e.ADMIN_EMAIL, password: e.ADMIN_PASSWORD, organization: e.ADMIN_ORGANIZATION },
    defaultPhoneRegion: e.DEFAULT_PHONE_REGION,
    llm,
    speech: {
      stt,
      tts,
      deepgramApiKey: e.DEEPGRAM_API_KEY,
      openaiApiKey: e.OPENAI_API_KEY,
      sttBaseUrl: e.STT_BASE_URL,
      ttsBaseUrl: e.TTS_BASE_URL,
    },
    rateLimit: { perIp: e.RATE_LIMIT_PER_IP, perKey: e.RATE_LIMIT_PER_KEY, windowMs: 60_000 },
    webhooks: { allowHttp: e.WEBHOOKS_ALLOW_HTTP },
    metrics: { enabled: e.METRICS_ENABLED, token: e.METRICS_TOKEN },
    otel: { endpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT?.replace(/\/+$/, ''), serviceName: e.OTEL_SERVICE_NAME },
    agent: {
      maxFollowUps: e.AGENT_MAX_FOLLOW_UPS,
      silenceTimeoutS: e.AGENT_SILENCE_TIMEOUT_S,
      rejoinGraceS: e.AGENT_REJOIN_GRACE_S,
      wrapUpS: e.AGENT_WRAP_UP_S,
      healthPort: e.AGENT_HEALTH_PORT,
      maxJobs: e.AGENT_MAX_JOBS,
      metricsPort: e.AGENT_METRICS_PORT,
      metricsHost: e.AGENT_METRICS_HOST,
    },
  };
}
