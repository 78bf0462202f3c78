// A short spoken acknowledgement when a reply is slow to start (a slow model, or a tool call before
// the words): the candidate hears that they were heard instead of dead air. It goes into the
// reply's own text stream, ahead of the model's words, with a flush so text-to-speech says it at
// once rather than waiting for the sentence it would otherwise be joined to.
import { FlushSentinel, type llm } from '@livekit/agents';
import { ReadableStream } from 'node:stream/web';

type Chunk = llm.ChatChunk | string | FlushSentinel;

const hasText = (c: Chunk) => (typeof c === 'string' ? c.length > 0 : typeof c === 'object' && Boolean(c.delta?.content));

export interface Acknowledgement {
  /** Said when the reply has no words this long after the model was asked. */
  afterMs: number;
  text: string;
  /** Asked when the time has come: false when this turn was already acknowledged (once per turn). */
  claim: () => boolean;
}

/** The reply as it was, with `ack.text` first if its first words are later than `ack.afterMs`. */
export function acknowledgeWhenSlow(source: ReadableStream<Chunk>, ack: Acknowledgement): ReadableStream<Chunk> {
  const reader = source.getReader();
  let timer: NodeJS.Timeout | undefined;
  return new ReadableStream<Chunk>({
    start(controller) {
      let words = false;
      timer = setTimeout(() => {
        if (words || !ack.claim()) return;
        words = true;
        controller.enqueue(`${ack.text} `);
        controller.enqueue(FlushSentinel);
      }, ack.afterMs);
      void (async () => {
        try {
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            if (hasText(value)) {
              words = true;
              clearTimeout(timer);
            }
            controller.enqueue(value);
          }
          controller.close();
        } catch (err) {
          controller.error(err);
        } finally {
          clearTimeout(timer);
        }
      })();
    },
    cancel(reason) {
      clearTimeout(timer);
      return reader.cancel(reason);
    },
  });
}
