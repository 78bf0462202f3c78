// The language buttons every page shows. Each name is written in its own language and marked so
// (lang attribute), so a screen reader pronounces it right whatever the page's language.
import { currentLang, LANGUAGES, onLangChange, setLang, type Lang } from '../i18n/index.js';
import { h } from './dom.js';

export function langSwitch(): HTMLElement {
  const buttons = (Object.keys(LANGUAGES) as Lang[]).map((lang) =>
    h(
      'button',
      {
        attrs: { type: 'button', lang, 'data-testid': `lang-${lang}`, class: 'lang-button' },
        on: { click: () => setLang(lang) },
      },
      LANGUAGES[lang].name,
    ),
  );
  const sync = () => {
    for (const b of buttons) b.setAttribute('aria-pressed', String(b.lang === currentLang()));
  };
  sync();
  onLangChange(sync);
  return h('div', { label: 'languageLabel', attrs: { role: 'group', class: 'lang-switch' } }, ...buttons);
}
