// Small display helpers shared by the console's pages.
import { bindText, type TextKey } from '../i18n/index.js';
import { ApiFailure } from '../shared/api.js';
import { h } from '../shared/dom.js';

export const statusKey = (s: string) => `status_${s}` as TextKey;
export const typeKey = (s: string) => `type_${s}` as TextKey;

export function statusChip(status: string): HTMLElement {
  return h('span', { text: statusKey(status), attrs: { class: 'status', 'data-status': status, 'data-testid': 'status' } });
}

/** A date that follows the page's language (re-formatted on a switch). */
export function dateText(iso: string | null, empty: TextKey = 'notScheduled'): HTMLElement {
  if (!iso) return h('span', { text: empty });
  return h('time', { text: 'when', vars: { time: { date: iso } }, attrs: { datetime: iso } });
}

/** Offset from the interview's start as m:ss. */
export function offsetClock(ms: number, fromMs: number): string {
  const s = Math.max(0, Math.round((ms - fromMs) / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** A message box for a failed HR call: the API's own message (it names the field at fault). */
export function failureBox(): { element: HTMLElement; set: (err: unknown) => void; clear: () => void } {
  const element = h('p', { attrs: { role: 'alert', class: 'problem', hidden: true, 'data-testid': 'hr-problem' } });
  return {
    element,
    set(err) {
      element.hidden = false;
      element.dataset.code = err instanceof ApiFailure ? err.code : 'UNKNOWN';
      if (err instanceof ApiFailure && err.code !== 'NETWORK') element.textContent = err.message;
      else bindText(element, err instanceof ApiFailure ? 'errNetwork' : 'errGeneric');
    },
    clear() {
      element.hidden = true;
      element.textContent = '';
    },
  };
}
