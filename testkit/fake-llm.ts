// A scripted stand-in for an OpenAI-compatible LLM service: a real HTTP server on loopback speaking
// the chat completions protocol (plain JSON and SSE streaming, tool calls), so the product's own
// client code is what the tests exercise. Not a mock of our code: a fake of someone else's service.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatRequest {
  model: string;
  stream?: boolean;
  messages: {
    role: string;
    content: string | null;
    tool_calls?: { id: string; type: string; function: { name: string; arguments: string } }[];
    tool_call_id?: string;
  }[];
  tools?: unknown[];
  tool_choice?: unknown;
  response_format?: { type: string; json_schema?: { name: string; strict?: boolean; schema: Record<string, unknown> } };
  [k: string]: unknown;
}

export interface Reply {
  content?: string;
  toolCalls?: { name: string; arguments: Record<string, unknown> }[];
  /** Answer with this HTTP status and no completion. */
  status?: number;
  /** With `status`: the error message in the OpenAI-style error body (default 'scripted failure'). */
  error?: string;
  headers?: Record<string, string>;
  delayMs?: number;
}

export type Handler = (req: ChatRequest) => Reply | Promise<Reply>;

export interface FakeLlm {
  baseUrl: string;
  requests: ChatRequest[];
  setHandler(h: Handler): void;
  close(): Promise<void>;
}

const system = (req: ChatRequest) => req.messages.find((m) => m.role === 'system')?.content ?? '';
const lastUser = (req: ChatRequest) => [...req.messages].reverse().find((m) => m.role === 'user')?.content ?? '';

