// The HR API's interviews: created and shown with status, questions, transcript, evaluation and
// history; given a room; ended once; listed by status; bad bodies refused.
import { describe, expect, it } from 'vitest';
import { application, hrUser, json, PHONE } from '../../testkit/api.js';
import { expectError } from '../../testkit/errors.js';
import { type Body, count, created, get, h, type Page, post, UUID, useHrHarness } from './helpers/hr.js';

useHrHarness();

describe('interviews', () => {
  it('creates an interview and shows it with status, questions, transcript, evaluation and history', async () => {
    const hr = await hrUser(h);
    const { applicationId } = await application(h, hr.auth);
    const scheduledAt = new Date(h.clock.now + 3_600_000).toISOString();
    const res = await post('/api/interviews', hr.auth, {
      applicationId,
      interviewType: 'TECHNICAL',
      scheduledAt,
      maxDuration: 1200,
      instructions: 'Answer in your own words.',
    });
    expect(res.status).toBe(201);
    const iv = await json(res);
    expect(iv).toMatchObject({
      id: expect.stringMatching(UUID),
      applicationId,
      interviewType: 'TECHNICAL',
      status: 'SCHEDULED',
      scheduledAt,
      maxDuration: 1200,
      instructions: 'Answer in your own words.',
      revealResultsToCandidate: false,
      roomCode: null,
      roomName: null,
      endedAt: null,
    });
    const id = iv.id as string;

    const fresh = await json(await get(`/api/interviews/${id}`, hr.auth));
    expect(fresh).toMatchObject({
      id,
      status: 'SCHEDULED',
      candidate: { firstName: 'Ahmed', lastName: 'Hassan', email: 'ahmed@example.com' },
      job: { title: 'Senior Backend Developer - Fintech', companyName: 'MENA Bank' },
      questions: [],
      transcript: [],
      evaluation: null,
      statusHistory: [{ from: null, to: 'SCHEDULED', reason: null, at: expect.any(String) }],
    });

    // What the agent writes, as it writes it: the detail shows it in order.
    const { db } = h.deps;
    await db
      .insertInto('interview_questions')
      .values([
        { interview_id: id, position: 2, text: 'How do you test SQL?', kind: 'technical', source: 'bank' },
        { interview_id: id, position: 1, text: 'Tell me about yourself.', kind: 'intro', source: 'bank' },
      ])
      .execute();
    await db
      .insertInto('transcript_turns')
      .values([
        { interview_id: id, seq: 2, speaker: 'candidate', text: 'I build payment systems.' },
        { interview_id: id, seq: 1, speaker: 'agent', text: 'Tell me about yourself.', question_position: 1 },
      ])
      .execute();
    await db
      .insertInto('evaluations')
      .values({
        interview_id: id,
        scored: false,
        not_scored_reason: 'no LLM configured',
        score: null,
        evaluation_text: '',
        prompt_version: 'v1',
      })
      .execute();
    const detail = await json<Body>(await get(`/api/interviews/${id}`, hr.auth));
    expect((detail.questions as Body[]).map((q) => [q.order, q.text])).toEqual([
      [1, 'Tell me about yourself.'],
      [2, 'How do you test SQL?'],
    ]);
    expect((detail.transcript as Body[]).map((t) => [t.seq, t.speaker, t.text])).toEqual([
      [1, 'agent', 'Tell me about yourself.'],
      [2, 'candidate', 'I build payment systems.'],
    ]);
    expect(detail.evaluation).toMatchObject({ scored: false, notScoredReason: 'no LLM configured', score: null, promptVersion: 'v1' });
  });

  it('gives an existing interview a room; a second call keeps the same code', async () => {
    const hr = await hrUser(h);
    const { applicationId } = await application(h, hr.auth);
    const iv = await created('/api/interviews', hr.auth, {
      applicationId,
      interviewType: 'TECHNICAL',
      scheduledAt: new Date(h.clock.now).toISOString(),
    });
    const first = await post(`/api/interviews/${iv.id}/room`, hr.auth, undefined);
    expect(first.status).toBe(201);
    const roomA = await json(first);
    expect(roomA).toMatchObject({
      roomCode: expect.stringMatching(/^[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{8}$/),
      sessionId: iv.id,
      candidateName: 'Ahmed Hassan',
      jobTitle: 'Senior Backend Developer - Fintech',
    });
    expect(roomA.roomName).toBe(`interview_${roomA.roomCode}`);
    expect(roomA.joinUrl).toBe(`/interview/join/${roomA.roomCode}`);

    const second = await post(`/api/interviews/${iv.id}/room`, hr.auth, undefined);
    expect(second.status).toBe(200);
    expect(await json(second)).toEqual(roomA);

    const detail = await json<Body>(await get(`/api/interviews/${iv.id}`, hr.auth));
    expect(detail).toMatchObject({ status: 'READY', roomCode: roomA.roomCode });
    expect((detail.statusHistory as Body[]).map((s) => s.to)).toEqual(['SCHEDULED', 'READY']);
    expect((detail.audit as Body[]).filter((a) => a.action === 'room.created')).toHaveLength(1);

    // The code works for the candidate.
    const join = await h.request(`/api/public/interview/join/${roomA.roomCode}`, {
      method: 'POST',
      json: { phoneNumber: PHONE, firstName: 'Ahmed', lastName: 'Hassan' },
    });
    expect(join.status).toBe(200);
  });

  it('ends an interview: SCHEDULED → CANCELLED, once', async () => {
    const hr = await hrUser(h);
    const { applicationId } = await application(h, hr.auth);
    const iv = await created('/api/interviews', hr.auth, { applicationId, interviewType: 'FINAL' });
    const res = await post(`/api/interviews/${iv.id}/end`, hr.auth, undefined);
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body).toMatchObject({ id: iv.id, status: 'CANCELLED', endReason: 'hr_ended', endedAt: expect.any(String) });
    const again = await post(`/api/interviews/${iv.id}/end`, hr.auth, undefined);
    expect(again.status).toBe(200);
    expect(await json(again)).toMatchObject({ status: 'CANCELLED', endedAt: body.endedAt });
    const detail = await json<Body>(await get(`/api/interviews/${iv.id}`, hr.auth));
    expect(detail.statusHistory).toEqual([
      { from: null, to: 'SCHEDULED', reason: null, at: expect.any(String) },
      { from: 'SCHEDULED', to: 'CANCELLED', reason: 'hr_ended', at: expect.any(String) },
    ]);
  });

  it('filters the list by ?status= and rejects an unknown status', async () => {
    const hr = await hrUser(h);
    const { applicationId } = await application(h, hr.auth);
    const a = await created('/api/interviews', hr.auth, { applicationId, interviewType: 'TECHNICAL' });
    const b = await created('/api/interviews', hr.auth, { applicationId, interviewType: 'TECHNICAL' });
    await created('/api/public/interview/room/create', hr.auth, { applicationId, interviewType: 'TECHNICAL' });
    await post(`/api/interviews/${b.id}/end`, hr.auth, undefined);

    const scheduled = await json<Page>(await get('/api/interviews?status=SCHEDULED', hr.auth));
    expect(scheduled.items.map((i) => i.id)).toEqual([a.id]);
    expect(scheduled.items[0]).toMatchObject({ candidateName: 'Ahmed Hassan', jobTitle: 'Senior Backend Developer - Fintech' });
    const cancelled = await json<Page>(await get('/api/interviews?status=CANCELLED', hr.auth));
    expect(cancelled.items.map((i) => i.id)).toEqual([b.id]);
    const ready = await json<Page>(await get('/api/interviews?status=READY', hr.auth));
    expect(ready.items).toHaveLength(1);
    expect(ready.items.every((i) => i.status === 'READY')).toBe(true);
    const all = await json<Page>(await get('/api/interviews', hr.auth));
    expect(all.items).toHaveLength(3);
    await expectError(await get('/api/interviews?status=DONE', hr.auth), 400, 'VALIDATION_FAILED');
    await expectError(await get('/api/interviews?status=ready', hr.auth), 400, 'VALIDATION_FAILED');
  });

  it('rejects an interview body with an invalid type or duration', async () => {
    const hr = await hrUser(h);
    const { applicationId } = await application(h, hr.auth);
    const before = await count('interviews');
    await expectError(await post('/api/interviews', hr.auth, { applicationId, interviewType: 'QUIZ' }), 400, 'VALIDATION_FAILED');
    await expectError(
      await post('/api/interviews', hr.auth, { applicationId, interviewType: 'TECHNICAL', maxDuration: 5 * 60 * 60 }),
      400,
      'VALIDATION_FAILED',
    );
    await expectError(
      await post('/api/interviews', hr.auth, { applicationId, interviewType: 'TECHNICAL', scheduledAt: 'tomorrow' }),
      400,
      'VALIDATION_FAILED',
    );
    expect(await count('interviews')).toBe(before);
  });
});
