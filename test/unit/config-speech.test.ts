// Speech models and voices from the environment (STT_MODEL, STT_LANGUAGE, TTS_MODEL, TTS_VOICE),
// each provider's own defaults when unset, and the providers built from them.
import { initializeLogger } from '@livekit/agents';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadApiConfig, loadWorkerConfig } from '../../core/config.js';
import { buildProviders, hearsLanguage } from '../../agent/providers.js';

const DB = { DATABASE_URL: 'postgres://app@db:5432/app' };
const worker = (env: Record<string, string>) => loadWorkerConfig({ ...DB, ...env });

describe('speech recognition (the worker)', () => {
  it('defaults to each provider model and language used so far', () => {
    expect(worker({ DEEPGRAM_API_KEY: 'dg' }).stt).toEqual({
      provider: 'deepgram',
      baseUrl: undefined,
      apiKey: 'dg',
      model: 'nova-3',
      language: 'en-US',
      languageAr: 'ar',
    });
    expect(worker({ STT_BASE_URL: 'http://stt.local/v1', OPENAI_API_KEY: 'sk-o' }).stt).toEqual({
      provider: 'openai',
      baseUrl: 'http://stt.local/v1',
      apiKey: 'sk-o',
      model: 'whisper-1',
      language: 'en',
      languageAr: 'ar',
    });
    expect(worker({}).stt).toMatchObject({ provider: 'local', language: 'en' });
  });

  it('STT_MODEL and STT_LANGUAGE override them; empty means unset', () => {
    expect(worker({ DEEPGRAM_API_KEY: 'dg', STT_MODEL: 'nova-2-phonecall', STT_LANGUAGE: 'ar' }).stt).toMatchObject({
      model: 'nova-2-phonecall',
      language: 'ar',
    });
    expect(worker({ STT_PROVIDER: 'openai', STT_MODEL: '', STT_LANGUAGE: '' }).stt).toMatchObject({ model: 'whisper-1', language: 'en' });
  });

  it('the Deepgram key goes to Deepgram only, the OpenAI key to the OpenAI-compatible server', () => {
    expect(worker({ STT_PROVIDER: 'openai', DEEPGRAM_API_KEY: 'dg', OPENAI_API_KEY: 'sk-o' }).stt.apiKey).toBe('sk-o');
    expect(worker({ STT_PROVIDER: 'deepgram', DEEPGRAM_API_KEY: 'dg', OPENAI_API_KEY: 'sk-o' }).stt.apiKey).toBe('dg');
  });

  it('Arabic interviews are recognised in STT_LANGUAGE_AR (default ar), whatever STT_LANGUAGE says', () => {
    expect(worker({ DEEPGRAM_API_KEY: 'dg', STT_LANGUAGE: 'en-GB' }).stt).toMatchObject({ language: 'en-GB', languageAr: 'ar' });
    expect(worker({ STT_BASE_URL: 'http://stt.local/v1', STT_LANGUAGE_AR: 'ar-AE' }).stt.languageAr).toBe('ar-AE');
  });

  it('names STT_LANGUAGE when it is too short to be a language', () => {
    try {
      worker({ STT_LANGUAGE: 'e' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).problems[0]).toMatch(/^STT_LANGUAGE:/);
    }
  });
});

