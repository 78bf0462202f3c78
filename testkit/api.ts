// A test harness around createApp(): a fresh Postgres database, the production wiring of deps
// (with a settable clock), an HR user per organization, and fixture helpers that go through the
// API itself rather than around it.
import { createApp } from '../api/app.js';
import type { Deps } from '../api/context.js';
import { buildDeps } from '../api/deps.js';
import { hashPassword } from '../api/lib/password.js';
import { loadConfig, type Config } from '../core/config.js';
import { createLogger } from '../core/logger.js';
import type { RoomParticipant, RoomService } from '../core/livekit.js';
import { createOrganizationWithUser } from '../db/queries/organizations.js';
import { freshDatabase, type TestDatabase } from './postgres.js';

export const TEST_ENV = {
  NODE_ENV: 'test',
  LOG_LEVEL: 'silent',
  TRUST_PROXY: 'true',
  // Nothing listens here: room deletion fails fast and must not break an end call.
  LIVEKIT_URL: 'ws://127.0.0.1:9',
  PUBLIC_BASE_URL: 'http://localhost:8000',
} as const;

export interface Harness {
  config: Config;
  deps: Deps;
  database: TestDatabase;
  app: ReturnType<typeof createApp>;
  /** Current time for the app's clock; change to move the API through time. */
  clock: { now: number };
  request(path: string, init?: RequestInit & { json?: unknown; ip?: string }): Promise<Response>;
  close(): Promise<void>;
}

export async function startHarness(
  env: Record<string, string> = {},
  database?: TestDatabase,
  /** Stand-ins for the deps that reach outside (e.g. a recording RoomService). */
  overrides: Partial<Deps> = {},
): Promise<Harness> {
  const config = loadConfig({ ...TEST_ENV, ...env });
  const db = database ?? (await freshDatabase());
  const clock = { now: Date.now() };
  const deps = { ...buildDeps(config, db.db, createLogger(config.logLevel)), now: () => clock.now, ...overrides };
  const app = createApp(config, deps);
  return {
    config,
    deps,
    database: db,
    app,
    clock,
    request(path, init = {}) {
      const { json, ip, ...rest } = init;
      const headers = new Headers(rest.headers);
      headers.set('x-forwarded-for', ip ?? '203.0.113.1');
      // As a browser on the product's own page would send it (cookie calls are CSRF-checked).
      if (!headers.has('origin')) headers.set('origin', 'http://localhost:8000');
      if (json !== undefined) headers.set('content-type', 'application/json');
      return Promise.resolve(app.request(path, { ...rest, headers, body: json !== undefined ? JSON.stringify(json) : rest.body }));
    },
    close: () => db.close(),
  };
}

let orgCounter = 0;

/** A new organization with one HR user, logged in: returns its bearer header. */
export async function hrUser(h: Harness) {
  orgCounter += 1;
  const email = `hr${orgCounter}-${Math.random().toString(36).slice(2, 8)}@example.com`;
  const password = 'correct horse battery staple';
  const ids = await createOrganizationWithUser(h.deps.db, {
    name: `Org ${orgCounter}`,
    email,
    passwordHash: await hashPassword(password),
  });
  const res = await h.request('/api/auth/login/', { method: 'POST', json: { email, password } });
  const { access } = (await res.json()) as { access: string };
  return { ...ids, email, password, access, auth: { authorization: `Bearer ${access}` } };
}

export const PHONE = '+971509876543';

/** Job + candidate + application through the HR API. */
export async function application(h: Harness, auth: Record<string, string>, over: { phoneNumber?: string; email?: string } = {}) {
  const post = async (path: string, json: unknown) => {
    const res = await h.request(path, { method: 'POST', headers: auth, json });
    if (res.status !== 201) throw new Error(`${path} → ${res.status} ${await res.text()}`);
    return (await res.json()) as { id: string };
  };
  const job = await post('/api/jobs', {
    title: 'Senior Backend Developer - Fintech',
    description: 'Build payment services in TypeScript and Postgres.',
    companyName: 'MENA Bank',
  });
  const candidate = await post('/api/candidates', {
    firstName: 'Ahmed',
    lastName: 'Hassan',
    email: over.email ?? 'ahmed@example.com',
    phoneNumber: over.phoneNumber ?? PHONE,
    resumeText: 'Five years of Node.js and Postgres at a payments company.',
  });
  const app = await post('/api/applications', { jobId: job.id, candidateId: candidate.id });
  return { jobId: job.id, candidateId: candidate.id, applicationId: app.id };
}

