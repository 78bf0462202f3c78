// Phone normalisation for seed 000's join: every spelling of one number becomes one E.164 string,
// and anything that is not a phone number becomes null (never a guess).
import { describe, expect, it } from 'vitest';
import { candidateIdentity, normalizePhone } from '../../api/lib/phone.js';

const UAE = '+971509876543';

describe('normalizePhone', () => {
  it.each([
    '+971509876543',
    '0509876543',
    '050 987 6543',
    '(050) 987-6543',
    '050.987.6543',
    '+971 50 987 6543',
    '+971-50-987-6543',
    '00971509876543',
    '971509876543',
    '  +971509876543  ',
    // Arabic-Indic digits, as a UAE phone keyboard may type them.
    '٠٥٠٩٨٧٦٥٤٣',
  ])('AE local and international form %j → +971509876543', (input) => {
    expect(normalizePhone(input, 'AE')).toBe(UAE);
  });

  it('international numbers keep their own country whatever the default region', () => {
    expect(normalizePhone('+14155552671', 'AE')).toBe('+14155552671');
    expect(normalizePhone('+1 (415) 555-2671', 'AE')).toBe('+14155552671');
    expect(normalizePhone(UAE, 'US')).toBe(UAE);
    expect(normalizePhone('+44 20 7946 0018', 'AE')).toBe('+442079460018');
  });

  it('national numbers are read in the configured region', () => {
    expect(normalizePhone('(415) 555-2671', 'US')).toBe('+14155552671');
    expect(normalizePhone('4155552671', 'US')).toBe('+14155552671');
    expect(normalizePhone('020 7946 0018', 'GB')).toBe('+442079460018');
    // A UAE national number means nothing in the US.
    expect(normalizePhone('0509876543', 'US')).toBeNull();
  });

  it.each([
    ['empty', ''],
    ['blank', '   '],
    ['a lone plus', '+'],
    ['too short', '123'],
    ['too many digits', '+9715098765430000'],
    ['letters', 'abc'],
    ['letters before a valid number', 'abc0509876543'],
    ['letters after a valid number', '0509876543abc'],
    ['a letter O for a zero', '05O9876543'],
    ['an extension', '0509876543 ext 12'],
    ['a tel: URI', 'tel:+971509876543'],
    ['an emoji alone', '😀'],
    ['an emoji before a valid number', '📞0509876543'],
    ['an emoji after a valid number', '0509876543📞'],
    ['a NUL character', '+971\u0000509876543'],
    ['HTML', '<b>0509876543</b>'],
  ])('%s → null', (_, input) => {
    expect(normalizePhone(input, 'AE')).toBeNull();
  });

  it('rejects anything longer than 32 characters, even a valid number padded with spaces', () => {
    const at32 = UAE.padEnd(32, ' ');
    const at33 = UAE.padEnd(33, ' ');
    expect(normalizePhone(at32, 'AE')).toBe(UAE);
    expect(normalizePhone(at33, 'AE')).toBeNull();
    expect(normalizePhone('1'.repeat(33), 'AE')).toBeNull();
    expect(normalizePhone('0'.repeat(10_000), 'AE')).toBeNull();
  });

  it('an unknown or empty default region reads only international numbers', () => {
    expect(normalizePhone('0509876543', 'XX')).toBeNull();
    expect(normalizePhone('0509876543', '')).toBeNull();
    expect(normalizePhone(UAE, 'XX')).toBe(UAE);
  });

  it('always answers in E.164 (a plus and 8 to 15 digits) or null', () => {
    const inputs = ['0509876543', '+14155552671', '020 7946 0018', '1', '+0', '99999999999999999999'];
    for (const input of inputs) {
      for (const region of ['AE', 'US', 'GB']) {
        const out = normalizePhone(input, region);
        if (out !== null) expect(out).toMatch(/^\+[1-9]\d{7,14}$/);
      }
    }
  });
});

describe('candidateIdentity', () => {
  it('is candidate_ and the E.164 digits only, as seed 000 documents', () => {
    expect(candidateIdentity(UAE)).toBe('candidate_971509876543');
    expect(candidateIdentity('+14155552671')).toBe('candidate_14155552671');
  });

  it('drops every non-digit', () => {
    expect(candidateIdentity('+1 (415) 555-2671')).toBe('candidate_14155552671');
    expect(candidateIdentity('+')).toBe('candidate_');
  });

  it('matches the identity of every spelling of one number once normalised', () => {
    const ids = new Set(['0509876543', '+971 50 987 6543', '00971509876543'].map((p) => candidateIdentity(normalizePhone(p, 'AE')!)));
    expect([...ids]).toEqual(['candidate_971509876543']);
  });
});
