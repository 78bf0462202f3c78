// The OpenAPI document (api/openapi/) against the app itself: every route Hono registered is
// documented with its method and nothing documented is missing from the app, so a new route has to
// be added to ROUTES to pass. The document validates as OpenAPI 3.1, and the docs page is served
// from this origin under a policy that allows this origin only.
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_STATUS } from '../../api/errors.js';
import { openApiPath } from '../../api/openapi/index.js';
import { startHarness, type Harness } from '../../testkit/api.js';

let h: Harness;
type Spec = {
  openapi: string;
  paths: Record<
    string,
    Record<
      string,
      {
        security?: unknown[];
        requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
        responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }>;
      }
    >
  >;
  components: { schemas: { Error: { properties: { code: { enum: string[] } } } }; securitySchemes: Record<string, unknown> };
};
let spec: Spec;

beforeAll(async () => {
  h = await startHarness();
  const res = await h.request('/api/openapi.json');
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  spec = (await res.json()) as Spec;
});
afterAll(() => h.close());

/** `METHOD /openapi/path` of every route the app registered. use() middleware is method ALL: not a route. */
function appOperations(): Set<string> {
  return new Set(h.app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method.toLowerCase()} ${openApiPath(r.path)}`));
}

function specOperations(): Set<string> {
  return new Set(Object.entries(spec.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`)));
}

describe('the OpenAPI document', () => {
  it('documents every route of the app, and only those', () => {
    const app = appOperations();
    const documented = specOperations();
    // Listed by name so a failure says exactly what to add to (or remove from) ROUTES in api/openapi/.
    expect(
      [...app].filter((op) => !documented.has(op)),
      'routes missing from ROUTES in api/openapi/',
    ).toEqual([]);
    expect(
      [...documented].filter((op) => !app.has(op)),
      'ROUTES entries with no route in the app',
    ).toEqual([]);
    expect(app.size).toBeGreaterThan(30);
  });

  it('validates as OpenAPI 3.1 and its references resolve', async () => {
    expect(spec.openapi).toBe('3.1.0');
    const validator = new Validator();
    const result = await validator.validate(structuredClone(spec) as unknown as Record<string, unknown>);
    expect(result.errors ?? [], JSON.stringify(result.errors, null, 2)).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    expect(() => validator.resolveRefs()).not.toThrow();
  });

  it('carries the request schemas that validate the routes', () => {
    const body = (p: string, m = 'post') =>
      spec.paths[p]![m]!.requestBody!.content['application/json']!.schema as {
        properties: Record<string, { type?: string; enum?: string[] }>;
        required?: string[];
        additionalProperties?: boolean;
      };
    const join = body('/api/public/interview/join/{roomCode}');
    expect(join.required?.sort()).toEqual(['firstName', 'lastName', 'phoneNumber']);
    expect(join.additionalProperties).toBe(false);
    // Input side: a field with a default is optional to send.
    const interview = body('/api/interviews');
    expect(interview.required).toEqual(['applicationId', 'interviewType']);
    expect(interview.properties.interviewType!.enum).toBeDefined();
    expect(body('/api/ai-interview/public/submit-response').required?.sort()).toEqual(['link_token', 'response_text', 'session_id']);
    expect(body('/api/jobs/{id}/rubric', 'put').required).toEqual(['rubric']);
    const list = spec.paths['/api/interviews']!.get as unknown as { parameters: { name: string; in: string }[] };
    expect(list.parameters.map((p) => `${p.in}:${p.name}`).sort()).toEqual(['query:cursor', 'query:limit', 'query:status']);
  });

  it('has the one error envelope with every code, and security where it applies', () => {
    expect(spec.components.schemas.Error.properties.code.enum.sort()).toEqual(Object.keys(ERROR_STATUS).sort());
    const login = spec.paths['/api/auth/login']!.post!;
    expect(login.responses['401']!.content!['application/json']!.schema.$ref).toBe('#/components/schemas/Error');
    expect(login.security).toEqual([]);
    expect(spec.paths['/api/jobs']!.get!.security).toEqual([{ hrBearer: [] }, { hrCookie: [] }]);
    expect(spec.paths['/api/public/interview/room/{roomCode}/end']!.post!.security).toContainEqual({ candidateCookie: [] });
    expect(spec.paths['/api/livekit/webhook']!.post!.security).toEqual([{ livekitSignature: [] }]);
    expect(Object.keys(spec.components.securitySchemes)).toEqual(
      expect.arrayContaining(['hrBearer', 'hrCookie', 'candidateCookie', 'joinToken', 'livekitSignature', 'metricsToken']),
    );
  });
});

describe('the docs page', () => {
  it('is served from this origin under a this-origin-only policy', async () => {
    const res = await h.request('/api/docs', { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const policy = new Map(
      res.headers
        .get('content-security-policy')!
        .split(';')
        .map((d) => {
          const [name, ...values] = d.trim().split(/\s+/);
          return [name!, values] as const;
        }),
    );
    expect(policy.get('default-src')).toEqual(["'self'"]);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('style-src')).toEqual(["'self'"]);
    expect(policy.get('connect-src')).toEqual(["'self'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    // Nothing beyond this origin (data: images are the stylesheet's own icons).
    for (const values of policy.values()) {
      for (const v of values) expect(v).toMatch(/^('self'|'none'|data:)$/);
    }
    const html = await res.text();
    expect(html).not.toMatch(/<script>(?!<\/script>)|<style|\sstyle=|https?:\/\//);
    // The empty icon (`data:,`) fetches nothing; everything else is one of the page's own files.
    for (const src of [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!).filter((s) => s !== 'data:,')) {
      expect(src.startsWith('/api/docs/'), src).toBe(true);
      const asset = await h.request(src);
      expect(asset.status, src).toBe(200);
      expect((await asset.arrayBuffer()).byteLength).toBeGreaterThan(50);
    }
  });

  it('starts Swagger UI on this document, with no third-party validator', async () => {
    const init = await (await h.request('/api/docs/init.js')).text();
    expect(init).toContain("url: '/api/openapi.json'");
    expect(init).toContain('validatorUrl: null');
  });

  it('serves only its own files', async () => {
    for (const p of ['/api/docs/package.json', '/api/docs/..%2Fpackage.json', '/api/docs/index.html', '/api/docs/constructor']) {
      const res = await h.request(p);
      expect(res.status, p).toBe(404);
      expect(await res.json()).toMatchObject({ code: 'NOT_FOUND' });
    }
  });
});
