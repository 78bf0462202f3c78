// The product the way `npm start` runs it, used the way its people use it: the embedded database
// (PGlite served on loopback, shared by the API and the worker), a LiveKit server that sends its
// webhooks to the API, the API, one worker with its real availability (no fixed load), offline
// speech and no keys (structured mode). Kept running past many watchdog ticks, then: HR logs in and
// creates interviews; candidates take them (one answers and presses End, one stays silent on a busy
// machine right after the first, one is ended by HR); transcripts and evaluations are read back
// through the HR API; then everything restarts on the same data folder and the data is still there.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WATCHDOG } from '../../api/watchdog.js';
import { leaveAll, normalise, startCandidate, type Candidate } from '../../testkit/candidate.js';
import {
  artifactsDir,
  createInterviewRoom,
  freeTcpPort,
  sleep,
  startApi,
  startEmbeddedDatabase,
  startLiveKit,
  startWorker,
  stopAll,
  waitUntil,
  type Api,
} from '../../testkit/stack.js';

/** Join → the agent's first loud audio: seconds, not the minute a dropped dispatch used to cost. */
const HEARD_WITHIN_MS = 15_000;

const burners: ChildProcess[] = [];
afterAll(async () => {
  for (const b of burners) b.kill('SIGKILL');
  await leaveAll();
  await stopAll();
});

type Detail = {
  status: string;
  endReason: string | null;
  transcript: { seq: number; speaker: string; text: string }[];
  evaluation: { scored: boolean; notScoredReason: string | null } | null;
};

async function detail(api: Api, auth: Record<string, string>, id: string): Promise<Detail> {
  const res = await api.request(`/api/interviews/${id}`, { headers: auth });
  expect(res.status).toBe(200);
  return (await res.json()) as Detail;
}

const untilEnded = (api: Api, auth: Record<string, string>, id: string, timeoutMs: number) =>
  waitUntil(
    async () => {
      const d = await detail(api, auth, id);
      return !['SCHEDULED', 'READY', 'IN_PROGRESS'].includes(d.status) && d.evaluation ? d : undefined;
    },
    { timeoutMs, intervalMs: 500, what: `interview ${id} ended and evaluated` },
  );

/** The first loud agent audio after the candidate connected, in ms. */
async function heardAfterMs(c: Candidate) {
  return (await c.waitForFirstSpeech(60_000)) - c.connectedAt;
}

