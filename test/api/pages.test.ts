// The web pages as the API serves them (api/routes/pages.ts): where each page lives, the public
// interview URL answering browsers with the page and API clients with JSON, the page-only
// Content-Security-Policy, caching, assets, and a clear 503 when the bundle was never built.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { buildWeb } from '../../web/build.js';
import { hrUser, json, room, scheduledInterview, startHarness, type Harness } from '../../testkit/api.js';

let h: Harness;
let work: string;
let pages: ReturnType<typeof createApp>;
let auth: Record<string, string>;

const HTML = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'interviewer-pages-'));
  await buildWeb(path.join(work, 'dist'));
  h = await startHarness({ RATE_LIMIT_PER_KEY: '100000', RATE_LIMIT_PER_IP: '100000', LIVEKIT_PUBLIC_URL: 'wss://media.example.org:7443' });
  pages = createApp(h.config, { ...h.deps, pagesDir: path.join(work, 'dist') });
  auth = (await hrUser(h)).auth;
});
afterAll(async () => {
  await h?.close();
  await rm(work, { recursive: true, force: true });
});

const get = (p: string, headers: Record<string, string> = {}, app = pages) =>
  app.request(p, { headers: { 'x-forwarded-for': '203.0.113.9', ...headers } });

async function link() {
  const { id } = await scheduledInterview(h, auth);
  const res = await h.request(`/api/ai-interview/generate-link/${id}/`, { method: 'POST', headers: auth });
  return { id, token: (await json<{ link_token: string }>(res)).link_token };
}

/** The directives of a Content-Security-Policy header. */
function csp(res: Response): Map<string, string[]> {
  const header = res.headers.get('content-security-policy') ?? '';
  return new Map(
    header
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name!, values]),
  );
}

describe('the candidate page', () => {
  it('is served at seed 000 joinUrl, uncached, with a CSP that allows our scripts and the LiveKit server only', async () => {
    const r = await room(h, auth);
    const res = await get(r.joinUrl, HTML);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const policy = csp(res);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('style-src')).toEqual(["'self'"]);
    expect(policy.get('default-src')).toEqual(["'self'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    // livekit-client opens the signalling websocket and, when that fails, an HTTP validate call.
    expect(policy.get('connect-src')).toEqual(["'self'", 'wss://media.example.org:7443', 'https://media.example.org:7443']);
    expect(res.headers.get('permissions-policy')).toContain('microphone=(self)');
    expect(res.headers.get('permissions-policy')).toContain('camera=()');
    // The app-wide secure headers stay.
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await res.text();
    // No inline script: every <script> loads a file.
    expect([...html.matchAll(/<script\b[^>]*>/g)].every((m) => /\bsrc="\/assets\/[^"]+\.js"/.test(m[0]))).toBe(true);
    expect(html).not.toMatch(/<script\b[^>]*>\s*[^<\s]/);
  });

  it('answers a browser at seed 002 public interview URL with the page, and API clients with the JSON', async () => {
    const { id, token } = await link();
    for (const p of [`/api/interviews/public/${token}/`, `/api/interviews/public/${token}`]) {
      const page = await get(p, HTML);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expect(page.headers.get('vary')).toContain('Accept');
      expect(csp(page).get('script-src')).toEqual(["'self'"]);
      for (const accept of [undefined, '*/*', 'application/json']) {
        const api = await get(p, accept ? { accept } : {});
        expect(api.status).toBe(200);
        expect(api.headers.get('content-type')).toMatch(/^application\/json/);
        expect(api.headers.get('vary')).toContain('Accept');
        expect(api.headers.get('content-security-policy')).toBeNull();
        expect((await json(api)).interview_id).toBe(id);
      }
    }
  });

  it('serves the page for a bad token too (the page shows the API error), while the JSON stays a 401', async () => {
    expect((await get('/api/interviews/public/not-a-token/', HTML)).status).toBe(200);
    const api = await get('/api/interviews/public/not-a-token/');
    expect(api.status).toBe(401);
    expect((await json(api)).code).toBe('INVALID_TOKEN');
  });
});

describe('the HR console', () => {
  it('is served at /hr and below, with no microphone and no connections but to this origin', async () => {
    for (const p of ['/hr', '/hr/', '/hr/login', '/hr/new', '/hr/interviews/0b8c9a8e-4c59-4b1e-9d0e-0a4f5c1f2e3d']) {
      const res = await get(p, HTML);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('<div id="app"></div>');
      expect(csp(res).get('connect-src')).toEqual(["'self'"]);
      expect(res.headers.get('permissions-policy')).toContain('microphone=()');
    }
  });
});

describe('assets', () => {
  it('are served with their type and cached for good (their names carry a hash)', async () => {
    const html = await (await get('/hr', HTML)).text();
    const files = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(files.some((f) => f.endsWith('.js'))).toBe(true);
    expect(files.some((f) => f.endsWith('.css'))).toBe(true);
    for (const f of files) {
      expect(f).toMatch(/-[A-Z0-9]{8}\.(js|css)$/);
      const res = await get(f);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe(f.endsWith('.js') ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8');
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(Buffer.from(await res.arrayBuffer()).equals(await readFile(path.join(work, 'dist', f)))).toBe(true);
    }
  });

  it('answer anything else with the 404 envelope, and never leave the assets folder', async () => {
    for (const p of [
      '/assets/nope-ABCDEFGH.js',
      '/assets/..%2Fcandidate.html',
      '/assets/%2e%2e%2f%2e%2e%2fpackage.json',
      '/assets/candidate.html',
      '/assets/.hidden.js',
    ]) {
      const res = await get(p);
      expect(res.status).toBe(404);
      expect((await json(res)).code).toBe('NOT_FOUND');
    }
  });
});

describe('without a built bundle', () => {
  it('answers the pages with a 503 envelope that says how to build it, and the API goes on', async () => {
    const bare = createApp(h.config, { ...h.deps, pagesDir: path.join(work, 'never-built') });
    const r = await room(h, auth);
    const { token } = await link();
    for (const p of ['/hr', r.joinUrl, `/api/interviews/public/${token}/`]) {
      const res = await get(p, HTML, bare);
      expect(res.status).toBe(503);
      const body = await json(res);
      expect(body.code).toBe('SERVICE_UNAVAILABLE');
      expect(body.error).toContain('npm run build:web');
      expect(body.requestId).toBe(res.headers.get('x-request-id'));
    }
    expect((await get(`/api/interviews/public/${token}/`, {}, bare)).status).toBe(200);
    expect((await get(`/api/public/interview/room/${r.roomCode}`, {}, bare)).status).toBe(200);
  });
});

describe('the API routes', () => {
  it('keep their headers: no page CSP on JSON', async () => {
    const r = await room(h, auth);
    const res = await get(`/api/public/interview/room/${r.roomCode}`, HTML);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('content-security-policy')).toBeNull();
  });
});
