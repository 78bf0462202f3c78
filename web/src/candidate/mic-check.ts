// The microphone check before joining: asks for the microphone and shows a live level meter, so a
// candidate finds a muted or wrong microphone before the interviewer is waiting. The test stream is
// released when the check stops or the candidate joins (LiveKit opens its own).
import { bindText, type TextKey } from '../i18n/index.js';
import { h } from '../shared/dom.js';

/** A level above this (0…1) counts as hearing the candidate. */
const HEARD_LEVEL = 0.25;
/** How long to listen before saying we hear nothing. */
const SILENCE_HINT_MS = 4000;

/** RMS of the samples on a 60 dB scale: quiet rooms near 0, normal speech well above HEARD_LEVEL. */
export function levelOf(samples: Float32Array): number {
  let sum = 0;
  for (const s of samples) sum += s * s;
  const rms = Math.sqrt(sum / Math.max(1, samples.length));
  if (rms <= 0) return 0;
  return Math.min(1, Math.max(0, (20 * Math.log10(rms) + 60) / 60));
}

export function micErrorKey(err: unknown): TextKey {
  const name = err instanceof DOMException ? err.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'micDenied';
  return 'micMissing';
}

export function micCheck(): { element: HTMLElement; stop: () => void } {
  const meter = h('meter', {
    label: 'micLevel',
    attrs: { id: 'mic-level', 'data-testid': 'mic-level', min: 0, max: 1, low: HEARD_LEVEL, optimum: 0.6, value: 0, 'data-level': '0' },
  });
  const status = h('p', { attrs: { id: 'mic-status', 'data-testid': 'mic-status', role: 'status', class: 'mic-status' } });
  const button = h('button', {
    text: 'micStart',
    attrs: { type: 'button', id: 'mic-test', 'data-testid': 'mic-test', class: 'secondary' },
  });

  let stream: MediaStream | null = null;
  let audio: AudioContext | null = null;
  let frame = 0;
  let silenceTimer: ReturnType<typeof setTimeout> | undefined;

  const say = (key: TextKey | null, state: string) => {
    status.dataset.state = state;
    if (key) bindText(status, key);
    else status.textContent = '';
  };

  function stop() {
    cancelAnimationFrame(frame);
    clearTimeout(silenceTimer);
    stream?.getTracks().forEach((track) => track.stop());
    void audio?.close().catch(() => {});
    stream = null;
    audio = null;
    meter.value = 0;
    meter.dataset.level = '0';
    bindText(button, 'micStart');
    button.setAttribute('aria-pressed', 'false');
  }

  async function start() {
    if (!navigator.mediaDevices?.getUserMedia) {
      say('micInsecure', 'error');
      return;
    }
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: true, noiseSuppression: true } });
    } catch (err) {
      say(micErrorKey(err), 'error');
      return;
    }
    audio = new AudioContext();
    const analyser = audio.createAnalyser();
    analyser.fftSize = 1024;
    audio.createMediaStreamSource(stream).connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    let heard = false;
    bindText(button, 'micStop');
    button.setAttribute('aria-pressed', 'true');
    say('micListening', 'listening');
    silenceTimer = setTimeout(() => {
      if (!heard) say('micSilent', 'silent');
    }, SILENCE_HINT_MS);
    const tick = () => {
      analyser.getFloatTimeDomainData(samples);
      const level = levelOf(samples);
      meter.value = level;
      meter.dataset.level = level.toFixed(3);
      if (!heard && level >= HEARD_LEVEL) {
        heard = true;
        say('micHeard', 'heard');
      }
      frame = requestAnimationFrame(tick);
    };
    tick();
  }

  button.addEventListener('click', () => (stream ? stop() : void start()));

  const element = h(
    'section',
    { attrs: { id: 'mic-check', 'aria-labelledby': 'mic-title', class: 'card' } },
    h('h2', { text: 'micTitle', attrs: { id: 'mic-title' } }),
    h('p', { text: 'micHelp' }),
    h('div', { attrs: { class: 'mic-row' } }, button, meter),
    status,
  );
  return { element, stop };
}
