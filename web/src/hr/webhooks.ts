// "Webhooks": the organization's endpoints for its applicant-tracking system, a form to add one
// (its signing secret shown once, right after), and each endpoint's recent deliveries with Resend.
import type { TextKey } from '../i18n/index.js';
import { field, h } from '../shared/dom.js';
import { section } from './create.js';
import { dateText, failureBox } from './format.js';
import { hrApi } from './hr-api.js';

const EVENTS = ['interview.started', 'interview.ended', 'evaluation.ready'] as const;
const eventKey = (e: string) => `event_${e.replace('.', '_')}` as TextKey;

interface Endpoint {
  id: string;
  url: string;
  events: string[];
  enabled: boolean;
  createdAt: string;
}

interface Delivery {
  id: string;
  eventType: string;
  state: 'pending' | 'delivered' | 'failed';
  attempts: number;
  nextAttemptAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: string;
}

export async function webhooksPage(main: HTMLElement) {
  const list = h('div', { attrs: { 'data-testid': 'webhook-list' } });
  const empty = h('p', { text: 'noWebhooks', attrs: { hidden: true, 'data-testid': 'no-webhooks' } });
  const problem = failureBox();

  async function load() {
    problem.clear();
    try {
      const { items } = await hrApi<{ items: Endpoint[] }>('/api/webhooks');
      list.replaceChildren(...items.map((e) => endpointCard(e, load)));
      empty.hidden = items.length > 0;
    } catch (err) {
      problem.set(err);
    }
  }

  main.replaceChildren(
    h('h1', { text: 'webhooksTitle' }),
    h('p', { text: 'webhooksIntro', attrs: { class: 'hint' } }),
    addForm(load),
    problem.element,
    empty,
    list,
  );
  await load();
}

function addForm(onAdded: () => Promise<void>) {
  const url = h('input', {
    attrs: { name: 'webhook-url', type: 'url', required: true, dir: 'ltr', placeholder: 'https://', 'data-testid': 'webhook-url' },
  });
  const boxes = EVENTS.map((e) =>
    h('input', { attrs: { type: 'checkbox', id: `webhook-event-${e}`, value: e, checked: true, 'data-testid': 'webhook-event' } }),
  );
  const events = h(
    'fieldset',
    {},
    h('legend', { text: 'webhookEvents' }),
    ...EVENTS.map((e, i) =>
      h('div', { attrs: { class: 'check' } }, boxes[i]!, h('label', { text: eventKey(e), attrs: { for: `webhook-event-${e}` } })),
    ),
  );
  const secret = h('code', { attrs: { 'data-testid': 'webhook-secret', dir: 'ltr', class: 'prewrap' } });
  const secretBox = h(
    'div',
    { attrs: { role: 'status', class: 'notice-ok', hidden: true } },
    h('p', { text: 'webhookSecretOnce' }),
    secret,
  );
  const { form } = section(
    'webhook',
    'addWebhookTitle',
    [field('webhook-url', 'webhookUrl', url, 'webhookUrlHint'), events, secretBox],
    'addWebhook',
    async () => {
      secretBox.hidden = true;
      const created = await hrApi<Endpoint & { secret: string }>('/api/webhooks', {
        json: { url: url.value.trim(), events: boxes.filter((b) => b.checked).map((b) => b.value) },
      });
      secret.textContent = created.secret;
      secretBox.hidden = false;
      url.value = '';
      await onAdded();
    },
  );
  return form;
}

function endpointCard(e: Endpoint, reload: () => Promise<void>) {
  const problem = failureBox();
  const tbody = h('tbody', { attrs: { 'data-testid': 'delivery-rows' } });
  const none = h('p', { text: 'noDeliveries', attrs: { hidden: true } });
  const table = h(
    'div',
    { attrs: { class: 'table-wrap', hidden: true } },
    h(
      'table',
      {},
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...(['colEvent', 'colDelivery', 'colAttempts', 'colNextAttempt', 'colLastResult', 'colCreated', 'colActions'] as const).map((k) =>
            h('th', { text: k, attrs: { scope: 'col' } }),
          ),
        ),
      ),
      tbody,
    ),
  );
  const remove = h('button', { text: 'removeWebhook', attrs: { type: 'button', class: 'secondary', 'data-testid': 'webhook-remove' } });

  async function loadDeliveries() {
    try {
      const { items } = await hrApi<{ items: Delivery[] }>(`/api/webhooks/${e.id}/deliveries?limit=20`);
      tbody.replaceChildren(...items.map((d) => deliveryRow(d, resend)));
      table.hidden = items.length === 0;
      none.hidden = items.length > 0;
    } catch (err) {
      problem.set(err);
    }
  }
  async function resend(d: Delivery) {
    problem.clear();
    try {
      await hrApi(`/api/webhooks/deliveries/${d.id}/resend`, { method: 'POST' });
      await loadDeliveries();
    } catch (err) {
      problem.set(err);
    }
  }
  remove.addEventListener('click', async () => {
    problem.clear();
    try {
      await hrApi(`/api/webhooks/${e.id}`, { method: 'DELETE' });
      await reload();
    } catch (err) {
      problem.set(err);
    }
  });

  const card = h(
    'section',
    { attrs: { class: 'card', 'data-testid': 'webhook', 'data-id': e.id } },
    h('h2', { attrs: { dir: 'ltr', class: 'prewrap' } }, e.url),
    h(
      'p',
      {},
      ...e.events.flatMap((ev, i) => [i > 0 ? ' · ' : '', h('span', { text: eventKey(ev) })]),
      e.enabled ? '' : h('span', { text: 'webhookDisabled', attrs: { class: 'status' } }),
    ),
    problem.element,
    table,
    none,
    h('div', { attrs: { class: 'actions' } }, remove),
  );
  void loadDeliveries();
  return card;
}

function deliveryRow(d: Delivery, resend: (d: Delivery) => Promise<void>) {
  const button = h('button', { text: 'resend', attrs: { type: 'button', class: 'secondary', 'data-testid': 'delivery-resend' } });
  button.addEventListener('click', () => {
    button.disabled = true;
    void resend(d).finally(() => (button.disabled = false));
  });
  const result = d.lastError ?? (d.lastStatus !== null ? `HTTP ${d.lastStatus}` : '');
  return h(
    'tr',
    { attrs: { 'data-testid': 'delivery-row', 'data-state': d.state } },
    h('td', { text: eventKey(d.eventType) }),
    h('td', { text: `delivery_${d.state}` as TextKey }),
    h('td', {}, String(d.attempts)),
    h('td', {}, d.nextAttemptAt ? dateText(d.nextAttemptAt) : ''),
    h('td', { attrs: { dir: 'ltr' } }, result),
    h('td', {}, dateText(d.createdAt)),
    h('td', {}, button),
  );
}
