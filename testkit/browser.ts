// Browser tests: the API in-process (createApp served by @hono/node-server on 127.0.0.1, an
// ephemeral port) over a fresh test database, the web bundle built for this test file, and Debian's
// Chromium driven by playwright-core. A fake microphone plays a flite recording made at test
// time. Nothing is skipped: without Chromium or flite the file fails and says why.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, type ServerType } from '@hono/node-server';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { createApp } from '../api/app.js';
import { buildWeb } from '../web/build.js';
import { startHarness, type Harness } from './api.js';
import { CHROMIUM, CHROMIUM_FLAGS, fakeMicrophoneFlags } from './chromium.js';

export { CHROMIUM } from './chromium.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SCREENSHOTS = path.join(REPO_ROOT, '.artifacts', 'screenshots');
const FAKE_MIC_WAV = path.join(REPO_ROOT, '.artifacts', 'browser', 'fake-mic.wav');

export const VIEWPORTS = {
  desktop: { viewport: { width: 1280, height: 900 } },
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
} as const satisfies Record<string, BrowserContextOptions>;
export type ViewportName = keyof typeof VIEWPORTS;

/** Speech for the fake microphone, made once per run (git-ignored), so the level meter has something to show. */
function fakeMicrophoneWav(): string {
  if (!existsSync(FAKE_MIC_WAV)) {
    mkdirSync(path.dirname(FAKE_MIC_WAV), { recursive: true });
    try {
      execFileSync('flite', [
        '-voice',
        'slt',
        '-o',
        FAKE_MIC_WAV,
        '-t',
        'Hello, I am testing my microphone for the interview. One, two, three.',
      ]);
    } catch (e) {
      throw new Error(`flite could not write the fake microphone recording (scripts/setup.sh installs it): ${String(e)}`, { cause: e });
    }
  }
  return FAKE_MIC_WAV;
}

export interface BrowserStack {
  h: Harness;
  baseUrl: string;
  browser: Browser;
  /** A fresh browser context (own cookies) and page; `problems` collects script errors and CSP refusals. */
  open(viewport?: ViewportName, options?: BrowserContextOptions): Promise<{ page: Page; problems: string[] }>;
  /** Screenshot to .artifacts/screenshots/<prefix>-<name>.png (whole page). */
  shot(page: Page, name: string): Promise<void>;
  close(): Promise<void>;
}

export async function startBrowserStack(prefix: string, env: Record<string, string> = {}): Promise<BrowserStack> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is missing at ${CHROMIUM}: run scripts/setup.sh --test (it installs Debian's chromium)`);
  }
  const wav = fakeMicrophoneWav();
  const work = await mkdtemp(path.join(tmpdir(), 'interviewer-web-'));
  const pagesDir = path.join(work, 'dist');
  await buildWeb(pagesDir);

  // Listen first: the app's PUBLIC_BASE_URL (links it hands out, the CSRF origin) needs the port.
  let handle: (req: Request, env: unknown) => Response | Promise<Response> = () => new Response('starting', { status: 503 });
  let server!: ServerType;
  const port = await new Promise<number>((resolve) => {
    server = serve({ fetch: (req, e) => handle(req, e), hostname: '127.0.0.1', port: 0 }, (info) => resolve(info.port));
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  // The harness clock stands still, so every request of this file counts in one rate-limit window:
  // the per-address limit is lifted; the per-room/link limits stay as shipped.
  const h = await startHarness({ PUBLIC_BASE_URL: baseUrl, RATE_LIMIT_PER_IP: '100000', ...env });
  const app = createApp(h.config, { ...h.deps, pagesDir });
  handle = (req, e) => app.fetch(req, e);

  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [...CHROMIUM_FLAGS, ...fakeMicrophoneFlags(wav)],
  });
  mkdirSync(SCREENSHOTS, { recursive: true });

  return {
    h,
    baseUrl,
    browser,
    async open(viewport = 'desktop', options = {}) {
      const context = await browser.newContext({ ...VIEWPORTS[viewport], baseURL: baseUrl, ...options });
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
      page.on('console', (msg) => {
        if (msg.type() === 'error' && /Content Security Policy|Refused to/i.test(msg.text())) problems.push(`csp: ${msg.text()}`);
      });
      return { page, problems };
    },
    async shot(page, name) {
      await page.screenshot({ path: path.join(SCREENSHOTS, `${prefix}-${name}.png`), fullPage: true });
    },
    async close() {
      await browser.close().catch(() => {});
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await h.close();
      await rm(work, { recursive: true, force: true });
    },
  };
}

/**
 * Debian's Chromium with this file's flags and a fake microphone playing `fakeMicWav` (looped by
 * Chromium), for tests that serve the pages some other way (the voice test: the API process of
 * testkit/stack.ts). `extraArgs` come last.
 */
export async function launchChromium(opts: { fakeMicWav: string; extraArgs?: string[] }): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is missing at ${CHROMIUM}: run scripts/setup.sh --test (it installs Debian's chromium)`);
  }
  if (!existsSync(opts.fakeMicWav)) throw new Error(`fake microphone recording missing: ${opts.fakeMicWav}`);
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [...CHROMIUM_FLAGS, ...fakeMicrophoneFlags(opts.fakeMicWav), ...(opts.extraArgs ?? [])],
  });
}
