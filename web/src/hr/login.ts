// Sign-in: the API sets an HttpOnly cookie; the page keeps nothing and moves on to `next`.
import { ApiFailure, api } from '../shared/api.js';
import { field, h } from '../shared/dom.js';
import { bindText } from '../i18n/index.js';
import { safeNext } from './hr-api.js';

export function loginPage(main: HTMLElement) {
  const params = new URLSearchParams(location.search);
  const email = h('input', { attrs: { type: 'email', autocomplete: 'username', required: true, dir: 'ltr' } });
  const password = h('input', { attrs: { type: 'password', autocomplete: 'current-password', required: true } });
  const problem = h('p', { attrs: { role: 'alert', class: 'problem', id: 'login-error', 'data-testid': 'login-error', hidden: true } });
  if (params.get('expired')) {
    problem.hidden = false;
    bindText(problem, 'errSignedOut');
  }
  const submit = h('button', {
    text: 'signIn',
    attrs: { type: 'submit', class: 'primary', id: 'login-button', 'data-testid': 'login-button' },
  });
  const form = h(
    'form',
    { attrs: { class: 'card', id: 'login-form', 'aria-labelledby': 'login-title' } },
    h('h1', { text: 'signInTitle', attrs: { id: 'login-title' } }),
    field('email', 'emailLabel', email),
    field('password', 'passwordLabel', password),
    problem,
    submit,
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    submit.disabled = true;
    try {
      await api('/api/auth/login/', { json: { email: email.value.trim(), password: password.value } });
      location.assign(safeNext(params.get('next')));
    } catch (err) {
      problem.hidden = false;
      const code = err instanceof ApiFailure ? err.code : 'UNKNOWN';
      problem.dataset.code = code;
      bindText(
        problem,
        code === 'INVALID_CREDENTIALS' || code === 'VALIDATION_FAILED'
          ? 'errInvalidCredentials'
          : code === 'RATE_LIMITED'
            ? 'errRateLimited'
            : code === 'NETWORK'
              ? 'errNetwork'
              : 'errGeneric',
        {
          seconds: err instanceof ApiFailure ? (err.retryAfterS ?? 60) : 60,
        },
      );
      submit.disabled = false;
      password.focus();
    }
  });
  main.replaceChildren(form);
  email.focus();
}