/** Seed 000's room/create for a fresh application. */
export async function room(h: Harness, auth: Record<string, string>, body: Record<string, unknown> = {}) {
  const { applicationId } = await application(h, auth);
  const res = await h.request('/api/public/interview/room/create', {
    method: 'POST',
    headers: auth,
    json: { applicationId, interviewType: 'TECHNICAL', maxDuration: 1800, instructions: 'Welcome!', ...body },
  });
  if (res.status !== 201) throw new Error(`room/create → ${res.status} ${await res.text()}`);
  return (await res.json()) as { roomCode: string; roomName: string; sessionId: string; joinUrl: string };
}

/** A scheduled interview (for seed 002's links). */
export async function scheduledInterview(h: Harness, auth: Record<string, string>, body: Record<string, unknown> = {}) {
  const { applicationId, jobId } = await application(h, auth);
  const res = await h.request('/api/interviews', {
    method: 'POST',
    headers: auth,
    json: {
      applicationId,
      interviewType: 'TECHNICAL',
      scheduledAt: new Date(h.clock.now).toISOString(),
      maxDuration: 1800,
      instructions: 'Answer in your own words.',
      ...body,
    },
  });
  if (res.status !== 201) throw new Error(`interviews → ${res.status} ${await res.text()}`);
  return { ...((await res.json()) as { id: string }), jobId };
}

/** Seed 002's text mode from link to completion: generate-link, start, one answer per text, complete. */
export async function completeTextInterview(h: Harness, auth: Record<string, string>, id: string, answers: string[], ip = '203.0.113.50') {
  const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const res = await h.request(path, { method: 'POST', headers, json: body, ip });
    if (res.status !== 200) throw new Error(`${path} → ${res.status} ${await res.text()}`);
    return (await res.json()) as Record<string, unknown>;
  };
  const link = (await post(`/api/ai-interview/generate-link/${id}/`, {}, auth)) as { link_token: string; ai_session_id: string };
  await post('/api/ai-interview/public/start/', { interview_id: id, link_token: link.link_token });
  for (const text of answers) {
    await post('/api/ai-interview/public/submit-response/', {
      session_id: link.ai_session_id,
      link_token: link.link_token,
      response_text: text,
    });
  }
  return post('/api/ai-interview/public/complete/', { session_id: link.ai_session_id, link_token: link.link_token });
}

export async function json<T = Record<string, unknown>>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

/**
 * A RoomService that records what the API asks of LiveKit and answers from a room list the test
 * sets: who is in which room.
 */
export function recordingRooms() {
  const people = new Map<string, RoomParticipant[]>();
  const deleted: string[] = [];
  const removed: { roomName: string; identity: string }[] = [];
  const dispatched: { roomName: string; interviewId: string }[] = [];
  const service: RoomService = {
    async deleteRoom(name) {
      deleted.push(name);
      people.delete(name);
    },
    participants: async (name) => people.get(name) ?? [],
    async removeParticipant(roomName, identity) {
      removed.push({ roomName, identity });
      people.set(
        roomName,
        (people.get(roomName) ?? []).filter((p) => p.identity !== identity),
      );
    },
    async dispatchAgent(roomName, interviewId) {
      dispatched.push({ roomName, interviewId });
    },
  };
  return {
    service,
    deleted,
    dispatched,
    removed,
    /** Everyone in the room joined at `at` (epoch ms). */
    joinedAt(roomName: string, at: number) {
      for (const p of people.get(roomName) ?? []) p.joinedAtMs = at;
    },
    /** Puts these people in the room (`agent` is the interviewer; others are candidate identities), joined long ago. */
    set(roomName: string, ...who: ('candidate' | 'agent')[]) {
      people.set(
        roomName,
        who.map((w) =>
          w === 'agent'
            ? { identity: 'agent-AJ_1', isAgent: true, joinedAtMs: 0 }
            : { identity: 'candidate_971509876543', isAgent: false, joinedAtMs: 0 },
        ),
      );
    },
  };
}
