// What the room files (seed 000: room codes, phone join, end) share: one harness with the limits out
// of the way, the calls as clients make them, and the rows they leave.
import { afterAll, beforeAll, expect } from 'vitest';
import { json, PHONE, room, startHarness, type Harness } from '../../../testkit/api.js';
import { expectError } from '../../../testkit/errors.js';

// The functional tests make far more public calls from one address than the default limits allow
// in one window (the harness clock stands still); the rate-limit tests below use their own apps.
export let h: Harness;

/** Starts the file's harness before its tests and closes it after. */
export function useRoomsHarness() {
  beforeAll(async () => {
    h = await startHarness({ RATE_LIMIT_PER_KEY: '100000', RATE_LIMIT_PER_IP: '100000' });
  });
  afterAll(() => h?.close());
}

export const CODE = /^[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{8}$/;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const JOIN_FIELDS = [
  'instructions',
  'identity',
  'jobTitle',
  'maxDuration',
  'participantName',
  'participantToken',
  'roomCode',
  'roomName',
  'serverUrl',
  'token',
].sort();

export type Body = Record<string, unknown>;
export type Auth = Record<string, string>;

export function join(code: string, phoneNumber: string = PHONE, ip?: string, harness: Harness = h) {
  return harness.request(`/api/public/interview/join/${code}`, {
    method: 'POST',
    json: { phoneNumber, firstName: 'Ahmed', lastName: 'Hassan' },
    ip,
  });
}

export function end(code: string, headers: Auth = {}, harness: Harness = h) {
  return harness.request(`/api/public/interview/room/${code}/end`, { method: 'POST', headers });
}

/** The Set-Cookie line for `name`, and the `name=value` pair to send back. */
export function cookie(res: Response, name: string) {
  const line = res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
  if (!line) throw new Error(`no ${name} cookie in ${JSON.stringify(res.headers.getSetCookie())}`);
  return { line, pair: line.split(';')[0]! };
}

/** A room with a joined candidate: its code, id, candidate cookie pair and join token. */
export async function joinedRoom(auth: Auth) {
  const r = await room(h, auth);
  const res = await join(r.roomCode);
  expect(res.status).toBe(200);
  const body = await json<{ token: string }>(res);
  return { ...r, cookie: cookie(res, 'candidate_session').pair, token: body.token };
}

export const interviewRow = (id: string) => h.deps.db.selectFrom('interviews').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

/** As if the agent had started the interview. */
export const markInProgress = (id: string) =>
  h.deps.db.updateTable('interviews').set({ status: 'IN_PROGRESS', started_at: new Date() }).where('id', '=', id).execute();

export const statusChanges = (id: string) =>
  h.deps.db
    .selectFrom('interview_status_changes')
    .select(['from_status', 'to_status', 'reason'])
    .where('interview_id', '=', id)
    .orderBy('id')
    .execute();

export const auditActions = async (id: string) =>
  (
    await h.deps.db.selectFrom('audit_log').select(['action', 'actor', 'details']).where('interview_id', '=', id).orderBy('id').execute()
  ).map((a) => ({ ...a, details: a.details as Body }));

/** An unknown code and each malformed one answer the same 404: a caller learns nothing from the shape. */
export async function expectSame404(request: (code: string) => Promise<Response>, malformed: string[]) {
  const unknown = await expectError(await request('ZZZZ2222'), 404, 'NOT_FOUND');
  for (const bad of malformed) {
    const body = await expectError(await request(bad), 404, 'NOT_FOUND');
    expect(Object.keys(body).sort()).toEqual(Object.keys(unknown).sort());
    expect(body.error).toBe(unknown.error);
  }
}
