// A small client for any OpenAI-compatible chat completions endpoint (OpenAI, Azure, Groq, Ollama,
// vLLM…), used for the question plan and the evaluation: JSON out, validated with zod.
//
// The answer's shape goes to the server as a strict JSON schema (structured outputs), the way
// OpenAI and the servers that copy it constrain decoding. Endpoints that refuse that get the schema
// in the prompt with `json_object`, and those that refuse any response_format get a forced tool
// call. Whatever comes back is still validated with zod, which keeps the limits (lengths, ranges,
// counts) that are left out of the sent schema because strict servers may refuse them.
import OpenAI from 'openai';
import { z } from 'zod';
import type { ChatPrompt } from '../prompts/shared.js';
import type { LlmConfig } from './config/env.js';

export type { ChatPrompt } from '../prompts/shared.js';

export interface JsonLlm {
  readonly model: string;
  /** `name` labels the schema for the server (json_schema name, tool name): letters, digits, _ and -. */
  completeJson<T>(prompt: ChatPrompt, schema: z.ZodType<T>, name: string): Promise<T>;
}

export class LlmError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LlmError';
  }
}

/** Best first: each later mode is for endpoints that refused the one before. */
export const STRUCTURED_MODES = ['json_schema', 'json_object', 'tool'] as const;
export type StructuredMode = (typeof STRUCTURED_MODES)[number];

export type JsonSchema = Record<string, unknown>;

// What a strict schema may say. The rest (minLength, maximum, maxItems, pattern, format, $schema…)
// is dropped: not every strict server accepts it, and zod checks it on the answer anyway.
const KEPT_KEYWORDS = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'enum',
  'const',
  'anyOf',
  'description',
  '$defs',
  '$ref',
]);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function strictNode(node: unknown, path: string): unknown {
  if (!isRecord(node)) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (!KEPT_KEYWORDS.has(key)) continue;
    if (key === 'properties' || key === '$defs') {
      const entries = Object.entries(value as Record<string, unknown>);
      out[key] = Object.fromEntries(entries.map(([k, v]) => [k, strictNode(v, `${path}.${k}`)]));
    } else if (key === 'items') {
      out[key] = strictNode(value, `${path}[]`);
    } else if (key === 'anyOf') {
      out[key] = (value as unknown[]).map((v) => strictNode(v, path));
    } else {
      out[key] = value;
    }
  }
  if (out.type === 'object' || out.properties !== undefined) {
    const keys = Object.keys((out.properties as Record<string, unknown> | undefined) ?? {});
    const required = new Set((node.required as string[] | undefined) ?? []);
    const optional = keys.filter((k) => !required.has(k));
    // Strict mode has no optional properties: say "may be absent" with .nullable() instead.
    if (optional.length > 0) {
      throw new Error(`${path}: optional properties (${optional.join(', ')}) are not allowed in a strict schema; use .nullable()`);
    }
    if (out.additionalProperties !== undefined && out.additionalProperties !== false) {
      throw new Error(`${path}: open objects (records) are not allowed in a strict schema`);
    }
    out.required = keys;
    out.additionalProperties = false;
  }
  return out;
}

const converted = new WeakMap<z.ZodType, JsonSchema>();

/**
 * The JSON schema of what the model must answer, in OpenAI's strict structured-output subset: every
 * object closed and every property required; only structural keywords and descriptions.
 */
export function strictJsonSchema(schema: z.ZodType): JsonSchema {
  const known = converted.get(schema);
  if (known) return known;
  // 'input': what zod accepts is what the model must write (transforms run after).
  const sent = strictNode(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'throw' }), '$') as JsonSchema;
  if (sent.type !== 'object') throw new Error('$: a strict schema must be an object at the top');
  converted.set(schema, sent);
  return sent;
}

/** Models wrap JSON in code fences now and then; accept that, nothing looser. */
function extractJson(text: string): unknown {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(text);
  return JSON.parse((fenced?.[1] ?? text).trim());
}

/**
 * A 400/422 that is about the structured-output request itself, not about the prompt: then the next
 * mode is worth a try. A body with no readable error (e.g. a bare validation `detail`) counts too:
 * a mode is only remembered once it worked, so a wrong guess costs a request, not later calls.
 */
function refusesMode(e: unknown): boolean {
  if (!(e instanceof OpenAI.APIError) || (e.status !== 400 && e.status !== 422)) return false;
  if (e.error === undefined || e.error === null) return true;
  return /response_format|json_schema|json_object|unsupported|not supported/i.test(`${e.message} ${JSON.stringify(e.error)}`);
}

function asLlmError(e: unknown): LlmError {
  if (e instanceof LlmError) return e;
  if (e instanceof OpenAI.APIConnectionTimeoutError) return new LlmError('LLM request timed out', { cause: e });
  if (e instanceof OpenAI.APIError && e.status) return new LlmError(`LLM answered HTTP ${e.status}`, { cause: e });
  return new LlmError('LLM request failed', { cause: e });
}

type Message = OpenAI.Chat.ChatCompletionMessageParam;

