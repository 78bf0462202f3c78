// The console's frame: title, navigation, language and sign-out, and the <main> pages render into.
import { h } from '../shared/dom.js';
import { langSwitch } from '../shared/lang-switch.js';
import { hrApi } from './hr-api.js';

export function layout(signedIn: boolean): HTMLElement {
  const main = h('main', { attrs: { id: 'main', tabindex: -1 } });
  const signOut = h('button', {
    text: 'signOut',
    attrs: { type: 'button', class: 'link', 'data-testid': 'sign-out' },
    on: {
      click: async () => {
        await hrApi('/api/auth/logout', { method: 'POST' }).catch(() => {});
        location.assign('/hr/login');
      },
    },
  });
  const nav = signedIn
    ? h(
        'nav',
        { label: 'hrTitle' },
        h('a', { text: 'navInterviews', attrs: { href: '/hr', 'data-testid': 'nav-interviews' } }),
        h('a', { text: 'navNew', attrs: { href: '/hr/new', 'data-testid': 'nav-new' } }),
        h('a', { text: 'navWebhooks', attrs: { href: '/hr/webhooks', 'data-testid': 'nav-webhooks' } }),
        signOut,
      )
    : null;
  document.body.classList.add('hr');
  document
    .getElementById('app')!
    .replaceChildren(
      h('a', { text: 'skipToContent', attrs: { href: '#main', class: 'skip-link' } }),
      h('header', { attrs: { class: 'top' } }, h('p', { text: 'hrTitle', attrs: { class: 'brand' } }), nav, langSwitch()),
      main,
    );
  return main;
}
