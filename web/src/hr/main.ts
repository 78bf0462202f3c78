// The HR console at /hr: sign-in, the interviews list, "new interview", one interview's page, webhooks.
// Plain page loads between them (each address is a real page), so Back, reload and links just work.
import '../shared/styles.css';
import { initialLang, onLangChange, setLang, t } from '../i18n/index.js';
import { h } from '../shared/dom.js';
import { ApiFailure } from '../shared/api.js';
import { createPage } from './create.js';
import { detailPage } from './detail.js';
import { failureBox } from './format.js';
import { hrApi } from './hr-api.js';
import { layout } from './layout.js';
import { listPage } from './list.js';
import { loginPage } from './login.js';
import { webhooksPage } from './webhooks.js';

setLang(initialLang());
const setTitle = () => (document.title = t('hrTitle'));
setTitle();
onLangChange(setTitle);

// An evidence link (#turn-5) scrolls to its turn; moving focus there too lets keyboard and screen
// reader users continue reading from the quoted turn.
const focusTarget = () => {
  const target = location.hash.length > 1 ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
  target?.focus();
};
window.addEventListener('hashchange', focusTarget);

async function route() {
  const path = location.pathname.replace(/\/+$/, '') || '/hr';
  if (path === '/hr/login') return loginPage(layout(false));
  let main = layout(false);
  try {
    // Not signed in: hrApi leaves for the login page (and this never returns).
    await hrApi('/api/auth/me');
    main = layout(true);
    if (path === '/hr') return await listPage(main);
    if (path === '/hr/new') return await createPage(main);
    if (path === '/hr/webhooks') return await webhooksPage(main);
    const detail = /^\/hr\/interviews\/([0-9a-fA-F-]{36})$/.exec(path);
    if (detail) {
      await detailPage(main, detail[1]!);
      return focusTarget();
    }
    throw new ApiFailure(404, 'NOT_FOUND', 'Not found');
  } catch (err) {
    const box = failureBox();
    box.set(err);
    main.replaceChildren(h('section', { attrs: { class: 'card' } }, box.element));
  }
}

void route();
