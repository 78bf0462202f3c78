import { ReadableStream } from 'node:stream/web';
import { describe, expect, it } from 'vitest';
import { guardVerdicts, NEUTRAL_VERDICT_LINE, soundsLikeVerdict } from '../../agent/verdict-guard.js';

async function spoken(chunks: string[], protectedTexts: () => readonly string[] = () => []) {
  const source = new ReadableStream<string>({
    start(c) {
      for (const ch of chunks) c.enqueue(ch);
      c.close();
    },
  });
  let text = '';
  for await (const c of guardVerdicts(source, protectedTexts)) if (typeof c === 'string') text += c;
  return text.trim();
}

/** Streams the text word by word, as a model does. */
const words = (text: string) => text.split(/(?<=\s)/);

describe('verdict guard', () => {
  it.each([
    'You scored 85 out of 100.',
    'That is a 9/10 answer.',
    'I think you passed.',
    'You will be hired.',
    'My recommendation is yes.',
  ])('recognises "%s"', (s) => expect(soundsLikeVerdict(s)).toBe(true));

  it.each(['Thank you. Tell me about a project you led.', 'Could you give me a concrete example?'])('lets "%s" through', (s) =>
    expect(soundsLikeVerdict(s)).toBe(false),
  );

  it('replaces verdict sentences streamed in pieces, once, and keeps the rest', async () => {
    const out = await spoken(['Thanks for that. You sc', 'ored 85 out of 100, well done! You pa', 'ssed. Next: what ', 'did you build?']);
    expect(out).toBe(`Thanks for that. ${NEUTRAL_VERDICT_LINE} Next: what did you build?`);
  });
});

describe('verdict guard and the questions it must read', () => {
  const SCORE_Q = 'How would you score your own SQL skills out of ten?';
  const RATE_Q = 'Rate yourself first. Which grade would you give your last project, and why?';
  const protect =
    (...texts: string[]) =>
    () =>
      texts;

  // [what the model says, the protected texts, what the candidate hears]
  it.each<[string, string, string[], string]>([
    ['the planned question alone', SCORE_Q, [SCORE_Q], SCORE_Q],
    ['the planned question after a thank-you', `Thank you. ${SCORE_Q}`, [SCORE_Q], `Thank you. ${SCORE_Q}`],
    ['the question in one sentence with a lead-in', `Thanks, ${SCORE_Q.toLowerCase()}`, [SCORE_Q], `Thanks, ${SCORE_Q.toLowerCase()}`],
    [
      'the question with other punctuation and spacing',
      'How would you  score your own SQL-skills, out of ten?',
      [SCORE_Q],
      'How would you  score your own SQL-skills, out of ten?',
    ],
    ['a question of two sentences, each part of it', `Thank you. ${RATE_Q}`, [RATE_Q], `Thank you. ${RATE_Q}`],
    ['the next planned question', SCORE_Q, ['Tell me about yourself.', SCORE_Q], SCORE_Q],
  ])('speaks %s as is', async (_, said, texts, heard) => {
    expect(await spoken(words(said), protect(...texts))).toBe(heard);
  });

  it.each<[string, string, string[], string]>([
    ['a score, while a scoring question is current', `You scored 8 out of 10. ${SCORE_Q}`, [SCORE_Q], `${NEUTRAL_VERDICT_LINE} ${SCORE_Q}`],
    ['a verdict, with no question protected', 'You passed. Thank you.', [], `${NEUTRAL_VERDICT_LINE} Thank you.`],
    ['the question, when it is no longer protected', SCORE_Q, ['Tell me about yourself.'], NEUTRAL_VERDICT_LINE],
    // Wrapping a verdict around the question does not smuggle it through: the question stays whole.
    [
      'a verdict in the same sentence as the question',
      `Great, you passed, ${SCORE_Q.toLowerCase()}`,
      [SCORE_Q],
      `${NEUTRAL_VERDICT_LINE} ${SCORE_Q}`,
    ],
    // A sentence that only shares words with the question is not part of it.
    ['a verdict that shares words with the question', 'You would score a ten out of ten.', [SCORE_Q], NEUTRAL_VERDICT_LINE],
    ['an empty protected text protects nothing', 'You scored 9 out of 10.', [''], NEUTRAL_VERDICT_LINE],
  ])('still replaces %s', async (_, said, texts, heard) => {
    expect(await spoken(words(said), protect(...texts))).toBe(heard);
  });

  it('asks for the protected texts when it checks, so a question that becomes current mid-reply is safe', async () => {
    let current = 'Tell me about yourself.';
    const source = new ReadableStream<string>({
      start(c) {
        c.enqueue('Thank you. ');
        c.enqueue(`${SCORE_Q} `);
        c.close();
      },
    });
    let text = '';
    const guarded = guardVerdicts(source, () => [current]);
    current = SCORE_Q;
    for await (const c of guarded) if (typeof c === 'string') text += c;
    expect(text.trim()).toBe(`Thank you. ${SCORE_Q}`);
  });
});
