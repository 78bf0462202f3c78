import type { Db } from '../connect.js';

/**
 * Records a LiveKit webhook event id; true the first time only. LiveKit retries deliveries, so the
 * same event can arrive more than once.
 */
export async function recordLivekitEvent(db: Db, e: { id: string; event: string; roomName: string | null }) {
  const row = await db
    .insertInto('livekit_events')
    .values({ id: e.id, event: e.event, room_name: e.roomName })
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Old event ids are only kept long enough to catch LiveKit's retries. */
export const pruneLivekitEvents = (db: Db, olderThan: Date) =>
  db.deleteFrom('livekit_events').where('received_at', '<', olderThan).execute();
