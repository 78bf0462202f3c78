// The interview's language (migration 0008): optional on both ways of creating an interview, English
// by default, a closed list (the API's 400 and the table's CHECK), voice rooms only in the languages
// the deployment declares its recognisers hear (VOICE_LANGUAGES), and the text mode in Arabic
// (questions, the candidate's texts, the question audio; espeak-ng as scripts/setup.sh installs it).
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUESTION_BANK_AR } from '../../core/question-bank.js';
import { application, hrUser, json, scheduledInterview, startHarness, type Harness } from '../../testkit/api.js';
import { expectError } from '../../testkit/errors.js';

let english: Harness;
let bilingual: Harness;
beforeAll(async () => {
  // The default deployment: offline speech, English voice rooms only.
  english = await startHarness();
  bilingual = await startHarness({ VOICE_LANGUAGES: 'en,ar' });
});
afterAll(async () => {
  await english?.close();
  await bilingual?.close();
});

const createRoom = (h: Harness, auth: Record<string, string>, body: Record<string, unknown>) =>
  h.request('/api/public/interview/room/create', {
    method: 'POST',
    headers: auth,
    json: { interviewType: 'TECHNICAL', maxDuration: 1800, instructions: 'Welcome!', ...body },
  });

const storedLanguage = async (h: Harness, id: string) =>
  (await sql<{ language: string }>`SELECT language FROM interviews WHERE id = ${id}`.execute(h.deps.db)).rows[0]?.language;

describe('the language field', () => {
  it('is English when left out, as every client before it sends', async () => {
    const hr = await hrUser(english);
    const created = await scheduledInterview(english, hr.auth);
    expect((created as { language?: string }).language).toBe('en');
    expect(await storedLanguage(english, created.id)).toBe('en');
    const { applicationId } = await application(english, hr.auth);
    const room = await json<{ sessionId: string }>(await createRoom(english, hr.auth, { applicationId }));
    expect(await storedLanguage(english, room.sessionId)).toBe('en');
  });

  it('is stored as HR chose it and shown in the detail and the list', async () => {
    const hr = await hrUser(bilingual);
    const created = await scheduledInterview(bilingual, hr.auth, { language: 'ar' });
    const detail = await json(await bilingual.request(`/api/interviews/${created.id}`, { headers: hr.auth }));
    expect(detail.language).toBe('ar');
    const list = await json<{ items: { id: string; language: string }[] }>(
      await bilingual.request('/api/interviews', { headers: hr.auth }),
    );
    expect(list.items.find((i) => i.id === created.id)?.language).toBe('ar');

    const { applicationId } = await application(bilingual, hr.auth, { email: 'ar-room@example.com' });
    const res = await createRoom(bilingual, hr.auth, { applicationId, language: 'ar' });
    expect(res.status).toBe(201);
    const room = await json<{ sessionId: string }>(res);
    expect(await storedLanguage(bilingual, room.sessionId)).toBe('ar');
  });

  it.each([['fr'], ['AR'], [''], [null], [1]])('refuses %j with the error envelope, on both create calls', async (language) => {
    const hr = await hrUser(bilingual);
    const { applicationId } = await application(bilingual, hr.auth);
    const body = await expectError(await createRoom(bilingual, hr.auth, { applicationId, language }), 400, 'VALIDATION_FAILED');
    expect(body.error).toMatch(/language/);
    const viaHr = await bilingual.request('/api/interviews', {
      method: 'POST',
      headers: hr.auth,
      json: { applicationId, interviewType: 'TECHNICAL', language },
    });
    await expectError(viaHr, 400, 'VALIDATION_FAILED');
  });

  it('the table refuses any other language, whoever writes it', async () => {
    const hr = await hrUser(english);
    const { id } = await scheduledInterview(english, hr.auth);
    await expect(sql`UPDATE interviews SET language = 'fr' WHERE id = ${id}`.execute(english.deps.db)).rejects.toThrow(
      /interviews_language_check/,
    );
  });
});

describe('voice rooms only in the languages the deployment hears (VOICE_LANGUAGES)', () => {
  it('an Arabic room on an English-only deployment is refused, and nothing is created', async () => {
    const hr = await hrUser(english);
    const { applicationId } = await application(english, hr.auth);
    const body = await expectError(await createRoom(english, hr.auth, { applicationId, language: 'ar' }), 409, 'CONFLICT');
    expect(body.error).toMatch(/Arabic.*VOICE_LANGUAGES/);
    const n = await sql<{ n: number }>`SELECT count(*)::int AS n FROM interviews WHERE application_id = ${applicationId}`.execute(
      english.deps.db,
    );
    expect(n.rows[0]!.n).toBe(0);
  });

  it('an Arabic interview can be created there, for a text link, but not given a voice room', async () => {
    const hr = await hrUser(english);
    const { id } = await scheduledInterview(english, hr.auth, { language: 'ar' });
    await expectError(await english.request(`/api/interviews/${id}/room`, { method: 'POST', headers: hr.auth }), 409, 'CONFLICT');
    expect((await english.request(`/api/ai-interview/generate-link/${id}/`, { method: 'POST', headers: hr.auth, json: {} })).status).toBe(
      200,
    );
  });

  it('VOICE_LANGUAGES names only known languages', async () => {
    await expect(startHarness({ VOICE_LANGUAGES: 'en,fr' })).rejects.toThrow(/VOICE_LANGUAGES/);
  });
});

describe('the text mode in Arabic (seed 002)', () => {
  it('asks the Arabic questions (no LLM: the Arabic bank) and answers the candidate in Arabic', async () => {
    const hr = await hrUser(english);
    const { id } = await scheduledInterview(english, hr.auth, { language: 'ar' });
    const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
      const res = await english.request(path, { method: 'POST', headers, json: body, ip: '203.0.113.77' });
      expect(res.status, path).toBe(200);
      return json(res);
    };
    const link = (await post(`/api/ai-interview/generate-link/${id}/`, {}, hr.auth)) as { link_token: string; ai_session_id: string };
    const started = (await post('/api/ai-interview/public/start/', { interview_id: id, link_token: link.link_token })) as {
      questions: { text: string; audio_url: string }[];
    };
    expect(started.questions.map((q) => q.text)).toEqual(QUESTION_BANK_AR.TECHNICAL.map((q) => q.text));
    // The question audio in the Arabic voice: espeak-ng's ar (22.05 kHz), not flite's English slt (16 kHz).
    const audio = await english.request(started.questions[0]!.audio_url, { ip: '203.0.113.77' });
    expect(audio.status).toBe(200);
    expect(Buffer.from(await audio.arrayBuffer()).readUInt32LE(24)).toBe(22_050);
    const submitted = await post('/api/ai-interview/public/submit-response/', {
      session_id: link.ai_session_id,
      link_token: link.link_token,
      response_text: 'عملت خمس سنوات في تطوير أنظمة الدفع.',
    });
    expect(submitted.feedback).toBe('شكرًا لك، تم تسجيل إجابتك.');
    expect(submitted.next_instruction).toBe('يرجى الانتقال إلى السؤال التالي.');
  });
});
