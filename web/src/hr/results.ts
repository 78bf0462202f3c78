// A finished interview's record: the transcript (each turn addressable as #turn-{seq}, with its
// time from the start), the evaluation with its evidence quotes linked to those turns, and the
// status history.
import { bindText } from '../i18n/index.js';
import { h } from '../shared/dom.js';
import { dateText, failureBox, offsetClock, statusChip } from './format.js';
import type { CriterionScore, Evaluation, InterviewDetail, Turn } from './types.js';

export function transcriptCard(detail: InterviewDetail): HTMLElement {
  const turns = detail.transcript;
  const origin = detail.startedAt ? Date.parse(detail.startedAt) : (turns.find((t) => t.startedAtMs !== null)?.startedAtMs ?? 0);
  const item = (turn: Turn) =>
    h(
      'li',
      {
        attrs: {
          id: `turn-${turn.seq}`,
          class: 'turn',
          tabindex: -1,
          'data-testid': 'turn',
          'data-seq': turn.seq,
          'data-speaker': turn.speaker,
        },
      },
      turn.startedAtMs === null
        ? h('span', { attrs: { class: 'when' } }, '—')
        : h(
            'time',
            { attrs: { class: 'when', datetime: new Date(turn.startedAtMs).toISOString(), 'data-testid': 'turn-time' } },
            offsetClock(turn.startedAtMs, origin),
          ),
      h(
        'div',
        {},
        h('span', { text: turn.speaker === 'agent' ? 'speakerAgent' : 'speakerCandidate', attrs: { class: 'who' } }),
        h('span', { attrs: { class: 'prewrap', dir: 'auto' } }, turn.text),
      ),
    );
  return h(
    'section',
    { attrs: { class: 'card', 'aria-labelledby': 'transcript-title', id: 'transcript' } },
    h('h2', { text: 'transcriptTitle', attrs: { id: 'transcript-title' } }),
    turns.length
      ? h('ol', { attrs: { class: 'transcript', 'data-testid': 'transcript' } }, ...turns.map(item))
      : h('p', { text: 'noTranscript', attrs: { class: 'hint' } }),
  );
}

function list(items: string[], testid: string) {
  return h('ul', { attrs: { 'data-testid': testid } }, ...items.map((s) => h('li', { attrs: { dir: 'auto' } }, s)));
}

function criterionItem(c: CriterionScore, turnSeqs: Set<number>) {
  return h(
    'li',
    { attrs: { 'data-testid': 'criterion', 'data-name': c.name, class: c.met === false ? 'unmet' : undefined } },
    h('strong', { attrs: { dir: 'auto' } }, c.name),
    ' ',
    h('span', { text: 'criterionScore', vars: { score: c.score, weight: c.weight }, attrs: { 'data-testid': 'criterion-score' } }),
    c.mustHave ? h('span', { text: c.met ? 'mustHaveMet' : 'mustHaveUnmet', attrs: { class: 'badge', 'data-testid': 'must-have' } }) : null,
    c.assessed ? null : h('span', { text: 'criterionNotAssessed', attrs: { class: 'hint' } }),
    c.evidence.length === 0 ? h('p', { text: 'noEvidence', attrs: { class: 'hint' } }) : null,
    ...c.evidence.map((e) =>
      h(
        'blockquote',
        {},
        // Text-mode evidence points at question positions, which have no turn here.
        turnSeqs.has(e.ref)
          ? h('a', { attrs: { href: `#turn-${e.ref}`, class: 'prewrap', dir: 'auto', 'data-testid': 'evidence-link' } }, `“${e.quote}”`)
          : h('span', { attrs: { class: 'prewrap', dir: 'auto' } }, `“${e.quote}”`),
        ' ',
        turnSeqs.has(e.ref) ? h('span', { text: 'evidenceTurn', vars: { n: e.ref }, attrs: { class: 'hint' } }) : null,
      ),
    ),
  );
}

