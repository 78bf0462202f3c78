// One policy of turns: interviews one after the other on the running worker until every answer was
// played. The candidate (testkit's synthetic participant, pacing 'queue', 16 kHz microphone) waits
// for the agent to finish, plays a real-speech answer, then listens for the agent's next speech.
import { sql } from 'kysely';
import type { DbHandle } from '../../db/connect.js';
import { startCandidate, type Candidate } from '../../testkit/candidate.js';
import type { Answer, PauseKind } from '../../testkit/real-speech.js';
import { createInterviewRoom, sleep, type Api, type Worker } from '../../testkit/stack.js';
import { LOG_DIR, settings, type Policy } from './settings.js';

export interface AnswerResult {
  policy: string;
  interview: number;
  /** Index in the answer set (the same answers for every policy). */
  answer: number;
  pausesMs: number[];
  pauseKinds: PauseKind[];
  /** The answer's first frame left / its last frame (the true end) left (epoch ms). */
  startedAt: number;
  endAt: number;
  /** The agent's first audio during the answer, ms after its start; null: not cut off. */
  cutOffAtMs: number | null;
  /** Index of the pause the cut-off fell in or after (null: before the first pause). */
  cutOffPause: number | null;
  /** True end → first agent audio, for answers not cut off; null: none within the cap. */
  deadAirMs: number | null;
}

const ENDED = ['COMPLETED', 'TIMED_OUT', 'ABANDONED', 'FAILED'];
const QUIET_MS = 1200;

/** Waits until the agent has been silent for QUIET_MS (after its detector's own hangover). */
async function agentQuiet(c: Candidate, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const last = c.segments[c.segments.length - 1]?.end ?? 0;
    if (!c.remoteSpeaking && c.firstSpeechAt !== undefined && Date.now() - last >= QUIET_MS) return true;
    if (c.exit) return false;
    await sleep(100);
  }
  return false;
}

export async function runPolicy(
  policy: Policy,
  answers: Answer[],
  api: Api,
  worker: Worker,
  db: DbHandle,
  log: (s: string) => void,
  /** Each answer as its first frame leaves (the oracle recogniser places uploads from it). */
  onPlay?: (index: number, answer: Answer, startedAt: number) => void,
): Promise<AnswerResult[]> {
  const results: AnswerResult[] = [];
  let next = 0;
  for (let interview = 1; next < answers.length && interview <= answers.length; interview++) {
    const room = await createInterviewRoom(api);
    const candidate = await startCandidate({
      apiUrl: api.url,
      roomCode: room.roomCode,
      name: `${policy.name.replace(/\//g, '-')}-${interview}`,
      logDir: LOG_DIR,
      answers: [],
      pacing: 'queue',
      publishSampleRate: 16000,
      recordWav: false,
    });
    const starts: number[] = [];
    candidate.on('speech-start', (m: { at: number }) => starts.push(m.at));
    let playing = -1;
    candidate.on('answer-start', (m: { answer: { startedAt: number } }) => onPlay?.(playing, answers[playing]!, m.answer.startedAt));
    const status = async () =>
      (await sql<{ status: string }>`SELECT status FROM interviews WHERE id = ${room.sessionId}`.execute(db.db)).rows[0]?.status;
    try {
      // The greeting and first question, then one answer per agent turn.
      await candidate.waitForFirstSpeech(60_000);
      while (next < answers.length) {
        if (!(await agentQuiet(candidate, 60_000))) throw new Error('the agent did not go quiet within 60 s');
        if (ENDED.includes((await status()) ?? '')) break;
        if (worker.process.exit) throw new Error('the worker exited');
        const a = answers[next]!;
        const index = candidate.answers.length;
        playing = next;
        candidate.play(a.samples, a.text);
        const t = await candidate.waitForAnswers(index + 1, a.endMs + 30_000);
        const endAt = t.lastFrameAt!;
        while (!starts.some((s) => s >= endAt) && Date.now() - endAt < settings.capMs && !candidate.exit) await sleep(50);
        const cut = starts.find((s) => s > t.startedAt && s < endAt);
        const reply = starts.find((s) => s >= endAt && s - endAt <= settings.capMs);
        const cutOffAtMs = cut === undefined ? null : cut - t.startedAt;
        let cutOffPause: number | null = null;
        if (cutOffAtMs !== null) a.segments.forEach((s, i) => i < a.segments.length - 1 && cutOffAtMs >= s.endMs && (cutOffPause = i));
        results.push({
          policy: policy.name,
          interview,
          answer: next,
          pausesMs: a.pausesMs,
          pauseKinds: a.pauseKinds,
          startedAt: t.startedAt,
          endAt,
          cutOffAtMs,
          cutOffPause,
          deadAirMs: cut === undefined && reply !== undefined ? reply - endAt : null,
        });
        const r = results[results.length - 1]!;
        log(
          `    answer ${next + 1}: ${(a.endMs / 1000).toFixed(1)} s, pauses ${a.pausesMs.map((p, i) => `${p}${a.pauseKinds[i] === 'inside' ? 'i' : ''}`).join('/')} ms → ` +
            (r.cutOffAtMs !== null
              ? `CUT OFF at ${(r.cutOffAtMs / 1000).toFixed(1)} s`
              : r.deadAirMs !== null
                ? `dead air ${r.deadAirMs} ms`
                : 'no reply within the cap'),
        );
        next++;
      }
    } finally {
      await candidate.leave();
    }
  }
  return results;
}
