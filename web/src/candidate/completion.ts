// The last screen, whatever ended the interview: the candidate, the interviewer or the time limit
// (the room closes), or a connection that could not be made or restored (then joining again is offered).
import { h } from '../shared/dom.js';

export type EndReason = 'candidate' | 'ended' | 'connection' | 'unreachable';

export function completion(reason: EndReason): HTMLElement {
  const message = ({ candidate: 'doneCandidate', ended: 'doneEnded', connection: 'doneConnection', unreachable: 'errConnect' } as const)[
    reason
  ];
  const lost = reason === 'connection' || reason === 'unreachable';
  return h(
    'section',
    {
      attrs: { id: 'completion', 'data-testid': 'completion', 'data-reason': reason, class: 'card', 'aria-labelledby': 'completion-title' },
    },
    h('h1', { text: lost ? 'connDisconnected' : 'doneTitle', attrs: { id: 'completion-title', tabindex: -1 } }),
    h('p', { text: message, attrs: { 'data-testid': 'completion-message' } }),
    lost
      ? h('button', {
          text: 'rejoin',
          attrs: { type: 'button', class: 'primary', 'data-testid': 'rejoin' },
          on: { click: () => location.reload() },
        })
      : null,
  );
}
