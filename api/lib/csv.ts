// CSV (RFC 4180: CRLF lines, fields quoted when they hold a comma, quote or line break) that is
// safe to open in a spreadsheet. Exported cells carry text HR and candidates typed (a job title):
// one starting with = + - @, a tab or a carriage return would run as a formula, so it is prefixed
// with ' (OWASP's advice), which spreadsheets show as text.

export type CsvValue = string | number | boolean | null;

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: CsvValue): string {
  if (value === null) return '';
  let s = String(value);
  if (FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return [header, ...rows].map((cells) => `${cells.map(csvCell).join(',')}\r\n`).join('');
}
