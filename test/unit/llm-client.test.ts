// The JSON client against local stand-ins for each kind of OpenAI-compatible endpoint: one that
// honours strict json_schema, one with json_object only, one with tool calls only, and slow,
// malformed, rate-limited and failing ones. Real HTTP on loopback, through the openai SDK.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { evaluationAnswerSchema } from '../../core/evaluation.js';
import { LlmError, createLlm, strictJsonSchema } from '../../core/llm.js';
import { questionPlanSchema } from '../../core/question-plan.js';
import { DEFAULT_RUBRIC } from '../../core/rubric.js';
import { endpointLike, startFakeLlm, strictSchemaProblems, type ChatRequest, type FakeLlm, type Handler } from '../../testkit/fake-llm.js';

const schema = z.object({
  title: z.string().trim().min(3).max(20).describe('A short title.'),
  score: z.number().int().min(0).max(100),
  tags: z.array(z.enum(['a', 'b'])).max(2),
  note: z.string().nullable(),
});
const GOOD = { title: 'Backend role', score: 83, tags: ['a'], note: null };
const PROMPT = { system: 'You rate things. Be brief.', user: 'Rate the thing.' };

let fake: FakeLlm;
beforeAll(async () => {
  fake = await startFakeLlm();
});
afterAll(() => fake?.close());
beforeEach(() => {
  fake.requests.length = 0;
});

const llmFor = (opts: Parameters<typeof createLlm>[1] = {}) =>
  createLlm({ baseUrl: fake.baseUrl, apiKey: 'test', model: 'stand-in' }, { timeoutMs: 5_000, ...opts });
const systemOf = (r: ChatRequest) => r.messages.find((m) => m.role === 'system')?.content ?? '';
const modeOf = (r: ChatRequest) => r.response_format?.type ?? (r.tool_choice ? 'tool' : 'none');

/** A handler that plays `replies` in order, then repeats the last one. */
function sequence(...replies: Handler[]): Handler {
  let i = 0;
  return (req) => replies[Math.min(i++, replies.length - 1)]!(req);
}

describe('the schema sent to the server', () => {
  it('is in the strict subset: every object closed, every property required, no limits', () => {
    for (const s of [schema, evaluationAnswerSchema(DEFAULT_RUBRIC), questionPlanSchema(DEFAULT_RUBRIC)]) {
      const sent = strictJsonSchema(s);
      expect(strictSchemaProblems(sent)).toEqual([]);
      expect(JSON.stringify(sent)).not.toMatch(/minLength|maxLength|minimum|maximum|minItems|maxItems|\$schema/);
    }
    // Descriptions stay: they are the per-field instructions.
    expect(JSON.stringify(strictJsonSchema(schema))).toContain('A short title.');
  });

  it('refuses an optional property (strict mode has none: use .nullable())', () => {
    expect(() => strictJsonSchema(z.object({ a: z.string().optional() }))).toThrow(/optional.*nullable/);
    expect(() => strictJsonSchema(z.object({ a: z.record(z.string(), z.string()) }))).toThrow(/open objects/);
  });
});