describe('the product as npm start runs it', () => {
  it(
    'serves HR and candidates for minutes on the embedded database, ends every interview honestly, and keeps its data across a restart',
    { timeout: 600_000 },
    async () => {
      const dir = artifactsDir('product-embedded');
      const dataDir = path.join(dir, 'data');
      let db = await startEmbeddedDatabase({ logDir: dir, dataDir });
      const apiPort = await freeTcpPort();
      const livekit = await startLiveKit({ logDir: dir, webhookUrl: `http://127.0.0.1:${apiPort}/api/livekit/webhook` });
      const env = { AGENT_SILENCE_TIMEOUT_S: '5', AGENT_MAX_FOLLOW_UPS: '0' };
      const apiOpts = { logDir: dir, livekit, port: apiPort, database: db.database, env: { ...env, DATA_DIR: dataDir } };
      let api = await startApi(apiOpts);
      const worker = await startWorker({ logDir: dir, livekit, databaseUrl: db.database.url, env });

      // The embedded database used to stop answering ~10 s after start (a watchdog transaction held
      // across pooled connections). Run well past that and several ticks before anyone logs in.
      await sleep(Math.max(15_000, 6 * WATCHDOG.intervalMs));

      // 1. A candidate answers, then presses End: COMPLETED by the candidate, evaluation stored.
      const first = await createInterviewRoom(api);
      const c1 = await startCandidate({
        apiUrl: api.url,
        roomCode: first.roomCode,
        logDir: dir,
        name: 'candidate-1',
        answers: ['I spent five years building payment services with node and postgres at a bank. That is the short version.'],
      });
      expect(await heardAfterMs(c1)).toBeLessThan(HEARD_WITHIN_MS);
      await c1.waitForSegments(1, 60_000); // the greeting, heard to its end
      await c1.waitFor(() => normalise(c1.heardText()).includes('conducted by an ai interviewer'), {
        timeoutMs: 10_000,
        what: 'the AI notice heard',
      });
      await c1.waitForAnswers(1, 120_000);
      await c1.waitForReply(1, 60_000);
      const end = await fetch(`${api.url}/api/public/interview/room/${first.roomCode}/end`, {
        method: 'POST',
        headers: { cookie: c1.cookie!, origin: api.url },
      });
      expect(end.status).toBe(200);
      const ended1 = await untilEnded(api, first.auth, first.sessionId, 60_000);
      expect(ended1).toMatchObject({ status: 'COMPLETED', endReason: 'candidate_ended' });
      expect(ended1.transcript.some((t) => t.speaker === 'candidate' && t.text.trim() !== '')).toBe(true);
      expect(ended1.transcript[0]).toMatchObject({ seq: 1, speaker: 'agent' });
      expect(ended1.evaluation).toMatchObject({ scored: false, notScoredReason: expect.stringMatching(/No LLM is configured/) });
      await c1.leave();

      // 2. Right after, on a machine kept busy: the agent still comes at once; the candidate never
      //    speaks: checked in on, then ended for silence.
      for (let i = 0; i < 2; i++) {
        const b = spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' });
        burners.push(b);
      }
      const second = await createInterviewRoom(api);
      const c2 = await startCandidate({ apiUrl: api.url, roomCode: second.roomCode, logDir: dir, name: 'candidate-2-silent', answers: [] });
      expect(await heardAfterMs(c2)).toBeLessThan(HEARD_WITHIN_MS);
      for (const b of burners.splice(0)) b.kill('SIGKILL');
      const ended2 = await untilEnded(api, second.auth, second.sessionId, 180_000);
      expect(ended2).toMatchObject({ status: 'ABANDONED', endReason: 'candidate_silent' });
      const heard2 = normalise(c2.heardText());
      expect(heard2).toContain('are you still there');
      expect(heard2).toContain('i have not heard from you');
      expect(ended2.evaluation).toMatchObject({ scored: false });
      await c2.leave();

      // 3. HR ends a live interview from the console's API: the room closes, the agent evaluates.
      const third = await createInterviewRoom(api);
      const c3 = await startCandidate({ apiUrl: api.url, roomCode: third.roomCode, logDir: dir, name: 'candidate-3', answers: [] });
      expect(await heardAfterMs(c3)).toBeLessThan(HEARD_WITHIN_MS);
      const hrEnd = await api.request(`/api/interviews/${third.sessionId}/end`, { method: 'POST', headers: third.auth });
      expect(hrEnd.status).toBe(200);
      const ended3 = await untilEnded(api, third.auth, third.sessionId, 60_000);
      expect(ended3.endReason).toBe('hr_ended');
      expect(['CANCELLED', 'COMPLETED']).toContain(ended3.status);
      await c3.waitFor(() => c3.exit || c3.disconnected, { timeoutMs: 30_000, what: 'the candidate is out of the deleted room' });
      await c3.leave();

      // 4. Restart the product on the same data folder: everything is still there.
      await worker.stop();
      await api.stop();
      await db.stop();
      db = await startEmbeddedDatabase({ logDir: path.join(dir, 'restart'), dataDir });
      api = await startApi({ ...apiOpts, logDir: path.join(dir, 'restart'), database: db.database });
      const login = await api.request('/api/auth/login/', { method: 'POST', json: api.admin });
      expect(login.status).toBe(200);
      const auth = { authorization: `Bearer ${((await login.json()) as { access: string }).access}` };
      const again = await detail(api, auth, first.sessionId);
      expect(again.transcript).toEqual(ended1.transcript);
      expect(again.evaluation).toEqual(ended1.evaluation);
      expect((await detail(api, auth, second.sessionId)).status).toBe('ABANDONED');
      await api.stop();
      await db.stop();
      await livekit.stop();
    },
  );
});
