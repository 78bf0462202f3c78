// agent/acknowledge.ts on its own: when the acknowledgement goes into a reply's stream, and when not.
import { FlushSentinel } from '@livekit/agents';
import { ReadableStream } from 'node:stream/web';
import { describe, expect, it } from 'vitest';
import { acknowledgeWhenSlow } from '../../agent/acknowledge.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A reply stream that yields each chunk after its delay. */
function reply(parts: [delayMs: number, chunk: string | object][]) {
  return new ReadableStream({
    async start(controller) {
      for (const [ms, chunk] of parts) {
        await sleep(ms);
        controller.enqueue(chunk as never);
      }
      controller.close();
    },
  });
}

async function collect(stream: ReadableStream) {
  const out: unknown[] = [];
  for await (const c of stream) out.push(c);
  return out;
}

const once = () => {
  let claimed = false;
  return () => !claimed && (claimed = true);
};

describe('acknowledgeWhenSlow', () => {
  it('says the acknowledgement, flushed, before words that come late', async () => {
    const out = await collect(acknowledgeWhenSlow(reply([[80, 'Thank you.']]), { afterMs: 20, text: 'Alright.', claim: once() }));
    expect(out).toEqual(['Alright. ', FlushSentinel, 'Thank you.']);
  });

  it('says nothing when the words come in time', async () => {
    const out = await collect(
      acknowledgeWhenSlow(
        reply([
          [0, 'Thank you.'],
          [80, ' More.'],
        ]),
        { afterMs: 40, text: 'Alright.', claim: once() },
      ),
    );
    expect(out).toEqual(['Thank you.', ' More.']);
  });

  it('counts a tool call as no words, and says nothing when the turn was already acknowledged', async () => {
    const tool = { id: 'c1', delta: { role: 'assistant', toolCalls: [] } };
    const first = await collect(
      acknowledgeWhenSlow(
        reply([
          [0, tool],
          [60, 'Next.'],
        ]),
        { afterMs: 20, text: 'Alright.', claim: () => false },
      ),
    );
    expect(first).toEqual([tool, 'Next.']);
  });

  it('stops its clock when the reply is cancelled (an interruption)', async () => {
    let claims = 0;
    const stream = acknowledgeWhenSlow(reply([[200, 'late']]), { afterMs: 30, text: 'Alright.', claim: () => ++claims > 0 });
    await stream.cancel('interrupted');
    await sleep(60);
    expect(claims).toBe(0);
  });
});
