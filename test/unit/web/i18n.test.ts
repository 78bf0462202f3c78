// The two languages stay in step: the same keys (the type checks that too) and, for each text, the
// same {placeholders}, so no value is lost or left raw in one language.
import { describe, expect, it } from 'vitest';
import { ar } from '../../../web/src/i18n/ar.js';
import { en } from '../../../web/src/i18n/en.js';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('texts', () => {
  it('have the same keys in English and Arabic', () => {
    expect(Object.keys(ar).sort()).toEqual(Object.keys(en).sort());
  });

  it('have the same placeholders in both languages, and no empty text', () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(placeholders(ar[key]), key).toEqual(placeholders(en[key]));
      expect(ar[key].trim(), key).not.toBe('');
    }
  });

  it('are really translated (Arabic letters in every Arabic text that has words)', () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      if (/[A-Za-z]{3}/.test(en[key].replace(/\{\w+\}/g, ''))) expect(ar[key], key).toMatch(/[\u0600-\u06FF]/);
    }
  });
});
