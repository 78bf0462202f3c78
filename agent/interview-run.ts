// One interview, from dispatch to a deleted room: load it, plan it, run the voice session, keep the
// time, write every turn as it happens, end with the right status and reason, evaluate, clean up.
import { type JobContext, type metrics, voice } from '@livekit/agents';
import { RoomEvent, type RemoteParticipant } from '@livekit/rtc-node';
import { z } from 'zod';
import type { WorkerConfig } from '../core/config.js';
import { ensureEvaluation, finalize, type LifecycleDeps } from '../core/interview-lifecycle.js';
import { isTerminal, type EndReason } from '../core/domain.js';
import type { JsonLlm } from '../core/llm.js';
import type { Logger } from '../core/logger.js';
import type { RoomService } from '../core/livekit.js';
import { ensureQuestionPlan } from '../core/question-plan.js';
import type { Db } from '../db/connect.js';
import { beatAgentHeartbeat, loadInterviewContext, transitionInterview, type InterviewContext } from '../db/queries/interviews.js';
import { listTurns } from '../db/queries/transcript.js';
import { INTERVIEWER_PROMPT_VERSION, LINES, type Lines } from '../prompts/interviewer.js';
import { InterviewFlow } from './flow.js';
import { hearsLanguage } from './providers.js';
import type { MetricsSink } from './metrics.js';
import type { InterviewControl } from './interviewer.js';
import { SilenceWatch } from './silence.js';
import { TranscriptWriter } from './transcript-writer.js';

export const jobMetadata = z.object({
  interviewId: z.string().uuid(),
  /** The join request's W3C trace id (core/livekit.ts); absent on a watchdog's re-dispatch. */
  traceId: z
    .string()
    .regex(/^[0-9a-f]{32}$/)
    .optional(),
  /** The join request's span (W3C traceparent): the parent of this job's trace (core/tracing.ts). */
  traceparent: z.string().max(512).optional(),
  /** Epoch ms when the API asked for this agent (the join, or a re-dispatch). */
  dispatchedAt: z.number().int().positive().optional(),
});

/** After the limit, the goodbye gets this long before the session is closed regardless. */
const HARD_STOP_GRACE_MS = 8_000;

/** How often a running interview stamps its heartbeat (the API's watchdog: WATCHDOG.agentSilentMs). */
const HEARTBEAT_MS = 2_000;

export interface RunDeps {
  config: Pick<WorkerConfig, 'agent' | 'stt'>;
  db: Db;
  log: Logger;
  /** The JSON client for planning and evaluation; null in structured mode. */
  planner: JsonLlm | null;
  rooms: RoomService;
  session: voice.AgentSession;
  /** Where reply gaps and the first audio are reported (agent/metrics.ts); none in tests. */
  metrics?: MetricsSink;
}

/** Which end the session's own close reason stands for, when no rule of ours ended it first. */
function endForCloseReason(reason: string): EndReason | null {
  if (reason === 'participant_disconnected') return 'candidate_left';
  if (reason === 'error') return 'agent_failed';
  // job_shutdown (a draining or stopping worker), room deleted by the API's end call: the status
  // is someone else's to set; the transcript is already stored.
  return null;
}

export class InterviewRun implements InterviewControl {
  /** Resolves once the question plan is in `flow` (it rejects only when the plan cannot be had). */
  readonly planned: Promise<void>;
  readonly mode: 'llm' | 'structured';
  readonly resumed: boolean;
  readonly turns: InterviewControl['turns'];
  readonly lines: Lines;
  readonly hearsLanguage: boolean;
  wrappingUp = false;
  ending = false;

  #flow: InterviewFlow;
  #endReason: EndReason | null = null;
  #timers: NodeJS.Timeout[] = [];
  #started: Promise<unknown> | null = null;
  #silence: SilenceWatch;
  #speechStartedAt: number | null = null;
  #speechEndedAt: number | null = null;
  #lastEou: metrics.EOUMetrics | null = null;
  #finished: Promise<void> | null = null;
  /** The candidate dropped and has not come back (the rejoin grace is running). */
  #candidateGone = false;
  readonly #startedAtMs: number;
  readonly #writer: TranscriptWriter;

