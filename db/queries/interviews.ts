import { sql, type Insertable } from 'kysely';
import type { Db } from '../connect.js';
import {
  END_REASONS,
  OPEN_STATUSES,
  TERMINAL_STATUSES,
  type Actor,
  type AuditAction,
  type EndReason,
  type InterviewStatus,
  type PlanProgress,
} from '../../core/domain.js';
import type { InterviewsTable } from '../schema.js';
import { paginate, type Page } from './paging.js';

export const isUniqueViolation = (e: unknown) => typeof e === 'object' && e !== null && (e as { code?: unknown }).code === '23505';

export const insertInterview = (db: Db, values: Insertable<InterviewsTable>) =>
  db.insertInto('interviews').values(values).returningAll().executeTakeFirstOrThrow();

export const listInterviews = (db: Db, organizationId: string, page: Page, filter: { status?: InterviewStatus }) => {
  let q = db
    .selectFrom('interviews')
    .innerJoin('applications', 'applications.id', 'interviews.application_id')
    .innerJoin('candidates', 'candidates.id', 'applications.candidate_id')
    .innerJoin('jobs', 'jobs.id', 'applications.job_id')
    .selectAll('interviews')
    .select(['candidates.first_name', 'candidates.last_name', 'jobs.title as job_title'])
    .where('interviews.organization_id', '=', organizationId);
  if (filter.status) q = q.where('interviews.status', '=', filter.status);
  return paginate(q, page, 'interviews');
};

/** The interview with everything public endpoints and the agent need about its people and job. */
export function interviewContextQuery(db: Db) {
  return db
    .selectFrom('interviews')
    .innerJoin('applications', 'applications.id', 'interviews.application_id')
    .innerJoin('candidates', 'candidates.id', 'applications.candidate_id')
    .innerJoin('jobs', 'jobs.id', 'applications.job_id')
    .selectAll('interviews')
    .select([
      'candidates.first_name',
      'candidates.last_name',
      'candidates.email as candidate_email',
      'candidates.phone_e164',
      'candidates.resume_text',
      'jobs.title as job_title',
      'jobs.description as job_description',
      'jobs.company_name',
      'jobs.rubric as job_rubric',
    ]);
}
export type InterviewContext = NonNullable<Awaited<ReturnType<ReturnType<typeof interviewContextQuery>['executeTakeFirst']>>>;

export const loadInterviewContext = (db: Db, id: string) => interviewContextQuery(db).where('interviews.id', '=', id).executeTakeFirst();

export const loadInterviewContextByRoomCode = (db: Db, roomCode: string) =>
  interviewContextQuery(db).where('interviews.room_code', '=', roomCode).executeTakeFirst();

export interface Transition {
  from: readonly InterviewStatus[];
  /** A status, or one per current status (e.g. IN_PROGRESS→COMPLETED, READY→ABANDONED). */
  to: InterviewStatus | Partial<Record<InterviewStatus, InterviewStatus>>;
  endReason?: EndReason;
  /** Recorded with an ending: how far the question plan got. */
  progress?: PlanProgress;
  audit?: { action: AuditAction; actor: Actor; details?: Record<string, unknown> };
}

/**
 * A guarded status change: `WHERE status IN (from)`, so of any number of concurrent callers exactly
 * one moves the interview. The audit entry is written by the same statement, only when it moved.
 */
