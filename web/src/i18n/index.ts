// The page's language: texts by key, right-to-left for Arabic, and a switch that re-labels the page
// in place. Elements bound with bindText()/bindAttr() remember their key (data-i18n), so a switch
// re-translates them without rebuilding the page (typed input and a running interview survive).
import { ar } from './ar.js';
import { en, type Messages, type TextKey } from './en.js';

export type { TextKey };

export const LANGUAGES = {
  en: { messages: en, dir: 'ltr', name: 'English' },
  ar: { messages: ar, dir: 'rtl', name: 'العربية' },
} as const satisfies Record<string, { messages: Messages; dir: 'ltr' | 'rtl'; name: string }>;

export type Lang = keyof typeof LANGUAGES;
/** A run-time value: plain text or a number (shown as is, digits of the page's language), or a date. */
export type TextVar = string | number | { date: string };
export type TextVars = Record<string, TextVar>;

const STORAGE_KEY = 'lang';
let current: Lang = 'en';
const listeners = new Set<() => void>();

export const isLang = (v: unknown): v is Lang => typeof v === 'string' && Object.hasOwn(LANGUAGES, v);
export const currentLang = (): Lang => current;

/** ?lang= first (a shared link can choose), then the last choice here, then the browser's languages. */
export function initialLang(): Lang {
  const fromQuery = new URLSearchParams(location.search).get('lang');
  if (isLang(fromQuery)) return fromQuery;
  let stored: string | null = null;
  try {
    stored = localStorage.getItem(STORAGE_KEY);
  } catch {
    // Storage can be off (privacy settings): fall through to the browser's languages.
  }
  if (isLang(stored)) return stored;
  for (const l of navigator.languages ?? []) {
    const base = l.toLowerCase().split('-')[0];
    if (isLang(base)) return base;
  }
  return 'en';
}

function formatVar(v: TextVar): string {
  if (typeof v === 'number') return new Intl.NumberFormat(current).format(v);
  if (typeof v === 'object') return formatDateTime(v.date);
  return v;
}

export function t(key: TextKey, vars?: TextVars): string {
  // A key built at run time (a status the console does not know yet) shows as itself.
  const template: string = LANGUAGES[current].messages[key] ?? en[key] ?? key;
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? formatVar(vars[name]!) : whole));
}

export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(current, { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

/** Sets the element's text from a key, now and after every language switch. */
export function bindText<E extends HTMLElement>(el: E, key: TextKey, vars?: TextVars): E {
  el.dataset.i18n = key;
  if (vars) el.dataset.i18nVars = JSON.stringify(vars);
  else delete el.dataset.i18nVars;
  el.textContent = t(key, vars);
  return el;
}

/** Same for one attribute (aria-label, title…). */
export function bindAttr<E extends HTMLElement>(el: E, attr: string, key: TextKey): E {
  el.dataset.i18nAttr = `${attr}:${key}`;
  el.setAttribute(attr, t(key));
  return el;
}

function applyTexts(root: ParentNode) {
  for (const el of root.querySelectorAll<HTMLElement>('[data-i18n]')) {
    const vars = el.dataset.i18nVars ? (JSON.parse(el.dataset.i18nVars) as TextVars) : undefined;
    el.textContent = t(el.dataset.i18n as TextKey, vars);
  }
  for (const el of root.querySelectorAll<HTMLElement>('[data-i18n-attr]')) {
    const [attr, key] = el.dataset.i18nAttr!.split(':') as [string, TextKey];
    el.setAttribute(attr, t(key));
  }
}

export function setLang(lang: Lang): void {
  current = lang;
  const html = document.documentElement;
  html.lang = lang;
  html.dir = LANGUAGES[lang].dir;
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Not kept across visits then; the page still switches.
  }
  applyTexts(document);
  for (const fn of listeners) fn();
}

/** For what bindings cannot express (formatted lists, a document title). */
export function onLangChange(fn: () => void): void {
  listeners.add(fn);
}
