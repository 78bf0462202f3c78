// Frozen in time: never edit a migration that has shipped; add a new one to db/migrations/index.ts.
// Plain SQL that runs unchanged on PostgreSQL 15+ and on PGlite.
import { sql, type Kysely } from 'kysely';

// Each statement runs on its own: PGlite's extended protocol takes one statement per query.
const statements = [
  sql`
    CREATE TABLE organizations (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
  `,
  sql`
    CREATE TABLE users (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id),
      email text NOT NULL,
      password_hash text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
  `,
  sql`
    CREATE UNIQUE INDEX users_email_key ON users (lower(email));
  `,
  sql`
    CREATE TABLE jobs (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id),
      title text NOT NULL,
      description text NOT NULL,
      company_name text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
  `,
  sql`
    CREATE INDEX jobs_org_created ON jobs (organization_id, created_at DESC, id DESC);
  `,
  sql`
    CREATE TABLE candidates (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id),
      first_name text NOT NULL,
      last_name text NOT NULL,
      email text NOT NULL,
      phone_e164 text NOT NULL,
      resume_text text NOT NULL DEFAULT '',
      created_at timestamptz NOT NULL DEFAULT now()
    );
  `,
  sql`
    CREATE INDEX candidates_org_created ON candidates (organization_id, created_at DESC, id DESC);
  `,
  sql`
    CREATE TABLE applications (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id),
      job_id uuid NOT NULL REFERENCES jobs(id),
      candidate_id uuid NOT NULL REFERENCES candidates(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (job_id, candidate_id)
    );
  `,
  sql`
    CREATE INDEX applications_org_created ON applications (organization_id, created_at DESC, id DESC);
  `,
  sql`
    CREATE TABLE interviews (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id),
      application_id uuid NOT NULL REFERENCES applications(id),
      interview_type text NOT NULL
        CHECK (interview_type IN ('TECHNICAL', 'BEHAVIORAL', 'AI_SCREENING', 'FINAL', 'CUSTOM')),
      status text NOT NULL DEFAULT 'SCHEDULED'
        CHECK (status IN ('SCHEDULED', 'READY', 'IN_PROGRESS', 'COMPLETED', 'TIMED_OUT',
                          'ABANDONED', 'CANCELLED', 'FAILED')),
      room_code text UNIQUE,
      room_name text UNIQUE,
      scheduled_at timestamptz,
      max_duration_s integer NOT NULL CHECK (max_duration_s > 0),
      instructions text NOT NULL DEFAULT '',
      reveal_results_to_candidate boolean NOT NULL DEFAULT false,
      link_version integer NOT NULL DEFAULT 0,
      link_generated_at timestamptz,
      candidate_display_name text,
      last_joined_at timestamptz,
      started_at timestamptz,
      ended_at timestamptz,
      end_reason text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
  `,
  sql`
    CREATE INDEX interviews_org_created ON interviews (organization_id, created_at DESC, id DESC);
  `,
  sql`
    CREATE INDEX interviews_open ON interviews (status) WHERE status IN ('READY', 'IN_PROGRESS');
  `,
  sql`
    -- Written by a trigger, so no code path can change a status without leaving a trace.
    CREATE TABLE interview_status_changes (
      id bigserial PRIMARY KEY,
      interview_id uuid NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
      from_status text,
      to_status text NOT NULL,
      reason text,
      changed_at timestamptz NOT NULL DEFAULT now()
    );
  `,
  sql`
    CREATE INDEX interview_status_changes_interview ON interview_status_changes (interview_id, id);
  `,
  sql`
    CREATE FUNCTION record_interview_status() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' OR NEW.status IS DISTINCT FROM OLD.status THEN
        INSERT INTO interview_status_changes (interview_id, from_status, to_status, reason)
        VALUES (NEW.id, CASE WHEN TG_OP = 'UPDATE' THEN OLD.status END, NEW.status,
                CASE WHEN NEW.status IN ('COMPLETED', 'TIMED_OUT', 'ABANDONED', 'CANCELLED', 'FAILED')
                     THEN NEW.end_reason END);
      END IF;
      RETURN NEW;
    END $$;
  `,
  sql`
    CREATE TRIGGER interviews_status_history AFTER INSERT OR UPDATE OF status ON interviews
      FOR EACH ROW EXECUTE FUNCTION record_interview_status();
  `,
  sql`
    CREATE TABLE interview_questions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      interview_id uuid NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
      position integer NOT NULL,
      text text NOT NULL,
      kind text NOT NULL,
      source text NOT NULL CHECK (source IN ('llm', 'bank')),
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (interview_id, position)
    );
  `,
  sql`
    CREATE TABLE transcript_turns (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      interview_id uuid NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
      seq integer NOT NULL,
      speaker text NOT NULL CHECK (speaker IN ('agent', 'candidate')),
      text text NOT NULL,
      started_at_ms bigint,
      ended_at_ms bigint,
      question_position integer,
      metrics jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (interview_id, seq)
    );
  `,
  sql`
    CREATE TABLE evaluations (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      interview_id uuid NOT NULL UNIQUE REFERENCES interviews(id) ON DELETE CASCADE,
      scored boolean NOT NULL,
      not_scored_reason text,
      score integer CHECK (score BETWEEN 0 AND 100),
      recommendation text,
      strengths jsonb NOT NULL DEFAULT '[]',
      areas_for_improvement jsonb NOT NULL DEFAULT '[]',
      evaluation_text text NOT NULL DEFAULT '',
      criteria jsonb NOT NULL DEFAULT '[]',
      model text,
      prompt_version text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK (scored = (score IS NOT NULL))
    );
  `,
  sql`
    -- Seed 002's text-mode interview ("AI session").
    CREATE TABLE text_sessions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      interview_id uuid NOT NULL UNIQUE REFERENCES interviews(id) ON DELETE CASCADE,
      status text NOT NULL DEFAULT 'created'
        CHECK (status IN ('created', 'started', 'completing', 'completed')),
      current_position integer NOT NULL DEFAULT 1,
      started_at timestamptz,
      completed_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    );
  `,
  sql`
    CREATE TABLE text_responses (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      session_id uuid NOT NULL REFERENCES text_sessions(id) ON DELETE CASCADE,
      question_id uuid NOT NULL REFERENCES interview_questions(id) ON DELETE CASCADE,
      response_text text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (session_id, question_id)
    );
  `,
  sql`
    CREATE TABLE audit_log (
      id bigserial PRIMARY KEY,
      organization_id uuid NOT NULL REFERENCES organizations(id),
      interview_id uuid REFERENCES interviews(id) ON DELETE SET NULL,
      action text NOT NULL,
      actor text NOT NULL,
      details jsonb NOT NULL DEFAULT '{}',
      created_at timestamptz NOT NULL DEFAULT now()
    );
  `,
  sql`
    CREATE INDEX audit_log_interview ON audit_log (interview_id, id);
  `,
  sql`
    -- Fixed-window counters shared by every API process. UNLOGGED: counters are disposable, so
    -- they skip the WAL and a rate-limit hit never waits for a disk flush.
    CREATE UNLOGGED TABLE rate_limits (
      key text NOT NULL,
      window_start bigint NOT NULL,
      hits integer NOT NULL,
      PRIMARY KEY (key, window_start)
    );
  `,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await statement.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE rate_limits, audit_log, text_responses, text_sessions, evaluations, transcript_turns,
      interview_questions, interview_status_changes, interviews, applications, candidates, jobs,
      users, organizations CASCADE
  `.execute(db);
  await sql`DROP FUNCTION record_interview_status()`.execute(db);
}
