// Seed 002: HMAC interview links (HR) and the text-mode interview (public), snake_case and
// trailing slashes as documented, under /api/ai-interview.
import { Hono } from 'hono';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import { isTerminal, type InterviewLanguage } from '../../core/domain.js';
import { SpeechUnavailableError, type Audio } from '../../core/speech.js';
import { loadInterviewContext, type InterviewContext } from '../../db/queries/interviews.js';
import { getQuestionForSpeech, listQuestions } from '../../db/queries/questions.js';
import { ensureTextSession, getTextSession, recordResponse } from '../../db/queries/text-sessions.js';
import type { Evaluation, Question, TextSession } from '../../db/schema.js';
import type { App, AppEnv } from '../context.js';
import { ApiError, notFound } from '../errors.js';
import { enforceRateLimit, parseId, readJson, requireHr } from '../http.js';
import { audioSigValid, audioUrl, generateLink, issueLink, openLink, regenerateLink } from '../services/links.js';
import { completeTextInterview, startTextInterview } from '../services/text-interview.js';

const linkToken = z.string().min(1).max(512);
const sessionId = z.string().uuid();
export const idBody = z.strictObject({ interview_id: z.string().uuid().optional() });
export const startBody = z.strictObject({ interview_id: z.string().uuid(), link_token: linkToken });
export const submitBody = z.strictObject({
  session_id: sessionId,
  link_token: linkToken,
  response_text: z.string().trim().min(1, 'response_text must not be empty').max(10_000),
  // Optional guard for retries: the question this answer is for.
  question_id: z.string().uuid().optional(),
});
export const completeBody = z.strictObject({ session_id: sessionId, link_token: linkToken });

/** What the candidate reads, in the interview's language; `message` stays English, for the client's developers. */
const CANDIDATE_TEXTS: Record<InterviewLanguage, { feedback: string; next: string; last: string; withheld: string }> = {
  en: {
    feedback: 'Thank you, your answer has been recorded.',
    next: 'Please proceed to the next question.',
    last: 'You have answered every question. Please complete the interview.',
    withheld: 'Thank you for completing the interview. The hiring team will review your answers and contact you.',
  },
  ar: {
    feedback: 'شكرًا لك، تم تسجيل إجابتك.',
    next: 'يرجى الانتقال إلى السؤال التالي.',
    last: 'لقد أجبت عن جميع الأسئلة. يرجى إكمال المقابلة.',
    withheld: 'شكرًا لك على إكمال المقابلة. سيراجع فريق التوظيف إجاباتك ويتواصل معك.',
  },
};

