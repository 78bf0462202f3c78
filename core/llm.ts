// A small client for any OpenAI-compatible chat completions endpoint (OpenAI, Azure, Groq, Ollama,
// vLLM…), used for the question plan and the evaluation: JSON out, validated with zod.
import { z } from 'zod';
import type { LlmConfig } from './config.js';

export interface ChatPrompt {
  system: string;
  user: string;
}

export interface JsonLlm {
  readonly model: string;
  completeJson<T>(prompt: ChatPrompt, schema: z.ZodType<T>): Promise<T>;
}

export class LlmError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LlmError';
  }
}

const completionSchema = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string().nullable() }) })).min(1),
});

/** Models wrap JSON in code fences now and then; accept that, nothing looser. */
function extractJson(text: string): unknown {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(text);
  return JSON.parse((fenced?.[1] ?? text).trim());
}

export function createLlm(
  cfg: LlmConfig,
  opts: { timeoutMs?: number; fetch?: typeof fetch } = {},
): JsonLlm {
  const doFetch = opts.fetch ?? fetch;
  const timeoutMs = opts.timeoutMs ?? 60_000;

  async function chat(messages: { role: string; content: string }[]): Promise<string> {
    let res: Response;
    try {
      res = await doFetch(`${cfg.baseUrl}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${cfg.apiKey}` },
        body: JSON.stringify({
          model: cfg.model,
          messages,
          temperature: 0.2,
          response_format: { type: 'json_object' },
        }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (e) {
      throw new LlmError('LLM request failed', { cause: e });
    }
    if (!res.ok) throw new LlmError(`LLM answered HTTP ${res.status}`);
    const parsed = completionSchema.safeParse(await res.json().catch(() => null));
    const content = parsed.success ? parsed.data.choices[0]?.message.content : null;
    if (!content) throw new LlmError('LLM answer had no content');
    return content;
  }

  return {
    model: cfg.model,
    async completeJson<T>(prompt: ChatPrompt, schema: z.ZodType<T>): Promise<T> {
      const messages = [
        { role: 'system', content: prompt.system },
        { role: 'user', content: prompt.user },
      ];
      // One retry, telling the model what was wrong: cheap, and fixes most malformed answers.
      for (let attempt = 0; attempt < 2; attempt++) {
        const content = await chat(messages);
        let problem: string;
        try {
          const result = schema.safeParse(extractJson(content));
          if (result.success) return result.data;
          problem = z.prettifyError(result.error);
        } catch {
          problem = 'The answer was not valid JSON.';
        }
        messages.push(
          { role: 'assistant', content },
          { role: 'user', content: `That answer does not match the required format:\n${problem}\nReply with corrected JSON only.` },
        );
      }
      throw new LlmError('LLM answer did not match the schema twice');
    },
  };
}
