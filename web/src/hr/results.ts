// A finished interview's record: the transcript (each turn addressable as #turn-{seq}, with its
// time from the start), the evaluation with its evidence quotes linked to those turns, and the
// status history.
import { h } from '../shared/dom.js';
import { dateText, offsetClock, statusChip } from './format.js';
import type { Evaluation, InterviewDetail, Turn } from './types.js';

export function transcriptCard(detail: InterviewDetail): HTMLElement {
  const turns = detail.transcript;
  const origin = detail.startedAt ? Date.parse(detail.startedAt) : (turns.find((t) => t.startedAtMs !== null)?.startedAtMs ?? 0);
  const item = (turn: Turn) =>
    h(
      'li',
      { attrs: { id: `turn-${turn.seq}`, class: 'turn', tabindex: -1, 'data-testid': 'turn', 'data-seq': turn.seq, 'data-speaker': turn.speaker } },
      turn.startedAtMs === null
        ? h('span', { attrs: { class: 'when' } }, '—')
        : h('time', { attrs: { class: 'when', datetime: new Date(turn.startedAtMs).toISOString(), 'data-testid': 'turn-time' } }, offsetClock(turn.startedAtMs, origin)),
      h('div', {}, h('span', { text: turn.speaker === 'agent' ? 'speakerAgent' : 'speakerCandidate', attrs: { class: 'who' } }), h('span', { attrs: { class: 'prewrap', dir: 'auto' } }, turn.text)),
    );
  return h(
    'section',
    { attrs: { class: 'card', 'aria-labelledby': 'transcript-title', id: 'transcript' } },
    h('h2', { text: 'transcriptTitle', attrs: { id: 'transcript-title' } }),
    turns.length ? h('ol', { attrs: { class: 'transcript', 'data-testid': 'transcript' } }, ...turns.map(item)) : h('p', { text: 'noTranscript', attrs: { class: 'hint' } }),
  );
}

function list(items: string[], testid: string) {
  return h('ul', { attrs: { 'data-testid': testid } }, ...items.map((s) => h('li', { attrs: { dir: 'auto' } }, s)));
}

export function evaluationCard(evaluation: Evaluation | null, turnSeqs: Set<number>): HTMLElement {
  const body: (HTMLElement | null)[] = [];
  if (!evaluation) body.push(h('p', { text: 'noEvaluation', attrs: { class: 'hint' } }));
  else if (!evaluation.scored) body.push(h('p', { text: 'notScored', vars: { reason: evaluation.notScoredReason ?? '' }, attrs: { 'data-testid': 'not-scored' } }));
  else {
    body.push(
      h(
        'dl',
        { attrs: { class: 'facts' } },
        h('div', {}, h('dt', { text: 'scoreLabel' }), h('dd', { text: 'scoreValue', vars: { score: evaluation.score ?? 0 }, attrs: { class: 'score', 'data-testid': 'score' } })),
        h('div', {}, h('dt', { text: 'recommendationLabel' }), h('dd', { attrs: { 'data-testid': 'recommendation', dir: 'auto' } }, evaluation.recommendation ?? '')),
      ),
      h('h3', { text: 'strengthsLabel' }),
      list(evaluation.strengths, 'strengths'),
      h('h3', { text: 'areasLabel' }),
      list(evaluation.areasForImprovement, 'areas'),
      evaluation.criteria.length ? h('h3', { text: 'criteriaLabel' }) : null,
      evaluation.criteria.length
        ? h(
            'ul',
            { attrs: { class: 'criteria', 'data-testid': 'criteria' } },
            ...evaluation.criteria.map((c) =>
              h(
                'li',
                {},
                h('strong', { attrs: { dir: 'auto' } }, `${c.name}: ${c.score}`),
                ...c.evidence.map((e) =>
                  h(
                    'blockquote',
                    {},
                    h('span', { attrs: { class: 'prewrap', dir: 'auto' } }, `“${e.quote}”`), ' ',
                    // Text-mode evidence points at question positions, which have no turn here.
                    turnSeqs.has(e.ref) ? h('a', { text: 'evidenceTurn', vars: { n: e.ref }, attrs: { href: `#turn-${e.ref}`, 'data-testid': 'evidence-link' } }) : null,
                  ),
                ),
              ),
            ),
          )
        : null,
    );
    if (evaluation.evaluation) body.push(h('h3', { text: 'summaryLabel' }), h('p', { attrs: { class: 'prewrap', 'data-testid': 'summary', dir: 'auto' } }, evaluation.evaluation));
  }
  return h(
    'section',
    { attrs: { class: 'card', 'aria-labelledby': 'evaluation-title', id: 'evaluation', 'data-testid': 'evaluation' } },
    h('h2', { text: 'evaluationTitle', attrs: { id: 'evaluation-title' } }),
    ...body,
  );
}

export function historyCard(history: InterviewDetail['statusHistory']): HTMLElement {
  return h(
    'section',
    { attrs: { class: 'card', 'aria-labelledby': 'history-title', id: 'history' } },
    h('h2', { text: 'historyTitle', attrs: { id: 'history-title' } }),
    history.length
      ? h(
          'ol',
          { attrs: { class: 'history', 'data-testid': 'history' } },
          ...history.map((c) =>
            h('li', { attrs: { 'data-testid': 'history-item', 'data-to': c.to } }, c.from ? statusChip(c.from) : null, c.from ? ' → ' : null, statusChip(c.to), ' ', dateText(c.at), c.reason ? ` (${c.reason})` : null),
          ),
        )
      : h('p', { text: 'noHistory', attrs: { class: 'hint' } }),
  );
}
