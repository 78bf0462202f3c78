// Speech for seed 002's question audio_url: espeak-ng offline, or any OpenAI-compatible /audio/speech
// through the openai SDK (TTS_MODEL, TTS_VOICE).
import { spawn } from 'node:child_process';
import OpenAI from 'openai';
import type { TtsConfig } from './config/env.js';

export interface Audio {
  bytes: Buffer;
  contentType: string;
}

export interface Speech {
  synthesize(text: string): Promise<Audio>;
}

export class SpeechUnavailableError extends Error {}

function espeak(text: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // Klatt voice, 160 wpm: the clearest of espeak-ng's voices for listeners and for recognisers.
    const child = spawn('espeak-ng', ['-v', 'en-us+klatt2', '-s', '160', '--stdout', '--', text], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', (e) => reject(new SpeechUnavailableError('espeak-ng is not installed', { cause: e })));
    child.on('close', (code) =>
      code === 0 ? resolve(Buffer.concat(chunks)) : reject(new SpeechUnavailableError(`espeak-ng exited ${code}`)),
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
      async synthesize(text) {
        try {
          const res = await client.audio.speech.create({ model: tts.model, voice: tts.voice, input: text, response_format: 'wav' });
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
  return { synthesize: async (text) => ({ bytes: await espeak(text), contentType: 'audio/wav' }) };
}
