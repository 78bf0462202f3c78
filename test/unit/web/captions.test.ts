// Caption bookkeeping for the agents framework's transcription streams: the interviewer's deltas
// append, the candidate's whole-text updates replace, old captions fall off.
import { describe, expect, it } from 'vitest';
import { CaptionBook } from '../../../web/src/candidate/captions.js';

describe('CaptionBook', () => {
  it('appends the interviewer’s deltas, across a final stream carrying the remainder', () => {
    const book = new CaptionBook();
    book.open('SG_1', 'agent', false);
    book.append('SG_1', 'Hello, ');
    book.append('SG_1', 'tell me');
    const { caption } = book.open('SG_1', 'agent', true);
    book.append('SG_1', ' about yourself.');
    expect(caption).toEqual({ id: 'SG_1', side: 'agent', text: 'Hello, tell me about yourself.', final: true });
  });

  it('replaces the candidate’s text with each new stream (each carries the whole utterance so far)', () => {
    const book = new CaptionBook();
    book.open('SG_2', 'candidate', false);
    book.append('SG_2', 'I built');
    book.open('SG_2', 'candidate', false);
    book.append('SG_2', 'I built a ledger');
    book.open('SG_2', 'candidate', true);
    const last = book.append('SG_2', 'I built a ledger service.');
    expect(last).toEqual({ id: 'SG_2', side: 'candidate', text: 'I built a ledger service.', final: true });
    expect(book.all()).toHaveLength(1);
  });

  it('keeps segments apart and in arrival order', () => {
    const book = new CaptionBook();
    book.open('a', 'agent', true);
    book.open('b', 'candidate', true);
    book.append('b', 'yes');
    book.append('a', 'question?');
    expect(book.all().map((c) => [c.id, c.text])).toEqual([
      ['a', 'question?'],
      ['b', 'yes'],
    ]);
  });

  it('drops the oldest captions past its limit and says which', () => {
    const book = new CaptionBook(2);
    book.open('1', 'agent', true);
    book.open('2', 'candidate', true);
    expect(book.open('3', 'agent', false).evicted).toEqual(['1']);
    expect(book.all().map((c) => c.id)).toEqual(['2', '3']);
    expect(book.append('1', 'late')).toBeUndefined();
  });
});
