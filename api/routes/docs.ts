// The API's own description: GET /api/openapi.json (api/openapi/) and an interactive page at
// GET /api/docs. The page is Swagger UI from the swagger-ui-dist package, served from this origin
// (no CDN) under a Content-Security-Policy that allows this origin only: its start-up script is a
// file of ours, not an inline script, and its validator badge (a call to a third-party host) is off.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Hono } from 'hono';
import type { App, AppEnv } from '../context.js';
import { notFound } from '../errors.js';
import { buildOpenApi } from '../openapi/index.js';
import { ownOriginPolicy } from '../lib/csp.js';

const SWAGGER_DIR = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

/** The only files the page loads; anything else is a 404 (no path from the request reaches the disk). */
const FILES: Record<string, { from: 'swagger' | 'ours'; type: string }> = {
  'swagger-ui.css': { from: 'swagger', type: 'text/css; charset=utf-8' },
  'swagger-ui-bundle.js': { from: 'swagger', type: 'text/javascript; charset=utf-8' },
  'init.js': { from: 'ours', type: 'text/javascript; charset=utf-8' },
};

const INIT_JS = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#swagger-ui', deepLinking: true, validatorUrl: null });
});
`;

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>AI interviewer API</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/api/docs/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/api/docs/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script>
</body>
</html>
`;

/**
 * This origin only (`data:` images: Swagger UI's stylesheet draws its icons as SVG data URIs).
 * connect-src 'self': the document, and "Try it out" against this same API.
 */
export const DOCS_CSP = ownOriginPolicy(["connect-src 'self'"]);

export function docsRoutes(app: App) {
  const r = new Hono<AppEnv>();
  // Built once: the routes do not change while the process runs.
  const spec = JSON.stringify(buildOpenApi(app.config));
  const cache = new Map<string, Uint8Array<ArrayBuffer>>();

  r.get('/openapi.json', (c) => c.body(spec, 200, { 'Content-Type': 'application/json; charset=utf-8' }));

  r.get('/docs', (c) => {
    c.header('Content-Security-Policy', DOCS_CSP);
    c.header('Cache-Control', 'no-cache');
    return c.html(PAGE);
  });

  r.get('/docs/:file', async (c) => {
    const name = c.req.param('file');
    const file = Object.hasOwn(FILES, name) ? FILES[name]! : undefined;
    if (!file) throw notFound('File');
    let body = cache.get(name);
    if (!body) {
      body = file.from === 'ours' ? new TextEncoder().encode(INIT_JS) : new Uint8Array(await readFile(path.join(SWAGGER_DIR, name)));
      cache.set(name, body);
    }
    // Not content-hashed names: a day, so an upgrade shows up soon enough.
    return c.body(body, 200, { 'Content-Type': file.type, 'Cache-Control': 'public, max-age=86400' });
  });

  return r;
}
