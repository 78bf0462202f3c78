// The API's configuration (api/server.ts): the HTTP listener, its secrets, the database, LiveKit as
// the API uses it (tokens, rooms, dispatch, webhooks), the LLM, speech for seed 002's question audio.
import { z } from 'zod';
import { INTERVIEW_LANGUAGES, type InterviewLanguage } from '../domain.js';
import {
  bool,
  DEV_SECRETS,
  optionalUrl,
  parseServiceEnv,
  port,
  type LivekitConfig,
  type LlmConfig,
  type NodeEnv,
  type OtelConfig,
  type Source,
  type TtsConfig,
} from './env.js';

/** The API's own variables, besides SERVICE_VARS (core/config/env.ts). */
export const API_VARS = {
  PORT: port(8000, 0),
  PUBLIC_BASE_URL: optionalUrl,
  TRUST_PROXY: bool.default(false),
  LIVEKIT_PUBLIC_URL: optionalUrl,
  LINK_SECRET: z.string().min(32).default(DEV_SECRETS.LINK_SECRET),
  SESSION_SECRET: z.string().min(32).default(DEV_SECRETS.SESSION_SECRET),
  ADMIN_EMAIL: z.string().email().default(DEV_SECRETS.ADMIN_EMAIL),
  ADMIN_PASSWORD: z.string().min(6).default(DEV_SECRETS.ADMIN_PASSWORD),
  ADMIN_ORGANIZATION: z.string().min(1).default('Default organization'),
  DEFAULT_PHONE_REGION: z
    .string()
    .regex(/^[A-Z]{2}$/, 'a two-letter country code such as AE')
    .default('AE'),
  RATE_LIMIT_PER_IP: z.coerce.number().int().positive().default(120),
  RATE_LIMIT_PER_KEY: z.coerce.number().int().positive().default(30),
  WEBHOOKS_ALLOW_HTTP: bool.default(false),
  METRICS_ENABLED: bool.default(false),
  // The API cannot see which recogniser the workers run: the deployment declares what they can hear.
  VOICE_LANGUAGES: z
    .string()
    .default('en')
    .transform((v) => [
      ...new Set(
        v
          .split(',')
          .map((l) => l.trim())
          .filter(Boolean),
      ),
    ])
    .pipe(z.array(z.enum(INTERVIEW_LANGUAGES)).min(1, 'at least one language')),
};

/** Every secret of DEV_SECRETS is the API's: it signs links, sessions and LiveKit tokens, and creates the first HR user. */
export const API_SECRETS = Object.keys(DEV_SECRETS) as (keyof typeof DEV_SECRETS)[];

export interface ApiConfig {
  env: NodeEnv;
  logLevel: string;
  /** Unset: embedded PGlite under `dataDir`. */
  databaseUrl: string | undefined;
  dataDir: string;
  host: string;
  port: number;
  publicBaseUrl: string;
  /** Read the client address from X-Forwarded-For (only behind a proxy you control). */
  trustProxy: boolean;
  /** `publicUrl`: LiveKit as browsers reach it (`serverUrl` in join answers). */
  livekit: LivekitConfig & { publicUrl: string };
  linkSecret: string;
  sessionSecret: string;
  admin: { email: string; password: string; organization: string };
  defaultPhoneRegion: string;
  /** null: no LLM, structured mode (question bank, evaluation stored as not scored). */
  llm: LlmConfig | null;
  /** The question audio of seed 002's text mode. */
  tts: TtsConfig;
  rateLimit: { perIp: number; perKey: number; windowMs: number };
  /**
   * The languages a voice room may be opened in: those the workers' speech recognition supports
   * (the offline recogniser: English only). Text interviews take any language.
   */
  voiceLanguages: readonly InterviewLanguage[];
  /** Outbound webhooks: `allowHttp` also accepts http: and local addresses (development, tests). */
  webhooks: { allowHttp: boolean };
  /**
   * Prometheus `/metrics`. Off by default: it names routes and counts interviews, which is nobody's
   * business on the open internet. With a token, scrapes need it as a bearer.
   */
  metrics: { enabled: boolean; token: string | undefined };
  otel: OtelConfig;
}

export function loadApiConfig(source: Source = process.env): ApiConfig {
  const { e, common } = parseServiceEnv(API_VARS, source, API_SECRETS);
  return {
    ...common,
    port: e.PORT,
    publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    trustProxy: e.TRUST_PROXY,
    livekit: { ...common.livekit, publicUrl: e.LIVEKIT_PUBLIC_URL ?? e.LIVEKIT_URL },
    linkSecret: e.LINK_SECRET,
    sessionSecret: e.SESSION_SECRET,
    admin: { email: e.ADMIN_EMAIL, password: e.ADMIN_PASSWORD, organization: e.ADMIN_ORGANIZATION },
    defaultPhoneRegion: e.DEFAULT_PHONE_REGION,
    rateLimit: { perIp: e.RATE_LIMIT_PER_IP, perKey: e.RATE_LIMIT_PER_KEY, windowMs: 60_000 },
    webhooks: { allowHttp: e.WEBHOOKS_ALLOW_HTTP },
    voiceLanguages: e.VOICE_LANGUAGES,
    metrics: { enabled: e.METRICS_ENABLED, token: e.METRICS_TOKEN },
  };
}
