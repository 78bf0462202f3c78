// One configuration per process: the API, the voice worker and the tools each read only their own
// variables, so a worker host is never given the API's secrets, and each fails at boot naming the
// variable that is wrong.
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ConfigError,
  configOrExit,
  DEV_SECRETS,
  loadApiConfig,
  loadDatabaseConfig,
  loadEmbeddedDbConfig,
  loadEvalConfig,
  loadWorkerConfig,
} from '../../core/config.js';

const LIVEKIT = { LIVEKIT_API_KEY: 'prod-livekit-key', LIVEKIT_API_SECRET: 'prod-livekit-secret-0123456789abcdefghij' };
const API_ONLY_SECRETS = {
  LINK_SECRET: 'prod-link-secret-0123456789abcdefghijklmn',
  SESSION_SECRET: 'prod-session-secret-0123456789abcdefghijk',
  ADMIN_EMAIL: 'ops@company.example',
  ADMIN_PASSWORD: 'a-long-production-password',
};
const DB = { DATABASE_URL: 'postgres://app@db:5432/app' };

function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}
const names = (ps: string[]) => ps.map((p) => p.split(':')[0]).sort();

describe('the worker (agent/main.ts)', () => {
  it('starts in production with its LiveKit credentials and the database, and none of the API secrets', () => {
    const c = loadWorkerConfig({ NODE_ENV: 'production', ...LIVEKIT, ...DB });
    expect(c.env).toBe('production');
    expect(c.livekit).toEqual({ url: 'ws://127.0.0.1:7880', apiKey: LIVEKIT.LIVEKIT_API_KEY, apiSecret: LIVEKIT.LIVEKIT_API_SECRET });
    expect(c.databaseUrl).toBe(DB.DATABASE_URL);
    for (const key of ['linkSecret', 'sessionSecret', 'admin', 'publicBaseUrl', 'rateLimit']) expect(c).not.toHaveProperty(key);
  });

  it('in production refuses the dev LiveKit credentials, naming only those two', () => {
    const ps = problems(() => loadWorkerConfig({ NODE_ENV: 'production', ...DB }));
    expect(names(ps)).toEqual(['LIVEKIT_API_KEY', 'LIVEKIT_API_SECRET']);
    expect(ps.every((p) => /must be set to a non-default value when NODE_ENV=production/.test(p))).toBe(true);
    const dev = { LIVEKIT_API_KEY: DEV_SECRETS.LIVEKIT_API_KEY, LIVEKIT_API_SECRET: LIVEKIT.LIVEKIT_API_SECRET };
    expect(names(problems(() => loadWorkerConfig({ NODE_ENV: 'production', ...DB, ...dev })))).toEqual(['LIVEKIT_API_KEY']);
  });

  it('needs DATABASE_URL, and says so by name', () => {
    const ps = problems(() => loadWorkerConfig({}));
    expect(ps).toHaveLength(1);
    expect(ps[0]).toMatch(/^DATABASE_URL: /);
    expect(problems(() => loadWorkerConfig({ DATABASE_URL: '' }))[0]).toMatch(/^DATABASE_URL: /);
  });

  it('has the documented defaults otherwise', () => {
    const c = loadWorkerConfig(DB);
    expect(c.agent).toEqual({
      maxFollowUps: 1,
      silenceTimeoutS: 20,
      rejoinGraceS: 20,
      wrapUpS: 60,
      healthPort: 8081,
      maxJobs: 8,
      metricsPort: 0,
      metricsHost: '127.0.0.1',
      turns: { vadMinSilenceMs: 550, minDelayMs: 2500, maxDelayMs: 3000, ackAfterMs: 1200 },
    });
    expect(c.host).toBe('127.0.0.1');
    expect(c.llm).toBeNull();
    expect(c.metrics).toEqual({ token: undefined });
    expect(c.otel).toEqual({ endpoint: undefined, serviceName: undefined });
  });

  it('takes the turn-taking delays and refuses a maximum below the minimum', () => {
    expect(
      loadWorkerConfig({
        ...DB,
        AGENT_TURN_MIN_DELAY_MS: '700',
        AGENT_TURN_MAX_DELAY_MS: '2000',
        AGENT_VAD_MIN_SILENCE_MS: '400',
        AGENT_ACK_AFTER_MS: '0',
      }).agent.turns,
    ).toEqual({
      vadMinSilenceMs: 400,
      minDelayMs: 700,
      maxDelayMs: 2000,
      ackAfterMs: 0,
    });
    expect(problems(() => loadWorkerConfig({ ...DB, AGENT_TURN_MIN_DELAY_MS: '2000', AGENT_TURN_MAX_DELAY_MS: '1000' }))).toEqual([
      'AGENT_TURN_MAX_DELAY_MS (1000) is below AGENT_TURN_MIN_DELAY_MS (2000)',
    ]);
  });

  it('never reads the API variables: bad ones do not stop it', () => {
    expect(() =>
      loadWorkerConfig({ ...DB, PORT: 'abc', LINK_SECRET: 'short', DEFAULT_PHONE_REGION: 'ae', METRICS_ENABLED: 'maybe' }),
    ).not.toThrow();
  });

  it('names each bad variable of its own', () => {
    const ps = problems(() => loadWorkerConfig({ ...DB, AGENT_MAX_JOBS: '0', AGENT_HEALTH_PORT: '70000', METRICS_TOKEN: 'short' }));
    expect(names(ps)).toEqual(['AGENT_HEALTH_PORT', 'AGENT_MAX_JOBS', 'METRICS_TOKEN']);
    expect(ps.find((p) => p.startsWith('METRICS_TOKEN'))).toMatch(/at least 16 characters/);
  });
});

