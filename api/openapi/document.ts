// The OpenAPI 3.1 document from the route entries: paths, parameters, the one error envelope with
// its codes, the security schemes.
import { z } from 'zod';
import type { ApiConfig } from '../../core/config.js';
import { ERROR_STATUS, type ErrorCode } from '../errors.js';
import { CANDIDATE_COOKIE, HR_COOKIE } from '../http.js';
import type { Access, RouteDoc } from './route-doc.js';

/** `/api/jobs/:id` → `/api/jobs/{id}`; a trailing `*` (the console's client-side routes) → `{path}`. */
export function openApiPath(honoPath: string): string {
  return honoPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}').replace(/\/\*$/, '/{path}');
}

const SECURITY: Record<Access, Record<string, string[]>[]> = {
  public: [],
  hr: [{ hrBearer: [] }, { hrCookie: [] }],
  'candidate-or-hr': [{ candidateCookie: [] }, { joinToken: [] }, { hrBearer: [] }, { hrCookie: [] }],
  livekit: [{ livekitSignature: [] }],
  metrics: [{ metricsToken: [] }, {}],
};

/** JSON Schema 2020-12 of what a client sends (defaults make fields optional), without `$schema`. */
function inputSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

function parameters(route: RouteDoc) {
  const path = [...route.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => ({
    name: m[1]!,
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  if (route.path.endsWith('/*')) path.push({ name: 'path', in: 'path', required: true, schema: { type: 'string' } });
  const query: object[] = [];
  if (route.query) {
    const s = inputSchema(route.query) as { properties?: Record<string, object>; required?: string[] };
    for (const [name, schema] of Object.entries(s.properties ?? {})) {
      query.push({ name, in: 'query', required: s.required?.includes(name) ?? false, schema });
    }
  }
  return [...path, ...query];
}

function responses(route: RouteDoc) {
  return Object.fromEntries(
    Object.entries(route.responses).map(([status, description]) => {
      if (Number(status) >= 400) {
        return [status, { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } }];
      }
      const type = route.produces ?? 'application/json';
      const schema = type === 'application/json' ? { type: 'object' } : { type: 'string' };
      return [status, { description, content: { [type]: { schema } } }];
    }),
  );
}

/** Which codes each status can carry, for the error component's description. */
function codesByStatus(): string {
  const by = new Map<number, ErrorCode[]>();
  for (const [code, status] of Object.entries(ERROR_STATUS) as [ErrorCode, number][]) {
    by.set(status, [...(by.get(status) ?? []), code]);
  }
  return [...by].map(([status, codes]) => `${status}: ${codes.join(', ')}`).join('; ');
}

export function openApiDocument(config: Pick<ApiConfig, 'publicBaseUrl'>, routes: RouteDoc[]) {
  const paths: Record<string, Record<string, object>> = {};
  for (const route of routes) {
    const operation: Record<string, unknown> = {
      tags: [route.tag],
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      operationId: `${route.method}${openApiPath(route.path).replace(/[^A-Za-z0-9]+(.)?/g, (_, ch: string | undefined) => (ch ?? '').toUpperCase())}`,
      security: SECURITY[route.access],
      parameters: parameters(route),
      responses: responses(route),
    };
    if (route.body) {
      operation.requestBody = {
        required: !route.bodyOptional,
        content: { 'application/json': { schema: inputSchema(route.body) } },
      };
    }
    (paths[openApiPath(route.path)] ??= {})[route.method] = operation;
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'AI interviewer API',
      version: '0.1.0',
      description:
        'HR resources, room codes and phone join (seed 000), interview links and the text mode (seed 002), and LiveKit webhooks. ' +
        "Trailing slashes are optional on every path. HR calls are scoped to the caller's organization: another organization's ids answer 404.",
    },
    servers: [{ url: config.publicBaseUrl }],
    tags: [...new Set(routes.map((r) => r.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas: {
        Error: {
          type: 'object',
          description: `The one error envelope of every route. Codes by status: ${codesByStatus()}.`,
          required: ['error', 'code', 'requestId'],
          properties: {
            error: { type: 'string', description: 'A message for a person' },
            code: { type: 'string', enum: Object.keys(ERROR_STATUS) },
            requestId: { type: 'string' },
            details: { type: 'array', items: { type: 'string' }, description: 'VALIDATION_FAILED: each problem' },
            retryAfter: { type: 'integer', description: 'RATE_LIMITED: seconds' },
          },
        },
      },
      securitySchemes: {
        hrBearer: { type: 'http', scheme: 'bearer', description: 'The `access` token from POST /api/auth/login' },
        hrCookie: { type: 'apiKey', in: 'cookie', name: HR_COOKIE, description: 'Set by login; cookie calls are CSRF-checked (Origin)' },
        candidateCookie: { type: 'apiKey', in: 'cookie', name: CANDIDATE_COOKIE, description: 'Set by a join' },
        joinToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'The LiveKit token a join answered' },
        livekitSignature: {
          type: 'apiKey',
          in: 'header',
          name: 'Authorization',
          description: "LiveKit's signed JWT over the body's sha256",
        },
        metricsToken: { type: 'http', scheme: 'bearer', description: 'METRICS_TOKEN, when set' },
      },
    },
  };
}
