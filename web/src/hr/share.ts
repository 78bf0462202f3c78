// "Invite the candidate": a room code (seed 000) and/or a signed link (seed 002), each shown as a
// full address with a copy button. Creating either is one click; a link can be replaced, which
// invalidates every earlier one.
import { bindText } from '../i18n/index.js';
import { ApiFailure } from '../shared/api.js';
import { h } from '../shared/dom.js';
import { failureBox } from './format.js';
import { hrApi } from './hr-api.js';
import type { InterviewDetail, LinkInfo, RoomInfo } from './types.js';

/** A read-only address with a copy button and a spoken confirmation. */
function copyRow(id: string, label: 'roomUrlLabel' | 'linkUrlLabel' | 'roomCodeLabel', value: string): HTMLElement {
  const input = h('input', { attrs: { id, type: 'text', readonly: true, value, 'data-testid': id } });
  const status = h('span', { attrs: { role: 'status', class: 'hint', 'data-testid': `${id}-copied` } });
  const button = h('button', {
    text: 'copy',
    attrs: { type: 'button', class: 'secondary', 'data-testid': `${id}-copy`, 'aria-describedby': id },
    on: {
      click: async () => {
        try {
          await navigator.clipboard.writeText(value);
          bindText(status, 'copied');
        } catch {
          // No clipboard permission (or no secure context): leave the text selected for Ctrl+C.
          input.select();
          bindText(status, 'copyFailed');
        }
      },
    },
  });
  return h(
    'div',
    { attrs: { class: 'field' } },
    h('label', { text: label, attrs: { for: id } }),
    h('div', { attrs: { class: 'share-row' } }, input, button),
    status,
  );
}

/** `onChange`: the interview's status may have moved (a new room makes it READY). */
export function shareCard(detail: InterviewDetail, onChange: () => void = () => {}): HTMLElement {
  const problem = failureBox();
  const roomArea = h('div', { attrs: { 'data-testid': 'room-area' } });
  const linkArea = h('div', { attrs: { 'data-testid': 'link-area' } });

  const showRoom = (room: RoomInfo): void =>
    roomArea.replaceChildren(
      copyRow('room-code', 'roomCodeLabel', room.roomCode),
      copyRow('room-url', 'roomUrlLabel', new URL(room.joinUrl, location.origin).href),
    );
  const showLink = (link: LinkInfo): void =>
    linkArea.replaceChildren(
      copyRow('link-url', 'linkUrlLabel', link.public_interview_url),
      h('p', { text: 'linkExpires', vars: { time: { date: link.expires_at } }, attrs: { class: 'hint', 'data-testid': 'link-expires' } }),
      action('regenerateLink', 'regenerate-link', () =>
        hrApi<LinkInfo>(`/api/ai-interview/regenerate-link/${detail.id}/`, { method: 'POST' }).then(showLink),
      ),
    );

  function action(text: 'createRoom' | 'createLink' | 'regenerateLink', testid: string, run: () => Promise<unknown>) {
    const button = h('button', {
      text,
      attrs: { type: 'button', class: text === 'regenerateLink' ? 'secondary' : 'primary', 'data-testid': testid },
    });
    button.addEventListener('click', async () => {
      problem.clear();
      button.disabled = true;
      try {
        await run();
      } catch (err) {
        problem.set(err);
        button.disabled = false;
      }
    });
    return button;
  }

  if (detail.roomCode) showRoom({ roomCode: detail.roomCode, joinUrl: `/interview/join/${detail.roomCode}` });
  else
    roomArea.replaceChildren(
      action('createRoom', 'create-room', () =>
        hrApi<RoomInfo>(`/api/interviews/${detail.id}/room`, { method: 'POST' }).then((room) => {
          showRoom(room);
          onChange();
        }),
      ),
    );

  if (!detail.scheduledAt) linkArea.replaceChildren(h('p', { text: 'needsSchedule', attrs: { class: 'hint' } }));
  else if (detail.linkGeneratedAt) {
    hrApi<LinkInfo>(`/api/ai-interview/get-link/${detail.id}/`).then(showLink, (err: unknown) => {
      if (!(err instanceof ApiFailure && err.status === 404)) problem.set(err);
    });
  } else
    linkArea.replaceChildren(
      action('createLink', 'create-link', () =>
        hrApi<LinkInfo>(`/api/ai-interview/generate-link/${detail.id}/`, { method: 'POST' }).then(showLink),
      ),
    );

  return h(
    'section',
    { attrs: { class: 'card', 'aria-labelledby': 'share-title', id: 'share' } },
    h('h2', { text: 'shareTitle', attrs: { id: 'share-title' } }),
    problem.element,
    roomArea,
    linkArea,
  );
}
