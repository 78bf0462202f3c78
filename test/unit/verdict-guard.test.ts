import { ReadableStream } from 'node:stream/web';
import { describe, expect, it } from 'vitest';
import { guardVerdicts, NEUTRAL_VERDICT_LINE, soundsLikeVerdict } from '../../agent/verdict-guard.js';

async function spoken(chunks: string[]) {
  const source = new ReadableStream<string>({
    start(c) {
      for (const ch of chunks) c.enqueue(ch);
      c.close();
    },
  });
  let text = '';
  for await (const c of guardVerdicts(source)) if (typeof c === 'string') text += c;
  return text.trim();
}

describe('verdict guard', () => {
  it.each([
    'You scored 85 out of 100.',
    'That is a 9/10 answer.',
    'I think you passed.',
    'You will be hired.',
    'My recommendation is yes.',
  ])('recognises "%s"', (s) => expect(soundsLikeVerdict(s)).toBe(true));

  it.each(['Thank you. Tell me about a project you led.', 'Could you give me a concrete example?'])(
    'lets "%s" through',
    (s) => expect(soundsLikeVerdict(s)).toBe(false),
  );

  it('replaces verdict sentences streamed in pieces, once, and keeps the rest', async () => {
    const out = await spoken(['Thanks for that. You sc', 'ored 85 out of 100, well done! You pa', 'ssed. Next: what ', 'did you build?']);
    expect(out).toBe(`Thanks for that. ${NEUTRAL_VERDICT_LINE} Next: what did you build?`);
  });
});
