// One interview: its facts, how to invite the candidate (while it is open), the end button, and
// the record: transcript, evaluation, status history.
import { onLangChange, t, type TextKey } from '../i18n/index.js';
import { h } from '../shared/dom.js';
import { dateText, failureBox, statusChip, typeKey } from './format.js';
import { hrApi } from './hr-api.js';
import { evaluationCard, historyCard, transcriptCard } from './results.js';
import { shareCard } from './share.js';
import { OPEN_STATUSES, type InterviewDetail } from './types.js';

export async function detailPage(main: HTMLElement, id: string) {
  const detail = await hrApi<InterviewDetail>(`/api/interviews/${id}`);
  const name = `${detail.candidate.firstName} ${detail.candidate.lastName}`;
  const setTitle = () => (document.title = `${t('detailTitle', { name })} · ${t('hrTitle')}`);
  setTitle();
  onLangChange(setTitle);

  const fact = (label: TextKey, value: Node | string, testid: string) =>
    h('div', {}, h('dt', { text: label }), h('dd', { attrs: { 'data-testid': testid, dir: 'auto' } }, value));
  const open = OPEN_STATUSES.includes(detail.status);
  const problem = failureBox();
  const end = open
    ? h('button', {
        text: 'endInterview',
        attrs: { type: 'button', class: 'danger', 'data-testid': 'end-interview' },
        on: {
          click: async () => {
            try {
              await hrApi(`/api/interviews/${id}/end`, { method: 'POST' });
              location.reload();
            } catch (err) {
              problem.set(err);
            }
          },
        },
      })
    : null;

  const status = h('span', {}, statusChip(detail.status));
  const refreshStatus = () =>
    void hrApi<InterviewDetail>(`/api/interviews/${id}`)
      .then((d) => status.replaceChildren(statusChip(d.status)))
      .catch(() => {}); // The chip stays as it was; the page shows the truth on reload.

  // Wrapped so the parts that do not apply (null) drop out.
  main.replaceChildren(
    h(
      'div',
      {},
      h('p', {}, h('a', { text: 'backToList', attrs: { href: '/hr' } })),
      h('h1', { text: 'detailTitle', vars: { name }, attrs: { 'data-testid': 'detail-title' } }),
      h(
        'section',
        { attrs: { class: 'card', 'aria-labelledby': 'facts-title' } },
        h('h2', { text: 'facts', attrs: { id: 'facts-title', class: 'visually-hidden' } }),
        h(
          'dl',
          { attrs: { class: 'facts' } },
          fact('position', `${detail.job.title} · ${detail.job.companyName}`, 'detail-job'),
          fact('typeLabel', h('span', { text: typeKey(detail.interviewType) }), 'detail-type'),
          fact('statusLabel', status, 'detail-status'),
          fact('scheduledLabel', dateText(detail.scheduledAt), 'detail-scheduled'),
          fact('durationLabel', h('span', { text: 'minutes', vars: { n: Math.round(detail.maxDuration / 60) } }), 'detail-duration'),
          detail.endReason ? fact('endReasonLabel', detail.endReason, 'detail-end-reason') : null,
        ),
        problem.element,
        end,
      ),
      open ? shareCard(detail, refreshStatus) : null,
      h(
        'div',
        { attrs: { class: 'grid-2' } },
        evaluationCard(
          detail.evaluations,
          new Set(detail.transcript.map((x) => x.seq)),
          open
            ? null
            : async () => {
                await hrApi(`/api/interviews/${id}/evaluations`, { method: 'POST' });
                location.reload();
              },
        ),
        historyCard(detail.statusHistory),
      ),
      transcriptCard(detail),
    ),
  );
}
