// The whole voice interview in a real browser: Debian's Chromium (headless, playwright-core) with a
// fake microphone that plays a flite answer, against the real API process (serving the built
// pages), the LiveKit server, the agent worker (offline speech: flite, pocketsphinx; the scripted
// OpenAI-compatible LLM) and Postgres, all inside the test network namespace (scripts/netns.sh).
// The candidate opens the join page, consents, checks the microphone, joins, hears the interviewer
// (the remote track plays, with sound in it; the greeting shows as captions), answers through the
// fake microphone (the agent's speech-to-text comes back as the candidate's caption and lands in
// transcript_turns) and ends the interview. Screenshots of each step: .artifacts/screenshots/voice-*.
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type DbHandle } from '../../db/connect.js';
import { buildWeb, DEFAULT_OUT_DIR } from '../../web/build.js';
import { launchChromium, SCREENSHOTS } from '../../testkit/browser.js';
import { productScript, startFakeLlm, type FakeLlm } from '../../testkit/fake-llm.js';
import { CANDIDATE_PHONE, createInterviewRoom, REPO_ROOT, startStack, stopAll, waitUntil, type Stack } from '../../testkit/stack.js';

const ANSWER = 'I have five years of experience building payment systems with node and postgres.';
/** Silence after each repetition of the answer (Chromium loops the file): room for the agent's VAD to end the turn. */
const PAUSE_S = 6;
/**
 * More planned questions than the looping microphone can answer before the test ends the
 * interview, so the interviewer never finishes it first (with two, a slow box could hear both
 * answers and say goodbye before the click).
 */
const QUESTIONS = 5;

let fake: FakeLlm | undefined;
let stack: Stack | undefined;
let db: DbHandle | undefined;
let browser: Browser | undefined;

/** web/dist, which the API process serves: built when missing or older than its sources (scripts/setup.sh's rule). */
async function ensurePagesBuilt() {
  const html = path.join(DEFAULT_OUT_DIR, 'candidate.html');
  const newest = (p: string): number => {
    const st = statSync(p);
    return st.isDirectory() ? Math.max(st.mtimeMs, ...readdirSync(p).map((f) => newest(path.join(p, f)))) : st.mtimeMs;
  };
  const sources = ['web/src', 'web/build.ts', 'package-lock.json'].map((p) => path.join(REPO_ROOT, p));
  if (
    !existsSync(html) ||
    !existsSync(path.join(DEFAULT_OUT_DIR, 'hr.html')) ||
    Math.max(...sources.map(newest)) > statSync(html).mtimeMs
  ) {
    await buildWeb();
  }
}

/** The spoken answer, then PAUSE_S of silence, at 48 kHz (what Chromium captures at): made per run, git-ignored. */
function answerWav(dir: string): string {
  const speech = path.join(dir, 'answer-speech.wav');
  const wav = path.join(dir, 'fake-mic-answer.wav');
  mkdirSync(dir, { recursive: true });
  try {
    execFileSync('flite', ['-voice', 'slt', '-o', speech, '-t', ANSWER]);
    execFileSync('sox', [speech, '-r', '48000', wav, 'pad', '0.5', String(PAUSE_S)]);
  } catch (e) {
    throw new Error(`flite and sox make the fake microphone's answer (scripts/setup.sh installs both): ${String(e)}`, { cause: e });
  }
  return wav;
}

beforeAll(async () => {
  await ensurePagesBuilt();
  fake = await startFakeLlm(productScript(QUESTIONS));
  stack = await startStack('browser-voice', {
    env: {
      STT_PROVIDER: 'local',
      TTS_PROVIDER: 'local',
      AGENT_MAX_FOLLOW_UPS: '0',
      LLM_BASE_URL: fake.baseUrl,
      LLM_API_KEY: 'test',
      LLM_MODEL: 'scripted',
    },
    worker: {},
  });
  db = await connectDatabase({ databaseUrl: stack.api.database.url, dataDir: '.data', poolSize: 2 });
  browser = await launchChromium({
    fakeMicWav: answerWav(stack.dir),
    // The interviewer's track starts playing with no click (the page offers a button otherwise).
    extraArgs: ['--autoplay-policy=no-user-gesture-required'],
  });
}, 240_000);

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await db?.close();
  await stack?.stop();
  await stopAll();
  await fake?.close();
}, 60_000);

const interview = async (id: string) =>
  (
    await sql<{ status: string; end_reason: string | null; started_at: Date | null }>`
      SELECT status, end_reason, started_at FROM interviews WHERE id = ${id}`.execute(db!.db)
  ).rows[0]!;

