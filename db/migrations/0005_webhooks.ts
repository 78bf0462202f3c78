// Frozen in time: never edit a migration that has shipped; add a new one to db/migrations/index.ts.
// Outbound webhooks to an applicant-tracking system: the endpoints HR registers, and a durable
// outbox of deliveries. The outbox is filled by triggers, in the same transaction as the change
// it reports, so no code path (API, agent, watchdog, text mode) can change an interview's status
// or add an evaluation without its event, and a receiver that is down loses nothing.
// Payloads carry ids, statuses, times and scores only: no names, emails, phones or transcript.
import { sql, type Kysely } from 'kysely';

const statements = [
  sql`
    CREATE TABLE webhook_endpoints (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id),
      url text NOT NULL,
      -- Standard Webhooks: 'whsec_' + base64 of the HMAC key. Needed in clear to sign.
      secret text NOT NULL,
      event_types text[] NOT NULL CHECK (cardinality(event_types) > 0 AND
        event_types <@ ARRAY['interview.started', 'interview.ended', 'evaluation.ready']),
      enabled boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now()
    );
  `,
  sql`
    CREATE INDEX webhook_endpoints_org ON webhook_endpoints (organization_id, created_at, id);
  `,
  sql`
    CREATE TABLE webhook_deliveries (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      -- Creation order (now() is the same for every row of a transaction): events to one endpoint
      -- go out in this order.
      seq bigserial NOT NULL UNIQUE,
      endpoint_id uuid NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
      event_type text NOT NULL,
      payload jsonb NOT NULL,
      -- The Standard Webhooks 'webhook-id': the same on every attempt, so receivers de-duplicate.
      message_id text NOT NULL UNIQUE DEFAULT 'msg_' || replace(gen_random_uuid()::text, '-', ''),
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      -- Claimed by a delivery loop until then; a loop that died is replaced once it passes.
      locked_until timestamptz,
      delivered_at timestamptz,
      -- Given up after the last retry; stays visible, and HR can resend it.
      failed_at timestamptz,
      last_status integer,
      last_error text,
      created_at timestamptz NOT NULL DEFAULT now()
    );
  `,
  sql`
    CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (endpoint_id, seq)
      WHERE delivered_at IS NULL AND failed_at IS NULL;
  `,
  sql`
    CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, seq DESC);
  `,
  sql`
    CREATE FUNCTION webhook_time(t timestamptz) RETURNS text LANGUAGE sql STABLE AS $$
      SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
    $$;
  `,
  sql`
    -- One delivery per enabled endpoint of the organization subscribed to the event.
    CREATE FUNCTION enqueue_webhook(org uuid, event text, happened_at timestamptz, data jsonb) RETURNS void
    LANGUAGE sql AS $$
      INSERT INTO webhook_deliveries (endpoint_id, event_type, payload)
      SELECT e.id, event, jsonb_build_object(
        'type', event,
        'timestamp', webhook_time(happened_at),
        'data', data)
      FROM webhook_endpoints e
      WHERE e.organization_id = org AND e.enabled AND event = ANY (e.event_types)
      ORDER BY e.created_at, e.id;
    $$;
  `,
  sql`
    -- interview_status_changes is written by a trigger on every status change (0001), after the
    -- interviews row has its new started_at / ended_at / end_reason.
    CREATE FUNCTION enqueue_interview_webhook() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      event text;
      i record;
    BEGIN
      IF NEW.to_status = 'IN_PROGRESS' THEN
        event := 'interview.started';
      ELSIF NEW.to_status IN ('COMPLETED', 'TIMED_OUT', 'ABANDONED', 'CANCELLED', 'FAILED') THEN
        event := 'interview.ended';
      ELSE
        RETURN NULL;
      END IF;
      SELECT iv.organization_id, iv.application_id, iv.interview_type, iv.started_at, iv.ended_at,
             iv.questions_asked, iv.questions_answered, a.job_id, a.candidate_id
        INTO i
        FROM interviews iv JOIN applications a ON a.id = iv.application_id
        WHERE iv.id = NEW.interview_id;
      PERFORM enqueue_webhook(i.organization_id, event, NEW.changed_at, jsonb_strip_nulls(jsonb_build_object(
        'interviewId', NEW.interview_id,
        'applicationId', i.application_id,
        'jobId', i.job_id,
        'candidateId', i.candidate_id,
        'interviewType', i.interview_type,
        'status', NEW.to_status,
        'previousStatus', NEW.from_status,
        'endReason', CASE WHEN event = 'interview.ended' THEN NEW.reason END,
        'startedAt', webhook_time(i.started_at),
        'endedAt', CASE WHEN event = 'interview.ended' THEN webhook_time(i.ended_at) END,
        'questionsAsked', CASE WHEN event = 'interview.ended' THEN i.questions_asked END,
        'questionsAnswered', CASE WHEN event = 'interview.ended' THEN i.questions_answered END)));
      RETURN NULL;
    END $$;
  `,
  sql`
    CREATE TRIGGER interview_status_webhooks AFTER INSERT ON interview_status_changes
      FOR EACH ROW EXECUTE FUNCTION enqueue_interview_webhook();
  `,
  sql`
    CREATE FUNCTION enqueue_evaluation_webhook() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      i record;
    BEGIN
      SELECT iv.organization_id, iv.application_id, iv.status, a.job_id, a.candidate_id
        INTO i
        FROM interviews iv JOIN applications a ON a.id = iv.application_id
        WHERE iv.id = NEW.interview_id;
      PERFORM enqueue_webhook(i.organization_id, 'evaluation.ready', NEW.created_at, jsonb_build_object(
        'interviewId', NEW.interview_id,
        'applicationId', i.application_id,
        'jobId', i.job_id,
        'candidateId', i.candidate_id,
        'evaluationId', NEW.id,
        'version', NEW.version,
        'scored', NEW.scored,
        'score', NEW.score,
        'recommendation', NEW.recommendation,
        'createdAt', webhook_time(NEW.created_at)));
      RETURN NULL;
    END $$;
  `,
  sql`
    CREATE TRIGGER evaluation_webhooks AFTER INSERT ON evaluations
      FOR EACH ROW EXECUTE FUNCTION enqueue_evaluation_webhook();
  `,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await statement.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TRIGGER evaluation_webhooks ON evaluations`.execute(db);
  await sql`DROP TRIGGER interview_status_webhooks ON interview_status_changes`.execute(db);
  await sql`DROP FUNCTION enqueue_evaluation_webhook(), enqueue_interview_webhook(),
    enqueue_webhook(uuid, text, timestamptz, jsonb), webhook_time(timestamptz)`.execute(db);
  await sql`DROP TABLE webhook_deliveries, webhook_endpoints`.execute(db);
}