describe('speech synthesis (the worker and the API)', () => {
  it('defaults to tts-1 and alloy, for both processes', () => {
    const expected = {
      provider: 'openai',
      baseUrl: 'http://tts.local/v1',
      apiKey: undefined,
      model: 'tts-1',
      voice: 'alloy',
      voiceAr: 'alloy',
    };
    expect(worker({ TTS_BASE_URL: 'http://tts.local/v1' }).tts).toEqual(expected);
    expect(loadApiConfig({ TTS_BASE_URL: 'http://tts.local/v1' }).tts).toEqual(expected);
  });

  it('TTS_MODEL and TTS_VOICE override them', () => {
    const env = { OPENAI_API_KEY: 'sk-o', TTS_MODEL: 'gpt-4o-mini-tts', TTS_VOICE: 'coral' };
    expect(worker(env).tts).toMatchObject({ provider: 'openai', apiKey: 'sk-o', model: 'gpt-4o-mini-tts', voice: 'coral' });
    expect(loadApiConfig(env).tts).toMatchObject({ model: 'gpt-4o-mini-tts', voice: 'coral' });
  });

  it("local speech with no keys at all, in flite's slt voice unless TTS_VOICE names another", () => {
    expect(worker({}).tts).toMatchObject({ provider: 'local', voice: 'slt' });
    expect(loadApiConfig({}).tts).toMatchObject({ provider: 'local', voice: 'slt' });
    expect(worker({ TTS_VOICE: 'ar' }).tts).toMatchObject({ provider: 'local', voice: 'ar' });
  });

  it("Arabic interviews: espeak-ng's ar offline, the English voice on OpenAI (multilingual), TTS_VOICE_AR over both", () => {
    expect(worker({}).tts.voiceAr).toBe('ar');
    expect(worker({ TTS_VOICE: 'rms' }).tts.voiceAr).toBe('ar');
    expect(worker({ OPENAI_API_KEY: 'sk-o', TTS_VOICE: 'coral' }).tts.voiceAr).toBe('coral');
    expect(loadApiConfig({ TTS_VOICE_AR: 'ar+f3' }).tts.voiceAr).toBe('ar+f3');
    expect(worker({ TTS_BASE_URL: 'http://tts.local/v1', TTS_VOICE_AR: 'arabic-1' }).tts.voiceAr).toBe('arabic-1');
  });
});

describe('buildProviders (agent/providers.ts)', () => {
  // The plugins log from their constructors.
  beforeAll(() => initializeLogger({ pretty: false, level: 'warn' }));

  it('passes the configured models to Deepgram and the OpenAI-compatible TTS', () => {
    const p = buildProviders(
      worker({ DEEPGRAM_API_KEY: 'dg', STT_MODEL: 'nova-2', TTS_BASE_URL: 'http://tts.local/v1', TTS_MODEL: 'tts-1-hd' }),
    );
    expect(p.stt.provider).toMatch(/deepgram/i);
    expect(p.stt.model).toBe('nova-2');
    expect(p.tts.model).toBe('tts-1-hd');
    expect(p.llm).toBeUndefined();
  });

  it('passes the configured model to the OpenAI-compatible STT', () => {
    const p = buildProviders(worker({ STT_BASE_URL: 'http://stt.local/v1', STT_MODEL: 'whisper-large-v3' }));
    expect(p.stt.model).toBe('whisper-large-v3');
  });

  it('is offline with no keys: pocketsphinx, and flite in English or espeak-ng for another voice', () => {
    const p = buildProviders(worker({}));
    expect(p.stt.provider).toBe('pocketsphinx');
    expect(p.tts.provider).toBe('flite');
    expect(buildProviders(worker({ TTS_VOICE: 'ar' })).tts.provider).toBe('espeak-ng');
  });

  // The recognition language reaches the server as the request's language (test/e2e/arabic-interview.test.ts).
  it("an Arabic interview is spoken in espeak-ng's Arabic offline; an English one in flite", () => {
    expect(buildProviders(worker({ STT_BASE_URL: 'http://stt.local/v1' }), 'ar').tts.provider).toBe('espeak-ng');
    expect(buildProviders(worker({ STT_BASE_URL: 'http://stt.local/v1' }), 'en').tts.provider).toBe('flite');
  });

  it('the offline recogniser hears English only; Deepgram and OpenAI-compatible servers any language', () => {
    expect(hearsLanguage({ provider: 'local' }, 'en')).toBe(true);
    expect(hearsLanguage({ provider: 'local' }, 'ar')).toBe(false);
    expect(hearsLanguage({ provider: 'deepgram' }, 'ar')).toBe(true);
    expect(hearsLanguage({ provider: 'openai' }, 'ar')).toBe(true);
  });
});