function evaluationBody(evaluation: Evaluation, turnSeqs: Set<number>): (HTMLElement | null)[] {
  const made = h('p', {
    text: 'evaluationMade',
    vars: {
      version: evaluation.version,
      model: evaluation.model ?? '—',
      prompt: evaluation.promptVersion,
      when: new Date(evaluation.createdAt).toLocaleString(),
    },
    attrs: { class: 'hint', 'data-testid': 'evaluation-made' },
  });
  if (!evaluation.scored)
    return [
      h('p', { text: 'notScored', vars: { reason: evaluation.notScoredReason ?? '' }, attrs: { 'data-testid': 'not-scored' } }),
      made,
    ];
  return [
    h(
      'dl',
      { attrs: { class: 'facts' } },
      h(
        'div',
        {},
        h('dt', { text: 'scoreLabel' }),
        h('dd', { text: 'scoreValue', vars: { score: evaluation.score ?? 0 }, attrs: { class: 'score', 'data-testid': 'score' } }),
      ),
      h(
        'div',
        {},
        h('dt', { text: 'recommendationLabel' }),
        h('dd', { attrs: { 'data-testid': 'recommendation', dir: 'auto' } }, evaluation.recommendation ?? ''),
      ),
    ),
    h('p', { text: 'scoreRule', attrs: { class: 'hint' } }),
    evaluation.mustHavesUnmet.length
      ? h('p', {
          text: 'mustHavesReview',
          vars: { names: evaluation.mustHavesUnmet.join(', ') },
          attrs: { class: 'notice-warn', role: 'note', 'data-testid': 'must-haves-unmet' },
        })
      : null,
    h('h3', { text: 'criteriaLabel' }),
    h('ul', { attrs: { class: 'criteria', 'data-testid': 'criteria' } }, ...evaluation.criteria.map((c) => criterionItem(c, turnSeqs))),
    h('h3', { text: 'strengthsLabel' }),
    list(evaluation.strengths, 'strengths'),
    h('h3', { text: 'areasLabel' }),
    list(evaluation.areasForImprovement, 'areas'),
    evaluation.evaluation ? h('h3', { text: 'summaryLabel' }) : null,
    evaluation.evaluation ? h('p', { attrs: { class: 'prewrap', 'data-testid': 'summary', dir: 'auto' } }, evaluation.evaluation) : null,
    made,
  ];
}

/**
 * The current evaluation, with a picker for the earlier versions and, for an ended interview, a
 * button that asks for a new one (`reevaluate` posts it and reloads the page).
 */
export function evaluationCard(evaluations: Evaluation[], turnSeqs: Set<number>, reevaluate: (() => Promise<void>) | null): HTMLElement {
  const body = h('div', { attrs: { 'data-testid': 'evaluation-body' } });
  const showVersion = (e: Evaluation | undefined) =>
    body.replaceChildren(
      ...(e ? evaluationBody(e, turnSeqs) : [h('p', { text: 'noEvaluation', attrs: { class: 'hint' } })]).filter(
        (x): x is HTMLElement => x !== null,
      ),
    );
  showVersion(evaluations[0]);

  const picker =
    evaluations.length > 1
      ? h(
          'select',
          {
            attrs: { id: 'evaluation-version', 'data-testid': 'evaluation-version' },
            on: { change: (ev) => showVersion(evaluations.find((e) => String(e.version) === (ev.target as HTMLSelectElement).value)) },
          },
          ...evaluations.map((e, i) =>
            h('option', { text: i === 0 ? 'versionCurrent' : 'versionOld', vars: { version: e.version }, attrs: { value: e.version } }),
          ),
        )
      : null;
  const problem = failureBox();
  const button = reevaluate
    ? h('button', {
        text: 'reevaluate',
        attrs: { type: 'button', 'data-testid': 'reevaluate' },
        on: {
          click: async (ev) => {
            const b = ev.currentTarget as HTMLButtonElement;
            b.disabled = true;
            bindText(b, 'reevaluating');
            problem.clear();
            try {
              await reevaluate();
            } catch (err) {
              problem.set(err);
              b.disabled = false;
              bindText(b, 'reevaluate');
            }
          },
        },
      })
    : null;
  return h(
    'section',
    { attrs: { class: 'card', 'aria-labelledby': 'evaluation-title', id: 'evaluation', 'data-testid': 'evaluation' } },
    h('h2', { text: 'evaluationTitle', attrs: { id: 'evaluation-title' } }),
    picker
      ? h('div', { attrs: { class: 'field' } }, h('label', { text: 'versionLabel', attrs: { for: 'evaluation-version' } }), picker)
      : null,
    body,
    problem.element,
    button,
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
            h(
              'li',
              { attrs: { 'data-testid': 'history-item', 'data-to': c.to } },
              c.from ? statusChip(c.from) : null,
              c.from ? ' → ' : null,
              statusChip(c.to),
              ' ',
              dateText(c.at),
              c.reason ? ` (${c.reason})` : null,
            ),
          ),
        )
      : h('p', { text: 'noHistory', attrs: { class: 'hint' } }),
  );
}
