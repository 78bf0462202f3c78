// Across the HR API's lists and resources: paging that skips and repeats nothing, bodies that carry
// more than the schema allows, and organization scoping wherever an id is used.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../db/schema.js';
import { application, hrUser, json, PHONE } from '../../testkit/api.js';
import { expectError } from '../../testkit/errors.js';
import { type Body, candidate, count, created, get, h, job, type Page, post, walk, useHrHarness } from './helpers/hr.js';

useHrHarness();

describe('pagination', () => {
  it('walks every item of each list once, newest first', async () => {
    const hr = await hrUser(h);
    const jobIds: string[] = [];
    const candidateIds: string[] = [];
    for (let i = 0; i < 7; i++) {
      jobIds.push((await job(hr.auth, `Job ${i}`)).id as string);
      candidateIds.push((await candidate(hr.auth)).id as string);
    }
    const applicationIds: string[] = [];
    const interviewIds: string[] = [];
    for (let i = 0; i < 7; i++) {
      const a = await created('/api/applications', hr.auth, { jobId: jobIds[i], candidateId: candidateIds[i] });
      applicationIds.push(a.id as string);
      interviewIds.push((await created('/api/interviews', hr.auth, { applicationId: a.id, interviewType: 'CUSTOM' })).id as string);
    }
    const lists: [string, string[]][] = [
      ['/api/jobs', jobIds],
      ['/api/candidates', candidateIds],
      ['/api/applications', applicationIds],
      ['/api/interviews', interviewIds],
    ];
    for (const [path, ids] of lists) {
      for (const limit of [1, 3, 7, 100]) {
        const walked = await walk(path, hr.auth, limit);
        expect(walked.ids).toEqual([...ids].reverse());
        expect(walked.pages).toBe(Math.max(1, Math.ceil(ids.length / limit)));
      }
    }
  });

  it('does not skip rows created in the same instant (one batch, one now())', async () => {
    const hr = await hrUser(h);
    const early = await job(hr.auth, 'early');
    // A bulk import writes many rows in one statement: they share created_at to the microsecond.
    const batch = await h.deps.db
      .insertInto('jobs')
      .values(
        Array.from({ length: 9 }, (_, i) => ({
          organization_id: hr.organizationId,
          title: `batch ${i}`,
          description: 'd',
          company_name: 'c',
        })),
      )
      .returning('id')
      .execute();
    const late = await job(hr.auth, 'late');
    for (const limit of [1, 2, 4]) {
      const { ids } = await walk('/api/jobs', hr.auth, limit);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toHaveLength(11);
      expect(ids[0]).toBe(late.id);
      expect(ids[10]).toBe(early.id);
      expect(new Set(ids.slice(1, 10))).toEqual(new Set(batch.map((b) => b.id)));
    }
  });

  it('filters and pages together', async () => {
    const hr = await hrUser(h);
    const { applicationId } = await application(h, hr.auth);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const iv = await created('/api/interviews', hr.auth, { applicationId, interviewType: 'TECHNICAL' });
      if (i % 2 === 0) await post(`/api/interviews/${iv.id}/end`, hr.auth, undefined);
      else ids.push(iv.id as string);
    }
    const { ids: walked } = await walk('/api/interviews?status=SCHEDULED', hr.auth, 1);
    expect(walked).toEqual([...ids].reverse());
  });

  it.each([
    ['garbage', 'not-a-cursor'],
    ['base64 of something else', Buffer.from('{"a":1}').toString('base64url')],
    ['a cursor with a bad date', Buffer.from(JSON.stringify(['yesterday', randomUUID()])).toString('base64url')],
    ['a cursor with a bad id', Buffer.from(JSON.stringify([new Date().toISOString(), '1 OR 1=1'])).toString('base64url')],
    ['an over-long cursor', 'A'.repeat(500)],
  ])('rejects %s as a cursor with 400', async (_, cursor) => {
    const hr = await hrUser(h);
    for (const path of ['/api/jobs', '/api/candidates', '/api/applications', '/api/interviews']) {
      await expectError(await get(`${path}?cursor=${encodeURIComponent(cursor)}`, hr.auth), 400, 'VALIDATION_FAILED');
    }
  });

  it.each([['0'], ['101'], ['-1'], ['2.5'], ['ten']])('rejects limit=%s with 400', async (limit) => {
    const hr = await hrUser(h);
    await expectError(await get(`/api/jobs?limit=${limit}`, hr.auth), 400, 'VALIDATION_FAILED');
  });

  it('rejects unknown query parameters with 400', async () => {
    const hr = await hrUser(h);
    await expectError(await get('/api/jobs?organization_id=x', hr.auth), 400, 'VALIDATION_FAILED');
  });
});

