// What a synthetic participant records, the options it takes, and the messages its child process
// (participant-child.ts) and the parent side (participant.ts) exchange over IPC.
import type { SpeechSegment, VoiceOptions } from './speech.js';

export type { SpeechSegment } from './speech.js';

/** One `lk.transcription` text stream, read to its end. */
export interface TranscriptEntry {
  /** Whose speech it transcribes (the stream's sender identity): the agent's, or ours as its STT heard it. */
  participantIdentity: string;
  segmentId?: string;
  trackId?: string;
  /** lk.transcription_final of the stream header (agents' delta streams say 'false' even when complete). */
  final: boolean;
  text: string;
  /** When the stream opened / closed (epoch ms). */
  openedAt: number;
  closedAt: number;
}

/** One spoken answer and its timings (epoch ms). */
export interface AnswerTiming {
  /** 0, 1, 2… in speaking order. */
  index: number;
  text: string;
  /** The first frame of this answer went to the AudioSource (pacing 'queue': left it). */
  startedAt: number;
  /** The last frame of this answer went to the AudioSource (pacing 'queue': left it), trailing silence trimmed. */
  lastFrameAt?: number;
  /** Pacing 'queue': the last frame was handed to the AudioSource, which then held queuedMs of audio. */
  handedAt?: number;
  queuedMs?: number;
  audioMs: number;
  /** The first loud frame from the listened-to participant that arrived after lastFrameAt. */
  replyAt?: number;
  /** replyAt − lastFrameAt: the latency the candidate perceives. */
  latencyMs?: number;
}

export interface ParticipantOptions extends VoiceOptions {
  /** ws://… of LiveKit and a token for it. */
  serverUrl: string;
  token: string;
  /** Label for logs and artifacts (`<logDir>/<name>.log`, `.heard.wav`, `.json`). */
  name: string;
  logDir: string;
  /** Spoken one per turn: each time the listened-to participant stops talking. */
  answers?: string[];
  /** Speak answers[0] as soon as the listened-to participant's audio is subscribed. */
  speakFirst?: boolean;
  /** After the first turn, talk without pause (answers cycled, gaps of keepTalkingGapMs) until leave/drop. */
  keepTalking?: boolean;
  keepTalkingGapMs?: number;
  /** Vanish (SIGKILL, no leave) right after this many answers have been spoken; 0: at the first turn. */
  dropAfterAnswers?: number;
  /** Listen to this identity; default: any participant of kind AGENT. */
  listenTo?: string;
  /** Sample rate of the published microphone: 48000 (default) or 16000. */
  publishSampleRate?: 48000 | 16000;
  /**
   * How microphone frames reach the AudioSource (it queues up to 200 ms):
   * - 'clock' (default): one frame per 10 ms of wall clock, as a microphone delivers them; after an
   *   event-loop stall under 250 ms the pump catches up by bursting, and the backlog stays queued,
   *   so `lastFrameAt` (hand-over) can precede the frame's departure by up to 200 ms.
   * - 'queue': a frame is handed over only while the source holds < 30 ms, silence is never caught
   *   up, and an answer's first and last frames are stamped when they leave (hand-over + what the
   *   source holds − one frame). For latency benchmarks, where those 200 ms would be noise.
   */
  pacing?: 'clock' | 'queue';
  /** Frame RMS (int16) at or above which a received frame is speech (default 300 ≈ −40 dBFS). */
  threshold?: number;
  /** Silence after speech that ends a segment: "the agent stopped talking" (default 1000 ms). */
  hangoverMs?: number;
  /** Loud audio needed before a segment counts as started (default 40 ms). */
  minSpeechMs?: number;
  /** Pause between the agent stopping and the answer starting (default 0; the hangover is already a pause). */
  answerDelayMs?: number;
  /** Write what we heard as a 16 kHz WAV (default true). */
  recordWav?: boolean;
  /** Also send each spoken text on `lk.transcription` as our own transcript (as an agent does; for harness tests). */
  publishTranscripts?: boolean;
  /** How long to wait for the child to connect and publish (default 30 s). */
  connectTimeoutMs?: number;
}

export type ChildStart = { type: 'start'; options: ParticipantOptions };
export type ParentMsg =
  | ChildStart
  | { type: 'say'; text: string }
  /** Plays ready PCM (int16 mono at the publish rate) as an answer: reported like a spoken one. */
  | { type: 'play'; samples: Int16Array; text: string }
  | { type: 'leave' }
  | { type: 'drop' };

export type ChildMsg =
  | { type: 'ready'; identity: string; roomName: string; micTrackSid: string; connectedAt: number; publishedAt: number }
  | { type: 'participant'; event: 'connected' | 'disconnected'; identity: string; kind: number; at: number }
  | { type: 'subscribed'; identity: string; trackSid: string; at: number }
  | { type: 'first-audio'; identity: string; at: number }
  | { type: 'speech-start'; at: number }
  | { type: 'speech-end'; segment: SpeechSegment }
  | { type: 'answer-start'; answer: AnswerTiming }
  | { type: 'answer-end'; answer: AnswerTiming }
  | { type: 'reply'; index: number; replyAt: number }
  | { type: 'transcript'; entry: TranscriptEntry }
  | { type: 'disconnected'; reason: string; at: number }
  | { type: 'dropping'; at: number }
  | { type: 'error'; message: string }
  | { type: 'left' };
