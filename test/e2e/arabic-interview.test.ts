// An Arabic voice interview end to end, on real parts inside the test's network namespace: the
// LiveKit server, the API, the agent worker, Postgres. The interviewer speaks with espeak-ng's
// Arabic voice; the candidate answers in espeak-ng's Arabic too; the recogniser is the OpenAI-
// compatible stand-in (testkit/fake-stt.ts), which the product's own openai STT client uploads each
// utterance to and which answers the Arabic words the candidate was saying at the time (pocketsphinx
// has no Arabic model); the LLM is the scripted one. And the same interview on a worker whose
// recogniser cannot hear Arabic: said aloud, and FAILED, never a silent interview.
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type DbHandle } from '../../db/connect.js';
import { LINES } from '../../prompts/interviewer.js';
import { leaveAll, startCandidate, type Candidate } from '../../testkit/candidate.js';
import { productScript, startFakeLlm, type ChatRequest, type FakeLlm, type Handler } from '../../testkit/fake-llm.js';
import { startFakeStt, type FakeStt } from '../../testkit/fake-stt.js';
import { createInterviewRoom, startStack, stopAll, waitUntil, type Stack } from '../../testkit/stack.js';

const QUESTIONS = ['حدثني عن خبرتك في تطوير خدمات الدفع.', 'صف نظامًا صممته بنفسك.', 'كيف تختبر الشيفرة التي تكتبها؟'];
// One sentence each, no commas: espeak-ng pauses at a comma, and a pause could split an answer in two.
const ANSWERS = [
  'عملت خمس سنوات في بناء خدمات الدفع في بنك كبير',
  'صممت نظامًا للدفتر المالي يعالج مليون تحويل كل يوم',
  'أكتب اختبارات الوحدة واختبارات التكامل وأشغلها مع كل تغيير',
];
const AI_NOTICE = 'يجري هذه المقابلة محاور آلي يعمل بالذكاء الاصطناعي';

const system = (req: ChatRequest) => req.messages.find((m) => m.role === 'system')?.content ?? '';

/**
 * The product's script, in Arabic where the product asked for Arabic: the plan, when the plan
 * prompt asks for Arabic questions; the interviewer's words, when its instructions say to speak Arabic.
 */
function arabicScript(): Handler {
  const english = productScript(QUESTIONS.length);
  return async (req) => {
    const sys = system(req);
    const reply = await english(req);
    if (sys.includes('You plan job interviews') && sys.includes('Write every question in Modern Standard Arabic')) {
      const plan = JSON.parse(reply.content!) as { questions: { text: string }[] };
      return { content: JSON.stringify({ questions: plan.questions.map((q, i) => ({ ...q, text: QUESTIONS[i] })) }) };
    }
    if (sys.includes('Conduct the whole interview in Modern Standard Arabic') && reply.content) {
      return { ...reply, content: reply.content.replace(/^Thank you( for your time)?\./, 'شكرًا لك.').replace('Goodbye!', 'مع السلامة!') };
    }
    return reply;
  };
}

let llm: FakeLlm;
let stt: FakeStt;
/** The candidate the recogniser is listening to (set once it joined). */
let candidate: Candidate | undefined;
let stack: Stack | undefined;
let db: DbHandle | undefined;

beforeAll(async () => {
  llm = await startFakeLlm(arabicScript());
  // What the candidate was saying: the last answer it started before the utterance was uploaded.
  stt = await startFakeStt((req) => {
    const started = (candidate?.answers ?? []).filter((a) => a && a.startedAt <= req.at);
    return started.length ? ANSWERS[started.at(-1)!.index % ANSWERS.length]! : '';
  });
});
afterEach(async () => {
  await leaveAll();
  candidate = undefined;
  await db?.close();
  db = undefined;
  await stack?.stop();
  stack = undefined;
}, 60_000);
afterAll(async () => {
  await stopAll();
  await llm?.close();
  await stt?.close();
});

async function arabicInterview(name: string, sttEnv: Record<string, string>) {
  stack = await startStack(name, {
    env: {
      LLM_BASE_URL: llm.baseUrl,
      LLM_API_KEY: 'test',
      LLM_MODEL: 'scripted',
      TTS_PROVIDER: 'local',
      AGENT_MAX_FOLLOW_UPS: '0',
      // The API lets HR open Arabic rooms; whether the worker can hear them is the worker's STT.
      VOICE_LANGUAGES: 'en,ar',
      ...sttEnv,
    },
    worker: {},
  });
  db = await connectDatabase({ databaseUrl: stack.api.database.url, dataDir: '.data', poolSize: 2 });
  const room = await createInterviewRoom(stack.api, { room: { language: 'ar' } });
  candidate = await startCandidate({ apiUrl: stack.api.url, roomCode: room.roomCode, logDir: stack.dir, answers: ANSWERS, voice: 'ar' });
  return room;
}

