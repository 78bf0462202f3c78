// The voice worker's configuration (agent/main.ts): LiveKit as a worker joins it, the database it
// writes transcripts to, the LLM, speech in both directions, the interview's timing, its own
// health and metrics listeners. None of the API's secrets: a worker host never holds them.
import { z } from 'zod';
import {
  ConfigError,
  parseServiceEnv,
  port,
  STT_VARS,
  sttConfig,
  type LivekitConfig,
  type LlmConfig,
  type NodeEnv,
  type OtelConfig,
  type Source,
  type SttConfig,
  type TtsConfig,
} from './env.js';

/** The worker's own variables, besides SERVICE_VARS (core/config/env.ts). */
export const WORKER_VARS = {
  ...STT_VARS,
  AGENT_MAX_FOLLOW_UPS: z.coerce.number().int().min(0).max(5).default(1),
  AGENT_SILENCE_TIMEOUT_S: z.coerce.number().positive().max(600).default(20),
  AGENT_REJOIN_GRACE_S: z.coerce.number().min(0).max(600).default(20),
  AGENT_WRAP_UP_S: z.coerce.number().min(0).max(600).default(60),
  AGENT_HEALTH_PORT: port(8081),
  AGENT_MAX_JOBS: z.coerce.number().int().min(1).max(200).default(8),
  AGENT_METRICS_PORT: port(0, 0),
  AGENT_METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  // Turn-taking (bench/README.md: turns): how long the candidate's silence must last before the
  // interviewer answers. The VAD's silence opens the check; the end-of-turn model (it listens to the
  // last second of speech) then waits the maximum when the speech sounds unfinished, the minimum
  // when not. The minimum is long because after a finished sentence the model cannot tell a
  // candidate who is thinking from one who is done: a shorter one cut into the pauses there.
  AGENT_VAD_MIN_SILENCE_MS: z.coerce.number().int().min(100).max(3000).default(550),
  AGENT_TURN_MIN_DELAY_MS: z.coerce.number().int().min(0).max(10_000).default(2500),
  AGENT_TURN_MAX_DELAY_MS: z.coerce.number().int().min(100).max(20_000).default(3000),
  // A reply with no words this long after the model was asked starts with a short acknowledgement
  // (agent/acknowledge.ts); 0: never.
  AGENT_ACK_AFTER_MS: z.coerce.number().int().min(0).max(10_000).default(1200),
};

/** The worker's only secrets: the LiveKit credentials it registers with. */
export const WORKER_SECRETS = ['LIVEKIT_API_KEY', 'LIVEKIT_API_SECRET'] as const;

/** How an interview runs: the worker's own tuning (README: AGENT_*). */
export interface AgentTuning {
  maxFollowUps: number;
  /** Quiet this long (both sides): check in; as long again: end as ABANDONED. */
  silenceTimeoutS: number;
  /** How long a candidate who dropped may take to come back before the interview is ABANDONED. */
  rejoinGraceS: number;
  /** Spoken wrap-up this long before maxDuration (at most a quarter of the interview). */
  wrapUpS: number;
  /** The health listener, on `host`. */
  healthPort: number;
  /** Interviews one worker runs at once; at this many it reports itself full (agent/capacity.ts). */
  maxJobs: number;
  /** The worker's own `/metrics` listener; port 0: none. Loopback unless told otherwise. */
  metricsPort: number;
  metricsHost: string;
  turns: TurnTuning;
}

/** When the candidate's turn is over (README: AGENT_VAD_MIN_SILENCE_MS, AGENT_TURN_*). */
export interface TurnTuning {
  vadMinSilenceMs: number;
  minDelayMs: number;
  maxDelayMs: number;
  /** A reply still wordless this long after the LLM was asked opens with an acknowledgement; 0: never. */
  ackAfterMs: number;
}

export interface WorkerConfig {
  env: NodeEnv;
  logLevel: string;
  /** Always set: the worker shares the API's database (npm start serves the embedded one for it). */
  databaseUrl: string;
  dataDir: string;
  /** Where the health listener binds. */
  host: string;
  livekit: LivekitConfig;
  /** null: structured mode, the planned questions with no follow-ups of the model's. */
  llm: LlmConfig | null;
  stt: SttConfig;
  tts: TtsConfig;
  /** A token (16+ characters) the worker's `/metrics` then requires as a bearer. */
  metrics: { token: string | undefined };
  otel: OtelConfig;
  agent: AgentTuning;
}

export function loadWorkerConfig(source: Source = process.env): WorkerConfig {
  const config = workerSections(source);
  if (!config.databaseUrl) {
    throw new ConfigError(['DATABASE_URL: the worker needs the database the API uses (npm start serves the embedded one for it)']);
  }
  return { ...config, databaseUrl: config.databaseUrl };
}

/** The worker's configuration before the check that DATABASE_URL is set (in-process harnesses have none: core/config.ts). */
export function workerSections(source: Source): Omit<WorkerConfig, 'databaseUrl'> & { databaseUrl: string | undefined } {
  const { e, common } = parseServiceEnv(WORKER_VARS, source, WORKER_SECRETS);
  return {
    ...common,
    stt: sttConfig(e),
    agent: {
      maxFollowUps: e.AGENT_MAX_FOLLOW_UPS,
      silenceTimeoutS: e.AGENT_SILENCE_TIMEOUT_S,
      rejoinGraceS: e.AGENT_REJOIN_GRACE_S,
      wrapUpS: e.AGENT_WRAP_UP_S,
      healthPort: e.AGENT_HEALTH_PORT,
      maxJobs: e.AGENT_MAX_JOBS,
      metricsPort: e.AGENT_METRICS_PORT,
      metricsHost: e.AGENT_METRICS_HOST,
      turns: turnTuning(e.AGENT_VAD_MIN_SILENCE_MS, e.AGENT_TURN_MIN_DELAY_MS, e.AGENT_TURN_MAX_DELAY_MS, e.AGENT_ACK_AFTER_MS),
    },
  };
}

function turnTuning(vadMinSilenceMs: number, minDelayMs: number, maxDelayMs: number, ackAfterMs: number): TurnTuning {
  if (maxDelayMs < minDelayMs)
    throw new ConfigError([`AGENT_TURN_MAX_DELAY_MS (${maxDelayMs}) is below AGENT_TURN_MIN_DELAY_MS (${minDelayMs})`]);
  return { vadMinSilenceMs, minDelayMs, maxDelayMs, ackAfterMs };
}
