// A stand-in for OpenAI's speech-to-text endpoint (POST /v1/audio/transcriptions, multipart: file,
// model, language, response_format=json), for what the offline recogniser cannot do: languages it
// has no model for (Arabic), or the true words of real recordings (bench `turns`). The product's own
// client (agent/providers.ts: openai.STT behind the framework's VAD stream adapter) talks to it
// exactly as it talks to OpenAI; what text comes back is the test's handler's choice.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the handler sees it: the uploaded audio, decoded, and the form's fields. */
export interface TranscriptionRequest {
  /** Mono 16-bit samples of the uploaded WAV. */
  samples: Int16Array;
  sampleRate: number;
  model: string;
  language: string | undefined;
  /** When the request arrived (epoch ms). */
  at: number;
}

export type TranscriptionHandler = (req: TranscriptionRequest) => string | Promise<string>;

export interface FakeStt {
  /** What STT_BASE_URL is set to (with STT_PROVIDER=openai). */
  baseUrl: string;
  /** Every request, with the text answered. */
  requests: (TranscriptionRequest & { text: string })[];
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** The PCM of a canonical WAV (RIFF chunks walked, so extra chunks before `data` are fine). */
export function decodeWav(wav: Buffer): { samples: Int16Array; sampleRate: number } {
  if (wav.toString('ascii', 0, 4) !== 'RIFF' || wav.toString('ascii', 8, 12) !== 'WAVE') throw new Error('not a WAV file');
  let sampleRate = 0;
  let channels = 1;
  for (let at = 12; at + 8 <= wav.length;) {
    const id = wav.toString('ascii', at, at + 4);
    const size = wav.readUInt32LE(at + 4);
    const body = at + 8;
    if (id === 'fmt ') {
      channels = wav.readUInt16LE(body + 2);
      sampleRate = wav.readUInt32LE(body + 4);
    } else if (id === 'data') {
      const end = Math.min(wav.length, body + size);
      const all = new Int16Array(wav.buffer.slice(wav.byteOffset + body, wav.byteOffset + end - ((end - body) % 2)));
      // The plugin uploads mono; keep the first channel of anything else.
      const samples = channels === 1 ? all : all.filter((_, i) => i % channels === 0);
      return { samples, sampleRate };
    }
    at = body + size + (size % 2);
  }
  throw new Error('WAV file has no data chunk');
}

/** Starts the stand-in on `host` (default 127.0.0.1) and a free port. */
export async function startFakeStt(handler: TranscriptionHandler, o: { host?: string } = {}): Promise<FakeStt> {
  const host = o.host ?? '127.0.0.1';
  const requests: FakeStt['requests'] = [];
  const server: Server = createServer(async (req, res) => {
    const fail = (status: number, message: string) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message } }));
    };
    if (req.method !== 'POST' || !req.url?.endsWith('/audio/transcriptions')) return fail(404, 'not found');
    try {
      const at = Date.now();
      const body = await readBody(req);
      const form = await new Request('http://stand-in/', {
        method: 'POST',
        headers: { 'content-type': req.headers['content-type'] ?? '' },
        body: new Uint8Array(body),
      }).formData();
      const file = form.get('file');
      if (!(file instanceof Blob)) return fail(400, "missing 'file'");
      const { samples, sampleRate } = decodeWav(Buffer.from(await file.arrayBuffer()));
      const language = form.get('language');
      const request = {
        samples,
        sampleRate,
        model: String(form.get('model') ?? ''),
        language: typeof language === 'string' ? language : undefined,
        at,
      };
      const text = await handler(request);
      requests.push({ ...request, text });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ text }));
    } catch (e) {
      fail(400, (e as Error).message);
    }
  });
  await new Promise<void>((r) => server.listen(0, host, r));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://${host}:${port}/v1`,
    requests,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