export async function transitionInterview(db: Db, id: string, t: Transition) {
  const to =
    typeof t.to === 'string'
      ? sql<InterviewStatus>`${t.to}`
      : sql<InterviewStatus>`CASE status ${sql.join(
          Object.entries(t.to).map(([from, into]) => sql`WHEN ${from} THEN ${into}`),
          sql` `,
        )} ELSE status END`;
  const result = await db
    .with('moved', (qb) =>
      qb
        .updateTable('interviews')
        .set({
          status: to,
          updated_at: sql`now()`,
          started_at: sql`CASE WHEN ${to} = 'IN_PROGRESS' THEN coalesce(started_at, now()) ELSE started_at END`,
          ended_at: sql`CASE WHEN ${to} IN (${sql.join(TERMINAL_STATUSES)}) THEN now() ELSE ended_at END`,
          end_reason: sql`CASE WHEN ${to} IN (${sql.join(TERMINAL_STATUSES)}) THEN ${t.endReason ?? null}::text ELSE end_reason END`,
          ...(t.progress ? { questions_asked: t.progress.questionsAsked, questions_answered: t.progress.questionsAnswered } : {}),
        })
        .where('id', '=', id)
        .where('status', 'in', t.from)
        .returningAll(),
    )
    .with('audited', (qb) =>
      qb
        .insertInto('audit_log')
        .columns(['organization_id', 'interview_id', 'action', 'actor', 'details'])
        .expression((eb) =>
          eb
            .selectFrom('moved')
            .select([
              'moved.organization_id',
              'moved.id',
              eb.val(t.audit?.action ?? '').as('action'),
              eb.val(t.audit?.actor ?? 'system').as('actor'),
              sql`jsonb_build_object('to', moved.status) || ${JSON.stringify(t.audit?.details ?? {})}::jsonb`.as('details'),
            ])
            .where(sql<boolean>`${t.audit !== undefined}`),
        ),
    )
    .selectFrom('moved')
    .selectAll()
    .executeTakeFirst();
  return result;
}

/**
 * Ends an open interview with the status the end-reason table gives for its current status, and
 * the audit entry, in one guarded statement (core/interview-lifecycle.ts finalize() calls it).
 */
export const endInterviewRow = (db: Db, id: string, end: { reason: EndReason; actor: Actor; progress?: PlanProgress }) => {
  const to = END_REASONS[end.reason];
  return transitionInterview(db, id, {
    from: OPEN_STATUSES,
    to: { IN_PROGRESS: to.started, READY: to.notStarted, SCHEDULED: to.notStarted },
    endReason: end.reason,
    progress: end.progress,
    audit: { action: 'interview.ended', actor: end.actor, details: { reason: end.reason, ...end.progress } },
  });
};

/** Gives an interview a room code; retried by the caller on a unique violation. */
export const assignRoom = (db: Db, id: string, roomCode: string, roomName: string) =>
  db
    .updateTable('interviews')
    .set({ room_code: roomCode, room_name: roomName, updated_at: sql`now()` })
    .where('id', '=', id)
    .where('room_code', 'is', null)
    .returningAll()
    .executeTakeFirst();

export interface JoinAttempt {
  roomCode: string;
  phoneE164: string;
  displayName: string;
}

export interface JoinOutcome {
  id: string;
  status: InterviewStatus;
  room_name: string;
  max_duration_s: number;
  instructions: string;
  scheduled_at: Date | null;
  started_at: Date | null;
  job_title: string;
  phone_matches: boolean;
  in_window: boolean;
  admitted: boolean;
}

/**
 * The whole join in one round-trip: find the room, check the phone and the time window, record the
 * join and its audit entry. Only an admitted join writes anything. The window mirrors the link
 * token's (15 min before the slot to 2 h after its end); rooms with no slot have none.
 */
export async function admitToRoom(db: Db, a: JoinAttempt): Promise<JoinOutcome | undefined> {
  const { rows } = await sql<JoinOutcome>`
    WITH target AS (
      SELECT i.id, i.organization_id, i.status, i.room_name, i.max_duration_s, i.instructions,
             i.scheduled_at, i.started_at, j.title AS job_title,
             c.phone_e164 = ${a.phoneE164} AS phone_matches,
             (i.scheduled_at IS NULL OR now() BETWEEN i.scheduled_at - interval '15 minutes'
               AND i.scheduled_at + make_interval(secs => i.max_duration_s) + interval '2 hours') AS in_window
      FROM interviews i
      JOIN applications a ON a.id = i.application_id
      JOIN candidates c ON c.id = a.candidate_id
      JOIN jobs j ON j.id = a.job_id
      WHERE i.room_code = ${a.roomCode}
    ), admitted AS (
      UPDATE interviews i SET candidate_display_name = ${a.displayName}, last_joined_at = now()
      FROM target t
      WHERE i.id = t.id AND t.phone_matches AND t.in_window AND i.status IN ('READY', 'IN_PROGRESS')
      RETURNING i.id, i.organization_id
    ), audited AS (
      INSERT INTO audit_log (organization_id, interview_id, action, actor, details)
      SELECT organization_id, id, 'candidate.joined', 'candidate', '{}'::jsonb FROM admitted
    )
    SELECT t.id, t.status, t.room_name, t.max_duration_s, t.instructions, t.scheduled_at,
           t.started_at, t.job_title, t.phone_matches, t.in_window,
           EXISTS (SELECT 1 FROM admitted) AS admitted
    FROM target t`.execute(db);
  return rows[0];
}

