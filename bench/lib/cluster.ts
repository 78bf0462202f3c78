// The cluster of the load and soak benches: testkit/cluster.ts on a fresh migrated database, with
// offline speech and the scripted OpenAI-compatible LLM in the bench process (reachable from the
// workers' hosts on the LAN), every completion held back by `llmDelayMs`; no follow-ups, so each
// of the 5 planned questions takes one answer. runBounded's clean-up stops it all.
import { startCluster, type Cluster } from '../../testkit/cluster.js';
import { productScript, startFakeLlm, type ChatRequest, type FakeLlm } from '../../testkit/fake-llm.js';
import { createLan, LAN_GATEWAY } from '../../testkit/hosts.js';
import { migratedDatabase } from '../../testkit/postgres.js';
import { sleep } from '../../testkit/process.js';
import { machineCpuMs } from './cpu.js';

export async function startScriptedCluster(o: {
  logDir: string;
  /** Of the database's name. */
  prefix: string;
  llmDelayMs: number;
  /** More for the APIs and workers. */
  env?: Record<string, string>;
}): Promise<{ cluster: Cluster; fake: FakeLlm }> {
  createLan();
  const script = productScript(5);
  const fake = await startFakeLlm(
    async (req: ChatRequest) => {
      const reply = await script(req);
      await sleep(o.llmDelayMs);
      return reply;
    },
    { host: LAN_GATEWAY },
  );
  const database = await migratedDatabase({ prefix: o.prefix, poolSize: 4 });
  const cluster = await startCluster({
    logDir: o.logDir,
    database,
    env: {
      STT_PROVIDER: 'local',
      TTS_PROVIDER: 'local',
      LLM_BASE_URL: fake.baseUrl,
      LLM_API_KEY: 'bench',
      LLM_MODEL: 'scripted',
      AGENT_MAX_FOLLOW_UPS: '0',
      ...o.env,
    },
    // Capacity is what the benches measure: no worker refuses a job for being "full".
    workerEnv: { AGENT_MAX_JOBS: '64' },
  });
  return { cluster, fake };
}

/** Waits until the machine is less than half busy over 2 s (at most 60 s); returns how long it took. */
export async function settle(): Promise<number> {
  const t0 = Date.now();
  while (Date.now() - t0 < 60_000) {
    const a = machineCpuMs();
    await sleep(2_000);
    const b = machineCpuMs();
    if ((b.busy - a.busy) / (b.total - a.total) < 0.5) break;
  }
  return Date.now() - t0;
}
