// Which interview this page is for, read from its own address: seed 000's joinUrl
// (/interview/join/{roomCode}) or seed 002's public interview URL (/api/interviews/public/{token}/).
// The API calls the page makes follow from it.
export type Source = { kind: 'room'; code: string } | { kind: 'link'; token: string };

export function sourceFromPath(pathname: string): Source | null {
  const room = /^\/interview\/join\/([A-Za-z0-9]+)\/?$/.exec(pathname);
  if (room) return { kind: 'room', code: room[1]! };
  const link = /^\/api\/interviews\/public\/([^/]+)\/?$/.exec(pathname);
  if (link) return { kind: 'link', token: link[1]! };
  return null;
}

export const infoPath = (s: Source) => (s.kind === 'room' ? `/api/public/interview/room/${s.code}` : `/api/interviews/public/${s.token}/`);

export const joinPath = (s: Source) =>
  s.kind === 'room' ? `/api/public/interview/join/${s.code}` : `/api/interviews/public/${s.token}/join`;

/** The end call takes the room code, which a link join learns from its answer. */
export const endPath = (roomCode: string) => `/api/public/interview/room/${roomCode}/end`;
export const roomInfoPath = (roomCode: string) => `/api/public/interview/room/${roomCode}`;
