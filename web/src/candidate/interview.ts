// The interview itself, over LiveKit: connect with the join token, publish the microphone, play the
// interviewer, and feed the view with its state (participant attribute lk.agent.state, or why it is
// not in the room yet: agent-presence.ts), captions
// (text streams on lk.transcription), the connection (livekit-client reconnects by itself after a
// network blip; the view shows it) and the time left. Loaded only once the candidate has joined.
import {
  ConnectionState,
  DisconnectReason,
  Room,
  RoomEvent,
  Track,
  type Participant,
  type RemoteTrack,
  type TextStreamReader,
} from 'livekit-client';
import { api } from '../shared/api.js';
import { AgentPresence } from './agent-presence.js';
import { CaptionBook, FINAL_ATTR, SEGMENT_ATTR, TRANSCRIPTION_TOPIC } from './captions.js';
import { callInterviewer } from './controls.js';
import type { EndReason } from './completion.js';
import { secondsLeft } from './countdown.js';
import { isOver } from './info.js';
import { isAgentState, type ConnectionView, type InterviewView } from './interview-view.js';
import type { JoinResponse } from './lobby.js';
import { endPath, roomInfoPath } from './source.js';

const AGENT_STATE_ATTR = 'lk.agent.state';
/** How long an agent's departure waits for the API to say whether the interview is over. */
const OVER_CHECK_MS = 2_000;

const CONNECTION_VIEW: Record<ConnectionState, ConnectionView> = {
  [ConnectionState.Connecting]: 'connecting',
  [ConnectionState.Connected]: 'connected',
  [ConnectionState.Reconnecting]: 'reconnecting',
  [ConnectionState.SignalReconnecting]: 'reconnecting',
  [ConnectionState.Disconnected]: 'disconnected',
};

/** Is the interview over on the API's side? Decides between "thank you" and "connection lost". */
async function interviewIsOver(roomCode: string): Promise<boolean> {
  try {
    return isOver((await api<{ status: string }>(roomInfoPath(roomCode))).status);
  } catch {
    return false;
  }
}

