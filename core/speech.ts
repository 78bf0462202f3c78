// Speech for seed 002's question audio_url: the offline voice (core/local-voice.ts), or any
// OpenAI-compatible /audio/speech through the openai SDK (TTS_MODEL, TTS_VOICE).
import OpenAI from 'openai';
import { ttsVoice, type TtsConfig } from './config/env.js';
import type { InterviewLanguage } from './domain.js';
import { localVoice, spawnLocalVoice } from './local-voice.js';

export interface Audio {
  bytes: Buffer;
  contentType: string;
}

export interface Speech {
  /** `text` spoken in the voice of `language` (default English). */
  synthesize(text: string, language?: InterviewLanguage): Promise<Audio>;
}

export class SpeechUnavailableError extends Error {}

function speakLocally(voice: string, text: string): Promise<Buffer> {
  const child = spawnLocalVoice(voice, text);
  const { program } = localVoice(voice);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    child.stdout!.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', (e) => reject(new SpeechUnavailableError(`${program} is not installed`, { cause: e })));
    child.on('close', (code) =>
      code === 0 ? resolve(Buffer.concat(chunks)) : reject(new SpeechUnavailableError(`${program} exited ${code}`)),
    );
  });
}

export function createSpeech(tts: TtsConfig): Speech {
  if (tts.provider === 'openai') {
    const client = new OpenAI({
      baseURL: tts.baseUrl ?? 'https://api.openai.com/v1',
      apiKey: tts.apiKey ?? 'none',
      timeout: 30_000,
      // One attempt, as the audio request waits on it: a failure answers 503 and the page may ask again.
      maxRetries: 0,
      // Configuration comes from TtsConfig only, not from the SDK's own OPENAI_* variables.
      organization: null,
      project: null,
      logLevel: 'off',
    });
    return {
      async synthesize(text, language = 'en') {
        try {
          const voice = ttsVoice(tts, language);
          const res = await client.audio.speech.create({ model: tts.model, voice, input: text, response_format: 'wav' });
          return { bytes: Buffer.from(await res.arrayBuffer()), contentType: 'audio/wav' };
        } catch (e) {
          if (e instanceof OpenAI.APIError && e.status !== undefined) {
            throw new SpeechUnavailableError(`speech service answered HTTP ${e.status}`, { cause: e });
          }
          throw new SpeechUnavailableError('speech service unreachable', { cause: e });
        }
      },
    };
  }
  return {
    synthesize: async (text, language = 'en') => ({ bytes: await speakLocally(ttsVoice(tts, language), text), contentType: 'audio/wav' }),
  };
}