export async function bumpLinkVersion(db: Db, id: string, onlyIfFirst: boolean) {
  let q = db
    .updateTable('interviews')
    .set({ link_version: sql`link_version + 1`, link_generated_at: sql`now()`, updated_at: sql`now()` })
    .where('id', '=', id);
  q = onlyIfFirst ? q.where('link_version', '=', 0) : q.where('link_version', '>', 0);
  return q.returning(['link_version', 'link_generated_at']).executeTakeFirst();
}

export async function interviewDetail(db: Db, id: string) {
  const [questions, transcript, history] = await Promise.all([
    db.selectFrom('interview_questions').selectAll().where('interview_id', '=', id).orderBy('position').execute(),
    db.selectFrom('transcript_turns').selectAll().where('interview_id', '=', id).orderBy('seq').execute(),
    db
      .selectFrom('interview_status_changes')
      .select(['from_status', 'to_status', 'reason', 'changed_at'])
      .where('interview_id', '=', id)
      .orderBy('id')
      .execute(),
  ]);
  return { questions, transcript, history };
}

/** Interviews a candidate has joined that are not over: what the API's watchdog looks after. */
export const listLiveRooms = (db: Db) => liveRoomQuery(db).execute();

export const getLiveRoom = (db: Db, roomName: string) => liveRoomQuery(db).where('room_name', '=', roomName).executeTakeFirst();

function liveRoomQuery(db: Db) {
  return db
    .selectFrom('interviews')
    .select([
      'id',
      'status',
      'room_name',
      'started_at',
      'last_joined_at',
      'max_duration_s',
      'agent_dispatched_at',
      'agent_dispatches',
      'agent_heartbeat_at',
    ])
    .where('status', 'in', ['READY', 'IN_PROGRESS'])
    .where('room_name', 'is not', null)
    .where('last_joined_at', 'is not', null)
    .$narrowType<{ room_name: string; last_joined_at: Date }>();
}
export type LiveRoom = NonNullable<Awaited<ReturnType<typeof getLiveRoom>>>;

/**
 * Claims the next dispatch of the agent to this interview: only the caller that saw the count as it
 * is now moves it, so replicas and webhook triggers racing make one dispatch between them.
 */
export const claimAgentDispatch = (db: Db, id: string, seenDispatches: number, at: Date) =>
  db
    .updateTable('interviews')
    .set({ agent_dispatched_at: at, agent_dispatches: sql`agent_dispatches + 1` })
    .where('id', '=', id)
    .where('agent_dispatches', '=', seenDispatches)
    .where('status', 'in', ['READY', 'IN_PROGRESS'])
    .returning('agent_dispatches')
    .executeTakeFirst();

/** The interviewer of this open interview is alive (stamped with Postgres' clock, one for every machine). */
export const beatAgentHeartbeat = (db: Db, id: string) =>
  db
    .updateTable('interviews')
    .set({ agent_heartbeat_at: sql`now()` })
    .where('id', '=', id)
    .where('status', 'in', ['READY', 'IN_PROGRESS'])
    .execute();

/** An agent is in the room: the next one missing starts the backoff from the beginning. */
export const resetAgentDispatches = (db: Db, id: string) =>
  db.updateTable('interviews').set({ agent_dispatches: 0 }).where('id', '=', id).execute();

/** Ended interviews that have no evaluation yet, oldest first (the sweeper evaluates them). */
export const listUnevaluated = (db: Db, endedBefore: Date, limit: number) =>
  db
    .selectFrom('interviews')
    .select('id')
    .where('ended_at', '<', endedBefore)
    .where('ended_at', '>', sql<Date>`now() - interval '7 days'`)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('evaluations').select('evaluations.id').whereRef('evaluations.interview_id', '=', 'interviews.id'))),
    )
    .orderBy('ended_at')
    .limit(limit)
    .execute();