const turns = async (id: string) =>
  (
    await sql<{ seq: number; speaker: string; text: string }>`
      SELECT seq, speaker, text FROM transcript_turns WHERE interview_id = ${id} ORDER BY seq`.execute(db!.db)
  ).rows;

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `voice-${name}.png`), fullPage: true });

/** Text of the captions of one side, joined, lower case. */
const captionText = (page: Page, side: 'agent' | 'candidate') =>
  page.$$eval(`#captions [data-testid=caption][data-side=${side}] .text`, (els) =>
    els
      .map((e) => e.textContent ?? '')
      .join(' ')
      .toLowerCase(),
  );

describe('voice interview in the browser', () => {
  it('joins, hears the interviewer, answers through the microphone, ends; the answer is stored', { timeout: 300_000 }, async () => {
    const s = stack!;
    const room = await createInterviewRoom(s.api, { room: { maxDuration: 900 } });
    const context = await browser!.newContext({ viewport: { width: 1280, height: 900 }, baseURL: s.api.url, permissions: ['microphone'] });
    const page = await context.newPage();
    // Script errors and CSP refusals fail the test; the whole console goes to the stack's folder.
    const problems: string[] = [];
    const consoleLog = path.join(s.dir, 'browser-console.log');
    page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
    page.on('console', (msg) => {
      appendFileSync(consoleLog, `${new Date().toISOString()} ${msg.type()} ${msg.text()}\n`);
      if (msg.type() === 'error' && /Content Security Policy|Refused to/i.test(msg.text())) problems.push(`csp: ${msg.text()}`);
    });

    // The join page.
    await page.goto(`/interview/join/${room.roomCode}`);
    await expect.poll(() => page.textContent('[data-testid=job-title]')).toBe('Senior Backend Developer - Fintech');
    await shot(page, '1-join');

    // Consent and the form.
    await page.check('#consent');
    await page.fill('#phone', CANDIDATE_PHONE);
    await page.fill('#first-name', 'Ahmed');
    await page.fill('#last-name', 'Hassan');
    await shot(page, '2-consent');

    // The microphone check hears the fake microphone.
    await page.click('#mic-test');
    await expect.poll(() => page.getAttribute('#mic-status', 'data-state'), { timeout: 30_000 }).toBe('heard');
    await shot(page, '3-mic-check');

    // Join: the API hands out a LiveKit token; the page connects and publishes the microphone.
    const joined = page.waitForResponse((res) => res.url().includes(`/api/public/interview/join/${room.roomCode}`));
    await page.click('#join-button');
    expect((await joined).status()).toBe(200);
    await page.waitForSelector('#interview');
    // Every agent state the page shows, in order (a MutationObserver: none is missed between polls).
    await page.evaluate(() => {
      const el = document.querySelector<HTMLElement>('#agent-state')!;
      const w = window as unknown as { agentStates: string[] };
      w.agentStates = [el.dataset.state ?? ''];
      new MutationObserver(() => {
        const st = el.dataset.state ?? '';
        if (w.agentStates.at(-1) !== st) w.agentStates.push(st);
      }).observe(el, { attributes: true, attributeFilter: ['data-state'] });
    });
    await page.waitForSelector('#connection-state[data-state=connected]', { timeout: 60_000 });
    expect(Number(await page.getAttribute('#time-left', 'data-seconds'))).toBeGreaterThan(0);

    // The interviewer speaks (the greeting, not interruptible, lasts many seconds)…
    await page.waitForSelector('#agent-state[data-state=speaking]', { timeout: 150_000 });
    // …through the remote audio track: attached, playing, its clock moving, and sound in it.
    expect(await page.isHidden('#start-audio')).toBe(true);
    await page.waitForSelector('#audio-sink audio', { state: 'attached', timeout: 30_000 });
    const playback = await page.evaluate(async () => {
      const el = document.querySelector<HTMLAudioElement>('#audio-sink audio')!;
      const t0 = el.currentTime;
      const ctx = new AudioContext();
      const analyser = ctx.createAnalyser();
      ctx.createMediaStreamSource(el.srcObject as MediaStream).connect(analyser);
      const buf = new Float32Array(analyser.fftSize);
      let peak = 0;
      for (let i = 0; i < 60; i++) {
        await new Promise((r) => setTimeout(r, 50));
        analyser.getFloatTimeDomainData(buf);
        for (const v of buf) peak = Math.max(peak, Math.abs(v));
      }
      await ctx.close();
      return {
        paused: el.paused,
        muted: el.muted,
        t0,
        t1: el.currentTime,
        peak,
        live: (el.srcObject as MediaStream).getAudioTracks()[0]?.readyState,
      };
    });
    appendFileSync(consoleLog, `# interviewer's audio element: ${JSON.stringify(playback)}\n`);
    expect(playback).toMatchObject({ paused: false, muted: false, live: 'live' });
    expect(playback.t1).toBeGreaterThan(playback.t0);
    expect(playback.peak).toBeGreaterThan(0.01);

    // The greeting as the agent's captions, with the AI notice.
    await expect.poll(() => captionText(page, 'agent'), { timeout: 120_000, interval: 500 }).toContain('conducted by an ai interviewer');

    // The fake microphone's answer, as the agent's speech-to-text heard it, comes back as the candidate's caption…
    await page.waitForSelector('#captions [data-testid=caption][data-side=candidate][data-final=true]', { timeout: 150_000 });
    await expect.poll(async () => (await captionText(page, 'candidate')).trim(), { timeout: 30_000 }).not.toBe('');
    // …and is stored as a candidate turn.
    const answered = await waitUntil(
      async () => (await turns(room.sessionId)).find((t) => t.speaker === 'candidate' && t.text.trim() !== ''),
      { timeoutMs: 60_000, what: 'a candidate turn in transcript_turns' },
    );
    expect(answered.text.trim()).not.toBe('');
    await shot(page, '4-interview');

    // The turn buttons reach the interviewer: "Repeat the question" has it say the current
    // question again, word for word (stored as its own agent turn); "I'm done" is taken too.
    const planned = (
      await sql<{ text: string }>`SELECT text FROM interview_questions WHERE interview_id = ${room.sessionId}`.execute(db!.db)
    ).rows.map((q) => q.text);
    const turnsBefore = (await turns(room.sessionId)).length;
    await page.click('#repeat-button');
    await page.waitForSelector('#repeat-button[data-result=ok]', { timeout: 15_000 });
    await waitUntil(
      async () => (await turns(room.sessionId)).slice(turnsBefore).find((t) => t.speaker === 'agent' && planned.includes(t.text.trim())),
      { timeoutMs: 60_000, what: 'the repeated question stored as an agent turn' },
    );
    await page.click('#done-button');
    await page.waitForSelector('#done-button[data-result=ok]', { timeout: 15_000 });

    // End: the button asks first; confirmed, the page says thank you.
    await page.click('#end-button');
    await page.click('#end-confirm');
    await page.waitForSelector('#completion[data-reason=candidate]', { timeout: 30_000 });
    await shot(page, '5-completion');

    // Postgres: ended by the candidate after it started (COMPLETED, candidate_ended); the transcript
    // opens with the greeting and holds the answer.
    const ended = await waitUntil(
      async () => {
        const i = await interview(room.sessionId);
        return ['SCHEDULED', 'READY', 'IN_PROGRESS'].includes(i.status) ? undefined : i;
      },
      { timeoutMs: 30_000, what: 'interview ended' },
    );
    expect(ended).toMatchObject({ status: 'COMPLETED', end_reason: 'candidate_ended' });
    expect(ended.started_at).not.toBeNull();
    const stored = await turns(room.sessionId);
    expect(stored[0]).toMatchObject({ speaker: 'agent' });
    expect(stored[0]!.text.toLowerCase()).toContain('conducted by an ai interviewer');
    expect(stored.filter((t) => t.speaker === 'candidate' && t.text.trim() !== '').length).toBeGreaterThanOrEqual(1);
    // The End button's ending is finalized like every other: the agent stores the one evaluation.
    const evaluations = await waitUntil(
      async () => {
        const { rows } = await sql<{ scored: boolean }>`SELECT scored FROM evaluations WHERE interview_id = ${room.sessionId}`.execute(
          db!.db,
        );
        return rows.length > 0 ? rows : undefined;
      },
      { timeoutMs: 30_000, what: 'the evaluation stored', intervalMs: 250 },
    );
    expect(evaluations).toHaveLength(1);

    const states = await page.evaluate(() => (window as unknown as { agentStates: string[] }).agentStates);
    appendFileSync(
      consoleLog,
      `# agent states: ${states.join(' → ')}\n# candidate turns: ${JSON.stringify(stored.filter((t) => t.speaker === 'candidate').map((t) => t.text))}\n`,
    );
    expect(states).toContain('speaking');
    expect(problems).toEqual([]);
    await context.close();
  });
});
