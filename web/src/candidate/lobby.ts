// The page before joining: what the interview is, the AI notice with its consent box, the
// microphone check, and the join form. Joining asks the API for a LiveKit token (the phone check
// happens there) and hands it to onJoined.
import { bindText, t, type TextKey } from '../i18n/index.js';
import { api } from '../shared/api.js';
import { field, h } from '../shared/dom.js';
import type { InterviewInfo } from './info.js';
import { micCheck } from './mic-check.js';
import { problemFor, type Problem } from './problems.js';
import { joinPath, type Source } from './source.js';

export interface JoinResponse {
  token: string;
  serverUrl: string;
  roomCode: string;
  roomName: string;
  identity: string;
  participantName: string;
  maxDuration: number;
}

/** A message region that screen readers announce when it fills (role=alert). */
export function problemBox(id: string): { element: HTMLElement; set: (p: Problem | null) => void } {
  const element = h('div', { attrs: { id, 'data-testid': id, role: 'alert', class: 'problem', hidden: true } });
  return {
    element,
    set(p) {
      element.hidden = !p;
      if (!p) {
        element.textContent = '';
        delete element.dataset.code;
        return;
      }
      element.dataset.code = p.code;
      bindText(element, p.key, p.vars);
    },
  };
}

export function infoCard(info: InterviewInfo): HTMLElement {
  const fact = (label: TextKey, value: Node | string, testid: string) =>
    h('div', {}, h('dt', { text: label }), h('dd', { attrs: { 'data-testid': testid, dir: 'auto' } }, value));
  return h(
    'section',
    { attrs: { id: 'interview-info', 'aria-labelledby': 'job-title', class: 'card' } },
    h('h1', { attrs: { id: 'job-title', 'data-testid': 'job-title', dir: 'auto' } }, info.jobTitle),
    h(
      'dl',
      { attrs: { class: 'facts' } },
      fact('company', info.companyName, 'company'),
      fact('duration', h('span', { text: 'minutes', vars: { n: Math.round(info.maxDurationS / 60) } }), 'duration'),
    ),
    info.instructions
      ? h(
          'div',
          { attrs: { class: 'instructions' } },
          h('h2', { text: 'instructionsTitle' }),
          h('p', { attrs: { 'data-testid': 'instructions', class: 'prewrap', dir: 'auto' } }, info.instructions),
        )
      : null,
  );
}

export function lobby(source: Source, info: InterviewInfo, onJoined: (join: JoinResponse) => void): HTMLElement {
  const consent = h('input', { attrs: { type: 'checkbox', id: 'consent', 'data-testid': 'consent', 'aria-describedby': 'notice-text' } });
  const notice = h(
    'section',
    { attrs: { id: 'notice', 'aria-labelledby': 'notice-title', class: 'card' } },
    h('h2', { text: 'noticeTitle', attrs: { id: 'notice-title' } }),
    h('p', { text: 'noticeText', attrs: { id: 'notice-text' } }),
    h('div', { attrs: { class: 'check' } }, consent, h('label', { text: 'consentLabel', attrs: { for: 'consent' } })),
  );
  const mic = micCheck();

  const input = (type: string, autocomplete: string) =>
    h('input', { attrs: { type, autocomplete, required: true, dir: type === 'tel' ? 'ltr' : 'auto' } });
  const phone = input('tel', 'tel');
  const first = input('text', 'given-name');
  const last = input('text', 'family-name');
  const problem = problemBox('join-error');
  const submit = h('button', {
    text: 'joinButton',
    attrs: { type: 'submit', id: 'join-button', 'data-testid': 'join-button', class: 'primary' },
  });

  const form = h(
    'form',
    { attrs: { id: 'join-form', novalidate: true, 'aria-labelledby': 'join-title', class: 'card' } },
    h('h2', { text: 'joinTitle', attrs: { id: 'join-title' } }),
    field('phone', 'phoneLabel', phone, 'phoneHint'),
    h('div', { attrs: { class: 'row' } }, field('first-name', 'firstNameLabel', first), field('last-name', 'lastNameLabel', last)),
    problem.element,
    submit,
  );

  const invalid = (el: HTMLElement, p: Problem) => {
    el.setAttribute('aria-invalid', 'true');
    problem.set(p);
    el.focus();
  };

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    for (const el of [consent, phone, first, last]) el.removeAttribute('aria-invalid');
    problem.set(null);
    if (!consent.checked) return invalid(consent, { code: 'CONSENT_REQUIRED', key: 'consentRequired' });
    const fields: [HTMLInputElement, TextKey][] = [
      [phone, 'phoneLabel'],
      [first, 'firstNameLabel'],
      [last, 'lastNameLabel'],
    ];
    for (const [el, label] of fields) {
      if (!el.value.trim()) return invalid(el, { code: 'REQUIRED', key: 'fieldRequired', vars: { field: t(label) } });
    }
    submit.disabled = true;
    bindText(submit, 'joining');
    let join: JoinResponse;
    try {
      join = await api<JoinResponse>(joinPath(source), {
        json: { phoneNumber: phone.value.trim(), firstName: first.value.trim(), lastName: last.value.trim() },
      });
    } catch (err) {
      submit.disabled = false;
      bindText(submit, 'joinButton');
      const p = problemFor(err);
      // A phone problem sends the candidate back to the phone field; anything else stays on the button.
      return invalid(p.code === 'PHONE_MISMATCH' || p.key === 'errInvalidPhone' ? phone : submit, p);
    }
    mic.stop();
    onJoined(join);
  });

  return h('div', { attrs: { id: 'lobby' } }, infoCard(info), notice, mic.element, form);
}
