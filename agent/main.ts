// The worker entry (`npm run agent [start|dev]`): a LiveKit Agents worker named "interviewer" that
// takes explicitly dispatched jobs only; each job is one interview in its own process.
import { fileURLToPath } from 'node:url';
import { cli, defineAgent, inference, type JobContext, type JobProcess, ServerOptions, telemetry, voice } from '@livekit/agents';
import { context as otelContext, trace } from '@opentelemetry/api';
import * as silero from '@livekit/agents-plugin-silero';
import { createRoomService, AGENT_NAME } from '../core/livekit.js';
import { configOrExit, loadWorkerConfig } from '../core/config.js';
import { parseTraceparent } from '../core/traceparent.js';
import { parentContext, startTracing, type Tracing } from '../core/tracing.js';
import { createLlm } from '../core/llm.js';
import { createLogger } from '../core/logger.js';
import { connectDatabase } from '../db/connect.js';
import { InterviewRun, jobMetadata } from './interview-run.js';
import { InterviewerAgent } from './interviewer.js';
import { registerCandidateControls } from './candidate-controls.js';
import { capacityLoad } from './capacity.js';
import { jobMetricsSink, startWorkerMetrics } from './metrics.js';
import { buildProviders } from './providers.js';

type ProcData = { vad: Awaited<ReturnType<typeof silero.VAD.load>>; tracing: Tracing | null };

export default defineAgent<ProcData>({
  // Once per job process, before any job: the VAD model is the slow part of a cold start.
  prewarm: async (proc: JobProcess<ProcData>) => {
    const config = loadWorkerConfig();
    proc.userData.vad = await silero.VAD.load({ minSilenceDuration: config.agent.turns.vadMinSilenceMs });
    // Traces (OTEL_EXPORTER_OTLP_ENDPOINT): set before any job, so the framework's own spans
    // (job entrypoint, session, LLM, TTS) go to the same exporter; register() also gives this job
    // process the context manager that carries the parent span across awaits.
    proc.userData.tracing = startTracing(config.otel, 'interviewer-agent');
    if (proc.userData.tracing) {
      proc.userData.tracing.provider.register();
      telemetry.setTracerProvider(proc.userData.tracing.provider);
    }
  },

  entry: async (ctx: JobContext<ProcData>) => {
    const config = loadWorkerConfig();
    const meta = jobMetadata.safeParse(safeJson(ctx.job.metadata));
    if (!meta.success) {
      createLogger(config.logLevel, 'agent').error({ jobId: ctx.job.id }, 'job metadata has no interview id; leaving');
      ctx.shutdown('bad_metadata');
      return;
    }
    const { interviewId, traceId, traceparent, dispatchedAt } = meta.data;
    // Every line of this job carries the join request's trace id, as the API's request log does.
    const log = createLogger(config.logLevel, 'agent').child(traceId ? { traceId } : {});
    const database = await connectDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 3 });
    const deps = {
      config,
      db: database.db,
      log,
      planner: config.llm ? createLlm(config.llm) : null,
      rooms: createRoomService(config.livekit),
      metrics: jobMetricsSink(config),
    };

    const prepared = await InterviewRun.prepare(deps, interviewId);
    if (!prepared) {
      log.warn({ interviewId }, 'interview is unknown or already ended; leaving');
      await database.close();
      ctx.shutdown('nothing_to_run');
      return;
    }
    // A second dispatch (the API's watchdog, while this room's agent was slow to join) must not put
    // two interviewers in one room: the later one stays out. Asked of the server, not by joining:
    // session.start() connects the room itself, after its room I/O listens for the candidate's
    // tracks (connecting first can lose the microphone's subscription: bench/README, compare).
    const present = await deps.rooms.participants(ctx.job.room?.name ?? '').catch(() => []);
    if (present.some((p) => p.isAgent)) {
      log.warn({ interviewId }, 'another interviewer is already in the room; leaving');
      await database.close();
      ctx.shutdown('duplicate_agent');
      return;
    }
    const { stt, tts, llm } = buildProviders(config, prepared.ctx.language);
    const session = new voice.AgentSession({
      vad: ctx.proc.userData.vad,
      stt,
      tts,
      llm,
      turnHandling: {
        // The local end-of-turn model (weights ship in @livekit/local-inference); the version is
        // explicit, otherwise dev mode would pick a cloud model.
        turnDetection: new inference.TurnDetector({ version: 'v1-mini' }),
        endpointing: { minDelay: config.agent.turns.minDelayMs, maxDelay: config.agent.turns.maxDelayMs },
        interruption: { mode: 'vad' },
        // One LLM call per finished turn: the turn rules run before it (see InterviewerAgent.llmNode).
        preemptiveGeneration: { enabled: false },
      },
      // The silence rule is the run's own (agent/silence.ts): 'away' fires only once.
      userAwayTimeout: null,
    });
    const run = prepared.create(session);
    // The interview as a span of the join request's trace; the session's spans start under it.
    const { tracing } = ctx.proc.userData;
    const parent = parentContext(parseTraceparent(traceparent));
    const jobSpan = tracing?.tracer.startSpan(
      'interview',
      { attributes: { 'interview.id': interviewId, 'interview.resumed': run.resumed } },
      parent,
    );
    ctx.addShutdownCallback(async () => {
      await run.finish(null);
      await database.close();
      jobSpan?.end();
      await tracing?.provider.forceFlush();
    });
    run.attach(ctx.room, () => ctx.shutdown('interview_finished'));
    log.info({ interviewId, mode: run.mode, resumed: run.resumed }, 'interview starting');
    const agent = new InterviewerAgent(run);
    await otelContext.with(jobSpan ? trace.setSpan(parent, jobSpan) : otelContext.active(), () =>
      session.start({
        agent,
        room: ctx.room,
        // Leaving is handled by the run (a grace period to rejoin), not by closing at once.
        inputOptions: { closeOnDisconnect: false },
        record: false,
      }),
    );
    if (dispatchedAt) deps.metrics.observe('dispatch_to_agent', (Date.now() - dispatchedAt) / 1000);
    registerCandidateControls(ctx.room.localParticipant!, agent);
  },
});

function safeJson(text: string | undefined): unknown {
  try {
    return JSON.parse(text || '{}');
  } catch {
    return {};
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const config = configOrExit(loadWorkerConfig);
  // `npm run agent` with no mode runs the production mode, which drains on SIGTERM.
  if (!process.argv.slice(2).some((a) => !a.startsWith('-'))) process.argv.push('start');
  const load = capacityLoad(config.agent.maxJobs);
  // The framework hands the worker to loadFunc only; the scrape reads the count it last saw (2.5 s old at most).
  let runningJobs = 0;
  startWorkerMetrics(config, createLogger(config.logLevel, 'agent'), () => runningJobs);
  cli.runApp(
    new ServerOptions({
      agent: fileURLToPath(import.meta.url),
      agentName: AGENT_NAME,
      wsURL: config.livekit.url,
      apiKey: config.livekit.apiKey,
      apiSecret: config.livekit.apiSecret,
      host: config.host,
      port: config.agent.healthPort,
      loadFunc: async (server) => {
        runningJobs = server.activeJobs.length;
        return load(runningJobs);
      },
    }),
  );
}
