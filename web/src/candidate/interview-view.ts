// The interview screen: the interviewer's state, the connection, the time left, live captions and
// the end button. DOM only (interview.ts feeds it from LiveKit). Every live part has a stable id,
// a data-testid and a data-state/data-seconds attribute, so browser tests can drive and read it.
import { bindText, type TextKey } from '../i18n/index.js';
import { h } from '../shared/dom.js';
import type { Absence } from './agent-presence.js';
import type { Caption } from './captions.js';
import { ANNOUNCE_AT_MINUTES, formatClock } from './countdown.js';

/** The states an interviewer reports (participant attribute lk.agent.state). */
export type AgentState = 'initializing' | 'idle' | 'listening' | 'thinking' | 'speaking';
export type ConnectionView = 'connecting' | 'connected' | 'reconnecting' | 'disconnected';

const AGENT_TEXT: Record<AgentState, TextKey> = {
  initializing: 'stateInitializing',
  idle: 'stateIdle',
  listening: 'stateListening',
  thinking: 'stateThinking',
  speaking: 'stateSpeaking',
};
const INTERVIEWER_TEXT: Record<AgentState | Absence, TextKey> = {
  ...AGENT_TEXT,
  // While no interviewer is in the room (agent-presence.ts).
  joining: 'stateJoining',
  lost: 'stateLost',
  slow: 'stateSlow',
  late: 'stateLate',
  'late-lost': 'stateLateLost',
};
const CONNECTION_TEXT: Record<ConnectionView, TextKey> = {
  connecting: 'connConnecting',
  connected: 'connConnected',
  reconnecting: 'connReconnecting',
  disconnected: 'connDisconnected',
};

export const isAgentState = (s: unknown): s is AgentState => typeof s === 'string' && Object.hasOwn(AGENT_TEXT, s);

