// CSV for the outcomes export: RFC 4180 quoting, and cells a spreadsheet would run as formulas.
import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from '../../api/lib/csv.js';

describe('csvCell', () => {
  it('writes plain values as they are and null as an empty cell', () => {
    expect([csvCell('Backend'), csvCell(82), csvCell(true), csvCell(false), csvCell(null), csvCell('')]).toEqual([
      'Backend',
      '82',
      'true',
      'false',
      '',
      '',
    ]);
  });

  it('quotes commas, quotes and line breaks, doubling quotes', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
    expect(csvCell('cr\rhere')).toBe('"cr\rhere"');
  });

  it.each(['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx', '=HYPERLINK("http://evil.example","x")'])(
    'neutralises %j with a leading quote',
    (v) => {
      const cell = csvCell(v);
      const unquoted = cell.startsWith('"') ? cell.slice(1, -1).replace(/""/g, '"') : cell;
      expect(unquoted).toBe(`'${v}`);
    },
  );

  it('leaves those characters alone when they are not first', () => {
    expect(csvCell('a=b')).toBe('a=b');
    expect(csvCell('C++ - Senior')).toBe('C++ - Senior');
    expect(csvCell(' =x')).toBe(' =x');
  });
});

describe('toCsv', () => {
  it('writes a header and rows with CRLF line ends', () => {
    expect(
      toCsv(
        ['a', 'b'],
        [
          ['x', 1],
          [null, 'y,z'],
        ],
      ),
    ).toBe('a,b\r\nx,1\r\n,"y,z"\r\n');
    expect(toCsv(['a'], [])).toBe('a\r\n');
  });
});
