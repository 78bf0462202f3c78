import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hrUser, json, PHONE, room, startHarness, type Harness } from '../../testkit/api.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe('seed 000 happy path', () => {
  it('creates a room, shows it, joins with the phone, ends with the session cookie', async () => {
    const hr = await hrUser(h);
    const r = await room(h, hr.auth);
    expect(r.roomCode).toMatch(/^[A-HJ-NP-Z2-9]{8}$/);
    const info = await h.request(`/api/public/interview/room/${r.roomCode}`);
    expect(info.status).toBe(200);
    expect(await json(info)).toMatchObject({ roomCode: r.roomCode, companyName: 'MENA Bank', status: 'READY' });
    const join = await h.request(`/api/public/interview/join/${r.roomCode}`, {
      method: 'POST',
      json: { phoneNumber: '0509876543', firstName: 'Ahmed', lastName: 'Hassan' },
    });
    expect(join.status).toBe(200);
    const body = await json(join);
    expect(body.identity).toBe(`candidate_${PHONE.slice(1)}`);
    const cookie = join.headers.get('set-cookie')!.split(';')[0]!;
    const end = await h.request(`/api/public/interview/room/${r.roomCode}/end`, { method: 'POST', headers: { cookie } });
    expect(end.status).toBe(200);
    expect(await json(end)).toEqual({ message: 'Interview session ended successfully' });
  });
});