export function interviewView(jobTitle: string) {
  const agentState = h('p', { attrs: { id: 'agent-state', 'data-testid': 'agent-state', role: 'status', class: 'agent-state' } });
  const connection = h('p', { attrs: { id: 'connection-state', 'data-testid': 'connection-state', role: 'status', class: 'connection' } });
  const clock = h('span', { attrs: { id: 'time-left', 'data-testid': 'time-left', role: 'timer', 'aria-live': 'off' } });
  // Said once at the ANNOUNCE_AT_MINUTES marks, so a screen reader is not read every second.
  const timeNotice = h('p', { attrs: { id: 'time-notice', 'data-testid': 'time-notice', role: 'status', class: 'time-notice' } });
  const captions = h('ol', {
    label: 'captionsTitle',
    // role=log reads new lines politely; the interviewer's own voice says the same, so not assertive.
    attrs: { id: 'captions', 'data-testid': 'captions', role: 'log', class: 'captions', tabindex: 0 },
  });
  const captionsEmpty = h('p', { text: 'captionsEmpty', attrs: { class: 'hint', id: 'captions-empty' } });
  const problem = h('p', {
    attrs: { id: 'interview-problem', 'data-testid': 'interview-problem', role: 'alert', class: 'problem', hidden: true },
  });
  const startAudio = h('button', {
    text: 'startAudio',
    attrs: { type: 'button', id: 'start-audio', 'data-testid': 'start-audio', class: 'primary', hidden: true },
  });
  // The turn controls: usable while an interviewer is in the room (setControlsEnabled).
  const doneButton = h('button', {
    text: 'doneButton',
    attrs: { type: 'button', id: 'done-button', 'data-testid': 'done-button', class: 'secondary', disabled: true },
  });
  const repeatButton = h('button', {
    text: 'repeatButton',
    attrs: { type: 'button', id: 'repeat-button', 'data-testid': 'repeat-button', class: 'secondary', disabled: true },
  });
  const endButton = h('button', {
    text: 'endButton',
    attrs: { type: 'button', id: 'end-button', 'data-testid': 'end-button', class: 'danger' },
  });
  const confirmEnd = h('button', {
    text: 'endConfirm',
    attrs: { type: 'button', id: 'end-confirm', 'data-testid': 'end-confirm', class: 'danger' },
  });
  const cancelEnd = h('button', {
    text: 'endCancel',
    attrs: { type: 'button', id: 'end-cancel', 'data-testid': 'end-cancel', class: 'secondary' },
  });
  const dialog = h(
    'dialog',
    { attrs: { id: 'end-dialog', 'aria-labelledby': 'end-dialog-title', 'aria-describedby': 'end-dialog-text' } },
    h('h2', { text: 'endConfirmTitle', attrs: { id: 'end-dialog-title' } }),
    h('p', { text: 'endConfirmText', attrs: { id: 'end-dialog-text' } }),
    h('div', { attrs: { class: 'actions' } }, cancelEnd, confirmEnd),
  );
  /** Remote audio elements go here; they play but show nothing. */
  const audioSink = h('div', { attrs: { id: 'audio-sink', hidden: true } });

  const element = h(
    'section',
    { attrs: { id: 'interview', 'data-testid': 'interview', 'aria-labelledby': 'interview-title', class: 'interview' } },
    h(
      'header',
      { attrs: { class: 'interview-head card' } },
      h('h1', { attrs: { id: 'interview-title', tabindex: -1, dir: 'auto' } }, jobTitle),
      h('div', { attrs: { class: 'clock' } }, h('span', { text: 'timeLeft', attrs: { class: 'clock-label' } }), clock),
      h(
        'div',
        { attrs: { class: 'states' } },
        h('span', { text: 'interviewerLabel', attrs: { class: 'visually-hidden' } }),
        agentState,
        connection,
      ),
      timeNotice,
    ),
    problem,
    startAudio,
    h(
      'section',
      { attrs: { class: 'card captions-card', 'aria-labelledby': 'captions-title' } },
      h('h2', { text: 'captionsTitle', attrs: { id: 'captions-title' } }),
      captionsEmpty,
      captions,
    ),
    h('div', { attrs: { class: 'actions turn-controls' } }, doneButton, repeatButton),
    h('div', { attrs: { class: 'actions end' } }, endButton),
    dialog,
    audioSink,
  );

  const captionEls = new Map<string, HTMLLIElement>();
  const announced = new Set<number>();

  return {
    element,
    audioSink,
    focus: () => element.querySelector<HTMLElement>('#interview-title')?.focus(),

    /** What the interviewer is doing, or why it is not here (data-state is either). */
    setAgentState(state: AgentState | Absence) {
      agentState.dataset.state = state;
      bindText(agentState, INTERVIEWER_TEXT[state]);
    },

    setConnection(state: ConnectionView) {
      connection.dataset.state = state;
      bindText(connection, CONNECTION_TEXT[state]);
    },

    setTimeLeft(seconds: number) {
      clock.dataset.seconds = String(seconds);
      clock.textContent = formatClock(seconds);
      for (const m of ANNOUNCE_AT_MINUTES) {
        if (seconds <= m * 60 && seconds > 0 && !announced.has(m)) {
          announced.add(m);
          bindText(timeNotice, 'minutesLeft', { n: m });
        }
      }
      if (seconds === 0) bindText(timeNotice, 'timeUp');
    },

    upsertCaption(c: Caption) {
      let li = captionEls.get(c.id);
      if (!li) {
        li = h(
          'li',
          { attrs: { 'data-testid': 'caption', class: `caption ${c.side}` } },
          h('span', { attrs: { class: 'speaker' } }),
          h('span', { attrs: { class: 'text', dir: 'auto' } }),
        );
        bindText(li.firstElementChild as HTMLElement, c.side === 'agent' ? 'speakerInterviewer' : 'speakerYou');
        captionEls.set(c.id, li);
        captions.append(li);
        captionsEmpty.hidden = true;
      }
      li.dataset.side = c.side;
      li.dataset.final = String(c.final);
      (li.lastElementChild as HTMLElement).textContent = c.text;
      captions.scrollTop = captions.scrollHeight;
    },

    removeCaption(id: string) {
      captionEls.get(id)?.remove();
      captionEls.delete(id);
    },

    showProblem(key: TextKey | null) {
      problem.hidden = !key;
      if (key) bindText(problem, key);
    },

    offerStartAudio(start: (() => Promise<void>) | null) {
      startAudio.hidden = !start;
      startAudio.onclick = start ? () => void start().then(() => (startAudio.hidden = true)) : null;
    },

    setControlsEnabled(enabled: boolean) {
      doneButton.disabled = !enabled;
      repeatButton.disabled = !enabled;
    },

    /** "I'm done" and "Repeat the question": each click calls `on`; data-result says whether the interviewer took it. */
    onTurnControl(on: (kind: 'commitTurn' | 'repeatQuestion') => Promise<boolean>) {
      const wire = (button: HTMLButtonElement, kind: 'commitTurn' | 'repeatQuestion') =>
        button.addEventListener('click', () => {
          delete button.dataset.result;
          void on(kind).then((ok) => (button.dataset.result = ok ? 'ok' : 'failed'));
        });
      wire(doneButton, 'commitTurn');
      wire(repeatButton, 'repeatQuestion');
    },

    /** The end button asks first (a dialog: Escape or "keep going" cancels). */
    onEndConfirmed(end: () => Promise<void>) {
      endButton.addEventListener('click', () => {
        dialog.showModal();
        cancelEnd.focus();
      });
      cancelEnd.addEventListener('click', () => dialog.close());
      confirmEnd.addEventListener('click', () => {
        confirmEnd.disabled = true;
        endButton.disabled = true;
        doneButton.disabled = true;
        repeatButton.disabled = true;
        dialog.close();
        void end();
      });
    },
  };
}

export type InterviewView = ReturnType<typeof interviewView>;
