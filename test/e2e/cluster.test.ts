// The smallest fault of the cluster, on real parts: 2 LiveKit nodes on one Redis, 2 API replicas
// on one Postgres, 3 agent workers, each a host of its own on the test's private LAN
// (testkit/cluster.ts). A worker is killed with SIGKILL mid-interview; one of the others, already
// running, resumes it from Postgres, and the interview ends once, with every stored turn intact.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leaveAll, normalise } from '../../testkit/candidate.js';
import { startCluster, type Cluster } from '../../testkit/cluster.js';
import {
  CLUSTER_ANSWERS,
  ENDED,
  interviewState,
  logOffsets,
  lostTurns,
  startClusterInterview,
  storedTurns,
  waitForWorkerOf,
} from '../../testkit/cluster-interview.js';
import { createLan, LAN_GATEWAY } from '../../testkit/hosts.js';
import { productScript, startFakeLlm, type FakeLlm } from '../../testkit/fake-llm.js';
import { freshDatabase, type TestDatabase } from '../../testkit/postgres.js';
import { artifactsDir, waitUntil } from '../../testkit/stack.js';

let fake: FakeLlm;
let database: TestDatabase;
let cluster: Cluster | undefined;
const dir = artifactsDir('cluster-worker-killed');

beforeAll(async () => {
  createLan();
  fake = await startFakeLlm(productScript(3), { host: LAN_GATEWAY });
  database = await freshDatabase();
}, 60_000);
afterAll(async () => {
  await leaveAll();
  await cluster?.stop();
  await database?.close();
  await fake?.close();
}, 90_000);

describe('the cluster', () => {
  it(
    'loses a worker to SIGKILL mid-interview: another running worker resumes it, no stored turn lost, one ending',
    { timeout: 420_000 },
    async () => {
      cluster = await startCluster({
        logDir: dir,
        database,
        env: {
          STT_PROVIDER: 'local',
          TTS_PROVIDER: 'local',
          AGENT_MAX_FOLLOW_UPS: '0',
          LLM_BASE_URL: fake.baseUrl,
          LLM_API_KEY: 'test',
          LLM_MODEL: 'scripted',
        },
      });
      const { room, candidate } = await startClusterInterview(cluster, { logDir: dir, answers: [...CLUSTER_ANSWERS, ...CLUSTER_ANSWERS] });
      const first = await waitForWorkerOf(cluster, room.sessionId, 60_000);
      await candidate.waitForReply(1, 120_000);
      await waitUntil(async () => (await storedTurns(database, room.sessionId)).some((t) => t.speaker === 'candidate'), {
        timeoutMs: 30_000,
        what: 'first answer stored',
      });
      const before = await storedTurns(database, room.sessionId);
      const offsets = logOffsets(cluster);
      const heardBefore = candidate.heardUtterances().length;

      // kill -9: no shutdown callback runs; its job process dies with the worker's process group.
      await first.process.stop({ signal: 'SIGKILL', graceMs: 0 });
      const killedAt = Date.now();

      const second = await waitForWorkerOf(cluster, room.sessionId, 90_000, offsets);
      expect(second).not.toBe(first);
      expect(second.process.exit).toBeUndefined();
      await waitUntil(() => normalise(candidate.heardUtterances().slice(heardBefore).join(' ')).includes('welcome back'), {
        timeoutMs: 60_000,
        what: 'the resumed agent welcomes the candidate back',
      });
      process.stdout.write(`cluster: ${first.name} killed; ${second.name} resumed after ${Date.now() - killedAt} ms\n`);

      const ended = await waitUntil(
        async () => {
          const s = await interviewState(database, room.sessionId);
          return ENDED.includes(s.status) && s.evaluations > 0 ? s : undefined;
        },
        { timeoutMs: 240_000, what: 'interview ended and evaluated' },
      );
      expect(ended).toMatchObject({ status: 'COMPLETED', end_reason: 'completed', endings: 1, evaluations: 1 });
      const after = await storedTurns(database, room.sessionId);
      expect(lostTurns(before, after)).toEqual([]);
      expect(after.map((t) => t.seq)).toEqual(after.map((_, i) => i + 1));
      expect(after.length).toBeGreaterThan(before.length);
    },
  );
});