  private constructor(
    private readonly ctx: InterviewContext,
    private readonly deps: RunDeps,
    plan: Promise<{ position: number; text: string }[]>,
    stored: { seq: number; question_position: number | null }[],
  ) {
    this.mode = deps.session.llm ? 'llm' : 'structured';
    this.turns = deps.config.agent.turns;
    this.lines = LINES[ctx.language];
    this.hearsLanguage = hearsLanguage(deps.config.stt, ctx.language);
    if (!this.hearsLanguage) {
      deps.log.error(
        { interviewId: ctx.id, language: ctx.language, sttProvider: deps.config.stt.provider },
        "the interview's language is not one this worker's speech recognition knows; the interview ends FAILED (README: Arabic interviews)",
      );
    }
    this.resumed = stored.length > 0;
    // A resumed interview (a new worker after a crash) continues at the question it was on.
    const lastPosition = stored.reduce((p, t) => Math.max(p, t.question_position ?? 1), 1);
    // Until the plan is in, the flow has no question (nothing is asked before the outline).
    this.#flow = new InterviewFlow([], deps.config.agent.maxFollowUps, lastPosition);
    this.planned = plan.then((questions) => {
      this.#flow = new InterviewFlow(questions, deps.config.agent.maxFollowUps, lastPosition);
    });
    const nextSeq = stored.reduce((s, t) => Math.max(s, t.seq), 0) + 1;
    this.#writer = new TranscriptWriter(deps.db, ctx.id, deps.log, nextSeq);
    // The time limit counts from when the interview first started, not from this worker's start.
    this.#startedAtMs = ctx.started_at?.getTime() ?? Date.now();
    this.#silence = new SilenceWatch(deps.config.agent.silenceTimeoutS * 1000, {
      checkIn: () => {
        if (!this.ending) deps.session.say(this.lines.checkIn);
      },
      giveUp: () => {
        if (this.ending) return;
        deps.session.say(this.lines.silentGoodbye, { allowInterruptions: false });
        this.end('candidate_silent');
      },
    });
  }

  /**
   * Loads the interview and starts planning it; null when there is nothing to run (unknown or
   * ended). The plan is not waited for: the greeting needs none of it (see `planned`).
   */
  static async prepare(deps: Omit<RunDeps, 'session'>, interviewId: string) {
    const ctx = await loadInterviewContext(deps.db, interviewId);
    if (!ctx || isTerminal(ctx.status)) return null;
    // Before this agent can show up in the room, so the watchdog never takes it for the dead one.
    await beatAgentHeartbeat(deps.db, ctx.id);
    const stored = await listTurns(deps.db, ctx.id);
    const plan = ensureQuestionPlan(deps.db, deps.planner, ctx, deps.log).then((qs) =>
      qs.map((q) => ({ position: q.position, text: q.text })),
    );
    // Handled by the run (or lost with the job that never created one): never an unhandled rejection.
    plan.catch(() => {});
    return { ctx, create: (session: voice.AgentSession) => new InterviewRun(ctx, { ...deps, session }, plan, stored) };
  }

  get flow() {
    return this.#flow;
  }

  get writer() {
    return this.#writer;
  }

  remainingS(now = Date.now()) {
    return Math.max(0, (this.#startedAtMs + this.ctx.max_duration_s * 1000 - now) / 1000);
  }

  state() {
    return {
      companyName: this.ctx.company_name,
      jobTitle: this.ctx.job_title,
      candidateFirstName: this.ctx.first_name,
      interviewType: this.ctx.interview_type,
      language: this.ctx.language,
      hrInstructions: this.ctx.instructions,
      questionCount: this.flow.questions.length,
      remainingS: this.remainingS(),
      wrappingUp: this.wrappingUp,
    };
  }

  greeting() {
    return this.lines.greeting(this.state());
  }

  outline() {
    return this.lines.outline({ questionCount: this.flow.questions.length, maxDurationS: this.ctx.max_duration_s });
  }

  candidateTurn(text: string) {
    if (!text.trim()) return;
    this.#candidateHeard();
    const now = Date.now();
    this.#writer.append({
      speaker: 'candidate',
      text,
      startedAtMs: this.#speechStartedAt ?? now,
      endedAtMs: this.#speechEndedAt ?? now,
      questionPosition: this.flow.current?.position ?? null,
      metrics: null,
    });
    this.#speechStartedAt = null;
    this.#speechEndedAt = null;
  }

  end(reason: EndReason) {
    if (this.ending) return;
    this.ending = true;
    this.#endReason = reason;
    this.deps.log.info({ interviewId: this.ctx.id, reason }, 'interview ending');
    // Drain: the goodbye being spoken is played out first.
    this.deps.session.shutdown({ drain: true, reason });
  }

  /**
   * Wires the session's events to storage, status and the silence rules, and starts the clocks.
   * `onDone` runs once the interview is wrapped up after the session closed (the job then ends).
   */
  attach(room: JobContext['room'] | undefined, onDone: () => void = () => {}) {
    const { session, config } = this.deps;
    session.on(voice.AgentSessionEventTypes.ConversationItemAdded, ({ item }) => {
      if (item.type !== 'message' || item.role !== 'assistant' || !item.textContent) return;
      const m = item.metrics ?? {};
      const ms = (s: number | undefined) => (s === undefined ? undefined : Math.round(s * 1000));
      const figures = Object.fromEntries(
        Object.entries({
          llmTtftMs: ms(m.llmNodeTtft),
          ttsTtfbMs: ms(m.ttsNodeTtfb),
          e2eLatencyMs: ms(m.e2eLatency),
          endOfUtteranceDelayMs: this.#lastEou?.endOfUtteranceDelayMs,
          transcriptionDelayMs: this.#lastEou?.transcriptionDelayMs,
        }).filter(([, v]) => v !== undefined),
      ) as Record<string, number>;
      this.#lastEou = null;
      if (m.e2eLatency !== undefined) this.deps.metrics?.observe('reply_gap', m.e2eLatency);
      this.#writer.append({
        speaker: 'agent',
        text: item.textContent,
        startedAtMs: m.startedSpeakingAt ? Math.round(m.startedSpeakingAt * 1000) : item.createdAt,
        endedAtMs: m.stoppedSpeakingAt ? Math.round(m.stoppedSpeakingAt * 1000) : Date.now(),
        questionPosition: this.flow.current?.position ?? null,
        metrics: Object.keys(figures).length ? figures : null,
        promptVersion: INTERVIEWER_PROMPT_VERSION,
      });
    });
    session.on(voice.AgentSessionEventTypes.MetricsCollected, ({ metrics: m }) => {
      if (m.type === 'eou_metrics') this.#lastEou = m;
    });
    session.on(voice.AgentSessionEventTypes.UserStateChanged, ({ newState }) => {
      if (newState === 'speaking') {
        this.#speechStartedAt ??= Date.now();
        this.#candidateHeard();
      } else if (newState === 'listening') {
        this.#speechEndedAt = Date.now();
      }
      this.#silence.candidate(newState === 'speaking');
    });
    // The room was created by the candidate's first join: its age at the first audio is how long
    // the candidate waited for the interviewer. A resumed interview's room is older than that wait.
    let awaitingFirstAudio = !this.resumed;
    session.on(voice.AgentSessionEventTypes.AgentStateChanged, ({ newState }) => {
      this.#silence.agent(newState === 'speaking' || newState === 'thinking' || newState === 'initializing');
      if (awaitingFirstAudio && newState === 'speaking') {
        awaitingFirstAudio = false;
        // Optional chaining throughout: a room that cannot say (a test's stand-in, a room not yet
        // synced) must cost the observation, never the interview.
        const created = room?.creationTime?.getTime();
        if (created) this.deps.metrics?.observe('join_to_first_audio', (Date.now() - created) / 1000);
      }
    });
    session.on(voice.AgentSessionEventTypes.Close, ({ reason }) => {
      void this.finish(this.#endReason ?? endForCloseReason(String(reason)))
        .catch((err: unknown) => this.deps.log.error({ err: String(err), interviewId: this.ctx.id }, 'finishing the interview failed'))
        .finally(onDone);
    });

    // A candidate who drops gets a grace period to come back (a network blip) before it counts.
    if (room) {
      let leaveTimer: NodeJS.Timeout | undefined;
      const isCandidate = (p: RemoteParticipant) => p.identity.startsWith('candidate_');
      room.on(RoomEvent.ParticipantDisconnected, (p: RemoteParticipant) => {
        if (!isCandidate(p) || this.ending) return;
        this.#candidateGone = true;
        // The rejoin grace owns this time, not the silence rule.
        this.#silence.candidate(true);
        clearTimeout(leaveTimer);
        leaveTimer = setTimeout(() => this.end('candidate_left'), config.agent.rejoinGraceS * 1000);
        this.#timers.push(leaveTimer);
      });
      room.on(RoomEvent.ParticipantConnected, (p: RemoteParticipant) => {
        if (!isCandidate(p)) return;
        this.#candidateGone = false;
        clearTimeout(leaveTimer);
        this.#silence.candidate(false);
      });
    }

    // No plan (the database failed it): this agent leaves with the interview still open, and the
    // API's watchdog sends another, which resumes it.
    this.planned.catch((err: unknown) => {
      this.deps.log.error({ err: String(err), interviewId: this.ctx.id }, 'no question plan; leaving the interview to another agent');
      session.shutdown({ drain: true, reason: 'no_plan' });
    });
    this.#timers.push(this.#heartbeat());
    const maxMs = this.ctx.max_duration_s * 1000;
    const wrapUpLeadMs = Math.min(config.agent.wrapUpS * 1000, maxMs / 4);
    const untilEnd = this.#startedAtMs + maxMs - Date.now();
    this.#timers.push(setTimeout(() => this.#wrapUp(), Math.max(0, untilEnd - wrapUpLeadMs)));
    this.#timers.push(setTimeout(() => this.#hardStop(), Math.max(0, untilEnd)));
  }

  /** One stamp at a time on the job's small pool: a slow database never piles them up. */
  #heartbeat() {
    let beating = false;
    const timer = setInterval(() => {
      if (beating) return;
      beating = true;
      beatAgentHeartbeat(this.deps.db, this.ctx.id)
        .catch((err: unknown) => this.deps.log.warn({ err: String(err), interviewId: this.ctx.id }, 'heartbeat not stored'))
        .finally(() => (beating = false));
    }, HEARTBEAT_MS);
    timer.unref();
    return timer;
  }

  #wrapUp() {
    if (this.ending) return;
    if (this.flow.done) return;
    this.wrappingUp = true;
    this.deps.session.say(this.lines.wrapUp, { allowInterruptions: false });
  }

  /** At maxDuration, whatever is happening: stop talking, say the time is up, end. */
  #hardStop() {
    if (this.ending) return;
    const { session } = this.deps;
    session.interrupt({ force: true });
    session.say(this.lines.timeUp, { allowInterruptions: false });
    // Time ran out before the plan was done: always TIMED_OUT, however the last minute went.
    this.end(this.flow.done ? 'completed' : 'time_limit');
    // If the goodbye cannot play out (a stuck output), close anyway.
    this.#timers.push(setTimeout(() => void session.close(), HARD_STOP_GRACE_MS));
  }

  #candidateHeard() {
    if (this.#started) return;
    this.#started = transitionInterview(this.deps.db, this.ctx.id, {
      from: ['SCHEDULED', 'READY'],
      to: 'IN_PROGRESS',
      audit: { action: 'interview.started', actor: 'agent', details: { mode: 'voice' } },
    }).catch((err: unknown) => this.deps.log.error({ err: String(err), interviewId: this.ctx.id }, 'could not mark the interview started'));
  }

  #lifecycle(): LifecycleDeps {
    return { db: this.deps.db, log: this.deps.log, rooms: this.deps.rooms, llm: this.deps.planner };
  }

  /** Idempotent: the session's close and the job's shutdown both call it. */
  finish(reason: EndReason | null): Promise<void> {
    this.#finished ??= this.#finish(reason);
    return this.#finished;
  }

  async #finish(endReason: EndReason | null) {
    for (const t of this.#timers) clearTimeout(t);
    this.#silence.stop();
    // Every spoken turn, and the start, are stored before the ending is decided on.
    await this.#writer.flush();
    await this.#started;
    // The room closing under a candidate who had dropped is still the candidate leaving.
    const reason = endReason ?? (this.#candidateGone ? 'candidate_left' : null);
    if (reason) {
      await finalize(this.#lifecycle(), this.ctx.id, { reason, actor: 'agent', progress: this.flow.progress, evaluate: true });
      return;
    }
    // Ended elsewhere (the candidate's End button, HR, the time sweeper deleted the room): this
    // worker holds the last turns, so it evaluates. Still open (a draining worker): the next
    // agent resumes it, so nothing ends here.
    const now = await loadInterviewContext(this.deps.db, this.ctx.id);
    if (now && isTerminal(now.status)) await ensureEvaluation(this.#lifecycle(), this.ctx.id);
  }
}
