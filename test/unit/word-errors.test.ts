import { describe, expect, it } from 'vitest';
import { wordErrors } from '../../bench/recognition/word-errors.js';

describe('wordErrors (the recognition benchmark)', () => {
  it('counts substitutions, deletions and insertions over the words said, ignoring case and punctuation', () => {
    expect(wordErrors('He was not an ill disposed young man.', 'he was not an ill-disposed young dog')).toEqual({ words: 8, errors: 1 });
    expect(wordErrors('one two three', 'one three')).toEqual({ words: 3, errors: 1 });
    expect(wordErrors('one two three', 'one two two three four')).toEqual({ words: 3, errors: 2 });
    expect(wordErrors('Hello, world!', 'HELLO WORLD')).toEqual({ words: 2, errors: 0 });
    expect(wordErrors('a b', '')).toEqual({ words: 2, errors: 2 });
  });
});
