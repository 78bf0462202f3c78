// Rate limits of the public room endpoints: per room code and per address, shared by replicas on one
// database. Each test starts its own harness with low limits.
import { describe, expect, it } from 'vitest';
import { connectDatabase } from '../../db/connect.js';
import { hrUser, PHONE, room, startHarness } from '../../testkit/api.js';
import { expectError } from '../../testkit/errors.js';
import { join } from './helpers/rooms.js';

describe('rate limiting (public endpoints)', () => {
  const unknownCode = () => Array.from({ length: 8 }, () => 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'[Math.floor(Math.random() * 32)]).join('');

  async function expectLimited(res: Response) {
    const body = await expectError(res, 429, 'RATE_LIMITED');
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(body.retryAfter).toBe(retryAfter);
    expect(Object.keys(body).sort()).toEqual(['code', 'error', 'requestId', 'retryAfter']);
  }

  it('limits one room code: the 6th request in the window is a 429 with Retry-After', async () => {
    const l = await startHarness({ RATE_LIMIT_PER_KEY: '5' });
    try {
      const hr = await hrUser(l);
      const r = await room(l, hr.auth);
      const other = await room(l, hr.auth);
      for (let i = 0; i < 5; i++) expect((await l.request(`/api/public/interview/room/${r.roomCode}`)).status).toBe(200);
      await expectLimited(await l.request(`/api/public/interview/room/${r.roomCode}`));
      // The limit is the room's, whatever the address and whichever endpoint.
      await expectLimited(await l.request(`/api/public/interview/room/${r.roomCode}`, { ip: '198.51.100.77' }));
      const blocked = await join(r.roomCode, PHONE, '198.51.100.78', l);
      await expectLimited(blocked);
      expect(blocked.headers.getSetCookie()).toEqual([]);
      // Another room is not affected.
      expect((await l.request(`/api/public/interview/room/${other.roomCode}`)).status).toBe(200);
      // The next window admits again.
      l.clock.now += 60_000;
      expect((await l.request(`/api/public/interview/room/${r.roomCode}`)).status).toBe(200);
    } finally {
      await l.close();
    }
  });

  it('limits one address across room codes, and only that address', async () => {
    const l = await startHarness({ RATE_LIMIT_PER_IP: '5' });
    try {
      const ip = '198.51.100.10';
      for (let i = 0; i < 5; i++) {
        expect((await l.request(`/api/public/interview/room/${unknownCode()}`, { ip })).status).toBe(404);
      }
      await expectLimited(await l.request(`/api/public/interview/room/${unknownCode()}`, { ip }));
      await expectLimited(await join(unknownCode(), PHONE, ip, l));
      expect((await l.request(`/api/public/interview/room/${unknownCode()}`, { ip: '198.51.100.11' })).status).toBe(404);
    } finally {
      await l.close();
    }
  });

  it('holds across two API instances sharing one database', async () => {
    const one = await startHarness({ RATE_LIMIT_PER_KEY: '5' });
    // A second process: its own app and its own connection pool, on the same database.
    const pool = await connectDatabase({ databaseUrl: one.database.url, dataDir: '.data', poolSize: 5 });
    const two = await startHarness({ RATE_LIMIT_PER_KEY: '5' }, { ...pool, url: one.database.url, name: one.database.name });
    two.clock.now = one.clock.now;
    try {
      const hr = await hrUser(one);
      const r = await room(one, hr.auth);
      const path = `/api/public/interview/room/${r.roomCode}`;
      // From five addresses, so only the room's own limit is in play.
      const apps = [one, two, one, two, one];
      for (const [i, app] of apps.entries()) expect((await app.request(path, { ip: `198.51.100.${20 + i}` })).status).toBe(200);
      await expectLimited(await two.request(path));
      await expectLimited(await one.request(path));
      // Per address too: five calls split over the two instances exhaust one address.
      const ipOne = await startHarness(
        { RATE_LIMIT_PER_IP: '5' },
        { ...pool, url: one.database.url, name: one.database.name, close: async () => {} },
      );
      const ipTwo = await startHarness({ RATE_LIMIT_PER_IP: '5' }, { ...one.database, close: async () => {} });
      ipOne.clock.now = ipTwo.clock.now = one.clock.now + 120_000;
      const ip = '198.51.100.99';
      for (const app of [ipOne, ipTwo, ipOne, ipTwo, ipOne]) {
        expect((await app.request(`/api/public/interview/room/${unknownCode()}`, { ip })).status).toBe(404);
      }
      await expectLimited(await ipTwo.request(`/api/public/interview/room/${unknownCode()}`, { ip }));
    } finally {
      await two.close();
      await one.close();
    }
  });
});