/** The rubric's criterion names, as the product's prompts list them (a JSON line after "Criteria"). */
export function criteriaIn(req: ChatRequest): string[] {
  const line = /^Criteria \(JSON[^\n]*\n(.*)$/m.exec(lastUser(req))?.[1];
  return line ? (JSON.parse(line) as { name: string }[]).map((c) => c.name) : [];
}

/** The candidate turns of an evaluation prompt's transcript. */
export const candidateTurnsIn = (req: ChatRequest) =>
  [...lastUser(req).matchAll(/^(\d+)\. candidate: (.*)$/gm)].map((m) => ({ ref: Number(m[1]), text: m[2]! }));

/**
 * Plays the product's two structured prompts deterministically. The evaluation scores every
 * criterion 72 except Communication (70, with one true quote and one invented): with the default
 * rubric's equal weights the overall score is 72 (71.5 rounded), recommendation "Yes".
 */
export const interviewerScript: Handler = (req) => {
  const sys = system(req);
  const criteria = criteriaIn(req);
  if (sys.includes('You plan job interviews')) {
    const n = Number(/exactly (\d+) questions/.exec(sys)?.[1] ?? 5);
    const title = /Job title: (.*)/.exec(lastUser(req))?.[1] ?? 'this role';
    return {
      content: JSON.stringify({
        questions: Array.from({ length: n }, (_, i) => ({
          text: `Question ${i + 1} about ${title}: what did you build and why?`,
          kind: i === 0 ? 'experience' : 'technical',
          criterion: criteria[i % criteria.length],
        })),
      }),
    };
  }
  if (sys.includes('You assess a job interview')) {
    const first = candidateTurnsIn(req)[0];
    return {
      content: JSON.stringify({
        criteria: criteria.map((name) =>
          name === 'Communication'
            ? {
                name,
                score: 70,
                evidence: [
                  ...(first ? [{ ref: first.ref, quote: first.text.split(/\s+/).slice(0, 4).join(' ') }] : []),
                  { ref: 1, quote: 'a quote the candidate never said' },
                ],
              }
            : { name, score: 72, evidence: [] },
        ),
        strengths: ['Clear answers'],
        areasForImprovement: ['More concrete examples'],
        evaluation: `Answered ${candidateTurnsIn(req).length} questions.`,
      }),
    };
  }
  return { content: 'Thank you.' };
};

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** `host`: the address to listen on (default 127.0.0.1; the cluster's workers reach it on LAN_GATEWAY). */
export async function startFakeLlm(handler: Handler = interviewerScript, o: { host?: string } = {}): Promise<FakeLlm> {
  const host = o.host ?? '127.0.0.1';
  let current = handler;
  const requests: ChatRequest[] = [];
  const server: Server = createServer(async (req, res) => {
    if (req.method === 'GET' && req.url?.endsWith('/models')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data: [{ id: 'scripted', object: 'model' }] }));
      return;
    }
    if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
      res.writeHead(404).end();
      return;
    }
    const body = JSON.parse(await readBody(req)) as ChatRequest;
    requests.push(body);
    // Like OpenAI: a strict schema outside the strict subset is refused before any model runs.
    const format = body.response_format;
    const problems = format?.type === 'json_schema' && format.json_schema?.strict ? strictSchemaProblems(format.json_schema.schema) : [];
    const reply: Reply = problems.length
      ? { status: 400, error: `Invalid schema for response_format '${format?.json_schema?.name}': ${problems.join('; ')}` }
      : await current(body);
    if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
    if (reply.status) {
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(JSON.stringify({ error: { message: reply.error ?? 'scripted failure' } }));
      return;
    }
    const id = `chatcmpl-${requests.length}`;
    const created = Math.floor(Date.now() / 1000);
    const toolCalls = (reply.toolCalls ?? []).map((t, index) => ({
      index,
      id: `call_${requests.length}_${index}`,
      type: 'function',
      function: { name: t.name, arguments: JSON.stringify(t.arguments) },
    }));
    if (!body.stream) {
      res.writeHead(200, { 'content-type': 'application/json', ...reply.headers });
      res.end(
        JSON.stringify({
          id,
          object: 'chat.completion',
          created,
          model: body.model,
          choices: [
            {
              index: 0,
              message: { role: 'assistant', content: reply.content ?? null, ...(toolCalls.length ? { tool_calls: toolCalls } : {}) },
              finish_reason: toolCalls.length ? 'tool_calls' : 'stop',
            },
          ],
          usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
        }),
      );
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const send = (delta: object, finish: string | null = null) =>
      res.write(
        `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: body.model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`,
      );
    send({ role: 'assistant', content: '' });
    // Word by word, like a real model streams.
    for (const word of (reply.content ?? '').split(/(?<=\s)/)) if (word) send({ content: word });
    for (const t of toolCalls) send({ tool_calls: [t] });
    send({}, toolCalls.length ? 'tool_calls' : 'stop');
    res.write('data: [DONE]\n\n');
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, host, r));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://${host}:${port}/v1`,
    requests,
    setHandler: (h) => {
      current = h;
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/**
 * Plays the voice interviewer deterministically, from what the product tells it: the current
 * question in the system instructions, the follow-up budget, the tools' outputs. A short answer gets
 * a follow-up while the budget allows; a longer one moves on with next_question.
 */
export const voiceInterviewerScript: Handler = (req) => {
  const sys = system(req);
  const last = req.messages[req.messages.length - 1];
  const lastText = typeof last?.content === 'string' ? last.content : '';
  const current = /Current question \(\d+ of \d+\): "(.*)"/.exec(sys)?.[1];
  if (last?.role === 'tool') {
    const next = /word for word: \\?"(.*?)\\?"/.exec(lastText)?.[1];
    if (next) return { content: `Thank you. ${next}` };
    if (lastText.includes('All questions are done')) {
      return {
        content: 'Thank you for your time. Goodbye!',
        toolCalls: [{ name: 'end_interview', arguments: { reason: 'all_questions_done' } }],
      };
    }
    return { content: '' };
  }
  if (sys.includes('Time is almost up')) {
    return {
      content: 'We are out of time. Thank you, goodbye!',
      toolCalls: [{ name: 'end_interview', arguments: { reason: 'time_is_up' } }],
    };
  }
  if (sys.includes('All questions are done')) {
    return {
      content: 'Thank you for your time. Goodbye!',
      toolCalls: [{ name: 'end_interview', arguments: { reason: 'all_questions_done' } }],
    };
  }
  if (/repeat/i.test(lastText) && current) return { content: current };
  if (sys.includes('has not answered this question yet') && current) return { content: `Thank you. ${current}` };
  const mayFollowUp = /You may ask at most \d+ short follow-up/.test(sys);
  if (mayFollowUp && lastText.trim().split(/\s+/).length < 6) return { content: 'Could you give me a concrete example?' };
  return { toolCalls: [{ name: 'next_question', arguments: {} }] };
};

/**
 * The whole product's LLM traffic: the question plan (with `questionCount` questions), the voice
 * interviewer, and the evaluation.
 */
export function productScript(questionCount: number): Handler {
  return (req) => {
    const sys = system(req);
    if (sys.includes('You plan job interviews')) {
      const title = /Job title: (.*)/.exec(lastUser(req))?.[1] ?? 'this role';
      const topics = ['your background', 'a system you designed', 'how you test your code', 'a hard bug', 'your next step'];
      const criteria = criteriaIn(req);
      return {
        content: JSON.stringify({
          questions: topics.slice(0, questionCount).map((t, i) => ({
            text: `For the ${title} role, tell me about ${t}.`,
            kind: 'technical',
            criterion: criteria[i % criteria.length],
          })),
        }),
      };
    }
    return sys.includes('You assess a job interview') ? interviewerScript(req) : voiceInterviewerScript(req);
  };
}

// OpenAI's strict structured-output subset, as its documentation states it, written independently
// of the product's own converter (core/llm.ts keeps its own list) so that one checks the other.
const STRICT_KEYWORDS = new Set('type properties required additionalProperties items enum const anyOf description $defs $ref'.split(' '));

/** What a strict server would object to in `schema`; empty when it would accept it. */
export function strictSchemaProblems(schema: unknown): string[] {
  const problems: string[] = [];
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObj(schema) || schema.type !== 'object') problems.push('$: the root must be an object');
  const visit = (node: unknown, path: string): void => {
    if (!isObj(node)) {
      problems.push(`${path}: not a schema`);
      return;
    }
    for (const key of Object.keys(node)) if (!STRICT_KEYWORDS.has(key)) problems.push(`${path}: '${key}' is not supported`);
    if (node.type === 'object') {
      const props = isObj(node.properties) ? node.properties : {};
      if (node.additionalProperties !== false) problems.push(`${path}: additionalProperties must be false`);
      const required = Array.isArray(node.required) ? node.required : [];
      for (const k of Object.keys(props)) if (!required.includes(k)) problems.push(`${path}.${k}: every property must be required`);
      for (const [k, v] of Object.entries(props)) visit(v, `${path}.${k}`);
    }
    if (node.type === 'array') visit(node.items, `${path}[]`);
    if (Array.isArray(node.anyOf)) node.anyOf.forEach((v, i) => visit(v, `${path}.anyOf[${i}]`));
    if (isObj(node.$defs)) for (const [k, v] of Object.entries(node.$defs)) visit(v, `${path}.$defs.${k}`);
  };
  visit(schema, '$');
  return problems;
}