describe('the API (api/server.ts)', () => {
  it('in production refuses to start without its secrets, naming each', () => {
    const ps = problems(() => loadApiConfig({ NODE_ENV: 'production', ...DB }));
    expect(names(ps)).toEqual(Object.keys(DEV_SECRETS).sort());
  });

  it('in production a worker-sized environment is not enough: it names the API secrets only', () => {
    const ps = problems(() => loadApiConfig({ NODE_ENV: 'production', ...LIVEKIT, ...DB }));
    expect(names(ps)).toEqual(Object.keys(API_ONLY_SECRETS).sort());
  });

  it('starts in production with every secret set', () => {
    const c = loadApiConfig({ NODE_ENV: 'production', ...LIVEKIT, ...API_ONLY_SECRETS });
    expect(c.linkSecret).toBe(API_ONLY_SECRETS.LINK_SECRET);
    expect(c.admin.email).toBe(API_ONLY_SECRETS.ADMIN_EMAIL);
    expect(c.livekit.publicUrl).toBe('ws://127.0.0.1:7880');
  });

  it('starts with no environment at all (npm start), with no DATABASE_URL: embedded PGlite', () => {
    const c = loadApiConfig({});
    expect(c.databaseUrl).toBeUndefined();
    expect(c.port).toBe(8000);
  });

  it('never reads the worker variables: bad ones do not stop it, and it has no worker sections', () => {
    const c = loadApiConfig({ AGENT_MAX_JOBS: '0', AGENT_SILENCE_TIMEOUT_S: 'soon', STT_PROVIDER: 'whisper', AGENT_METRICS_PORT: 'x' });
    for (const key of ['agent', 'stt']) expect(c).not.toHaveProperty(key);
  });
});

describe('the tools', () => {
  it('db:migrate reads the database only, in production too', () => {
    expect(loadDatabaseConfig({ NODE_ENV: 'production', ...DB, LINK_SECRET: 'short' })).toEqual({
      databaseUrl: DB.DATABASE_URL,
      dataDir: '.data',
    });
    expect(loadDatabaseConfig({})).toEqual({ databaseUrl: undefined, dataDir: '.data' });
  });

  it('the embedded database reads its folder and port, and names a bad port', () => {
    expect(loadEmbeddedDbConfig({})).toEqual({ dataDir: '.data', port: 5433 });
    expect(loadEmbeddedDbConfig({ DATA_DIR: '/tmp/x', EMBEDDED_DB_PORT: '6543' })).toEqual({ dataDir: '/tmp/x', port: 6543 });
    expect(problems(() => loadEmbeddedDbConfig({ EMBEDDED_DB_PORT: '0' }))[0]).toMatch(/^EMBEDDED_DB_PORT:/);
  });

  it('eval reads the model under test only', () => {
    expect(loadEvalConfig({ PORT: 'abc' })).toEqual({ llm: null });
    expect(loadEvalConfig({ LLM_BASE_URL: 'http://127.0.0.1:11434/v1/', LLM_MODEL: 'm' }).llm).toEqual({
      baseUrl: 'http://127.0.0.1:11434/v1',
      apiKey: 'none',
      model: 'm',
    });
    expect(problems(() => loadEvalConfig({ LLM_BASE_URL: 'nope' }))[0]).toMatch(/^LLM_BASE_URL:/);
  });
});

describe('configOrExit (each process at boot)', () => {
  afterEach(() => vi.restoreAllMocks());

  it('returns the configuration when it parses', () => {
    expect(configOrExit(loadDatabaseConfig, DB).databaseUrl).toBe(DB.DATABASE_URL);
  });

  it('prints the field errors and exits 1 on a ConfigError', () => {
    const exit = vi.spyOn(process, 'exit').mockImplementation(((code?: number) => {
      throw new Error(`exit ${code}`);
    }) as never);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(() => configOrExit(loadWorkerConfig, { NODE_ENV: 'production' })).toThrow('exit 1');
    expect(exit).toHaveBeenCalledWith(1);
    const printed = String(stderr.mock.calls[0]?.[0]);
    expect(printed).toMatch(/^Invalid configuration:/);
    expect(printed).toContain('LIVEKIT_API_KEY');
    expect(printed).not.toContain('SESSION_SECRET');
  });

  it('lets any other error through', () => {
    const boom = new Error('boom');
    expect(() =>
      configOrExit(() => {
        throw boom;
      }),
    ).toThrow(boom);
  });
});
