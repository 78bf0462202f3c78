// The candidate's and the platform's side of the API's description: room codes (seed 000), links
// and the text mode (seed 002), LiveKit's webhook, the pages, operations.
import { z } from 'zod';
import { completeBody, idBody, startBody, submitBody } from '../routes/ai-interview.js';
import { createRoomBody } from '../lib/interview-body.js';
import { joinBody } from '../services/join.js';
import { bad, hrErrors, joinErrors, limited, linkErrors, notYours, type RouteDoc } from './route-doc.js';

const audioQuery = z.object({ sig: z.string().describe("The signature from the question's audio_url") });

export const PUBLIC_ROUTES: RouteDoc[] = [
  // Seed 000: room codes and phone join
  {
    method: 'post',
    path: '/api/public/interview/room/create',
    tag: 'Room codes (seed 000)',
    access: 'hr',
    summary: 'Create an interview with a room code',
    body: createRoomBody,
    responses: {
      201: 'The room: `{roomCode, joinUrl, sessionId, …}`',
      ...bad,
      ...hrErrors,
      404: 'Unknown application',
      409: 'The language is not in VOICE_LANGUAGES (no recogniser for it)',
    },
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
