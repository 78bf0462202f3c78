// Defence in depth for "the agent never tells the candidate a score or a verdict": the prompt
// forbids it, the model never sees an evaluation, and this filter drops any spoken sentence that
// still sounds like one, before it reaches text-to-speech or the transcript.
import type { FlushSentinel, llm } from '@livekit/agents';
import { ReadableStream } from 'node:stream/web';

const VERDICT =
  /\b(scor(e|ed|ing)|rating|rated|grade|points?|percent|out of (ten|a hundred|\d+)|\d+\s*(%|\/\s*\d+)|passed|you pass|failed|you fail|verdict|(will|would|going to) (be )?(hire|hired|reject|rejected)|recommend(ed|ation)?)\b/i;

export const NEUTRAL_VERDICT_LINE = 'The hiring team reviews every interview and will be in touch with you.';

export const soundsLikeVerdict = (sentence: string) => VERDICT.test(sentence);

type Chunk = llm.ChatChunk | string | FlushSentinel;

const textOf = (c: Chunk) => (typeof c === 'string' ? c : typeof c === 'object' ? (c.delta?.content ?? '') : '');

/** Lowercase words separated by single spaces: how a sentence and a planned question compare. */
const normalised = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

const escape = (word: string) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Where `text` says the protected text, whatever its punctuation and case. */
function findProtected(sentence: string, text: string) {
  const words = normalised(text).split(' ');
  return new RegExp(`(?<![\\p{L}\\p{N}])${words.map(escape).join('[^\\p{L}\\p{N}]+')}(?![\\p{L}\\p{N}])`, 'iu').exec(sentence);
}

/**
 * Passes tool calls and other chunks through; holds text back one sentence at a time, so a verdict
 * sentence is replaced (once per reply) instead of spoken.
 *
 * `protectedTexts` returns, as of now, what the agent must read word for word (the current and the
 * next planned question). A planned question may well say "score" or "out of ten"; replacing it
 * would leave the candidate without the question. So a sentence that is part of a protected text
 * is passed through as it is, and one that contains a protected text keeps it verbatim: only the
 * words around it are checked.
 */
export function guardVerdicts(source: ReadableStream<Chunk>, protectedTexts: () => readonly string[]): ReadableStream<Chunk> {
  let pending = '';
  let replaced = false;
  const reader = source.getReader();
  const neutral = () => {
    if (replaced) return '';
    replaced = true;
    return NEUTRAL_VERDICT_LINE;
  };
  const filter = (sentence: string) => {
    if (!soundsLikeVerdict(sentence)) return sentence;
    const said = normalised(sentence);
    const texts = protectedTexts().filter((t) => normalised(t));
    if (said && texts.some((t) => ` ${normalised(t)} `.includes(` ${said} `))) return sentence;
    for (const text of texts) {
      const found = findProtected(sentence, text);
      if (!found) continue;
      const around = `${sentence.slice(0, found.index)} ${sentence.slice(found.index + found[0].length)}`;
      if (!soundsLikeVerdict(around)) return sentence;
      // The verdict goes, the question stays, as planned.
      return [neutral(), text].filter(Boolean).join(' ');
    }
    return neutral();
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
