// The OpenAPI 3.1 description of the API, built from the same zod schemas that validate requests
// (zod 4's z.toJSONSchema), served at GET /api/openapi.json. ROUTES is the one list to edit when a
// route is added: test/api/openapi.test.ts walks the Hono app and fails on any route missing here
// (or listed here and not in the app), so a new route cannot ship undocumented.
//
// A registry next to the app rather than @hono/zod-openapi: that one wants every route rewritten
// as createRoute() + openapi(), and the routes here read bodies through readJson (content-type
// checks, NUL checks, one error envelope) which its validator would replace.
import { z } from 'zod';
import type { ApiConfig } from '../core/config.js';
import { ERROR_STATUS, type ErrorCode } from './errors.js';
import { CANDIDATE_COOKIE, HR_COOKIE, paginationQuery } from './http.js';
import { idBody, completeBody, startBody, submitBody } from './routes/ai-interview.js';
import { createApplication } from './routes/applications.js';
import { loginBody } from './routes/auth.js';
import { createCandidate, demographicsBody } from './routes/candidates.js';
import { listFilter } from './routes/interviews.js';
import { createInterview, createRoomBody } from './lib/interview-body.js';
import { joinBody } from './services/join.js';
import { createJob, putRubric } from './routes/jobs.js';
import { outcomesQuery } from './routes/reports.js';
import { deliveriesQuery, patchBody, webhookCreateBody } from './routes/webhooks.js';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** Who may call: the security requirement of the operation. */
type Access = 'public' | 'hr' | 'candidate-or-hr' | 'livekit' | 'metrics';

type Tag =
  | 'HR auth'
  | 'HR resources'
  | 'Bias audit'
  | 'Outbound webhooks'
  | 'Room codes (seed 000)'
  | 'Links and text mode (seed 002)'
  | 'LiveKit'
  | 'Pages'
  | 'Operations';

export interface RouteDoc {
  method: Method;
  /** The path exactly as Hono registers it (`:param`, a trailing `*`), so the test can compare. */
  path: string;
  tag: Tag;
  summary: string;
  description?: string;
  access: Access;
  body?: z.ZodType;
  /** An empty body counts as {} (readJson's `optional`). */
  bodyOptional?: boolean;
  query?: z.ZodObject;
  /** Status → what it means here. Statuses of 400 and up answer the error envelope. */
  responses: Record<number, string>;
  /** What a success answers when it is not JSON. */
  produces?: 'text/html' | 'text/csv' | 'text/plain' | 'text/javascript' | 'audio/*';
}

const hrErrors = { 401: 'Not logged in as HR' } as const;
const notYours = { 404: "Unknown, or another organization's" } as const;
const bad = { 400: 'The body or a parameter does not validate (VALIDATION_FAILED, INVALID_JSON)' } as const;
const limited = { 429: 'Too many requests (RATE_LIMITED), with Retry-After' } as const;
const linkErrors = {
  401: 'The link token is not valid (INVALID_TOKEN)',
  403: 'The link is not open yet (LINK_NOT_YET_VALID)',
  410: 'The link has expired or was regenerated (LINK_EXPIRED)',
  ...limited,
} as const;
const joinErrors = {
  ...bad,
  403: "The phone number is not the candidate's (PHONE_MISMATCH), or the interview is not open now",
  409: 'The interview cannot be joined right now',
  410: 'The interview has ended (INTERVIEW_ENDED)',
  ...limited,
} as const;

const audioQuery = z.object({ sig: z.string().describe("The signature from the question's audio_url") });

