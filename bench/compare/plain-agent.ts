// The plainest LiveKit Agents voice agent `compare` measures ours against: a worker with the same
// name (so the API's dispatch reaches it), the same prewarmed Silero VAD, the same turn handling
// and the same providers (agent/providers.ts, from the same config), but a bare voice.Agent with
// instructions only: no database, no turn rules, no tools. It greets with generateReply() and then
// replies to each turn. The one addition is a JSON line per spoken reply with the reply's metrics
// (what our worker stores in transcript_turns), for the bench to read from the worker's log.
//
//   node --import tsx bench/compare/plain-agent.ts start     (bench/compare.ts starts it)
import { fileURLToPath } from 'node:url';
import { cli, defineAgent, inference, type JobContext, type JobProcess, type metrics, ServerOptions, voice } from '@livekit/agents';
import * as silero from '@livekit/agents-plugin-silero';
import { configOrExit, loadWorkerConfig } from '../../core/config.js';
import { AGENT_NAME } from '../../core/livekit.js';
import { buildProviders } from '../../agent/providers.js';
import { PLAIN_INSTRUCTIONS, REPLY_LINE } from './plain-script.js';

type ProcData = { vad: Awaited<ReturnType<typeof silero.VAD.load>> };

export default defineAgent<ProcData>({
  prewarm: async (proc: JobProcess<ProcData>) => {
    proc.userData.vad = await silero.VAD.load({ minSilenceDuration: loadWorkerConfig().agent.turns.vadMinSilenceMs });
  },

  entry: async (ctx: JobContext<ProcData>) => {
    const config = loadWorkerConfig();
    // No ctx.connect() first: session.start() connects the job's room itself, after its room I/O
    // listens for the candidate's tracks (connecting first lost the subscription of the candidate's
    // microphone in 2 of the first 3 plain rounds run: the greeting played, nothing was heard).
    const { stt, tts, llm } = buildProviders(config);
    const session = new voice.AgentSession({
      vad: ctx.proc.userData.vad,
      stt,
      tts,
      llm,
      // As agent/main.ts: the same turn detector, endpointing and interruption, and one LLM call
      // per finished turn (preemptive generation off), so that only the agent itself differs.
      turnHandling: {
        turnDetection: new inference.TurnDetector({ version: 'v1-mini' }),
        endpointing: { minDelay: config.agent.turns.minDelayMs, maxDelay: config.agent.turns.maxDelayMs },
        interruption: { mode: 'vad' },
        preemptiveGeneration: { enabled: false },
      },
    });

    // The measurement: one line per reply, in the shape of our transcript_turns rows.
    let lastEou: metrics.EOUMetrics | null = null;
    session.on(voice.AgentSessionEventTypes.MetricsCollected, ({ metrics: m }) => {
      if (m.type === 'eou_metrics') lastEou = m;
    });
    session.on(voice.AgentSessionEventTypes.ConversationItemAdded, ({ item }) => {
      if (item.type !== 'message' || item.role !== 'assistant' || !item.textContent) return;
      const m = item.metrics ?? {};
      const ms = (s: number | undefined) => (s === undefined ? undefined : Math.round(s * 1000));
      const figures = {
        llmTtftMs: ms(m.llmNodeTtft),
        ttsTtfbMs: ms(m.ttsNodeTtfb),
        e2eLatencyMs: ms(m.e2eLatency),
        endOfUtteranceDelayMs: lastEou?.endOfUtteranceDelayMs,
        transcriptionDelayMs: lastEou?.transcriptionDelayMs,
      };
      lastEou = null;
      const line = {
        msg: REPLY_LINE,
        time: Date.now(),
        text: item.textContent,
        started_at_ms: m.startedSpeakingAt ? Math.round(m.startedSpeakingAt * 1000) : item.createdAt,
        ended_at_ms: m.stoppedSpeakingAt ? Math.round(m.stoppedSpeakingAt * 1000) : Date.now(),
        metrics: Object.fromEntries(Object.entries(figures).filter(([, v]) => v !== undefined)),
      };
      process.stdout.write(`${JSON.stringify(line)}\n`);
    });
    // The candidate left: the session closes (closeOnDisconnect), and so does the job.
    session.on(voice.AgentSessionEventTypes.Close, () => ctx.shutdown('session_closed'));

    await session.start({ agent: new voice.Agent({ instructions: PLAIN_INSTRUCTIONS }), room: ctx.room, record: false });
    session.generateReply();
  },
});

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const config = configOrExit(loadWorkerConfig);
  cli.runApp(
    new ServerOptions({
      agent: fileURLToPath(import.meta.url),
      agentName: AGENT_NAME,
      wsURL: config.livekit.url,
      apiKey: config.livekit.apiKey,
      apiSecret: config.livekit.apiSecret,
      host: config.host,
      port: config.agent.healthPort,
    }),
  );
}
