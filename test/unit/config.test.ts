// Configuration from the environment: zero-setup defaults, providers switched on by their
// variables, and no dev secret ever accepted in production.
import { describe, expect, it } from 'vitest';
import { ConfigError, DEV_SECRETS, loadConfig } from '../../core/config.js';

const SECRET_NAMES = Object.keys(DEV_SECRETS) as (keyof typeof DEV_SECRETS)[];

const PRODUCTION_SECRETS = {
  LIVEKIT_API_KEY: 'prod-livekit-key',
  LIVEKIT_API_SECRET: 'prod-livekit-secret-0123456789abcdefghij',
  LINK_SECRET: 'prod-link-secret-0123456789abcdefghijklmn',
  SESSION_SECRET: 'prod-session-secret-0123456789abcdefghijk',
  ADMIN_EMAIL: 'ops@company.example',
  ADMIN_PASSWORD: 'a-long-production-password',
} satisfies Record<keyof typeof DEV_SECRETS, string>;

/** The ConfigError `fn` throws (fails the test if it throws anything else, or nothing). */
function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig defaults (empty environment)', () => {
  const config = loadConfig({});

  it('listens on 127.0.0.1:8000 in development', () => {
    expect(config.port).toBe(8000);
    expect(config.host).toBe('127.0.0.1');
    expect(config.env).toBe('development');
    expect(config.publicBaseUrl).toBe('http://localhost:8000');
    expect(config.trustProxy).toBe(false);
  });

  it('uses embedded PGlite under .data when DATABASE_URL is unset', () => {
    expect(config.databaseUrl).toBeUndefined();
    expect(config.dataDir).toBe('.data');
  });

  it('reads phone numbers in the UAE by default', () => {
    expect(config.defaultPhoneRegion).toBe('AE');
  });

  it('runs with no LLM (structured mode) and local speech', () => {
    expect(config.llm).toBeNull();
    expect(config.stt.provider).toBe('local');
    expect(config.tts.provider).toBe('local');
  });

  it('uses the dev secrets and the local LiveKit', () => {
    expect(config.livekit).toEqual({
      url: 'ws://127.0.0.1:7880',
      publicUrl: 'ws://127.0.0.1:7880',
      apiKey: DEV_SECRETS.LIVEKIT_API_KEY,
      apiSecret: DEV_SECRETS.LIVEKIT_API_SECRET,
    });
    expect(config.linkSecret).toBe(DEV_SECRETS.LINK_SECRET);
    expect(config.sessionSecret).toBe(DEV_SECRETS.SESSION_SECRET);
    expect(config.admin.email).toBe(DEV_SECRETS.ADMIN_EMAIL);
  });

  it('has the documented rate limits', () => {
    expect(config.rateLimit).toEqual({ perIp: 120, perKey: 30, windowMs: 60_000 });
  });

  it('treats empty strings as unset', () => {
    const c = loadConfig({ PORT: '', DATABASE_URL: '', LLM_BASE_URL: '', DEFAULT_PHONE_REGION: '' });
    expect(c.port).toBe(8000);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.llm).toBeNull();
    expect(c.defaultPhoneRegion).toBe('AE');
  });
});

describe('loadConfig from variables', () => {
  it('DATABASE_URL selects Postgres', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@db:5432/app' }).databaseUrl).toBe('postgres://u@db:5432/app');
  });

  it('PORT is coerced to a number and feeds the default public URL', () => {
    const c = loadConfig({ PORT: '9123' });
    expect(c.port).toBe(9123);
    expect(c.publicBaseUrl).toBe('http://localhost:9123');
  });

  it('LLM_BASE_URL switches the LLM on (trailing slashes trimmed, default model)', () => {
    const c = loadConfig({ LLM_BASE_URL: 'http://127.0.0.1:11434/v1/' });
    expect(c.llm).toEqual({ baseUrl: 'http://127.0.0.1:11434/v1', apiKey: 'none', model: 'gpt-4o-mini' });
  });

  it('LLM_API_KEY alone means OpenAI; LLM_MODEL picks the model', () => {
    const c = loadConfig({ LLM_API_KEY: 'sk-test', LLM_MODEL: 'gpt-4.1' });
    expect(c.llm).toEqual({ baseUrl: 'https://api.openai.com/v1', apiKey: 'sk-test', model: 'gpt-4.1' });
  });

  it('OPENAI_API_KEY is the LLM key when the LLM is on, and alone switches TTS (not the LLM) on', () => {
    expect(loadConfig({ LLM_BASE_URL: 'http://llm.local/v1', OPENAI_API_KEY: 'sk-o' }).llm?.apiKey).toBe('sk-o');
    const c = loadConfig({ OPENAI_API_KEY: 'sk-o' });
    expect(c.llm).toBeNull();
    expect(c.tts.provider).toBe('openai');
    expect(c.stt.provider).toBe('local');
  });

  it('speech providers follow their keys, and explicit choices win', () => {
    expect(loadConfig({ DEEPGRAM_API_KEY: 'dg' }).stt.provider).toBe('deepgram');
    expect(loadConfig({ STT_BASE_URL: 'http://stt.local/v1' }).stt.provider).toBe('openai');
    expect(loadConfig({ TTS_BASE_URL: 'http://tts.local/v1' }).tts.provider).toBe('openai');
    expect(loadConfig({ DEEPGRAM_API_KEY: 'dg', STT_PROVIDER: 'local' }).stt.provider).toBe('local');
  });

  it('TRUST_PROXY and PUBLIC_BASE_URL are read', () => {
    const c = loadConfig({ TRUST_PROXY: 'yes', PUBLIC_BASE_URL: 'https://interviews.example.com/' });
    expect(c.trustProxy).toBe(true);
    expect(c.publicBaseUrl).toBe('https://interviews.example.com');
  });
});

