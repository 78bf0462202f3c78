// The candidate page: /interview/join/{roomCode} and /api/interviews/public/{token}/. Loads the
// interview's public facts, shows the lobby (notice, consent, microphone check, join form), then
// the interview (loaded on demand: livekit-client is most of the bundle) and the completion screen.
import '../shared/styles.css';
import { initialLang, onLangChange, setLang, t } from '../i18n/index.js';
import { byId, h } from '../shared/dom.js';
import { langSwitch } from '../shared/lang-switch.js';
import { completion } from './completion.js';
import { isOver, loadInfo } from './info.js';
import { interviewView } from './interview-view.js';
import { lobby, problemBox, type JoinResponse } from './lobby.js';
import { problemFor } from './problems.js';
import { sourceFromPath } from './source.js';

setLang(initialLang());

const main = h('main', { attrs: { id: 'main', tabindex: -1 } }, h('p', { text: 'loading', attrs: { class: 'hint' } }));
byId('app').replaceChildren(
  h('a', { text: 'skipToContent', attrs: { href: '#main', class: 'skip-link' } }),
  h('header', { attrs: { class: 'top' } }, h('p', { text: 'appName', attrs: { class: 'brand' } }), langSwitch()),
  main,
);

let jobTitle = '';
const setTitle = () => (document.title = jobTitle ? `${jobTitle} · ${t('appName')}` : t('appName'));
setTitle();
onLangChange(setTitle);

/** A page that can go no further (unknown room, ended, link not open…): its message, focused. */
function stop(problem: ReturnType<typeof problemFor>) {
  const box = problemBox('page-problem');
  box.set(problem);
  main.replaceChildren(h('section', { attrs: { class: 'card' } }, box.element));
}

function startInterview(join: JoinResponse) {
  const view = interviewView(jobTitle);
  main.replaceChildren(view.element);
  view.focus();
  const finish = (reason: Parameters<typeof completion>[0]) => {
    main.replaceChildren(completion(reason));
    main.querySelector<HTMLElement>('#completion-title')?.focus();
  };
  import('./interview.js').then(
    ({ runInterview }) => runInterview(join, view, finish),
    () => finish('unreachable'),
  );
}

async function boot() {
  const source = sourceFromPath(location.pathname);
  if (!source) return stop({ code: 'NOT_FOUND', key: 'errUnknownRoom' });
  let info;
  try {
    info = await loadInfo(source);
  } catch (err) {
    return stop(problemFor(err));
  }
  jobTitle = info.jobTitle;
  setTitle();
  if (isOver(info.status)) return stop({ code: 'INTERVIEW_ENDED', key: 'errEnded' });
  main.replaceChildren(lobby(source, info, startInterview));
}

void boot();
