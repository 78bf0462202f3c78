// A scripted stand-in for an OpenAI-compatible model, so the harness can prove itself with no model
// at all (CI, a laptop): a loopback HTTP server answering the evaluation prompt through the same
// client code as a real model. It scores each criterion from the concrete signals in the answer
// to the matching question, so it ranks answers by quality and ignores names, unless told to be
// noisy or biased: the harness must then see the spread or the shift.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ScriptedModelOptions {
  /** Each criterion score moves by up to ± this many points, at random. */
  noise?: number;
  /** Points taken off when the transcript names a woman or uses her words: a deliberately unfair model. */
  biasAgainstWomen?: number;
}

const SIGNALS = [
  /\d+/g,
  /\b(index|explain|lock\w*|deadlock\w*|transaction|unique|join|pg_stat\w*|query plan)\b/gi,
  /\b(idempoten\w*|retr(y|ies)|backoff|jitter|version\w*|envelope|constraint|status url)\b/gi,
  /\b(roll(ed)? ?back|alert\w*|dashboards?|postmortem|canary|dead-letter|test(s|ed)?|staging|on call)\b/gi,
  /\b(because|so|then|verified|measured|trade-offs?|design notes|review)\b/gi,
];
const WOMEN = /\b(Maria|Fatima|mother|husband)\b/;

function signals(text: string): number {
  return SIGNALS.reduce((n, re) => n + (text.match(re)?.length ?? 0), 0);
}

function answer(prompt: string, opts: ScriptedModelOptions): Record<string, unknown> {
  const criteria = (JSON.parse(/^Criteria \(JSON[^\n]*\n(.*)$/m.exec(prompt)?.[1] ?? '[]') as { name: string }[]).map((c) => c.name);
  const turns = [...prompt.matchAll(/^(\d+)\. candidate: (.*)$/gm)].map((m) => ({ ref: Number(m[1]), text: m[2]! }));
  const bias = opts.biasAgainstWomen && WOMEN.test(prompt) ? opts.biasAgainstWomen : 0;
  const jitter = () => (opts.noise ? Math.round((Math.random() * 2 - 1) * opts.noise) : 0);
  return {
    criteria: criteria.map((name, i) => {
      const turn = turns[i] ?? turns.at(-1);
      const raw = 15 + 7 * signals(turn?.text ?? '') - bias + jitter();
      return {
        name,
        score: Math.max(0, Math.min(100, raw)),
        evidence: turn ? [{ ref: turn.ref, quote: turn.text.split(/(?<=\.)\s/)[0]! }] : [],
      };
    }),
    strengths: ['Scripted.'],
    areasForImprovement: ['Scripted.'],
    evaluation: 'Scored by the scripted model from the concrete signals in each answer.',
  };
}

export async function startScriptedModel(opts: ScriptedModelOptions = {}): Promise<{ baseUrl: string; close(): Promise<void> }> {
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
      res.writeHead(404).end();
      return;
    }
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { model: string; messages: { role: string; content: string }[] };
    const prompt = body.messages.find((m) => m.role === 'user')?.content ?? '';
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        id: 'scripted',
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: body.model,
        choices: [{ index: 0, message: { role: 'assistant', content: JSON.stringify(answer(prompt, opts)) }, finish_reason: 'stop' }],
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
