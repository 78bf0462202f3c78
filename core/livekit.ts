// LiveKit from the API's side: the candidate's join token (which also dispatches the agent) and the
// room service used to delete a room when its interview ends.
import {
  AccessToken,
  AgentDispatchClient,
  RoomAgentDispatch,
  RoomConfiguration,
  RoomServiceClient,
  TokenVerifier,
} from 'livekit-server-sdk';
import type { LivekitConfig } from './config/env.js';

export const AGENT_NAME = 'interviewer';

export interface JoinGrant {
  identity: string;
  name: string;
  roomName: string;
  interviewId: string;
  ttlS: number;
  /** The join request's W3C trace id: the agent logs it, so one id follows the join into the room. */
  traceId?: string;
  /** The join request's span: the agent job's trace parent (core/tracing.ts). */
  traceparent?: string;
}

export function createJoinToken(livekit: LivekitConfig, grant: JoinGrant): Promise<string> {
  const token = new AccessToken(livekit.apiKey, livekit.apiSecret, {
    identity: grant.identity,
    name: grant.name,
    ttl: grant.ttlS,
  });
  token.addGrant({
    roomJoin: true,
    room: grant.roomName,
    canPublish: true,
    canSubscribe: true,
    canPublishData: true,
    canUpdateOwnMetadata: false,
  });
  // Takes effect when this join creates the room: the agent named "interviewer" is dispatched with
  // the interview id, the trace id and when it was asked for (the agent's dispatch-to-agent figure),
  // never the phone or the name.
  const metadata = JSON.stringify({
    interviewId: grant.interviewId,
    traceId: grant.traceId,
    traceparent: grant.traceparent,
    dispatchedAt: Date.now(),
  });
  token.roomConfig = new RoomConfiguration({
    agents: [new RoomAgentDispatch({ agentName: AGENT_NAME, metadata })],
  });
  return token.toJwt();
}

/** Verifies a join token presented as a bearer; returns its identity and room, or null. */
export async function verifyJoinToken(livekit: LivekitConfig, token: string) {
  try {
    const claims = await new TokenVerifier(livekit.apiKey, livekit.apiSecret).verify(token);
    const room = claims.video?.room;
    if (!claims.sub || !room || !claims.video?.roomJoin) return null;
    return { identity: claims.sub, roomName: room };
  } catch {
    return null;
  }
}

/** ParticipantInfo.Kind.AGENT in the LiveKit protocol. */
const AGENT_KIND = 4;

export interface RoomParticipant {
  identity: string;
  isAgent: boolean;
  joinedAtMs: number;
}

export interface RoomService {
  deleteRoom(roomName: string): Promise<void>;
  /** Who is in the room, since when (epoch ms, LiveKit's clock); an empty list when the room does not exist. */
  participants(roomName: string): Promise<RoomParticipant[]>;
  /** Takes a participant out of the room at once (an interviewer that died with its machine). */
  removeParticipant(roomName: string, identity: string): Promise<void>;
  /** Sends the interviewer into an existing room (a worker died, or none was registered). */
  dispatchAgent(roomName: string, interviewId: string): Promise<void>;
}

export function createRoomService(livekit: LivekitConfig): RoomService {
  const host = livekit.url.replace(/^ws(s?):/, 'http$1:');
  const rooms = new RoomServiceClient(host, livekit.apiKey, livekit.apiSecret, { requestTimeout: 5 });
  const dispatch = new AgentDispatchClient(host, livekit.apiKey, livekit.apiSecret, { requestTimeout: 5 });
  return {
    deleteRoom: (name) => rooms.deleteRoom(name),
    async participants(name) {
      if ((await rooms.listRooms([name])).length === 0) return [];
      return (await rooms.listParticipants(name)).map((p) => ({
        identity: p.identity,
        isAgent: p.kind === AGENT_KIND,
        joinedAtMs: Number(p.joinedAtMs) || Number(p.joinedAt) * 1000,
      }));
    },
    removeParticipant: (name, identity) => rooms.removeParticipant(name, identity),
    async dispatchAgent(name, interviewId) {
      await dispatch.createDispatch(name, AGENT_NAME, { metadata: JSON.stringify({ interviewId, dispatchedAt: Date.now() }) });
    },
  };
}