describe('loadConfig rejects bad values', () => {
  it.each(['abc', '70000', '-1', '80.5', '8000x'])('PORT=%j', (port) => {
    const err = configError(() => loadConfig({ PORT: port }));
    expect(err.problems.length).toBeGreaterThan(0);
    expect(err.problems.every((p) => p.startsWith('PORT:'))).toBe(true);
    expect(err.message).toContain('PORT');
  });

  it('a lower-case or three-letter phone region', () => {
    expect(configError(() => loadConfig({ DEFAULT_PHONE_REGION: 'ae' })).problems[0]).toMatch(/^DEFAULT_PHONE_REGION:/);
    expect(configError(() => loadConfig({ DEFAULT_PHONE_REGION: 'ARE' })).problems[0]).toMatch(/^DEFAULT_PHONE_REGION:/);
  });

  it('secrets shorter than 32 characters, bad URLs, unknown providers', () => {
    expect(configError(() => loadConfig({ LINK_SECRET: 'short' })).problems[0]).toMatch(/^LINK_SECRET:/);
    expect(configError(() => loadConfig({ LLM_BASE_URL: 'not a url' })).problems[0]).toMatch(/^LLM_BASE_URL:/);
    expect(configError(() => loadConfig({ STT_PROVIDER: 'whisper' })).problems[0]).toMatch(/^STT_PROVIDER:/);
    expect(configError(() => loadConfig({ NODE_ENV: 'staging' })).problems[0]).toMatch(/^NODE_ENV:/);
  });
});

describe('NODE_ENV=production', () => {
  it('refuses to start with no secrets, naming every missing variable', () => {
    const err = configError(() => loadConfig({ NODE_ENV: 'production' }));
    expect(err.problems).toHaveLength(SECRET_NAMES.length);
    for (const name of SECRET_NAMES) {
      expect(err.problems.some((p) => p.startsWith(`${name}:`))).toBe(true);
      expect(err.message).toContain(name);
    }
  });

  it('refuses the dev defaults written out explicitly', () => {
    const err = configError(() => loadConfig({ NODE_ENV: 'production', ...DEV_SECRETS }));
    expect(err.problems.map((p) => p.split(':')[0]).sort()).toEqual([...SECRET_NAMES].sort());
  });

  it.each(SECRET_NAMES)('names %s alone when only it is missing, empty or the dev value', (name) => {
    const without = { ...PRODUCTION_SECRETS } as Record<string, string>;
    delete without[name];
    for (const env of [without, { ...PRODUCTION_SECRETS, [name]: '' }, { ...PRODUCTION_SECRETS, [name]: DEV_SECRETS[name] }]) {
      const err = configError(() => loadConfig({ NODE_ENV: 'production', ...env }));
      expect(err.problems).toHaveLength(1);
      expect(err.problems[0]).toMatch(new RegExp(`^${name}: must be set`));
    }
  });

  it('starts with every secret set to a non-default value', () => {
    const c = loadConfig({ NODE_ENV: 'production', ...PRODUCTION_SECRETS });
    expect(c.env).toBe('production');
    expect(c.livekit.apiKey).toBe(PRODUCTION_SECRETS.LIVEKIT_API_KEY);
    expect(c.livekit.apiSecret).toBe(PRODUCTION_SECRETS.LIVEKIT_API_SECRET);
    expect(c.linkSecret).toBe(PRODUCTION_SECRETS.LINK_SECRET);
    expect(c.sessionSecret).toBe(PRODUCTION_SECRETS.SESSION_SECRET);
    expect(c.admin).toMatchObject({ email: PRODUCTION_SECRETS.ADMIN_EMAIL, password: PRODUCTION_SECRETS.ADMIN_PASSWORD });
  });

  it('development and test accept the dev defaults', () => {
    expect(() => loadConfig({ NODE_ENV: 'development' })).not.toThrow();
    expect(() => loadConfig({ NODE_ENV: 'test' })).not.toThrow();
  });
});
