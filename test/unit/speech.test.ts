// core/speech.ts against a stand-in OpenAI-compatible /audio/speech on loopback: what it sends
// (model, voice, text, WAV, the key), and how a failing or absent server reaches the route.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSpeech, SpeechUnavailableError } from '../../core/speech.js';
import type { TtsConfig } from '../../core/config.js';

const WAV = Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt ', 'latin1');
let server: Server;
let base: string;
let answer: { status: number; body: Buffer } = { status: 200, body: WAV };
const seen: { method: string; url: string; authorization: string | undefined; body: unknown }[] = [];

async function read(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

beforeAll(async () => {
  server = createServer((req, res) => {
    void read(req).then((text) => {
      seen.push({ method: req.method!, url: req.url!, authorization: req.headers.authorization, body: JSON.parse(text || 'null') });
      res.writeHead(answer.status, { 'content-type': answer.status === 200 ? 'audio/wav' : 'application/json' }).end(answer.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise((r) => server.close(r)));

const tts = (over: Partial<TtsConfig> = {}): TtsConfig => ({
  provider: 'openai',
  baseUrl: base,
  apiKey: 'sk-test',
  model: 'tts-1',
  voice: 'alloy',
  voiceAr: 'alloy',
  ...over,
});

describe('createSpeech with an OpenAI-compatible server', () => {
  it('posts the text with the configured model and voice, asks for WAV, and returns the bytes', async () => {
    seen.length = 0;
    answer = { status: 200, body: WAV };
    const audio = await createSpeech(tts({ model: 'gpt-4o-mini-tts', voice: 'coral' })).synthesize('Tell me about yourself.');
    expect(audio.contentType).toBe('audio/wav');
    expect(Buffer.compare(audio.bytes, WAV)).toBe(0);
    expect(seen).toEqual([
      {
        method: 'POST',
        url: '/v1/audio/speech',
        authorization: 'Bearer sk-test',
        body: { model: 'gpt-4o-mini-tts', voice: 'coral', input: 'Tell me about yourself.', response_format: 'wav' },
      },
    ]);
  });

  it("speaks an Arabic interview's text with the Arabic voice (TTS_VOICE_AR), an English one with TTS_VOICE", async () => {
    seen.length = 0;
    answer = { status: 200, body: WAV };
    const speech = createSpeech(tts({ voice: 'coral', voiceAr: 'nova' }));
    await speech.synthesize('حدثني عن نفسك.', 'ar');
    await speech.synthesize('Tell me about yourself.');
    expect(seen.map((r) => (r.body as { voice: string; input: string }).voice)).toEqual(['nova', 'coral']);
    expect((seen[0]!.body as { input: string }).input).toBe('حدثني عن نفسك.');
  });

  it('a base URL with a trailing slash reaches the same path; no key sends "none"', async () => {
    seen.length = 0;
    answer = { status: 200, body: WAV };
    await createSpeech(tts({ baseUrl: `${base}/`, apiKey: undefined })).synthesize('Hello.');
    expect(seen.map((s) => [s.url, s.authorization])).toEqual([['/v1/audio/speech', 'Bearer none']]);
  });

  it('an error answer is SpeechUnavailableError naming the status, asked once (no retries)', async () => {
    seen.length = 0;
    answer = { status: 500, body: Buffer.from('{"error":{"message":"down"}}') };
    const err = await createSpeech(tts())
      .synthesize('Hello.')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SpeechUnavailableError);
    expect((err as Error).message).toBe('speech service answered HTTP 500');
    expect(seen).toHaveLength(1);
  });

  it('a server that is not there is SpeechUnavailableError "unreachable"', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const err = await createSpeech(tts({ baseUrl: `http://127.0.0.1:${port}/v1` }))
      .synthesize('Hello.')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SpeechUnavailableError);
    expect((err as Error).message).toBe('speech service unreachable');
  });
});