const interview = async (id: string) =>
  (await sql<{ status: string; end_reason: string | null }>`SELECT status, end_reason FROM interviews WHERE id = ${id}`.execute(db!.db))
    .rows[0]!;

const waitForEnding = (id: string, timeoutMs: number) =>
  waitUntil(
    async () => {
      const i = await interview(id);
      return ['COMPLETED', 'TIMED_OUT', 'ABANDONED', 'FAILED', 'CANCELLED'].includes(i.status) ? i : undefined;
    },
    { timeoutMs, what: 'the interview ended' },
  );

const evaluations = (id: string) =>
  waitUntil(
    async () => {
      const rows = (
        await sql<{ scored: boolean; score: number | null }>`SELECT scored, score FROM evaluations WHERE interview_id = ${id}`.execute(
          db!.db,
        )
      ).rows;
      return rows.length ? rows : undefined;
    },
    { timeoutMs: 30_000, what: 'evaluation stored' },
  );

describe('Arabic voice interview, end to end', () => {
  it(
    'is held in Arabic: the Arabic notice heard, recognised as ar, Arabic turns stored in order, COMPLETED, one evaluation',
    { timeout: 300_000 },
    async () => {
      const room = await arabicInterview('arabic-interview', { STT_PROVIDER: 'openai', STT_BASE_URL: stt.baseUrl });
      const ended = await waitForEnding(room.sessionId, 240_000);
      expect(ended).toEqual({ status: 'COMPLETED', end_reason: 'completed' });

      // The opening the candidate was sent as the agent's transcription: the Arabic greeting and notice.
      const heard = candidate!.heardUtterances();
      expect(heard[0]).toContain('مرحبًا Ahmed');
      expect(heard[0]).toContain(AI_NOTICE);
      // Every planned question was asked in Arabic.
      const planned = (
        await sql<{ text: string }>`SELECT text FROM interview_questions WHERE interview_id = ${room.sessionId} ORDER BY position`.execute(
          db!.db,
        )
      ).rows.map((q) => q.text);
      expect(planned).toEqual(QUESTIONS);
      for (const q of QUESTIONS) expect(heard.join(' ')).toContain(q);

      // Every utterance went to the recogniser as Arabic.
      expect(stt.requests.length).toBeGreaterThanOrEqual(ANSWERS.length);
      expect(new Set(stt.requests.map((r) => r.language))).toEqual(new Set(['ar']));

      // Stored as recognised, in order, between the agent's Arabic turns.
      const turns = (
        await sql<{ speaker: string; text: string }>`
          SELECT speaker, text FROM transcript_turns WHERE interview_id = ${room.sessionId} ORDER BY seq`.execute(db!.db)
      ).rows;
      expect(turns.filter((t) => t.speaker === 'candidate').map((t) => t.text)).toEqual(ANSWERS);
      expect(turns[0]!.speaker).toBe('agent');
      expect(turns[0]!.text).toContain(AI_NOTICE);

      // The model was told to plan, and to speak, in Arabic.
      const systems = llm.requests.map(system);
      expect(systems.some((s) => s.includes('Write every question in Modern Standard Arabic'))).toBe(true);
      const interviewer = llm.requests.filter((r) => r.tools?.length);
      expect(interviewer.length).toBeGreaterThan(0);
      for (const r of interviewer) expect(system(r)).toContain('Conduct the whole interview in Modern Standard Arabic');

      // One evaluation, scored from the Arabic answers (the stand-in's score).
      expect(await evaluations(room.sessionId)).toEqual([{ scored: true, score: 72 }]);
    },
  );

  it(
    'on a worker whose recogniser has no Arabic (pocketsphinx): says so in Arabic and ends FAILED, never a silent interview',
    { timeout: 240_000 },
    async () => {
      const room = await arabicInterview('arabic-interview-local-stt', { STT_PROVIDER: 'local' });
      const ended = await waitForEnding(room.sessionId, 120_000);
      expect(ended).toEqual({ status: 'FAILED', end_reason: 'agent_failed' });
      expect(candidate!.heardUtterances()[0]).toBe(LINES.ar.languageUnavailable);
      // Nothing asked, nothing scored: the evaluation says why.
      expect(candidate!.heardText()).not.toContain(QUESTIONS[0]);
      expect(await evaluations(room.sessionId)).toEqual([{ scored: false, score: null }]);
    },
  );
});