export function aiInterviewRoutes(app: App) {
  const r = new Hono<AppEnv>();
  const { db, log } = app.deps;
  const hr = requireHr(app);

  async function hrInterview(organizationId: string, rawId: string) {
    const ctx = await loadInterviewContext(db, parseId(rawId, 'Interview'));
    if (!ctx || ctx.organization_id !== organizationId) throw notFound('Interview');
    return ctx;
  }

  function linkResponse({ ctx, session }: { ctx: InterviewContext; session: TextSession }, message: string) {
    const link = issueLink(app, ctx);
    return {
      interview_id: ctx.id,
      link_token: link.token,
      ai_interview_url: `${app.config.publicBaseUrl}/api/ai-interview/public/start/`,
      public_interview_url: `${app.config.publicBaseUrl}/api/interviews/public/${link.token}/`,
      expires_at: new Date(link.expiresAt).toISOString(),
      ai_session_id: session.id,
      ai_interview_type: ctx.interview_type.toLowerCase(),
      candidate_name: `${ctx.first_name} ${ctx.last_name}`,
      candidate_email: ctx.candidate_email,
      job_title: ctx.job_title,
      message,
    };
  }

  function requireLinkable(ctx: InterviewContext) {
    if (!ctx.scheduled_at) {
      throw new ApiError('NOT_SCHEDULED', 'Interview must have a scheduled start time to generate AI interview link');
    }
    if (isTerminal(ctx.status)) throw new ApiError('INTERVIEW_ENDED', 'This interview has already ended');
  }

  r.post('/generate-link/:id', hr, async (c) => {
    const body = await readJson(c, idBody, { optional: true });
    if (body.interview_id && body.interview_id.toLowerCase() !== c.req.param('id').toLowerCase()) {
      throw new ApiError('VALIDATION_FAILED', 'interview_id does not match the interview in the path');
    }
    const user = c.get('hr');
    const ctx = await hrInterview(user.organizationId, c.req.param('id'));
    requireLinkable(ctx);
    const generated = await generateLink(app, ctx, `hr:${user.userId}`);
    return c.json(linkResponse(generated, 'AI interview link generated successfully'));
  });

  r.get('/get-link/:id', hr, async (c) => {
    const ctx = await hrInterview(c.get('hr').organizationId, c.req.param('id'));
    if (ctx.link_version === 0 || !ctx.scheduled_at) {
      throw new ApiError('NOT_FOUND', 'No interview link found for this interview');
    }
    const [questions, session] = await Promise.all([listQuestions(db, ctx.id), ensureTextSession(db, ctx.id)]);
    const body = linkResponse({ ctx, session }, 'AI interview link retrieved successfully');
    return c.json({
      ...body,
      questions_generated: questions.length,
      is_expired: app.deps.now() >= Date.parse(body.expires_at),
    });
  });

  r.post('/regenerate-link/:id', hr, async (c) => {
    await readJson(c, idBody, { optional: true });
    const user = c.get('hr');
    const ctx = await hrInterview(user.organizationId, c.req.param('id'));
    if (ctx.link_version === 0) throw new ApiError('NOT_FOUND', 'No interview link found for this interview');
    requireLinkable(ctx);
    const regenerated = await regenerateLink(app, ctx, `hr:${user.userId}`);
    return c.json(linkResponse(regenerated, 'AI interview link regenerated successfully'));
  });

  const questionJson = (q: Question) => ({
    id: q.id,
    text: q.text,
    type: q.kind,
    order: q.position,
    audio_url: audioUrl(app, q.id),
  });

  r.post('/public/start', async (c) => {
    const body = await readJson(c, startBody);
    const ctx = await openLink(c, app, body.link_token, body.interview_id);
    if (isTerminal(ctx.status)) throw new ApiError('INTERVIEW_ENDED', 'This interview has already ended');
    const { questions, session } = await startTextInterview(app, ctx);
    const current = questions.find((q) => q.position === session.current_position);
    return c.json({
      session_id: session.id,
      interview_id: ctx.id,
      candidate_name: `${ctx.first_name} ${ctx.last_name}`,
      job_title: ctx.job_title,
      ai_interview_type: ctx.interview_type.toLowerCase(),
      current_question: current?.text ?? null,
      questions: questions.map(questionJson),
      total_questions: questions.length,
      status: 'started',
      message: 'Interview started successfully',
    });
  });

  /** The session a token-holder may act on: the token's interview's own session, nothing else. */
  async function openSession(c: Parameters<typeof openLink>[0], token: string, id: string) {
    const ctx = await openLink(c, app, token);
    const session = await getTextSession(db, id);
    if (!session || session.interview_id !== ctx.id) throw new ApiError('NOT_FOUND', 'Interview session not found');
    return { ctx, session };
  }

  r.post('/public/submit-response', async (c) => {
    const body = await readJson(c, submitBody);
    const { ctx, session } = await openSession(c, body.link_token, body.session_id);
    if (session.status === 'created') throw new ApiError('CONFLICT', 'Start the interview before submitting answers');
    if (session.status !== 'started' || isTerminal(ctx.status)) {
      throw new ApiError('INTERVIEW_ENDED', 'This interview has already been completed');
    }
    const questions = await listQuestions(db, ctx.id);
    const current = questions.find((q) => q.position === session.current_position);
    if (!current) throw new ApiError('CONFLICT', 'All questions have been answered; complete the interview');
    if (body.question_id && body.question_id.toLowerCase() !== current.id) {
      throw new ApiError('CONFLICT', 'That question has already been answered', { current_question_id: current.id });
    }
    const saved = await recordResponse(db, {
      sessionId: session.id,
      interviewId: ctx.id,
      questionId: current.id,
      questionText: current.text,
      position: current.position,
      text: body.response_text,
    });
    if (!saved) throw new ApiError('CONFLICT', 'That question has already been answered', { current_question_id: current.id });
    const next = questions.find((q) => q.position === current.position + 1);
    return c.json({
      response_id: saved.id,
      current_question_id: current.id,
      next_question_id: next?.id ?? null,
      next_question: next?.text ?? null,
      feedback: CANDIDATE_TEXTS[ctx.language].feedback,
      next_instruction: next ? CANDIDATE_TEXTS[ctx.language].next : CANDIDATE_TEXTS[ctx.language].last,
      message: 'Response submitted successfully',
    });
  });

  r.post('/public/complete', async (c) => {
    const body = await readJson(c, completeBody);
    const { ctx, session } = await openSession(c, body.link_token, body.session_id);
    const done = await completeTextInterview(app, ctx, session);
    return c.json(
      completionView(done.evaluation, ctx.reveal_results_to_candidate, CANDIDATE_TEXTS[ctx.language].withheld, {
        session_id: session.id,
        total_questions: done.totalQuestions,
        answered_questions: done.answeredQuestions,
      }),
    );
  });

  // Each question's audio is made once and kept, in its interview's voice (bounded by count and bytes, least recently used
  // out first); concurrent requests for the same question share one synthesis (fetchMethod).
  const audioCache = new LRUCache<string, Audio>({
    max: 200,
    maxSize: 64 * 1024 * 1024,
    sizeCalculation: (audio) => Math.max(1, audio.bytes.length),
    fetchMethod: async (id) => {
      const q = await getQuestionForSpeech(db, id);
      return q ? app.deps.speech.synthesize(q.text, q.language) : undefined;
    },
  });
  r.get('/public/audio/:questionId', async (c) => {
    const id = parseId(c.req.param('questionId'), 'Audio');
    const sig = c.req.query('sig') ?? '';
    await enforceRateLimit(c, app, [`audio:${id}`]);
    if (!audioSigValid(app, id, sig)) throw notFound('Audio');
    let audio: Audio | undefined;
    try {
      audio = await audioCache.fetch(id);
    } catch (e) {
      if (!(e instanceof SpeechUnavailableError)) throw e;
      log.error({ err: e.message }, 'speech synthesis unavailable');
      throw new ApiError('SERVICE_UNAVAILABLE', 'Question audio is unavailable right now');
    }
    if (!audio) throw notFound('Audio');
    return c.body(new Uint8Array(audio.bytes), 200, {
      'content-type': audio.contentType,
      'cache-control': 'private, max-age=3600',
    });
  });

  return r;
}

/** What the candidate sees at the end: score and verdict only if HR chose to show them. */
function completionView(
  e: Evaluation,
  reveal: boolean,
  withheld: string,
  counts: { session_id: string; total_questions: number; answered_questions: number },
) {
  const shown = reveal && e.scored;
  return {
    session_id: counts.session_id,
    evaluation: shown ? e.evaluation_text : withheld,
    score: shown ? e.score : null,
    total_questions: counts.total_questions,
    answered_questions: counts.answered_questions,
    strengths: shown ? e.strengths.join(', ') : null,
    areas_for_improvement: shown ? e.areas_for_improvement.join(', ') : null,
    recommendation: shown ? e.recommendation : null,
    status: 'completed',
    message: 'Interview completed successfully',
  };
}
