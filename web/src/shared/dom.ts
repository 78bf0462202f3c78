// A tiny element builder. Text always goes in as text nodes (never parsed as HTML), so values from
// the API cannot inject markup; there is no innerHTML anywhere in web/.
import { bindAttr, bindText, type TextKey, type TextVars } from '../i18n/index.js';

type Child = Node | string | null | undefined | false;
interface Props {
  /** Translated text content (re-translated on a language switch). */
  text?: TextKey;
  vars?: TextVars;
  /** Translated aria-label. */
  label?: TextKey;
  /** Plain attributes; `true` sets an empty attribute, false/undefined leaves it out. */
  attrs?: Record<string, string | number | boolean | undefined>;
  on?: Partial<{ [E in keyof HTMLElementEventMap]: (ev: HTMLElementEventMap[E]) => void }>;
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(props.attrs ?? {})) {
    if (value === true) el.setAttribute(name, '');
    else if (value !== false && value !== undefined) el.setAttribute(name, String(value));
  }
  for (const [type, fn] of Object.entries(props.on ?? {})) el.addEventListener(type, fn as EventListener);
  if (props.text) bindText(el, props.text, props.vars);
  if (props.label) bindAttr(el, 'aria-label', props.label);
  el.append(...children.filter((c): c is Node | string => c !== null && c !== undefined && c !== false));
  return el;
}

export function byId<E extends HTMLElement = HTMLElement>(id: string): E {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} is missing`);
  return el as E;
}

/** A labelled form field: label, optional hint, control, all tied together for screen readers. */
export function field(
  id: string,
  label: TextKey,
  control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement,
  hint?: TextKey,
): HTMLDivElement {
  control.id = id;
  const hintEl = hint ? h('p', { text: hint, attrs: { id: `${id}-hint`, class: 'hint' } }) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  return h('div', { attrs: { class: 'field' } }, h('label', { text: label, attrs: { for: id } }), hintEl, control);
}

export function show(el: HTMLElement, visible: boolean): void {
  el.hidden = !visible;
}
