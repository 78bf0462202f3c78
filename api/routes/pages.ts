// The web pages (web/, built by `npm run build:web` into web/dist): the candidate page at seed 000's
// joinUrl and behind seed 002's public interview URL (for browsers; API clients keep the JSON), and
// the HR console under /hr. HTML is never cached (it names the current hashed assets); the hashed
// assets are immutable. Only these responses get a Content-Security-Policy: our own scripts and
// styles, and connections to this origin and the LiveKit server the browser is told to use.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono, type Context } from 'hono';
import type { App, AppEnv } from '../context.js';
import { ApiError, notFound } from '../errors.js';
import { ownOriginPolicy } from '../lib/csp.js';

export const DEFAULT_PAGES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');

type Page = 'candidate' | 'hr';

const ASSET_TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  map: 'application/json; charset=utf-8',
};
/** Flat names only (what the build writes): no separators, so no path can leave the folder. */
const ASSET_NAME = /^[A-Za-z0-9_-]+(?:[.-][A-Za-z0-9_-]+)*\.(js|css|map)$/;

/** The LiveKit server as the browser reaches it, in both schemes livekit-client uses (ws, and http for its validate call). */
function livekitOrigins(publicUrl: string): string[] {
  const u = new URL(publicUrl);
  const secure = u.protocol === 'wss:' || u.protocol === 'https:';
  return [`${secure ? 'wss' : 'ws'}://${u.host}`, `${secure ? 'https' : 'http'}://${u.host}`];
}

/** Content-Security-Policy and Permissions-Policy of a page (the app-wide secureHeaders adds the rest). */
function pageSecurityHeaders(app: App, page: Page): Record<string, string> {
  const connect = page === 'candidate' ? ["'self'", ...livekitOrigins(app.config.livekit.publicUrl)] : ["'self'"];
  const csp = ownOriginPolicy([
    // Remote audio plays from MediaStreams (srcObject), which CSP does not govern.
    "media-src 'self' blob:",
    `connect-src ${connect.join(' ')}`,
    "worker-src 'self' blob:",
  ]);
  return {
    'Content-Security-Policy': csp,
    // The candidate page needs the microphone and nothing else; the HR console needs none.
    'Permissions-Policy': `microphone=(${page === 'candidate' ? 'self' : ''}), camera=(), geolocation=(), display-capture=()`,
  };
}

/** A browser navigating asks for HTML first; fetch() and API clients send * / * or JSON. */
const wantsHtml = (c: Context) => /\btext\/html\b/i.test(c.req.header('accept') ?? '');

export function pageRoutes(app: App) {
  const dir = app.deps.pagesDir ?? DEFAULT_PAGES_DIR;
  const r = new Hono<AppEnv>();
  const security = { candidate: pageSecurityHeaders(app, 'candidate'), hr: pageSecurityHeaders(app, 'hr') };

  async function sendPage(c: Context, page: Page) {
    let html: string;
    try {
      html = await readFile(path.join(dir, `${page}.html`), 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      throw new ApiError('SERVICE_UNAVAILABLE', 'The web pages are not built: run `npm run build:web`');
    }
    for (const [name, value] of Object.entries(security[page])) c.header(name, value);
    c.header('Cache-Control', 'no-cache');
    // Link and room pages carry credentials in their address: keep them out of search engines.
    c.header('X-Robots-Tag', 'noindex, nofollow');
    return c.html(html);
  }

  r.get('/interview/join/:roomCode', (c) => sendPage(c, 'candidate'));

  // Seed 002's public_interview_url: the same address serves the page to a browser and the JSON
  // (interviews.ts, mounted after this) to everyone else.
  r.get('/api/interviews/public/:token', async (c, next) => {
    if (wantsHtml(c)) {
      c.header('Vary', 'Accept');
      return sendPage(c, 'candidate');
    }
    await next();
    c.res.headers.append('Vary', 'Accept');
  });

  r.get('/hr', (c) => sendPage(c, 'hr'));
  r.get('/hr/*', (c) => sendPage(c, 'hr'));

  r.get('/assets/:name', async (c) => {
    const name = c.req.param('name');
    const match = ASSET_NAME.exec(name);
    if (!match) throw notFound('Asset');
    let body: Buffer;
    try {
      body = await readFile(path.join(dir, 'assets', name));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw notFound('Asset');
      throw e;
    }
    return c.body(new Uint8Array(body), 200, {
      'Content-Type': ASSET_TYPES[match[1]!]!,
      // Names carry a content hash: a new build is a new name.
      'Cache-Control': 'public, max-age=31536000, immutable',
    });
  });

  return r;
}