describe('mass assignment: unknown fields are rejected and nothing is inserted', () => {
  it.each<[string, keyof Database, (ctx: { otherOrg: string; applicationId: string; jobId: string; candidateId: string }) => Body]>([
    ['/api/jobs', 'jobs', ({ otherOrg }) => ({ title: 't', description: 'd', companyName: 'c', organization_id: otherOrg })],
    ['/api/jobs', 'jobs', () => ({ title: 't', description: 'd', companyName: 'c', id: randomUUID() })],
    ['/api/jobs', 'jobs', () => ({ title: 't', description: 'd', companyName: 'c', createdAt: '2000-01-01T00:00:00Z' })],
    [
      '/api/candidates',
      'candidates',
      ({ otherOrg }) => ({ firstName: 'a', lastName: 'b', email: 'x@example.com', phoneNumber: PHONE, organizationId: otherOrg }),
    ],
    [
      '/api/candidates',
      'candidates',
      () => ({ firstName: 'a', lastName: 'b', email: 'x@example.com', phoneNumber: PHONE, phone_e164: '+15555550100' }),
    ],
    ['/api/applications', 'applications', ({ jobId, candidateId, otherOrg }) => ({ jobId, candidateId, organization_id: otherOrg })],
    ['/api/interviews', 'interviews', ({ applicationId }) => ({ applicationId, interviewType: 'TECHNICAL', status: 'COMPLETED' })],
    ['/api/interviews', 'interviews', ({ applicationId }) => ({ applicationId, interviewType: 'TECHNICAL', id: randomUUID() })],
    ['/api/interviews', 'interviews', ({ applicationId }) => ({ applicationId, interviewType: 'TECHNICAL', roomCode: 'AAAAAAAA' })],
    [
      '/api/interviews',
      'interviews',
      ({ applicationId, otherOrg }) => ({ applicationId, interviewType: 'TECHNICAL', organization_id: otherOrg }),
    ],
    [
      '/api/public/interview/room/create',
      'interviews',
      ({ applicationId }) => ({ applicationId, interviewType: 'TECHNICAL', status: 'IN_PROGRESS' }),
    ],
    [
      '/api/public/interview/room/create',
      'interviews',
      ({ applicationId }) => ({ applicationId, interviewType: 'TECHNICAL', started_at: '2020-01-01T00:00:00Z' }),
    ],
  ])('POST %s refuses an extra field (%#)', async (path, table, body) => {
    const hr = await hrUser(h);
    const other = await hrUser(h);
    const ctx = await application(h, hr.auth);
    const { jobId, candidateId } = await (async () => {
      const j = await job(hr.auth);
      const c = await candidate(hr.auth);
      return { jobId: j.id as string, candidateId: c.id as string };
    })();
    const before = await count(table);
    const err = await expectError(
      await post(path, hr.auth, body({ ...ctx, jobId, candidateId, otherOrg: other.organizationId })),
      400,
      'VALIDATION_FAILED',
    );
    expect(err.error).toMatch(/Unknown field/);
    expect(await count(table)).toBe(before);
  });
});

describe('organization scoping', () => {
  it("answers 404 for another organization's resources, wherever their ids are used", async () => {
    const a = await hrUser(h);
    const b = await hrUser(h);
    const { applicationId, jobId, candidateId } = await application(h, a.auth, { email: 'scoped@example.com' });
    const iv = await created('/api/interviews', a.auth, { applicationId, interviewType: 'TECHNICAL' });
    const bJob = await job(b.auth);
    const bCandidate = await candidate(b.auth);

    await expectError(await get(`/api/jobs/${jobId}`, b.auth), 404, 'NOT_FOUND');
    await expectError(await get(`/api/candidates/${candidateId}`, b.auth), 404, 'NOT_FOUND');
    await expectError(await get(`/api/applications/${applicationId}`, b.auth), 404, 'NOT_FOUND');
    await expectError(await get(`/api/interviews/${iv.id}`, b.auth), 404, 'NOT_FOUND');

    const before = { applications: await count('applications'), interviews: await count('interviews') };
    await expectError(await post('/api/applications', b.auth, { jobId, candidateId: bCandidate.id }), 404, 'NOT_FOUND');
    await expectError(await post('/api/applications', b.auth, { jobId: bJob.id, candidateId }), 404, 'NOT_FOUND');
    await expectError(await post('/api/applications', b.auth, { jobId, candidateId }), 404, 'NOT_FOUND');
    await expectError(await post('/api/interviews', b.auth, { applicationId, interviewType: 'TECHNICAL' }), 404, 'NOT_FOUND');
    await expectError(
      await post('/api/public/interview/room/create', b.auth, { applicationId, interviewType: 'TECHNICAL' }),
      404,
      'NOT_FOUND',
    );
    await expectError(await post(`/api/interviews/${iv.id}/room`, b.auth, undefined), 404, 'NOT_FOUND');
    await expectError(await post(`/api/interviews/${iv.id}/end`, b.auth, undefined), 404, 'NOT_FOUND');
    expect({ applications: await count('applications'), interviews: await count('interviews') }).toEqual(before);

    const row = await h.deps.db
      .selectFrom('interviews')
      .selectAll()
      .where('id', '=', iv.id as string)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'SCHEDULED', room_code: null });

    // Lists show only the caller's own rows.
    for (const path of ['/api/jobs', '/api/candidates', '/api/applications', '/api/interviews']) {
      const page = await json<Page>(await get(path, b.auth));
      const ids = page.items.map((i) => i.id);
      expect(ids).not.toContain(jobId);
      expect(ids).not.toContain(candidateId);
      expect(ids).not.toContain(applicationId);
      expect(ids).not.toContain(iv.id);
    }
    expect((await json<Page>(await get('/api/jobs', b.auth))).items.map((i) => i.id)).toEqual([bJob.id]);
  });
});
