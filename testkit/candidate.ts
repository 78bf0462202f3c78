// A synthetic interview candidate, for end-to-end tests and benchmarks: startCandidate() joins
// through the API (POST /api/public/interview/join/{code} with the phone and names), as the
// candidate's browser does, then starts a synthetic participant (participant.ts) with the token it
// got: a real WebRTC participant that answers with flite speech each time the agent stops
// talking, and records what it hears and when.
//
// This module is what tests import: it re-exports the participant and its pure pieces.
import { startParticipant, type SyntheticParticipant } from './participant.js';
import type { ParticipantOptions } from './participant-messages.js';

export { leaveAll, startParticipant, SyntheticParticipant } from './participant.js';
export type { AnswerTiming, ParticipantOptions, TranscriptEntry } from './participant-messages.js';
export { assertLocalVoice, SpeechDetector, trimSilence, type DetectorEvent, type DetectorOptions, type SpeechSegment } from './speech.js';
export { parseWav } from './wav.js';

export interface JoinResponse {
  token: string;
  serverUrl: string;
  roomName: string;
  identity: string;
  participantName: string;
  roomCode: string;
  maxDuration: number;
  [k: string]: unknown;
}

export interface Candidate extends SyntheticParticipant {
  /** The API's join answer (token, serverUrl, roomName, identity…). */
  join: JoinResponse;
  /** `name=value` of the candidate session cookie join set (for the end call). */
  cookie: string | undefined;
  /** ms the join request took, and when its response came (epoch ms). */
  joinMs: number;
  joinResponseAt: number;
}

export interface CandidateOptions extends Omit<ParticipantOptions, 'serverUrl' | 'token' | 'name'> {
  /** The API's base URL (e.g. `api.url`). */
  apiUrl: string;
  roomCode: string;
  phoneNumber?: string;
  firstName?: string;
  lastName?: string;
  name?: string;
  /** Replace the join's serverUrl (e.g. when the API hands out a public URL tests can't use). */
  serverUrl?: string;
}

/** Joins through the API like the candidate's browser would, then starts the participant. */
export async function startCandidate(o: CandidateOptions): Promise<Candidate> {
  const started = Date.now();
  const res = await fetch(`${o.apiUrl}/api/public/interview/join/${encodeURIComponent(o.roomCode)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      phoneNumber: o.phoneNumber ?? '+971509876543',
      firstName: o.firstName ?? 'Ahmed',
      lastName: o.lastName ?? 'Hassan',
    }),
  });
  const joinResponseAt = Date.now();
  const joinMs = joinResponseAt - started;
  if (res.status !== 200) throw new Error(`join ${o.roomCode} → ${res.status} ${await res.text()}`);
  const join = (await res.json()) as JoinResponse;
  const cookie = res.headers.get('set-cookie')?.split(';')[0];
  const { apiUrl: _a, roomCode: _r, phoneNumber: _p, firstName: _f, lastName: _l, serverUrl, name, ...rest } = o;
  const p = await startParticipant({ ...rest, name: name ?? 'candidate', serverUrl: serverUrl ?? join.serverUrl, token: join.token });
  return Object.assign(p, { join, cookie, joinMs, joinResponseAt }) as Candidate;
}

/** Lower-case words and single spaces only: what was heard (a transcript), comparable with what was meant. */
export const normalise = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
