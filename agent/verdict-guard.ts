// Defence in depth for "the agent never tells the candidate a score or a verdict": the prompt
// forbids it, the model never sees an evaluation, and this filter drops any spoken sentence that
// still sounds like one, before it reaches text-to-speech or the transcript.
import type { FlushSentinel, llm } from '@livekit/agents';
import { ReadableStream } from 'node:stream/web';

const VERDICT = /\b(scor(e|ed|ing)|rating|rated|grade|points?|percent|out of (ten|a hundred|\d+)|\d+\s*(%|\/\s*\d+)|passed|you pass|failed|you fail|verdict|(will|would|going to) (be )?(hire|hired|reject|rejected)|recommend(ed|ation)?)\b/i;

export const NEUTRAL_VERDICT_LINE = 'The hiring team reviews every interview and will be in touch with you.';

export const soundsLikeVerdict = (sentence: string) => VERDICT.test(sentence);

type Chunk = llm.ChatChunk | string | FlushSentinel;

const textOf = (c: Chunk) => (typeof c === 'string' ? c : typeof c === 'object' ? (c.delta?.content ?? '') : '');

/**
 * Passes tool calls and other chunks through; holds text back one sentence at a time, so a verdict
 * sentence is replaced (once per reply) instead of spoken.
 */
export function guardVerdicts(source: ReadableStream<Chunk>): ReadableStream<Chunk> {
  let pending = '';
  let replaced = false;
  const reader = source.getReader();
  const filter = (sentence: string) => {
    if (!soundsLikeVerdict(sentence)) return sentence;
    if (replaced) return '';
    replaced = true;
    return NEUTRAL_VERDICT_LINE;
  };
  return new ReadableStream<Chunk>({
    // Reads until it has something to hand on: a pull that enqueues nothing would stall the stream.
    async pull(controller) {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) {
          const rest = pending && filter(pending);
          if (rest) controller.enqueue(rest);
          controller.close();
          return;
        }
        const text = textOf(value);
        if (!text) {
          // Tool calls, usage, flush markers: not speech, passed on as they are.
          if (typeof value === 'string') continue;
          controller.enqueue(value);
          return;
        }
        pending += text;
        const sentences = pending.split(/(?<=[.!?])\s+/);
        pending = sentences.pop() ?? '';
        const out = sentences.map(filter).filter(Boolean).join(' ');
        if (out) {
          controller.enqueue(`${out} `);
          return;
        }
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}
