// Candidate demographics for the outcomes export: stored, merged and cleared per field, only in the
// candidate's own organization, and hostile bodies refused without a write.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { json } from '../../testkit/api.js';
import { created, demographicsRows, expectError, f, get, h, hr, other, put, useOutcomesFixture } from './helpers/outcomes.js';

useOutcomesFixture();

describe('PUT/GET /api/candidates/:id/demographics', () => {
  it('stores, merges and clears: a field left out is kept, null clears it', async () => {
    const c = await created('/api/candidates', hr.auth, {
      firstName: 'N',
      lastName: 'M',
      email: 'nm@example.com',
      phoneNumber: '+971501119999',
    });
    const path = `/api/candidates/${c.id}/demographics`;
    expect(await json(await get(path, hr.auth))).toEqual({ candidateId: c.id, sex: null, raceEthnicity: null, updatedAt: null });

    const first = await put(path, hr.auth, { sex: 'female' });
    expect(first.status).toBe(200);
    const stored = await json(first);
    expect(stored).toEqual({ candidateId: c.id, sex: 'female', raceEthnicity: null, updatedAt: expect.any(String) });

    expect(await json(await put(path, hr.auth, { raceEthnicity: 'hispanic_or_latino' }))).toMatchObject({
      sex: 'female',
      raceEthnicity: 'hispanic_or_latino',
    });
    expect(await json(await put(path, hr.auth, { sex: null }))).toMatchObject({ sex: null, raceEthnicity: 'hispanic_or_latino' });
    expect(await json(await put(path, hr.auth, {}))).toMatchObject({ sex: null, raceEthnicity: 'hispanic_or_latino' });
    const read = await json(await get(`${path}/`, hr.auth));
    expect(read).toMatchObject({ candidateId: c.id, sex: null, raceEthnicity: 'hispanic_or_latino' });
    expect(Date.parse(read.updatedAt as string)).not.toBeNaN();
    // The uppercase form of the id is the same candidate.
    expect((await get(`/api/candidates/${c.id.toUpperCase()}/demographics`, hr.auth)).status).toBe(200);

    const row = await h.deps.db.selectFrom('candidate_demographics').selectAll().where('candidate_id', '=', c.id).executeTakeFirstOrThrow();
    expect(row.organization_id).toBe(hr.organizationId);
  });

  it("another organization's candidate, or an unknown one, is a 404 and is not written", async () => {
    const mine = f.ivs[0]!.candidateId;
    const before = await demographicsRows();
    await expectError(await get(`/api/candidates/${mine}/demographics`, other.auth), 404, 'NOT_FOUND');
    await expectError(await put(`/api/candidates/${mine}/demographics`, other.auth, { sex: 'female' }), 404, 'NOT_FOUND');
    await expectError(await put(`/api/candidates/${randomUUID()}/demographics`, hr.auth, { sex: 'female' }), 404, 'NOT_FOUND');
    await expectError(await put('/api/candidates/not-a-uuid/demographics', hr.auth, { sex: 'female' }), 404, 'NOT_FOUND');
    expect(await demographicsRows()).toEqual(before);
    expect(await json(await get(`/api/candidates/${mine}/demographics`, hr.auth))).toMatchObject({ sex: 'male', raceEthnicity: 'white' });
  });

  it('hostile bodies answer 4xx in the envelope and change nothing', async () => {
    const path = `/api/candidates/${f.ivs[0]!.candidateId}/demographics`;
    const before = await demographicsRows();
    const cases: [unknown, number, string][] = [
      [{ sex: 'female', isAdmin: true }, 400, 'VALIDATION_FAILED'],
      [{ sex: 'Male' }, 400, 'VALIDATION_FAILED'],
      [{ sex: 'unknown' }, 400, 'VALIDATION_FAILED'],
      [{ raceEthnicity: 'other' }, 400, 'VALIDATION_FAILED'],
      [{ sex: 1 }, 400, 'VALIDATION_FAILED'],
      [{ sex: ['female'] }, 400, 'VALIDATION_FAILED'],
      [{ sex: 'female\u0000' }, 400, 'VALIDATION_FAILED'],
      [{ race_ethnicity: 'white' }, 400, 'VALIDATION_FAILED'],
      [['female'], 400, 'VALIDATION_FAILED'],
      [null, 400, 'VALIDATION_FAILED'],
      [{ sex: 'female', pad: 'x'.repeat(300_000) }, 413, 'PAYLOAD_TOO_LARGE'],
    ];
    for (const [body, status, code] of cases) await expectError(await put(path, hr.auth, body), status, code);
    // A prototype key as an own key of the parsed body is still an unknown field.
    const proto = await h.request(path, {
      method: 'PUT',
      headers: { ...hr.auth, 'content-type': 'application/json' },
      body: '{"__proto__":{"sex":"female"},"sex":"female"}',
    });
    await expectError(proto, 400, 'VALIDATION_FAILED');
    await expectError(
      await h.request(path, { method: 'PUT', headers: { ...hr.auth, 'content-type': 'application/json' }, body: '{"sex":' }),
      400,
      'INVALID_JSON',
    );
    await expectError(
      await h.request(path, { method: 'PUT', headers: { ...hr.auth, 'content-type': 'text/plain' }, body: '{"sex":"female"}' }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
    await expectError(await h.request(path, { method: 'PUT', headers: hr.auth }), 400, 'VALIDATION_FAILED');
    // A cookie call from another site.
    await expectError(
      await h.request(path, {
        method: 'PUT',
        headers: { cookie: `hr_session=${hr.access}`, origin: 'https://evil.example' },
        json: { sex: 'female' },
      }),
      403,
      'FORBIDDEN',
    );
    expect(await demographicsRows()).toEqual(before);
  });
});