/** A chat completion sent to the stand-in as raw JSON, as an older client would. */
const chat = (body: Record<string, unknown>) =>
  fetch(`${fake.baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'stand-in', ...body }),
  });

describe('an endpoint that honours json_schema', () => {
  beforeEach(() => fake.setHandler(endpointLike('json_schema', () => GOOD)));

  it('sends the zod schema as a strict json_schema response_format and parses the answer', async () => {
    expect(await llmFor().completeJson(PROMPT, schema, 'rating')).toEqual(GOOD);
    expect(fake.requests).toHaveLength(1);
    const [req] = fake.requests;
    expect(req!.response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'rating', strict: true, schema: strictJsonSchema(schema) },
    });
    expect(req!.tools).toBeUndefined();
    // The schema travels in the request, not in the prompt.
    expect(systemOf(req!)).toBe(PROMPT.system);
  });

  it('answers the old request shape (json_object, schema in prose) in prose: what broke before', async () => {
    const res = await chat({ messages: [{ role: 'user', content: 'JSON please' }], response_format: { type: 'json_object' } });
    const content = ((await res.json()) as { choices: { message: { content: string } }[] }).choices[0]!.message.content;
    expect(() => JSON.parse(content)).toThrow();
  });

  it('is refused, like OpenAI does, when the schema is outside the strict subset', async () => {
    fake.setHandler(() => ({ content: JSON.stringify(GOOD) }));
    const res = await chat({
      messages: [{ role: 'user', content: 'hi' }],
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'x', strict: true, schema: { type: 'object', properties: { a: { type: 'string', minLength: 1 } } } },
      },
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toMatch(/minLength.*not supported/);
  });
});

describe('an endpoint with json_object only', () => {
  beforeEach(() => fake.setHandler(endpointLike('json_object', () => GOOD)));

  it('falls back to json_object with the schema in the prompt, and starts there next time', async () => {
    const llm = llmFor();
    expect(await llm.completeJson(PROMPT, schema, 'rating')).toEqual(GOOD);
    expect(fake.requests.map(modeOf)).toEqual(['json_schema', 'json_object']);
    const system = systemOf(fake.requests[1]!);
    expect(system.startsWith(PROMPT.system)).toBe(true);
    expect(system).toContain('JSON Schema');
    expect(system).toContain(JSON.stringify(strictJsonSchema(schema)));

    fake.requests.length = 0;
    expect(await llm.completeJson(PROMPT, schema, 'rating')).toEqual(GOOD);
    expect(fake.requests.map(modeOf)).toEqual(['json_object']);
    // Remembered per client: a new client asks again.
    fake.requests.length = 0;
    await llmFor().completeJson(PROMPT, schema, 'rating');
    expect(fake.requests.map(modeOf)).toEqual(['json_schema', 'json_object']);
  });
});

describe('an endpoint with tool calls only', () => {
  beforeEach(() => fake.setHandler(endpointLike('tools', () => GOOD)));

  it('falls back to a forced tool call and reads its arguments, and starts there next time', async () => {
    const llm = llmFor();
    expect(await llm.completeJson(PROMPT, schema, 'rating')).toEqual(GOOD);
    expect(fake.requests.map(modeOf)).toEqual(['json_schema', 'json_object', 'tool']);
    const req = fake.requests[2]!;
    expect(req.response_format).toBeUndefined();
    expect(req.tools).toEqual([
      { type: 'function', function: { name: 'rating', description: expect.any(String), parameters: strictJsonSchema(schema) } },
    ]);
    expect(req.tool_choice).toEqual({ type: 'function', function: { name: 'rating' } });

    fake.requests.length = 0;
    expect(await llm.completeJson(PROMPT, schema, 'rating')).toEqual(GOOD);
    expect(fake.requests.map(modeOf)).toEqual(['tool']);
  });

  it('corrects a malformed tool call by answering the call, then accepts the fixed one', async () => {
    const llm = llmFor();
    await llm.completeJson(PROMPT, schema, 'rating');
    fake.requests.length = 0;
    fake.setHandler(
      sequence(
        () => ({ toolCalls: [{ name: 'rating', arguments: { ...GOOD, score: 'high' } }] }),
        () => ({ toolCalls: [{ name: 'rating', arguments: GOOD }] }),
      ),
    );
    expect(await llm.completeJson(PROMPT, schema, 'rating')).toEqual(GOOD);
    expect(fake.requests.map(modeOf)).toEqual(['tool', 'tool']);
    const history = fake.requests[1]!.messages;
    const call = history.at(-2)!;
    expect(call.role).toBe('assistant');
    expect(call.tool_calls?.[0]?.function.name).toBe('rating');
    expect(history.at(-1)).toMatchObject({ role: 'tool', tool_call_id: call.tool_calls![0]!.id });
    expect(history.at(-1)!.content).toContain('score');
  });
});

describe('a slow endpoint', () => {
  it('fails with LlmError once the timeout passes', async () => {
    fake.setHandler(() => ({ content: JSON.stringify(GOOD), delayMs: 1_500 }));
    const t0 = Date.now();
    const err = await llmFor({ timeoutMs: 200, maxRetries: 0 })
      .completeJson(PROMPT, schema, 'rating')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LlmError);
    expect((err as LlmError).message).toMatch(/timed out/);
    expect(Date.now() - t0).toBeLessThan(1_200);
  });
});

describe('a malformed answer', () => {
  it('gets one corrective retry that says what was wrong', async () => {
    fake.setHandler(
      sequence(
        () => ({ content: '{"title": "Backend role", "score": 83,' }),
        () => ({ content: JSON.stringify(GOOD) }),
      ),
    );
    expect(await llmFor().completeJson(PROMPT, schema, 'rating')).toEqual(GOOD);
    expect(fake.requests).toHaveLength(2);
    const retry = fake.requests[1]!;
    expect(modeOf(retry)).toBe('json_schema');
    expect(retry.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(retry.messages[3]!.content).toContain('not valid JSON');
  });

  it('names the field that broke the schema (zod limits are kept even though not sent)', async () => {
    fake.setHandler(
      sequence(
        () => ({ content: JSON.stringify({ ...GOOD, score: 140 }) }),
        () => ({ content: '```json\n' + JSON.stringify(GOOD) + '\n```' }),
      ),
    );
    expect(await llmFor().completeJson(PROMPT, schema, 'rating')).toEqual(GOOD);
    expect(fake.requests[1]!.messages[3]!.content).toContain('score');
  });

  it('twice is an LlmError', async () => {
    fake.setHandler(() => ({ content: 'not json' }));
    await expect(llmFor().completeJson(PROMPT, schema, 'rating')).rejects.toThrow(
      new LlmError('LLM answer did not match the schema twice'),
    );
    expect(fake.requests).toHaveLength(2);
  });
});

describe('transient failures', () => {
  it('waits out a 429 as retry-after says, then succeeds', async () => {
    let n = 0;
    fake.setHandler(() =>
      n++ === 0 ? { status: 429, error: 'Rate limit reached', headers: { 'retry-after': '1' } } : { content: JSON.stringify(GOOD) },
    );
    const t0 = Date.now();
    expect(await llmFor().completeJson(PROMPT, schema, 'rating')).toEqual(GOOD);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
    expect(fake.requests.map(modeOf)).toEqual(['json_schema', 'json_schema']);
  });

  it('retries a 500, then succeeds, without giving up on json_schema', async () => {
    let n = 0;
    fake.setHandler(() => (n++ === 0 ? { status: 500 } : { content: JSON.stringify(GOOD) }));
    expect(await llmFor().completeJson(PROMPT, schema, 'rating')).toEqual(GOOD);
    expect(fake.requests.map(modeOf)).toEqual(['json_schema', 'json_schema']);
  });

  it('gives up with LlmError after the retries', async () => {
    fake.setHandler(() => ({ status: 503 }));
    await expect(llmFor({ maxRetries: 1 }).completeJson(PROMPT, schema, 'rating')).rejects.toThrow(new LlmError('LLM answered HTTP 503'));
    expect(fake.requests).toHaveLength(2);
  });

  it('does not try other modes for a 400 about something else', async () => {
    fake.setHandler(() => ({ status: 400, error: "This model's maximum context length is 8192 tokens." }));
    await expect(llmFor().completeJson(PROMPT, schema, 'rating')).rejects.toThrow(new LlmError('LLM answered HTTP 400'));
    expect(fake.requests.map(modeOf)).toEqual(['json_schema']);
  });
});
