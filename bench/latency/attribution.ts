// Attribution of "ours" (for information): what no agent code chooses per turn, and what the
// agent's own log says about the turn.
//
// The VAD's own tail, offline: Silero (as agent/main.ts loads it) run over each answer exactly as
// the candidate sends it (flite, trimmed, 48 kHz), in audio time. The agent's end-of-speech
// estimate (lastSpeakingTime, where endOfUtteranceDelayMs starts) lies this far after the audio's
// real end even with no transport and no processing delay: Silero's probability decays after the
// last phoneme and is read in 32 ms windows. Part of "ours" (inbound).
import { initializeLogger, VADEventType } from '@livekit/agents';
import * as silero from '@livekit/agents-plugin-silero';
import { answerAudio } from '../../testkit/speech.js';
import type { PairedTurn } from './pairing.js';

export async function vadTails(texts: string[]): Promise<Map<string, number>> {
  // 'error': fed faster than real time, Silero warns that it is "slower than realtime".
  initializeLogger({ pretty: false, level: 'error' });
  const vad = await silero.VAD.load({ minSilenceDuration: 550 });
  const rtc = await import('@livekit/rtc-node');
  const out = new Map<string, number>();
  for (const text of texts) {
    let answer: Int16Array;
    try {
      answer = answerAudio(rtc, text, 48_000);
    } catch {
      continue; // the voice failed on it: no tail for this answer (attribution only)
    }
    const LEAD = 24_000; // 500 ms of silence first
    const pcm = new Int16Array(LEAD + answer.length + 96_000);
    pcm.set(answer, LEAD);
    const audioEndMs = ((LEAD + answer.length) / 48_000) * 1000;
    const stream = vad.stream();
    for (let i = 0; i + 480 <= pcm.length; i += 480) stream.pushFrame(new rtc.AudioFrame(pcm.slice(i, i + 480), 48_000, 1, 480));
    for await (const ev of stream) {
      if (ev.type === VADEventType.END_OF_SPEECH) {
        out.set(text, Math.round(ev.timestamp - ev.silenceDuration - audioEndMs));
        break;
      }
    }
    stream.close();
  }
  return out;
}

// The agent's own warnings, per turn: its job process's event loop stalls and the VAD's backlog.

export function stallsPerTurn(turns: PairedTurn[], log: Record<string, unknown>[]) {
  const stalls = log
    .filter((l) => l.loop === 'job' && typeof l.duration === 'number' && typeof l.time === 'number')
    .map((l) => ({ from: (l.time as number) - (l.duration as number), to: l.time as number }));
  const vad = log
    .filter((l) => l.msg === 'VAD inference is slower than realtime' && typeof l.delay === 'number')
    .map((l) => ({ at: l.time as number, delay: l.delay as number }));
  const handles = log.filter((l) => l.msg === 'Creating speech handle' && typeof l.time === 'number').map((l) => l.time as number);
  for (const t of turns) {
    const h = handles.find((at) => at >= t.commitAt - 20 && at <= t.llmAt);
    t.toSpeechHandleMs = h === undefined ? null : h - t.commitAt;
    t.stallMs = Math.round(stalls.reduce((sum, s) => sum + Math.max(0, Math.min(s.to, t.replyAt) - Math.max(s.from, t.lastFrameAt)), 0));
    t.vadBacklogMs = Math.max(0, ...vad.filter((v) => v.at >= t.lastFrameAt - 1500 && v.at <= t.replyAt).map((v) => v.delay));
  }
}
