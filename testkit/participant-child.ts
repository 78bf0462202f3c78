// The synthetic participant itself, a child process forked by participant.ts: connects to LiveKit
// as a real WebRTC participant, publishes a microphone track (continuous 10 ms frames, silence
// between answers, as a real microphone does), subscribes to the listened-to participant's audio,
// detects when it starts and stops talking from the received energy (frame RMS over a threshold,
// ended by ≥ hangoverMs of silence), collects the `lk.transcription` text streams, and answers with
// flite speech from a script: one answer each time the other side stops talking. Everything it
// sees goes to the parent over IPC; its log is `<logDir>/<name>.log`.
import path from 'node:path';
import type { AudioFrame, AudioSource, RemoteTrack } from '@livekit/rtc-node';
import type { AnswerTiming, ChildMsg, ChildStart, ParentMsg, TranscriptEntry } from './participant-messages.js';
import { answerAudio, SpeechDetector, type DetectorEvent } from './speech.js';
import { WavWriter } from './wav.js';

async function childMain(): Promise<void> {
  const start = await new Promise<ChildStart>((resolve) => {
    process.once('message', (m: ParentMsg) => {
      if (m.type === 'start') resolve(m);
    });
  });
  const o = start.options;
  const send = (m: ChildMsg) => {
    if (process.connected) process.send!(m);
  };
  const log = (...a: unknown[]) => console.log(new Date().toISOString(), ...a);
  const fail = (e: unknown) => {
    const message = e instanceof Error ? (e.stack ?? e.message) : String(e);
    log('ERROR', message);
    send({ type: 'error', message: e instanceof Error ? e.message : String(e) });
  };

  const rtc = await import('@livekit/rtc-node');
  const rate = o.publishSampleRate ?? 48000;
  const FRAME_MS = 10;
  const spf = (rate * FRAME_MS) / 1000;
  const HEAR_RATE = 16000;
  const detector = new SpeechDetector({
    threshold: o.threshold ?? 300,
    hangoverMs: o.hangoverMs ?? 1000,
    minSpeechMs: o.minSpeechMs ?? 40,
  });
  const wav = o.recordWav === false ? undefined : new WavWriter(path.join(o.logDir, `${o.name}.heard.wav`), HEAR_RATE);

  // --- speech synthesis (flite → resampled int16 at the publish rate), cached per text
  const cache = new Map<string, Int16Array>();
  const synth = (text: string): Int16Array => {
    let samples = cache.get(text);
    if (!samples) cache.set(text, (samples = answerAudio(rtc, text, rate, o)));
    return samples;
  };
  const answers = o.answers ?? [];
  for (const a of answers) synth(a); // fail early, and no synthesis delay at answer time

  // --- room
  const room = new rtc.Room();
  let source: AudioSource | undefined;
  let stopping = false;
  const isListened = (identity: string, kind: number) =>
    o.listenTo !== undefined ? identity === o.listenTo : kind === rtc.ParticipantKind.AGENT;

  room.on(rtc.RoomEvent.ParticipantConnected, (p) => {
    log('participant connected', p.identity, 'kind', p.kind);
    send({ type: 'participant', event: 'connected', identity: p.identity, kind: p.kind, at: Date.now() });
  });
  room.on(rtc.RoomEvent.ParticipantDisconnected, (p) => {
    log('participant disconnected', p.identity);
    send({ type: 'participant', event: 'disconnected', identity: p.identity, kind: p.kind, at: Date.now() });
  });
  room.on(rtc.RoomEvent.Disconnected, (reason) => {
    log('disconnected from the room, reason', reason);
    send({ type: 'disconnected', reason: String(rtc.DisconnectReason[reason] ?? reason), at: Date.now() });
  });

  room.registerTextStreamHandler('lk.transcription', (reader, info) => {
    const openedAt = Date.now();
    const attrs = reader.info.attributes ?? {};
    void (async () => {
      let text = '';
      for await (const chunk of reader) text += chunk;
      const entry: TranscriptEntry = {
        participantIdentity: info.identity,
        segmentId: attrs['lk.segment_id'],
        trackId: attrs['lk.transcribed_track_id'],
        final: attrs['lk.transcription_final'] === 'true',
        text,
        openedAt,
        closedAt: Date.now(),
      };
      log('transcript', JSON.stringify(entry));
      send({ type: 'transcript', entry });
    })().catch(fail);
  });

  // --- speaking: a queue of utterances played by a real-time 10 ms pump
  interface Utterance {
    samples: Int16Array;
    pos: number;
    answer?: AnswerTiming;
  }
  const queue: Utterance[] = [];
  let current: Utterance | undefined;
  let spoken = 0; // answers started
  let done = 0; // answers finished
  let nextAnswer = 0;
  let keepTalkingOn = false;
  const awaitingReply: AnswerTiming[] = [];
  const busy = () => current !== undefined || queue.length > 0;

  const enqueueText = (text: string) => {
    const samples = synth(text);
    const answer: AnswerTiming = { index: spoken++, text, startedAt: 0, audioMs: Math.round((samples.length / rate) * 1000) };
    queue.push({ samples, pos: 0, answer });
    if (o.publishTranscripts) {
      void room.localParticipant
        ?.sendText(text, {
          topic: 'lk.transcription',
          attributes: { 'lk.transcription_final': 'true', 'lk.segment_id': `SG_${answer.index}` },
        })
        .catch(fail);
    }
  };
  const enqueueSilence = (ms: number) => queue.push({ samples: new Int16Array(Math.round((rate * ms) / 1000)), pos: 0 });

  let dropping = false;
  const drop = () => {
    if (dropping) return;
    dropping = true;
    log('dropping: SIGKILL, no leave');
    send({ type: 'dropping', at: Date.now() });
    wav?.close();
    // Let the frames already queued in the native source go out, then vanish.
    setTimeout(() => process.kill(process.pid, 'SIGKILL'), 250);
  };

  const takeTurn = () => {
    if (stopping || dropping) return;
    if (o.dropAfterAnswers !== undefined && done >= o.dropAfterAnswers) return drop();
    if (o.keepTalking) {
      if (keepTalkingOn || answers.length === 0) return;
      keepTalkingOn = true;
      enqueueText(answers[nextAnswer++ % answers.length]!);
      return;
    }
    if (busy() || nextAnswer >= answers.length) return;
    const text = answers[nextAnswer++]!;
    if (o.answerDelayMs) setTimeout(() => !stopping && enqueueText(text), o.answerDelayMs);
    else enqueueText(text);
  };

  const onUtteranceStart = (u: Utterance, at: number) => {
    if (!u.answer) return;
    u.answer.startedAt = at;
    send({ type: 'answer-start', answer: u.answer });
  };
  const onUtteranceEnd = (u: Utterance, at: Pick<AnswerTiming, 'lastFrameAt' | 'handedAt' | 'queuedMs'>) => {
    if (!u.answer) return;
    Object.assign(u.answer, at);
    done++;
    awaitingReply.push(u.answer);
    send({ type: 'answer-end', answer: u.answer });
    const queued = at.queuedMs === undefined ? '' : `, ${at.queuedMs.toFixed(0)} ms queued at the last frame`;
    log(`answer ${u.answer.index} sent (${u.answer.audioMs} ms of audio${queued})`);
    if (o.dropAfterAnswers !== undefined && done >= o.dropAfterAnswers) return drop();
    if (keepTalkingOn && queue.length === 0) {
      enqueueSilence(o.keepTalkingGapMs ?? 300);
      enqueueText(answers[nextAnswer++ % answers.length]!);
    }
  };

  const silence = new Int16Array(spf);
  const nextFrame = (): { frame: AudioFrame; started?: Utterance; ended?: Utterance } => {
    let started: Utterance | undefined;
    if (!current && queue.length > 0) started = current = queue.shift()!;
    if (!current) return { frame: new rtc.AudioFrame(silence, rate, 1, spf) };
    const data = new Int16Array(spf);
    data.set(current.samples.subarray(current.pos, current.pos + spf));
    current.pos += spf;
    const frame = new rtc.AudioFrame(data, rate, 1, spf);
    if (current.pos >= current.samples.length) {
      const ended = current;
      current = undefined;
      return { frame, started, ended };
    }
    return { frame, started };
  };

  const LEAD_FRAMES = 3;
  const pumpByClock = async (source: AudioSource) => {
    const t0 = performance.now();
    let sent = 0;
    while (!stopping) {
      let due = Math.floor((performance.now() - t0) / FRAME_MS) + LEAD_FRAMES;
      // After a stall (a blocked event loop), skip silence rather than burst it; speech is never skipped.
      if (due - sent > 25 && !busy()) sent = due - LEAD_FRAMES;
      while (sent < due && !stopping) {
        const { frame, started, ended } = nextFrame();
        if (started) onUtteranceStart(started, Date.now());
        await source.captureFrame(frame);
        sent++;
        if (ended) onUtteranceEnd(ended, { lastFrameAt: Date.now() });
        due = Math.floor((performance.now() - t0) / FRAME_MS) + LEAD_FRAMES;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  };

  const TARGET_QUEUE_MS = 30;
  const pumpByQueue = async (source: AudioSource) => {
    while (!stopping) {
      // Paced by what the source holds, not by a clock to catch up with: a stalled loop leaves a
      // gap (silence, or a hiccup inside an answer) instead of a backlog that delays what follows.
      while (!stopping && source.queuedDuration < TARGET_QUEUE_MS) {
        const { frame, started, ended } = nextFrame();
        await source.captureFrame(frame);
        const handedAt = Date.now();
        const leavesAt = handedAt + Math.max(0, source.queuedDuration - FRAME_MS);
        if (started) onUtteranceStart(started, leavesAt);
        if (ended) onUtteranceEnd(ended, { lastFrameAt: leavesAt, handedAt, queuedMs: source.queuedDuration });
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  const pump = o.pacing === 'queue' ? pumpByQueue : pumpByClock;

  // --- listening
  let firstAudioSent = false;
  let spokeFirst = false;
  const onDetector = (ev: DetectorEvent | undefined) => {
    if (!ev) return;
    if (ev.type === 'start') {
      log('remote started talking');
      send({ type: 'speech-start', at: ev.at });
      for (const a of awaitingReply.splice(0)) {
        // The first loud frame after our answer ended (a segment already under way counts from its next loud frame).
        const replyAt = ev.firstLoudAt > a.lastFrameAt! ? ev.firstLoudAt : Date.now();
        send({ type: 'reply', index: a.index, replyAt });
      }
    } else {
      log(`remote stopped talking (${ev.segment.durationMs} ms, peak rms ${ev.segment.peakRms})`);
      send({ type: 'speech-end', segment: ev.segment });
      takeTurn();
    }
  };
  const listen = async (track: RemoteTrack, identity: string) => {
    const stream = new rtc.AudioStream(track, { sampleRate: HEAR_RATE, numChannels: 1, frameSizeMs: FRAME_MS });
    const reader = stream.getReader();
    try {
      for (;;) {
        const { value: frame, done: end } = await reader.read();
        if (end || stopping) break;
        const at = Date.now();
        if (!firstAudioSent) {
          firstAudioSent = true;
          send({ type: 'first-audio', identity, at });
        }
        wav?.write(frame.data);
        const frameMs = (frame.samplesPerChannel / frame.sampleRate) * 1000;
        const rms = SpeechDetector.rms(frame.data);
        // While speaking, a loud frame after an answer ended is that answer's reply.
        if (detector.speaking && rms >= (o.threshold ?? 300) && awaitingReply.length > 0) {
          for (const a of awaitingReply.splice(0)) send({ type: 'reply', index: a.index, replyAt: at });
        }
        onDetector(detector.push(rms, at, frameMs));
      }
    } finally {
      reader.releaseLock();
    }
  };
  const ticker = setInterval(() => onDetector(detector.tick(Date.now())), 100);

  room.on(rtc.RoomEvent.TrackSubscribed, (track, publication, participant) => {
    if (track.kind !== rtc.TrackKind.KIND_AUDIO || !isListened(participant.identity, participant.kind)) return;
    log('listening to', participant.identity, publication.sid);
    send({ type: 'subscribed', identity: participant.identity, trackSid: publication.sid ?? '', at: Date.now() });
    void listen(track, participant.identity).catch(fail);
    if (o.speakFirst && !spokeFirst) {
      spokeFirst = true;
      setTimeout(takeTurn, 300);
    }
  });

  // --- leave / say / parent gone
  const leave = async (why: string) => {
    if (stopping) return;
    stopping = true;
    log('leaving:', why);
    clearInterval(ticker);
    try {
      await room.disconnect();
    } catch (e) {
      fail(e);
    }
    wav?.close();
    try {
      await source?.close();
    } catch {
      /* closing twice */
    }
    await rtc.dispose();
    send({ type: 'left' });
    log('left');
    process.exit(0);
  };
  process.on('message', (m: ParentMsg) => {
    if (m.type === 'leave') void leave('asked by the test');
    else if (m.type === 'drop') drop();
    else if (m.type === 'play') {
      const answer: AnswerTiming = { index: spoken++, text: m.text, startedAt: 0, audioMs: Math.round((m.samples.length / rate) * 1000) };
      queue.push({ samples: m.samples, pos: 0, answer });
    } else if (m.type === 'say') {
      try {
        enqueueText(m.text);
      } catch (e) {
        fail(e);
      }
    }
  });
  // The test process went away: don't outlive it.
  process.on('disconnect', () => void leave('parent gone'));

  log('connecting to', o.serverUrl);
  await room.connect(o.serverUrl, o.token, { autoSubscribe: true, dynacast: false });
  const connectedAt = Date.now();
  log('connected as', room.localParticipant?.identity, 'to', room.name);
  source = new rtc.AudioSource(rate, 1, 200);
  const track = rtc.LocalAudioTrack.createAudioTrack('microphone', source);
  const publication = await room.localParticipant!.publishTrack(
    track,
    new rtc.TrackPublishOptions({ source: rtc.TrackSource.SOURCE_MICROPHONE }),
  );
  void pump(source).catch(fail);
  log('publishing the microphone at', rate, 'Hz');
  // Participants already in the room (their TrackSubscribed events still come).
  for (const p of room.remoteParticipants.values()) {
    send({ type: 'participant', event: 'connected', identity: p.identity, kind: p.kind, at: connectedAt });
  }
  send({
    type: 'ready',
    identity: room.localParticipant!.identity,
    roomName: room.name ?? '',
    micTrackSid: publication.sid ?? '',
    connectedAt,
    publishedAt: Date.now(),
  });
}

if (process.send) {
  childMain().catch((e) => {
    console.error(new Date().toISOString(), 'FATAL', e instanceof Error ? (e.stack ?? e.message) : e);
    if (process.connected) process.send!({ type: 'error', message: e instanceof Error ? e.message : String(e) } satisfies ChildMsg);
    setTimeout(() => process.exit(1), 100);
  });
}
