// A by-hand trial of the product as a person uses it: `npm start` in a fresh clone, then Debian's
// Chromium as HR (sign in, job, candidate, application, interview, room link) and as the candidate
// (consent, mic check, join, hear the interviewer, answer through a fake microphone, End), then HR
// again (status, transcript, evaluation). Screenshots go to <clone>/.artifacts/trial/NN-name.png.
//
//   bash scripts/netns.sh npx tsx scripts/trial.ts <clone-dir>      (TRIAL_WAIT_S=600 by default)
//
// TRIAL_LLM=scripted runs it with a language model: the tests' scripted OpenAI-compatible server
// (testkit/fake-llm.ts, on loopback), so HR also sets a rubric and reads a scored evaluation.
// TRIAL_OTEL=1 also runs a stand-in OTLP collector on loopback and reports which spans of the
// join's trace the API and the worker exported.
//
// netns.sh gives a private network namespace (lo + 10.77.0.1 on a veth, no route out), so the
// product's fixed ports 8000/7880/5433 and every WebRTC packet stay inside it.
import { execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { createWriteStream, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { z } from 'zod';
import { configOrExit, parseEnv } from '../core/config.js';
import { CHROMIUM, CHROMIUM_FLAGS, fakeMicrophoneFlags } from '../testkit/chromium.js';
import { productScript, startFakeLlm } from '../testkit/fake-llm.js';

const clone = path.resolve(process.argv[2] ?? '');
// The trial's own settings, checked before anything starts.
const trial = configOrExit((source) =>
  parseEnv(
    {
      TRIAL_WAIT_S: z.coerce.number().positive().default(600),
      TRIAL_LLM: z.enum(['scripted']).optional(),
      TRIAL_OTEL: z.enum(['0', '1']).default('0'),
      NETNS_INSIDE: z.string().optional(),
    },
    source,
  ),
);
const WAIT_S = trial.TRIAL_WAIT_S;
const BASE = 'http://localhost:8000';
const PHONE = '+971509876543';
const ANSWER = 'I have five years of experience building payment systems with node and postgres.';
const out = path.join(clone, '.artifacts', 'trial');
const t0 = Date.now();
const since = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
const log = (msg: string) => console.log(`[trial ${since()}] ${msg}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

if (!process.argv[2]) throw new Error('usage: bash scripts/netns.sh npx tsx scripts/trial.ts <clone-dir>');
// The product binds fixed ports: refuse to run anywhere but a private namespace (lo and lkv0 only).
const ifaces = Object.keys(networkInterfaces()).sort().join(',');
if (trial.NETNS_INSIDE !== '1' || !/^(lkv0,)?lo$/.test(ifaces))
  throw new Error(`run me through scripts/netns.sh (interfaces here: ${ifaces})`);

// ---- the report, filled as we go --------------------------------------------------------------
const report: Record<string, unknown> = {};
const problems: string[] = []; // console errors, failed requests, steps that did not happen
const pages: Page[] = [];
let shotNo = 0;
const shot = (page: Page, name: string) =>
  page
    .screenshot({ path: path.join(out, `${String(++shotNo).padStart(2, '0')}-${name}.png`), fullPage: true })
    .catch((e) => problems.push(`screenshot ${name}: ${e.message}`));
/** Waits for something a person would wait for; a timeout is a finding, not a crash. */
const soft = (what: string, fn: () => Promise<unknown>): Promise<boolean> =>
  fn().then(
    () => true,
    (e) => (problems.push(`${what}: ${(e as Error).message.split('\n')[0]}`), log(`NOT SEEN: ${what}`), false),
  );
/** Every console error, script error, failed or refused request of a page, labelled. */
function watch(page: Page, label: string) {
  pages.push(page);
  page.on('console', (m) => m.type() === 'error' && problems.push(`${label} console: ${m.text()} (${m.location().url})`));
  page.on('pageerror', (e) => problems.push(`${label} pageerror: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`${label} request failed: ${r.method()} ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => r.status() >= 400 && problems.push(`${label} HTTP ${r.status()}: ${r.request().method()} ${r.url()}`));
}

// ---- npm start, in its own process group ------------------------------------------------------
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
// The keyless default, as a newcomer runs it: no provider, database or LiveKit settings from this shell.
const env = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !/^(LIVEKIT_|LLM_|OPENAI_|DEEPGRAM_|STT_|TTS_|DATABASE_URL$|TEST_DATABASE_URL$)/.test(k)),
);
const scripted = trial.TRIAL_LLM === 'scripted' ? await startFakeLlm(productScript(5)) : null;
if (scripted) Object.assign(env, { LLM_BASE_URL: scripted.baseUrl, LLM_API_KEY: 'trial' });
/** Raw OTLP protobuf bodies (ids as bytes, names as UTF-8), by the service that sent them. */
const otlp: Buffer[] = [];
if (trial.TRIAL_OTEL === '1') {
  const collector = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    otlp.push(Buffer.concat(chunks));
    res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
  });
  await new Promise<void>((resolve) => collector.listen(4318, '127.0.0.1', resolve));
  collector.unref();
  env.OTEL_EXPORTER_OTLP_ENDPOINT = 'http://127.0.0.1:4318';
}
const npm = spawn('npm', ['start'], { cwd: clone, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
const npmLog = createWriteStream(path.join(out, 'npm-start.log'));
let npmOutput = '';
for (const s of [npm.stdout!, npm.stderr!]) s.on('data', (d: Buffer) => (npmLog.write(d), (npmOutput += d.toString())));
let npmExited: string | undefined;
npm.on('exit', (code, sig) => (npmExited = `npm start exited (${sig ?? code})`));

let browser: Browser | undefined;
let stopping = false;
/** Closes the browser, stops npm start's whole process group (SIGTERM, SIGKILL after 15 s), lists logged errors. */
async function stopAll(code: number) {
  if (stopping) return;
  stopping = true;
  await Promise.race([browser?.close(), sleep(10_000)]).catch(() => undefined);
  const alive = () => {
    try {
      return process.kill(-npm.pid!, 0);
    } catch {
      return false;
    }
  };
  try {
    process.kill(-npm.pid!, 'SIGTERM');
  } catch {
    /* gone already */
  }
  for (let i = 0; i < 150 && alive(); i++) await sleep(100);
  if (alive()) {
    log('npm start did not stop in 15 s: SIGKILL to its group');
    process.kill(-npm.pid!, 'SIGKILL');
  }
  log('npm start stopped; errors in its logs (pino level 50/60, crashes):');
  for (const f of readdirSync(path.join(clone, '.data', 'logs'))) {
    const bad = readFileSync(path.join(clone, '.data', 'logs', f), 'utf8')
      .split('\n')
      .filter((l) => /"level":(50|60)|"level":"(error|fatal)"|Unhandled|^\w*Error:/.test(l));
    if (bad.length)
      console.log(
        `  ${f}: ${bad.length} line(s)${bad
          .slice(0, 3)
          .map((l) => `\n    ${l.slice(0, 300)}`)
          .join('')}`,
      );
  }
  npmLog.end();
  await scripted?.close();
  process.exit(code);
}
process.on('SIGINT', () => void stopAll(130));
process.on('SIGTERM', () => void stopAll(143));
// Bounded: setup (an offline npm ci can take minutes) + the wait + the walk-through.
setTimeout(() => (problems.push('overall deadline passed'), void finish(3)), (WAIT_S + 1200) * 1000);

async function main() {
  log(`npm start in ${clone}`);
  for (const end = Date.now() + 900_000; !npmOutput.includes('AI interviewer is running'); await sleep(250)) {
    if (npmExited || Date.now() > end)
      throw new Error(`no banner from npm start (${npmExited ?? 'timed out'}); last output:\n${npmOutput.slice(-1500)}`);
  }
  report.startup_s = since();
  // Keep it running, probing the database through the API (an unknown room code is a DB lookup).
  log(`running for TRIAL_WAIT_S=${WAIT_S}s, probing the database every 15 s`);
  for (let waited = 0; waited <= WAIT_S; waited += 15) {
    if (npmExited) throw new Error(`${npmExited} ${waited}s after the banner; see ${clone}/.data/logs/`);
    const probe = await fetch(`${BASE}/api/public/interview/room/NOSUCHRM`, { signal: AbortSignal.timeout(5000) }).then(
      (r) => r.status,
      (e) => e.name,
    );
    if (probe !== 404) problems.push(`database probe ${waited}s after the banner: ${probe} (expected 404)`);
    if (waited < WAIT_S) await sleep(Math.min(15, WAIT_S - waited) * 1000);
  }

  // The fake microphone: the spoken answer, then ~6 s of silence; Chromium loops the file.
  const [speech, wav] = [path.join(out, 'answer-speech.wav'), path.join(out, 'fake-mic.wav')];
  try {
    execFileSync('flite', ['-t', ANSWER, '-o', speech]);
  } catch {
    execFileSync('espeak-ng', ['-v', 'en-us+klatt2', '-s', '150', '-w', speech, ANSWER]);
  }
  execFileSync('sox', [speech, '-r', '48000', '-c', '1', wav, 'pad', '0.5', '6']);
  // The tests' flags, plus the fake devices and autoplay with no click.
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [...CHROMIUM_FLAGS, ...fakeMicrophoneFlags(wav), '--autoplay-policy=no-user-gesture-required'],
  });

  // ---- HR: sign in, create everything through the console ----
  const hr = await (
    await browser.newContext({ viewport: { width: 1280, height: 900 }, permissions: ['clipboard-read', 'clipboard-write'] })
  ).newPage();
  watch(hr, 'hr');
  await hr.goto(`${BASE}/hr`);
  await hr.waitForURL(/\/hr\/login/);
  await hr.fill('#email', 'admin@example.com');
  await hr.fill('#password', 'admin123');
  await shot(hr, 'hr-login');
  await hr.click('#login-button');
  await hr.waitForURL((u) => u.pathname === '/hr');
  await hr.waitForLoadState('networkidle');
  await shot(hr, 'hr-list');
  await hr.click('[data-testid=nav-new]');
  await hr.waitForURL('**/hr/new');
  // The forms of /hr/new in turn (the selectors of test/browser/hr.test.ts); each new one is preselected in the next.
  const forms: [string, [string, string][]][] = [
    [
      'job',
      [
        ['job-title', `Senior Backend Developer (trial ${new Date().toISOString().slice(0, 16)})`],
        ['job-company', 'Gulf Fintech'],
        ['job-description', 'Payment systems in Node.js and PostgreSQL.'],
      ],
    ],
    [
      'candidate',
      [
        ['candidate-first-name', 'Ahmed'],
        ['candidate-last-name', 'Hassan'],
        ['candidate-email', `ahmed+${Date.now()}@example.com`],
        ['candidate-phone', PHONE],
        ['candidate-resume', 'Five years of backend work on payments.'],
      ],
    ],
    ['application', []],
  ];
  if (scripted) {
    // A rubric of the job's own: the evaluation is scored against it.
    for (const [name, weight] of [
      ['Relevant experience', '50'],
      ['Communication', '30'],
      ['Problem solving', '20'],
    ] as const) {
      await hr.click('#job-form [data-testid=add-criterion]');
      await hr.locator('#job-form [data-testid=criterion-name]').last().fill(name);
      await hr.locator('#job-form [data-testid=criterion-weight]').last().fill(weight);
    }
    await hr.locator('#job-form [data-testid=criterion-must-have]').first().check();
  }
  for (const [form, fields] of forms) {
    for (const [testid, value] of fields) await hr.fill(`[data-testid=${testid}]`, value);
    await hr.click(`[data-testid=${form}-submit]`);
    await hr.locator(`[data-testid=${form}-done]`).waitFor();
  }
  await hr.fill('[data-testid=interview-minutes]', '15');
  await hr.fill('[data-testid=interview-instructions]', 'Tell us about a payment system you built.');
  await shot(hr, 'hr-new-filled');
  await hr.click('[data-testid=interview-submit]');
  await hr.waitForURL(/\/hr\/interviews\/[0-9a-f-]{36}$/);
  const interviewUrl = hr.url();
  await hr.click('[data-testid=create-room]');
  await hr.locator('#room-url').waitFor();
  await hr.click('[data-testid=room-url-copy]');
  const roomUrl = await hr.evaluate(() => navigator.clipboard.readText()); // what HR pastes to the candidate
  report.room = `${await hr.locator('#room-code').inputValue()} ${roomUrl}`;
  await shot(hr, 'hr-interview-room');
  log(`interview ${interviewUrl}, room ${roomUrl}`);

  // ---- the candidate, in a browser context of their own ----
  const cCtx = await browser.newContext({ viewport: { width: 1280, height: 900 }, permissions: ['microphone'] });
  // Keep every RTCPeerConnection the page makes, to read which ICE candidate pair carried the media.
  await cCtx.addInitScript(() => {
    const w = window as any;
    w.pcs = [];
    w.RTCPeerConnection = class extends RTCPeerConnection {
      constructor(...a: any[]) {
        super(...a);
        w.pcs.push(this);
      }
    };
  });
  const c = await cCtx.newPage();
  watch(c, 'candidate');
  await c.goto(roomUrl);
  await c.locator('[data-testid=job-title]').waitFor();
  await shot(c, 'candidate-lobby');
  await c.check('#consent');
  await c.click('#mic-test');
  await soft('mic check hears the fake microphone', () => c.waitForSelector('#mic-status[data-state=heard]', { timeout: 30_000 }));
  for (const [sel, value] of [
    ['#phone', PHONE],
    ['#first-name', 'Ahmed'],
    ['#last-name', 'Hassan'],
  ] as const)
    await c.fill(sel, value);
  await shot(c, 'candidate-mic-check');
  const tJoin = Date.now();
  const joinRes = c.waitForResponse((r) => r.url().includes('/api/public/interview/join/'));
  await c.click('#join-button');
  report.join_http = `${(await joinRes).status()}, serverUrl=${(await (await joinRes).json().catch(() => ({}))).serverUrl}`;
  const joinTrace = (await (await joinRes).headerValue('traceparent'))?.split('-')[1];
  await c.waitForSelector('#interview', { timeout: 30_000 });
  // Every interviewer state the page shows, with its time (a MutationObserver misses none).
  await c.evaluate(() => {
    const el = document.querySelector<HTMLElement>('#agent-state')!;
    const w = window as any;
    w.states = [[el.dataset.state, Date.now()]];
    new MutationObserver(() => w.states.at(-1)[0] !== el.dataset.state && w.states.push([el.dataset.state, Date.now()])).observe(el, {
      attributes: true,
    });
  });
  await soft('connection-state connected', () => c.waitForSelector('#connection-state[data-state=connected]', { timeout: 60_000 }));
  await shot(c, 'candidate-joined');
  const heard = await soft('the interviewer speaking', () => c.waitForSelector('#agent-state[data-state=speaking]', { timeout: 150_000 }));
  if (heard) report.join_to_agent_heard_s = ((Date.now() - tJoin) / 1000).toFixed(1);
  await shot(c, 'candidate-agent-speaking');
  // Sound in the interviewer's track (peak over 3 s), and the ICE pair in use.
  report.agent_audio = await c.evaluate(async () => {
    const el = document.querySelector<HTMLAudioElement>('#audio-sink audio');
    if (!el?.srcObject) return 'no audio element';
    const ctx = new AudioContext();
    const an = ctx.createAnalyser();
    ctx.createMediaStreamSource(el.srcObject as MediaStream).connect(an);
    const buf = new Float32Array(an.fftSize);
    let peak = 0;
    for (let i = 0; i < 60; i++, await new Promise((r) => setTimeout(r, 50))) {
      an.getFloatTimeDomainData(buf);
      buf.forEach((v) => (peak = Math.max(peak, Math.abs(v))));
    }
    await ctx.close();
    return `paused=${el.paused} peak=${peak.toFixed(3)}`;
  });
  report.ice_pairs = await c.evaluate(async () => {
    const pairs: string[] = [];
    for (const pc of (window as any).pcs as RTCPeerConnection[]) {
      (await pc.getStats()).forEach((r, _k, all) => {
        if (r.type !== 'candidate-pair' || r.state !== 'succeeded' || !r.nominated) return;
        const [l, rm] = [all.get(r.localCandidateId), all.get(r.remoteCandidateId)];
        pairs.push(
          `${l.address}:${l.port}/${l.protocol} (${l.candidateType}) → ${rm.address}:${rm.port} (${rm.candidateType}), ${r.bytesSent} B sent, ${r.bytesReceived} B received`,
        );
      });
    }
    return pairs;
  });
  // The fake microphone answers; the agent's speech-to-text comes back as the candidate's caption,
  // and the interviewer goes on (one more interviewer caption: the next question).
  if (
    heard &&
    (await soft('the answer as a candidate caption', () =>
      c.waitForSelector('#captions [data-side=candidate][data-final=true]', { timeout: 150_000 }),
    ))
  ) {
    const asked = await c.locator('#captions [data-side=agent]').count();
    await soft('the interviewer going on after the answer', () =>
      c.waitForFunction((n) => document.querySelectorAll('#captions [data-side=agent]').length > n, asked, { timeout: 90_000 }),
    );
    await sleep(5000);
  }
  report.captions = await c.$$eval('#captions [data-testid=caption]', (els) =>
    els.map((e) => `${e.getAttribute('data-side')}: ${e.querySelector('.text')?.textContent}`),
  );
  await shot(c, 'candidate-answered');
  await c.click('#end-button');
  await shot(c, 'candidate-end-dialog');
  await c.click('#end-confirm');
  await soft('the completion page', () => c.waitForSelector('#completion', { timeout: 30_000 }));
  report.completion = `${await c.getAttribute('#completion', 'data-reason').catch(() => '?')}: ${(await c.innerText('#completion').catch(() => '?')).replace(/\s+/g, ' ')}`;
  const states = (await c.evaluate(() => (window as any).states).catch(() => [])) as [string, number][];
  report.agent_states = states
    .filter(([s]) => s)
    .map(([s, at]) => `${s}@${((at - tJoin) / 1000).toFixed(1)}s`)
    .join(' → ');
  await shot(c, 'candidate-completion');

  // ---- HR again: the record (the ending and the evaluation may take a moment: reload for up to 60 s) ----
  let status = '',
    evaluation = '';
  for (let i = 0; i < 30 && (!status || /Scheduled|Ready|In progress/.test(status) || /No evaluation/i.test(evaluation)); i++) {
    if (i) await sleep(2000);
    await hr.goto(interviewUrl);
    status = (await hr.textContent('[data-testid=detail-status]')) ?? '';
    evaluation = (await hr.innerText('#evaluation')).replace(/\s+/g, ' ');
  }
  report.final_status = status;
  report.end_reason = await hr.textContent('[data-testid=detail-end-reason]', { timeout: 1000 }).catch(() => '(none shown)');
  report.transcript_turns = await hr.locator('[data-testid=turn]').count();
  report.transcript = await hr.$$eval('[data-testid=turn]', (els) =>
    els.map((e) => `${e.getAttribute('data-speaker')}: ${e.querySelector('.prewrap')?.textContent?.slice(0, 100)}`),
  );
  report.evaluation = evaluation;
  report.history = await hr.$$eval('[data-testid=history-item]', (els) => els.map((e) => e.textContent?.trim()));
  await shot(hr, 'hr-result');
  if (trial.TRIAL_OTEL === '1' && joinTrace) {
    await sleep(5000); // the worker's job process flushes as the interview ends
    const ofTrace = otlp.filter((b) => b.includes(Buffer.from(joinTrace, 'hex')));
    const names = [
      'POST /api/public/interview/join/:roomCode',
      'interview.id',
      'agent_session',
      'llm_node',
      'tts_node',
      'user_turn',
      'agent_turn',
    ];
    report.otel = `${otlp.length} exports, ${ofTrace.length} with the join's trace ${joinTrace}; services ${['interviewer-api', 'interviewer-agent'].filter((n) => ofTrace.some((b) => b.includes(Buffer.from(n)))).join(', ')}; span names seen in it: ${names.filter((n) => ofTrace.some((b) => b.includes(Buffer.from(n)))).join(', ')}`;
  }
}

async function finish(code: number) {
  if (code) for (const [i, p] of pages.entries()) await shot(p, `error-page${i + 1}`); // where it stopped
  report.total_s = since();
  console.log('\n================ trial report ================');
  for (const [k, v] of Object.entries(report)) console.log(`${k}: ${Array.isArray(v) ? `\n  ${v.join('\n  ')}` : v}`);
  console.log(`problems (${problems.length}):${problems.map((p) => `\n  - ${p}`).join('')}`);
  console.log(`screenshots: ${out}/  logs: ${clone}/.data/logs/`);
  await stopAll(code);
}

main().then(
  () => finish(0),
  (e) => (problems.push(`ABORTED: ${(e as Error).stack ?? e}`), finish(1)),
);
