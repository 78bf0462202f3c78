// Transport floor: two synthetic participants through the same LiveKit server, no agent. One says
// phrases, the other listens. Onset: first frame leaves → first loud frame heard; offset: last
// frame leaves → last loud frame heard. The first includes the phrase's quiet lead-in, the second
// misses its quiet tail: the one-way delay lies between them (their mean is the estimate). Both
// use pacing 'queue' (frames stamped when they leave), as the bench's candidate does. Then the
// same with a speaker on the default pacing 'clock' (its `startedAt`/`lastFrameAt`: hand-over to
// its AudioSource), for comparison: the difference is that pacing's send queue.
import { randomBytes } from 'node:crypto';
import { AccessToken } from 'livekit-server-sdk';
import { startParticipant, type ParticipantOptions, type SpeechSegment, type SyntheticParticipant } from '../../testkit/candidate.js';
import { sleep, waitUntil, type LiveKit } from '../../testkit/stack.js';
import { summarise, type Summary } from '../../testkit/stats.js';
import { LOG_DIR } from './settings.js';

const FRAME_MS = 10;

export interface TransportProbe {
  n: number;
  onsetMs: Summary;
  offsetMs: Summary;
  /** (onset + offset) / 2, per phrase: the estimate of one way through LiveKit and WebRTC. */
  oneWayMs: Summary;
}

function probeFigures(said: { startedAt: number; lastFrameAt?: number }[], heard: SpeechSegment[]): TransportProbe {
  const onset: number[] = [];
  const offset: number[] = [];
  const oneWay: number[] = [];
  for (const a of said) {
    if (!a || a.lastFrameAt === undefined || !a.startedAt) continue;
    const seg = heard.find((g) => g.start + FRAME_MS >= a.startedAt && g.start <= a.lastFrameAt!);
    if (!seg) continue;
    const on = seg.start + FRAME_MS - a.startedAt; // arrival of the first loud 10 ms frame
    const off = seg.end - a.lastFrameAt;
    onset.push(on);
    offset.push(off);
    oneWay.push((on + off) / 2);
  }
  return { n: oneWay.length, onsetMs: summarise(onset), offsetMs: summarise(offset), oneWayMs: summarise(oneWay) };
}

/** The floor one way; with `withClockPacing`, also the same path with a speaker on pacing 'clock'. */
export async function transportProbe(
  livekit: LiveKit,
  phrases: string[],
  withClockPacing: boolean,
  onStart: (p: SyntheticParticipant) => void,
): Promise<{ floor: TransportProbe; harness: TransportProbe | null }> {
  const roomName = `bench-probe-${randomBytes(3).toString('hex')}`;
  const start = async (name: string, o: Partial<ParticipantOptions>) => {
    const t = new AccessToken(livekit.apiKey, livekit.apiSecret, { identity: name });
    t.addGrant({ roomJoin: true, room: roomName, canPublish: true, canSubscribe: true });
    const p = await startParticipant({
      serverUrl: livekit.url,
      token: await t.toJwt(),
      name,
      logDir: LOG_DIR,
      recordWav: false,
      pacing: 'queue',
      ...o,
    });
    onStart(p);
    return p;
  };
  // The speaker's answers are synthesised at start (as in an interview), never spoken on their own
  // (its listener is silent): say() speaks them one by one.
  const probe = async (speaker: SyntheticParticipant, listener: SyntheticParticipant) => {
    const name = speaker.options.name;
    await listener.waitFor(() => listener.firstAudioAt, { timeoutMs: 20_000, what: `probe: audio from ${name}` });
    await sleep(500);
    const before = listener.segments.length;
    const spoken = () => speaker.answers.filter((a) => a?.lastFrameAt !== undefined).length;
    for (let k = 0; k < phrases.length; k++) {
      speaker.say(phrases[k]!);
      await waitUntil(() => spoken() > k, { timeoutMs: 10_000, intervalMs: 20, what: `probe: ${name} said phrase ${k + 1}` });
      // The listener ends a segment after 1 s of silence.
      await listener
        .waitFor(() => listener.segments.length > before + k, { timeoutMs: 5_000, what: `probe: phrase ${k + 1} heard` })
        .catch(() => undefined);
      await sleep(200);
    }
    return probeFigures(speaker.answers, listener.segments);
  };
  const pairOf = async (speakerName: string, listenerName: string, speaker: Partial<ParticipantOptions>) => {
    const listener = await start(listenerName, { listenTo: speakerName });
    try {
      const s = await start(speakerName, { listenTo: listenerName, answers: phrases, ...speaker });
      try {
        return await probe(s, listener);
      } finally {
        await s.leave();
      }
    } finally {
      await listener.leave();
    }
  };

  const floor = await pairOf('probe-speaker', 'probe-listener', {});
  let harness: TransportProbe | null = null;
  if (withClockPacing) {
    try {
      harness = await pairOf('probe-harness', 'probe-listener-2', { pacing: 'clock' });
    } catch (e) {
      process.stdout.write(`transport probe with pacing 'clock' failed (informational): ${e instanceof Error ? e.message : String(e)}\n`);
    }
  }
  return { floor, harness };
}
