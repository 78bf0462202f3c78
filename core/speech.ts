// Speech for seed 002's question audio_url: espeak-ng offline, or any OpenAI-compatible /audio/speech.
import { spawn } from 'node:child_process';
import type { Config } from './config.js';

export interface Speech {
  synthesize(text: string): Promise<{ bytes: Buffer; contentType: string }>;
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

export function createSpeech(speech: Config['speech']): Speech {
  if (speech.tts === 'openai') {
    const base = (speech.ttsBaseUrl ?? 'https://api.openai.com/v1').replace(/\/+$/, '');
    return {
      async synthesize(text) {
        const res = await fetch(`${base}/audio/speech`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${speech.openaiApiKey ?? 'none'}` },
          body: JSON.stringify({ model: 'tts-1', voice: 'alloy', input: text, response_format: 'wav' }),
          signal: AbortSignal.timeout(30_000),
        }).catch((e: unknown) => {
          throw new SpeechUnavailableError('speech service unreachable', { cause: e });
        });
        if (!res.ok) throw new SpeechUnavailableError(`speech service answered HTTP ${res.status}`);
        return { bytes: Buffer.from(await res.arrayBuffer()), contentType: 'audio/wav' };
      },
    };
  }
  return { synthesize: async (text) => ({ bytes: await espeak(text), contentType: 'audio/wav' }) };
}