export async function runInterview(join: JoinResponse, view: InterviewView, finish: (reason: EndReason) => void) {
  const room = new Room({
    adaptiveStream: false,
    dynacast: false,
    audioCaptureDefaults: { echoCancellation: true, noiseSuppression: true, autoGainControl: true },
  });
  const captions = new CaptionBook();
  let finished = false;
  let endedByCandidate = false;
  let ticker: ReturnType<typeof setInterval> | undefined;

  const done = (reason: EndReason) => {
    if (finished) return;
    finished = true;
    clearInterval(ticker);
    presence.stop();
    room.removeAllListeners();
    void room.disconnect();
    finish(reason);
  };

  const showAgent = (p: Participant) => {
    const state = p.attributes[AGENT_STATE_ATTR];
    view.setAgentState(isAgentState(state) ? state : 'initializing');
    view.setControlsEnabled(!finished && isAgentState(state) && state !== 'initializing');
  };
  // The interviewer: isAgent is kind ParticipantKind.AGENT (or the agent permission). During a
  // handover, or while a late duplicate leaves, two may be here.
  const agentIdentities = () => [...room.remoteParticipants.values()].filter((p) => p.isAgent).map((p) => p.identity);
  const showAgentHere = () => {
    const here = [...room.remoteParticipants.values()].find((p) => p.isAgent);
    if (here) showAgent(here);
  };
  const presence = new AgentPresence((absence) => {
    if (!absence) return showAgentHere();
    view.setAgentState(absence);
    view.setControlsEnabled(false);
  });

  room.registerTextStreamHandler(TRANSCRIPTION_TOPIC, (reader: TextStreamReader, from: { identity: string }) => {
    const attrs = reader.info.attributes ?? {};
    // The framework writes the candidate's words with the candidate's identity as the sender.
    const side = from.identity === room.localParticipant.identity ? 'candidate' : 'agent';
    const segment = attrs[SEGMENT_ATTR] ?? reader.info.id;
    const { caption, evicted } = captions.open(segment, side, attrs[FINAL_ATTR] === 'true');
    evicted.forEach((id) => view.removeCaption(id));
    view.upsertCaption(caption);
    void (async () => {
      try {
        for await (const delta of reader) {
          const updated = captions.append(segment, delta);
          if (updated) view.upsertCaption(updated);
        }
      } catch {
        // A stream cut by a disconnect: what arrived stays on screen.
      }
    })();
  });

  room
    .on(RoomEvent.ConnectionStateChanged, (state) => {
      view.setConnection(CONNECTION_VIEW[state]);
      if (state === ConnectionState.Connected) presence.online(agentIdentities());
      else presence.offline();
    })
    .on(RoomEvent.ParticipantConnected, (p) => {
      if (!p.isAgent) return;
      presence.agentJoined(p.identity);
      showAgent(p);
    })
    .on(RoomEvent.ParticipantAttributesChanged, (_changed, p) => p.isAgent && showAgent(p))
    .on(RoomEvent.ParticipantDisconnected, (p) => {
      if (!p.isAgent) return;
      // The interviewer leaves when the interview is over; otherwise a new one is on its way.
      const over = interviewIsOver(join.roomCode);
      void over.then((o) => o && done('ended'));
      // Told as lost once the API says the interview goes on (or is slow to say): not at the end of
      // an interview, and not when a full reconnect of the candidate's own connection removed every
      // participant (it does so just before reporting Reconnecting; the agent comes back with it).
      const wait = new Promise<boolean>((resolve) => setTimeout(resolve, OVER_CHECK_MS, false));
      void Promise.race([over, wait]).then((o) => {
        if (o || finished || room.remoteParticipants.has(p.identity)) return;
        presence.agentLeft(p.identity);
        showAgentHere();
      });
    })
    .on(RoomEvent.TrackSubscribed, (track: RemoteTrack) => {
      if (track.kind === Track.Kind.Audio) view.audioSink.append(track.attach());
    })
    .on(RoomEvent.TrackUnsubscribed, (track: RemoteTrack) => track.detach().forEach((el) => el.remove()))
    .on(RoomEvent.AudioPlaybackStatusChanged, () => view.offerStartAudio(room.canPlaybackAudio ? null : () => room.startAudio()))
    .on(RoomEvent.Disconnected, (reason?: DisconnectReason) => {
      if (finished) return;
      if (endedByCandidate) return done('candidate');
      if (reason === DisconnectReason.ROOM_DELETED || reason === DisconnectReason.PARTICIPANT_REMOVED) return done('ended');
      void interviewIsOver(join.roomCode).then((over) => done(over ? 'ended' : 'connection'));
    });

  view.onTurnControl((kind) => callInterviewer(room, kind));

  view.onEndConfirmed(async () => {
    endedByCandidate = true;
    try {
      // Authenticated by the HttpOnly candidate_session cookie the join set (path /api/public/interview).
      await api(endPath(join.roomCode), { method: 'POST' });
    } catch {
      // Leaving the room still ends it for the interviewer (the candidate left); nothing to add here.
    }
    done('candidate');
  });

  view.setAgentState('joining');
  view.setConnection('connecting');
  try {
    await room.connect(join.serverUrl, join.token);
  } catch {
    return done('unreachable');
  }

  const deadline = Date.now() + join.maxDuration * 1000;
  const tick = () => view.setTimeLeft(secondsLeft(deadline, Date.now()));
  tick();
  ticker = setInterval(tick, 1000);

  // Participants already in the room at the join come with it, not as ParticipantConnected events.
  if (room.state === ConnectionState.Connected) presence.online(agentIdentities());
  showAgentHere();
  view.offerStartAudio(room.canPlaybackAudio ? null : () => room.startAudio());

  try {
    await room.localParticipant.setMicrophoneEnabled(true);
  } catch {
    view.showProblem('micPublishFailed');
  }
}