interface Answer {
  text: string;
  mode: StructuredMode;
  /** Set when the answer came as a tool call: the correction must then answer that call. */
  toolCallId?: string;
}

export interface LlmOptions {
  /** Per attempt; the SDK retries a timeout like a 5xx. */
  timeoutMs?: number;
  /** Retries of 408/409/429/5xx and connection failures, honouring retry-after. */
  maxRetries?: number;
  fetch?: typeof fetch;
}

export function createLlm(cfg: LlmConfig, opts: LlmOptions = {}): JsonLlm {
  const client = new OpenAI({
    baseURL: cfg.baseUrl,
    apiKey: cfg.apiKey,
    timeout: opts.timeoutMs ?? 60_000,
    maxRetries: opts.maxRetries ?? 2,
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
    // Configuration comes from LlmConfig only, not from the SDK's own OPENAI_* variables.
    organization: null,
    project: null,
    // Failures reach the caller as LlmError and are logged there, structured.
    logLevel: 'off',
  });
  // Which mode this endpoint accepts, once one has worked: later calls start there.
  let mode: StructuredMode = 'json_schema';

  function request(m: StructuredMode, messages: Message[], name: string, schema: JsonSchema) {
    const base = { model: cfg.model, temperature: 0.2, stream: false as const };
    switch (m) {
      case 'json_schema':
        return {
          ...base,
          messages,
          response_format: { type: 'json_schema' as const, json_schema: { name, strict: true, schema } },
        };
      case 'json_object': {
        // json_object only promises JSON: the shape has to be in the prompt (which must say "JSON").
        // messages[0] is always the system prompt (completeJson builds the list).
        const [system, ...rest] = messages as [OpenAI.Chat.ChatCompletionSystemMessageParam, ...Message[]];
        const shape = `Reply with one JSON object, and nothing else, that conforms to this JSON Schema:\n${JSON.stringify(schema)}`;
        return {
          ...base,
          messages: [{ role: 'system' as const, content: `${system.content as string}\n\n${shape}` }, ...rest],
          response_format: { type: 'json_object' as const },
        };
      }
      case 'tool': {
        const description = 'Give your answer by calling this function.';
        return {
          ...base,
          messages,
          tools: [{ type: 'function' as const, function: { name, description, parameters: schema } }],
          tool_choice: { type: 'function' as const, function: { name } },
        };
      }
    }
  }

  async function answer(messages: Message[], name: string, schema: JsonSchema, from: StructuredMode): Promise<Answer> {
    for (let i = Math.max(STRUCTURED_MODES.indexOf(mode), STRUCTURED_MODES.indexOf(from)); ; i++) {
      const m = STRUCTURED_MODES[i]!;
      let completion: OpenAI.Chat.ChatCompletion;
      try {
        completion = await client.chat.completions.create(request(m, messages, name, schema));
      } catch (e) {
        if (i + 1 < STRUCTURED_MODES.length && refusesMode(e)) continue;
        throw asLlmError(e);
      }
      mode = m;
      const message = completion.choices?.[0]?.message;
      if (m === 'tool') {
        const call = message?.tool_calls?.find((t) => t.type === 'function' && t.function.name === name);
        if (call?.type === 'function') return { text: call.function.arguments, mode: m, toolCallId: call.id };
      }
      if (message?.content) return { text: message.content, mode: m };
      if (message?.refusal) throw new LlmError('LLM refused to answer');
      throw new LlmError('LLM answer had no content');
    }
  }

  return {
    model: cfg.model,
    async completeJson<T>(prompt: ChatPrompt, schema: z.ZodType<T>, name: string): Promise<T> {
      const sent = strictJsonSchema(schema);
      const messages: Message[] = [
        { role: 'system', content: prompt.system },
        { role: 'user', content: prompt.user },
      ];
      let from: StructuredMode = STRUCTURED_MODES[0];
      // One retry, telling the model what was wrong: cheap, and fixes most malformed answers.
      for (let attempt = 0; attempt < 2; attempt++) {
        const a = await answer(messages, name, sent, from);
        from = a.mode;
        let problem: string;
        try {
          const result = schema.safeParse(extractJson(a.text));
          if (result.success) return result.data;
          problem = z.prettifyError(result.error);
        } catch {
          problem = 'The answer was not valid JSON.';
        }
        const correction = `That answer does not match the required format:\n${problem}`;
        if (a.toolCallId) {
          // A tool call must be answered by a tool message: the correction goes there.
          const id = a.toolCallId;
          messages.push(
            { role: 'assistant', content: null, tool_calls: [{ id, type: 'function', function: { name, arguments: a.text } }] },
            { role: 'tool', tool_call_id: id, content: `${correction}\nCall ${name} again with corrected arguments.` },
          );
        } else {
          messages.push(
            { role: 'assistant', content: a.text },
            { role: 'user', content: `${correction}\nReply with corrected JSON only.` },
          );
        }
      }
      throw new LlmError('LLM answer did not match the schema twice');
    },
  };
}