export const ENDPOINT_KINDS = ['json_schema', 'json_object', 'tools'] as const;
export type EndpointKind = (typeof ENDPOINT_KINDS)[number];

/** The name the request gives its answer: the json_schema name or the forced tool's name. */
export function answerName(req: ChatRequest): string | undefined {
  const forced = req.tool_choice as { function?: { name?: string } } | undefined;
  return req.response_format?.json_schema?.name ?? forced?.function?.name;
}

/**
 * An endpoint with only some of the structured-output features, around a model that answers
 * `answer(req)` whenever it is asked in a way the endpoint supports:
 * - 'json_schema' honours a json_schema response_format, and otherwise chats in prose (no JSON);
 * - 'json_object' refuses json_schema with 400, and honours json_object (the shape as the prompt gives it);
 * - 'tools' refuses any response_format with 400, and answers a forced tool call.
 */
export function endpointLike(kind: EndpointKind, answer: (req: ChatRequest) => Record<string, unknown>): Handler {
  return (req) => {
    const format = req.response_format?.type;
    const forced = (req.tool_choice as { function?: { name?: string } } | undefined)?.function?.name;
    const prose: Reply = { content: 'Sure! The candidate did well overall, I would say about an 83, and recommend moving on.' };
    switch (kind) {
      case 'json_schema':
        return format === 'json_schema' ? { content: JSON.stringify(answer(req)) } : prose;
      case 'json_object': {
        if (format === 'json_schema') return { status: 400, error: "response_format of type 'json_schema' is not supported by this model" };
        if (format !== 'json_object') return prose;
        // The model knows the shape only if the prompt carries it; without it, JSON of its own.
        const shapeGiven = req.messages.some((m) => m.content?.includes('"properties"'));
        return { content: shapeGiven ? JSON.stringify(answer(req)) : '{"answer":"ok"}' };
      }
      case 'tools':
        if (format) return { status: 400, error: 'Unrecognized request argument supplied: response_format' };
        return forced ? { toolCalls: [{ name: forced, arguments: answer(req) }] } : prose;
    }
  };
}