/** The one list: every route of createApp(), in the order the README's API overview gives them. */
export const ROUTES: RouteDoc[] = [
  // HR auth
  {
    method: 'post',
    path: '/api/auth/login',
    tag: 'HR auth',
    access: 'public',
    summary: 'Log in as HR',
    body: loginBody,
    description: 'Answers `{access}` (a bearer token) and sets the HttpOnly `hr_session` cookie.',
    responses: { 200: '`{access}`', ...bad, 401: 'Wrong email or password (INVALID_CREDENTIALS)', ...limited },
  },
  {
    method: 'post',
    path: '/api/auth/logout',
    tag: 'HR auth',
    access: 'public',
    summary: 'Log out (clears the cookie)',
    responses: { 200: '`{message}`' },
  },
  {
    method: 'get',
    path: '/api/auth/me',
    tag: 'HR auth',
    access: 'hr',
    summary: 'Who is logged in',
    responses: { 200: '`{userId, organizationId}`', ...hrErrors },
  },

  // HR resources
  {
    method: 'post',
    path: '/api/jobs',
    tag: 'HR resources',
    access: 'hr',
    summary: 'Create a job',
    body: createJob,
    responses: { 201: 'The job', ...bad, ...hrErrors },
  },
  {
    method: 'get',
    path: '/api/jobs',
    tag: 'HR resources',
    access: 'hr',
    summary: 'List jobs, newest first',
    query: paginationQuery,
    responses: { 200: '`{items, nextCursor}`', ...bad, ...hrErrors },
  },
  {
    method: 'get',
    path: '/api/jobs/:id',
    tag: 'HR resources',
    access: 'hr',
    summary: 'One job',
    responses: { 200: 'The job', ...hrErrors, ...notYours },
  },
  {
    method: 'put',
    path: '/api/jobs/:id/rubric',
    tag: 'HR resources',
    access: 'hr',
    summary: "Set the job's rubric (`null`: the default)",
    body: putRubric,
    description: 'Applies to evaluations made from now on; stored evaluations keep their rubric.',
    responses: { 200: 'The job', ...bad, ...hrErrors, ...notYours },
  },
  {
    method: 'post',
    path: '/api/candidates',
    tag: 'HR resources',
    access: 'hr',
    summary: 'Create a candidate (phone stored in E.164)',
    body: createCandidate,
    responses: { 201: 'The candidate', ...bad, ...hrErrors },
  },
  {
    method: 'get',
    path: '/api/candidates',
    tag: 'HR resources',
    access: 'hr',
    summary: 'List candidates, newest first',
    query: paginationQuery,
    responses: { 200: '`{items, nextCursor}`', ...bad, ...hrErrors },
  },
  {
    method: 'get',
    path: '/api/candidates/:id',
    tag: 'HR resources',
    access: 'hr',
    summary: 'One candidate',
    responses: { 200: 'The candidate', ...hrErrors, ...notYours },
  },
  {
    method: 'get',
    path: '/api/candidates/:id/demographics',
    tag: 'Bias audit',
    access: 'hr',
    summary: "The candidate's self-reported categories",
    responses: { 200: '`{candidateId, sex, raceEthnicity, updatedAt}`', ...hrErrors, ...notYours },
  },
  {
    method: 'put',
    path: '/api/candidates/:id/demographics',
    tag: 'Bias audit',
    access: 'hr',
    summary: 'Set them (a field left out is kept, null clears it)',
    body: demographicsBody,
    description: 'Kept in a table of their own that no prompt or evaluation reads.',
    responses: { 200: 'The stored categories', ...bad, ...hrErrors, ...notYours },
  },
  {
    method: 'get',
    path: '/api/reports/outcomes',
    tag: 'Bias audit',
    access: 'hr',
    summary: 'Outcomes by stage and recommendation, with impact ratios (NYC LL144)',
    query: outcomesQuery,
    responses: {
      200: '`{organizationId, generatedAt, filters, rows, summary, impactRatios}`',
      ...bad,
      ...hrErrors,
      404: "Unknown or another organization's job",
    },
  },
  {
    method: 'get',
    path: '/api/reports/outcomes.csv',
    tag: 'Bias audit',
    access: 'hr',
    summary: 'The same rows as a CSV download',
    query: outcomesQuery,
    produces: 'text/csv',
    responses: { 200: 'text/csv', ...bad, ...hrErrors, 404: "Unknown or another organization's job" },
  },
  {
    method: 'post',
    path: '/api/webhooks',
    tag: 'Outbound webhooks',
    access: 'hr',
    summary: 'Register an endpoint (the secret is shown only in this answer)',
    body: webhookCreateBody(false),
    responses: { 201: 'The endpoint with its `secret`', ...bad, ...hrErrors, 409: 'Already 20 endpoints (CONFLICT)' },
  },
  {
    method: 'get',
    path: '/api/webhooks',
    tag: 'Outbound webhooks',
    access: 'hr',
    summary: "The organization's endpoints (no secrets)",
    responses: { 200: '`{items}`', ...hrErrors },
  },
  {
    method: 'patch',
    path: '/api/webhooks/:id',
    tag: 'Outbound webhooks',
    access: 'hr',
    summary: 'Enable or disable an endpoint',
    body: patchBody,
    responses: { 200: 'The endpoint', ...bad, ...hrErrors, ...notYours },
  },
  {
    method: 'delete',
    path: '/api/webhooks/:id',
    tag: 'Outbound webhooks',
    access: 'hr',
    summary: 'Remove an endpoint and its deliveries',
    responses: { 204: 'Removed', ...hrErrors, ...notYours },
  },
  {
    method: 'get',
    path: '/api/webhooks/:id/deliveries',
    tag: 'Outbound webhooks',
    access: 'hr',
    summary: 'Recent deliveries, newest first',
    query: deliveriesQuery,
    responses: { 200: '`{items}`', ...bad, ...hrErrors, ...notYours },
  },
  {
    method: 'post',
    path: '/api/webhooks/deliveries/:id/resend',
    tag: 'Outbound webhooks',
    access: 'hr',
    summary: 'Send a delivery again now (same webhook-id)',
    responses: { 202: 'The delivery, queued', ...hrErrors, ...notYours, 409: 'It is being sent right now' },
  },
  {
    method: 'post',
    path: '/api/applications',
    tag: 'HR resources',
    access: 'hr',
    summary: 'A candidate applies to a job',
    body: createApplication,
    responses: { 201: 'The application', ...bad, ...hrErrors, 404: 'Unknown job or candidate', 409: 'Already applied (CONFLICT)' },
  },
  {
    method: 'get',
    path: '/api/applications',
    tag: 'HR resources',
    access: 'hr',
    summary: 'List applications, newest first',
    query: paginationQuery,
    responses: { 200: '`{items, nextCursor}`', ...bad, ...hrErrors },
  },
  {
    method: 'get',
    path: '/api/applications/:id',
    tag: 'HR resources',
    access: 'hr',
    summary: 'One application',
    responses: { 200: 'The application', ...hrErrors, ...notYours },
  },
  {
    method: 'post',
    path: '/api/interviews',
    tag: 'HR resources',
    access: 'hr',
    summary: 'Schedule an interview',
    body: createInterview,
    responses: { 201: 'The interview', ...bad, ...hrErrors, 404: 'Unknown application' },
  },
  {
    method: 'get',
    path: '/api/interviews',
    tag: 'HR resources',
    access: 'hr',
    summary: 'List interviews, newest first',
    query: paginationQuery.extend(listFilter.shape),
    responses: { 200: '`{items, nextCursor}`', ...bad, ...hrErrors },
  },
  {
    method: 'get',
    path: '/api/interviews/:id',
    tag: 'HR resources',
    access: 'hr',
    summary: 'An interview in full',
    description: 'With questions, transcript, the current evaluation and every version, status history and audit trail.',
    responses: { 200: 'The interview', ...hrErrors, ...notYours },
  },
  {
    method: 'get',
    path: '/api/interviews/:id/evaluations',
    tag: 'HR resources',
    access: 'hr',
    summary: 'Every evaluation version, newest first',
    responses: { 200: '`{items}`', ...hrErrors, ...notYours },
  },
  {
    method: 'post',
    path: '/api/interviews/:id/evaluations',
    tag: 'HR resources',
    access: 'hr',
    summary: 'Re-evaluate an ended interview (a new version)',
    responses: {
      201: 'The new evaluation version',
      ...hrErrors,
      ...notYours,
      409: 'Still open, no model configured, or another re-evaluation runs',
      503: 'The model failed; nothing stored (Retry-After)',
    },
  },
  {
    method: 'post',
    path: '/api/interviews/:id/room',
    tag: 'HR resources',
    access: 'hr',
    summary: 'Give the interview a room code',
    responses: { 200: 'The room it already had', 201: 'The new room', ...hrErrors, ...notYours },
  },
  {
    method: 'post',
    path: '/api/interviews/:id/end',
    tag: 'HR resources',
    access: 'hr',
    summary: 'End the interview (hr_ended)',
    responses: { 200: 'The interview', ...hrErrors, ...notYours },
  },

  // Seed 000: room codes and phone join
  {
    method: 'post',
    path: '/api/public/interview/room/create',
    tag: 'Room codes (seed 000)',
    access: 'hr',
    summary: 'Create an interview with a room code',
    body: createRoomBody,
    responses: { 201: 'The room: `{roomCode, joinUrl, sessionId, …}`', ...bad, ...hrErrors, 404: 'Unknown application' },
  },
  {
    method: 'get',
    path: '/api/public/interview/room/:roomCode',
    tag: 'Room codes (seed 000)',
    access: 'public',
    summary: 'What a room code is for',
    responses: {
      200: '`{roomCode, jobTitle, companyName, instructions, maxDuration, status, interviewType}`',
      404: 'Unknown room code',
      ...limited,
    },
  },
  {
    method: 'post',
    path: '/api/public/interview/join/:roomCode',
    tag: 'Room codes (seed 000)',
    access: 'public',
    summary: "Join with the candidate's phone number",
    body: joinBody,
    description:
      'Answers a LiveKit token that admits only this room and dispatches the interviewer agent, and sets the candidate session cookie.',
    responses: { 200: '`{token, serverUrl, roomName, identity, roomCode, …}`', ...joinErrors, 404: 'Unknown room code' },
  },
  {
    method: 'post',
    path: '/api/public/interview/room/:roomCode/end',
    tag: 'Room codes (seed 000)',
    access: 'candidate-or-hr',
    summary: 'End the interview (the candidate or HR)',
    responses: { 200: '`{message}`', 401: 'Neither the candidate of this room nor its HR', ...limited },
  },

  // Seed 002: links and text mode
  {
    method: 'post',
    path: '/api/ai-interview/generate-link/:id',
    tag: 'Links and text mode (seed 002)',
    access: 'hr',
    summary: 'Generate the interview link',
    body: idBody,
    bodyOptional: true,
    responses: {
      200: 'The link: `{link_token, public_interview_url, expires_at, …}`',
      400: 'Not scheduled (NOT_SCHEDULED) or a body that does not validate',
      ...hrErrors,
      ...notYours,
      410: 'The interview has ended',
    },
  },
  {
    method: 'get',
    path: '/api/ai-interview/get-link/:id',
    tag: 'Links and text mode (seed 002)',
    access: 'hr',
    summary: 'The current link',
    responses: {
      200: 'The link, with `questions_generated` and `is_expired`',
      ...hrErrors,
      404: "Unknown, another organization's, or no link yet",
    },
  },
  {
    method: 'post',
    path: '/api/ai-interview/regenerate-link/:id',
    tag: 'Links and text mode (seed 002)',
    access: 'hr',
    summary: 'A new link (every earlier one stops working)',
    body: idBody,
    bodyOptional: true,
    responses: {
      200: 'The link',
      ...bad,
      ...hrErrors,
      404: "Unknown, another organization's, or no link yet",
      410: 'The interview has ended',
    },
  },
  {
    method: 'post',
    path: '/api/ai-interview/public/start',
    tag: 'Links and text mode (seed 002)',
    access: 'public',
    summary: 'Start the text-mode interview',
    body: startBody,
    responses: { 200: '`{session_id, questions, current_question, …}`', ...bad, ...linkErrors },
  },
  {
    method: 'post',
    path: '/api/ai-interview/public/submit-response',
    tag: 'Links and text mode (seed 002)',
    access: 'public',
    summary: 'Answer the current question',
    body: submitBody,
    responses: {
      200: '`{response_id, next_question_id, next_question, …}`',
      ...bad,
      ...linkErrors,
      404: 'Unknown session',
      409: 'Not started, already answered, or all answered',
    },
  },
  {
    method: 'post',
    path: '/api/ai-interview/public/complete',
    tag: 'Links and text mode (seed 002)',
    access: 'public',
    summary: 'Complete and evaluate',
    description: 'Score and recommendation only when HR set `revealResultsToCandidate`.',
    body: completeBody,
    responses: { 200: 'The completion', ...bad, ...linkErrors, 404: 'Unknown session', 409: 'Not started, or still being completed' },
  },
  {
    method: 'get',
    path: '/api/ai-interview/public/audio/:questionId',
    tag: 'Links and text mode (seed 002)',
    access: 'public',
    summary: 'A question read aloud',
    query: audioQuery,
    produces: 'audio/*',
    responses: { 200: 'The audio', 404: 'Unknown question or a wrong signature', ...limited, 503: 'Speech synthesis is unavailable' },
  },
  {
    method: 'get',
    path: '/api/interviews/public/:token',
    tag: 'Links and text mode (seed 002)',
    access: 'public',
    summary: 'The public interview URL',
    description: 'JSON for API clients; a browser asking for `text/html` gets the candidate page.',
    responses: { 200: '`{interview_id, job_title, opens_at, expires_at, status, …}`', ...linkErrors },
  },
  {
    method: 'post',
    path: '/api/interviews/public/:token/join',
    tag: 'Links and text mode (seed 002)',
    access: 'public',
    summary: 'Voice join through the link',
    body: joinBody,
    description: 'Gives the interview a room on first use and answers exactly like the room-code join.',
    responses: { 200: '`{token, serverUrl, roomName, identity, roomCode, …}`', ...joinErrors, ...linkErrors },
  },

  // LiveKit
  {
    method: 'post',
    path: '/api/livekit/webhook',
    tag: 'LiveKit',
    access: 'livekit',
    summary: 'LiveKit server events (signed)',
    description:
      "The body is LiveKit's webhook event (protobuf JSON); the `Authorization` JWT carries its sha256. Each event id counts once.",
    responses: { 200: '`{received, duplicate}`', 400: 'No event id or type', 401: 'The signature does not hold' },
  },

  // Pages
  {
    method: 'get',
    path: '/interview/join/:roomCode',
    tag: 'Pages',
    access: 'public',
    summary: 'The candidate page',
    produces: 'text/html',
    responses: { 200: 'HTML', 503: 'The pages are not built' },
  },
  {
    method: 'get',
    path: '/hr',
    tag: 'Pages',
    access: 'public',
    summary: 'The HR console',
    produces: 'text/html',
    responses: { 200: 'HTML', 503: 'The pages are not built' },
  },
  {
    method: 'get',
    path: '/hr/*',
    tag: 'Pages',
    access: 'public',
    summary: 'The HR console (its own routes)',
    produces: 'text/html',
    responses: { 200: 'HTML', 503: 'The pages are not built' },
  },
  {
    method: 'get',
    path: '/assets/:name',
    tag: 'Pages',
    access: 'public',
    summary: 'A hashed page asset',
    produces: 'text/javascript',
    responses: { 200: 'JavaScript, CSS or a source map', 404: 'No such asset' },
  },

  // Operations
  { method: 'get', path: '/healthz', tag: 'Operations', access: 'public', summary: 'Liveness', responses: { 200: '`{ok: true}`' } },
  {
    method: 'get',
    path: '/api/openapi.json',
    tag: 'Operations',
    access: 'public',
    summary: 'This document',
    responses: { 200: 'OpenAPI 3.1' },
  },
  {
    method: 'get',
    path: '/api/docs',
    tag: 'Operations',
    access: 'public',
    summary: 'Interactive API docs',
    produces: 'text/html',
    responses: { 200: 'HTML' },
  },
  {
    method: 'get',
    path: '/api/docs/:file',
    tag: 'Operations',
    access: 'public',
    summary: "The docs page's script and styles",
    produces: 'text/javascript',
    responses: { 200: 'The file', 404: 'No such file' },
  },
  {
    method: 'get',
    path: '/metrics',
    tag: 'Operations',
    access: 'metrics',
    summary: 'Prometheus metrics',
    produces: 'text/plain',
    description: 'Only with `METRICS_ENABLED=true` (404 otherwise); with `METRICS_TOKEN` set, the token as a bearer.',
    responses: { 200: 'Prometheus text format', 401: 'METRICS_TOKEN is set and was not given', 404: 'Metrics are not enabled' },
  },
];

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

export function buildOpenApi(config: Pick<ApiConfig, 'publicBaseUrl'>, routes: RouteDoc[] = ROUTES) {
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
