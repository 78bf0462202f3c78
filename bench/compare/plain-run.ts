// One conversation of compare's plain agent: the same API flow as our interviews (HR creates the
// interview, the candidate joins and gets a token with the agent dispatch, which the plain worker
// takes, ignoring its metadata), the same synthetic candidate answering the same short answers,
// and the same pairing (bench/latency/pairing.ts) on the reply lines the plain agent logs instead
// of our transcript_turns. The plain agent never ends a conversation: the candidate leaves once its
// last answer was replied to.
import { startCandidate } from '../../testkit/candidate.js';
import { createInterviewRoom, waitUntil, type Api, type Worker } from '../../testkit/stack.js';
import { workerLog } from '../latency/interview.js';
import { agentJoinedToGreetingMs, pair, type Pairing, type TurnRow } from '../latency/pairing.js';
import { ANSWERS } from '../latency/settings.js';
import { REPLY_LINE } from './plain-script.js';

/** The plain agent never replied to the first answer: it did not hear the candidate (see runPlain). */
export class NotHeard extends Error {}

export interface PlainResult extends Pairing {
  index: number;
  answersSpoken: number;
  joinToGreetingMs: number | null;
  agentJoinedToGreetingMs: number | null;
  seconds: number;
}

/** The plain agent's replies, from its worker's log, as transcript_turns rows. */
export function plainTurns(lines: Record<string, unknown>[]): TurnRow[] {
  return lines
    .filter((l) => l.msg === REPLY_LINE)
    .map((l, seq) => ({
      seq,
      speaker: 'agent',
      text: String(l.text),
      started_at_ms: Number(l.started_at_ms),
      ended_at_ms: Number(l.ended_at_ms),
      metrics: l.metrics as Record<string, number>,
    }));
}

export async function runPlain(index: number, answers: number, api: Api, worker: Worker, logDir: string): Promise<PlainResult> {
  const started = Date.now();
  const room = await createInterviewRoom(api);
  const candidate = await startCandidate({
    apiUrl: api.url,
    roomCode: room.roomCode,
    name: `candidate-${index}`,
    logDir,
    answers: ANSWERS.slice(0, answers),
    pacing: 'queue',
    recordWav: false,
  });
  const abort = () => (worker.process.exit ? 'the plain worker exited' : candidate.exit ? 'the candidate process exited' : undefined);
  // An agent that never got the candidate's audio (seen while the plain agent connected before
  // starting its session: the greeting, then nothing) is reported, and the round run again on a
  // fresh worker (bench/compare.ts), rather than waited out.
  await waitUntil(() => candidate.answers[0]?.replyAt !== undefined, {
    timeoutMs: 90_000,
    intervalMs: 250,
    what: 'first reply',
    abort,
  }).catch(async (e: unknown) => {
    const aborted = abort(); // before leaving: the candidate's exit is then ours
    await candidate.leave();
    if (aborted) throw e;
    const heard = plainTurns(workerLog(worker)).length;
    throw new NotHeard(`plain conversation ${index}: no reply to the first answer within 90 s (${heard} reply logged, the greeting)`);
  });
  await waitUntil(() => candidate.answers[answers - 1]?.replyAt !== undefined, {
    timeoutMs: 60_000 + answers * 25_000,
    intervalMs: 250,
    what: `plain conversation ${index}: a reply to answer ${answers}`,
    abort,
  });
  // The last reply's line is written once it has played out (greeting + one per answer).
  await waitUntil(() => plainTurns(workerLog(worker)).length >= answers + 1, {
    timeoutMs: 30_000,
    what: `plain conversation ${index}: the last reply logged`,
    abort,
  }).catch(() => undefined);
  await candidate.leave();
  const p = pair(index, candidate, plainTurns(workerLog(worker)));
  const heard = candidate.segments[0]?.start;
  return {
    index,
    answersSpoken: candidate.answers.filter((a) => a?.lastFrameAt !== undefined).length,
    ...p,
    joinToGreetingMs: heard === undefined ? null : candidate.joinMs + (heard - candidate.joinResponseAt),
    agentJoinedToGreetingMs: agentJoinedToGreetingMs(candidate),
    seconds: (Date.now() - started) / 1000,
  };
}
