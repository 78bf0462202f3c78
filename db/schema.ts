// Table types for Kysely. Column names are snake_case in SQL and in these types; the API maps them
// to the camelCase (HR, seed 000) or snake_case (seed 002) JSON its clients expect.
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { RaceEthnicity, Sex } from '../core/demographics.js';
import type {
  EndReason,
  InterviewLanguage,
  InterviewStatus,
  InterviewType,
  QuestionSource,
  Speaker,
  TextSessionStatus,
} from '../core/domain.js';
import type { CriterionScore, Rubric } from '../core/rubric.js';

type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json<T> = ColumnType<T, string | T | undefined, string | T>;
/** A nullable column an insert may leave out. */
type Optional<T> = ColumnType<T | null, T | null | undefined, T | null>;

export interface OrganizationsTable {
  id: Generated<string>;
  name: string;
  created_at: Generated<Date>;
}

export interface UsersTable {
  id: Generated<string>;
  organization_id: string;
  email: string;
  password_hash: string;
  created_at: Generated<Date>;
}

export interface JobsTable {
  id: Generated<string>;
  organization_id: string;
  title: string;
  description: string;
  company_name: string;
  /** null: the default rubric (core/rubric.ts). */
  rubric: ColumnType<Rubric | null, string | null | undefined, string | null>;
  created_at: Generated<Date>;
}

export interface CandidatesTable {
  id: Generated<string>;
  organization_id: string;
  first_name: string;
  last_name: string;
  email: string;
  phone_e164: string;
  resume_text: string;
  created_at: Generated<Date>;
}

export interface ApplicationsTable {
  id: Generated<string>;
  organization_id: string;
  job_id: string;
  candidate_id: string;
  created_at: Generated<Date>;
}

export interface InterviewsTable {
  id: Generated<string>;
  organization_id: string;
  application_id: string;
  interview_type: InterviewType;
  /** en (every row before migration 0008) or ar. */
  language: ColumnType<InterviewLanguage, InterviewLanguage | undefined, InterviewLanguage>;
  status: ColumnType<InterviewStatus, InterviewStatus | undefined, InterviewStatus>;
  room_code: string | null;
  room_name: string | null;
  scheduled_at: NullableTimestamp;
  max_duration_s: number;
  instructions: string;
  reveal_results_to_candidate: Generated<boolean>;
  link_version: Generated<number>;
  link_generated_at: NullableTimestamp;
  candidate_display_name: string | null;
  last_joined_at: NullableTimestamp;
  started_at: NullableTimestamp;
  ended_at: NullableTimestamp;
  end_reason: EndReason | null;
  questions_asked: number | null;
  questions_answered: number | null;
  /** The API's dispatch supervision: when it last sent the agent, and how often (backoff). */
  agent_dispatched_at: NullableTimestamp;
  agent_dispatches: Generated<number>;
  /** The running interviewer's last heartbeat (agent/interview-run.ts); the watchdog replaces a silent one. */
  agent_heartbeat_at: NullableTimestamp;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface InterviewStatusChangesTable {
  id: Generated<string>;
  interview_id: string;
  from_status: InterviewStatus | null;
  to_status: InterviewStatus;
  reason: string | null;
  changed_at: Generated<Date>;
}

export interface InterviewQuestionsTable {
  id: Generated<string>;
  interview_id: string;
  position: number;
  text: string;
  kind: string;
  source: QuestionSource;
  /** The rubric criterion the question was planned to cover (null for the built-in bank). */
  criterion: Optional<string>;
  /** The question-plan prompt that wrote it (null for the built-in bank). */
  prompt_version: Optional<string>;
  created_at: Generated<Date>;
}

export interface TranscriptTurnsTable {
  id: Generated<string>;
  interview_id: string;
  seq: number;
  speaker: Speaker;
  text: string;
  started_at_ms: Optional<number>;
  ended_at_ms: Optional<number>;
  question_position: number | null;
  metrics: Json<Record<string, number> | null>;
  /** For an agent turn, the interviewer prompt it was spoken under (null for the candidate's). */
  prompt_version: Optional<string>;
  created_at: Generated<Date>;
}

export interface EvaluationsTable {
  id: Generated<string>;
  interview_id: string;
  /** 1 for the evaluation made at the end; each re-evaluation adds the next. The highest is current. */
  version: Generated<number>;
  /** Who asked: 'system' at the end of the interview, 'hr:<user id>' for a re-evaluation. */
  requested_by: Generated<string>;
  scored: boolean;
  not_scored_reason: string | null;
  score: number | null;
  recommendation: string | null;
  strengths: Json<string[]>;
  areas_for_improvement: Json<string[]>;
  evaluation_text: string;
  criteria: Json<CriterionScore[]>;
  model: string | null;
  prompt_version: string;
  created_at: Generated<Date>;
}

export interface TextSessionsTable {
  id: Generated<string>;
  interview_id: string;
  status: ColumnType<TextSessionStatus, TextSessionStatus | undefined, TextSessionStatus>;
  current_position: Generated<number>;
  started_at: NullableTimestamp;
  completed_at: NullableTimestamp;
  created_at: Generated<Date>;
}

export interface TextResponsesTable {
  id: Generated<string>;
  session_id: string;
  question_id: string;
  response_text: string;
  created_at: Generated<Date>;
}

export interface AuditLogTable {
  id: Generated<string>;
  organization_id: string;
  interview_id: string | null;
  action: string;
  actor: string;
  details: Json<Record<string, unknown>>;
  created_at: Generated<Date>;
}

export interface RateLimitsTable {
  key: string;
  window_start: number;
  hits: number;
}

/** A named lease: one holder at a time, renewed by its holder, taken over once it expires. */
export interface LeasesTable {
  name: string;
  holder: string;
  expires_at: Date;
}

/** LiveKit webhook event ids already handled (deliveries are retried; each counts once). */
export interface LivekitEventsTable {
  id: string;
  event: string;
  room_name: string | null;
  received_at: Generated<Date>;
}

/**
 * Self-reported categories for the bias-audit export only (core/demographics.ts). Its own table, so
 * nothing that feeds a prompt or an evaluation can select it by accident. null: not supplied.
 */
export interface CandidateDemographicsTable {
  candidate_id: string;
  organization_id: string;
  sex: Sex | null;
  race_ethnicity: RaceEthnicity | null;
  updated_at: Generated<Date>;
}

export interface WebhookEndpointsTable {
  id: Generated<string>;
  organization_id: string;
  url: string;
  /** 'whsec_…': shown to HR once, when the endpoint is created. */
  secret: string;
  event_types: string[];
  enabled: Generated<boolean>;
  created_at: Generated<Date>;
}

export interface WebhookDeliveriesTable {
  id: Generated<string>;
  seq: Generated<number>;
  endpoint_id: string;
  event_type: string;
  payload: ColumnType<Record<string, unknown>, string, string>;
  /** The Standard Webhooks `webhook-id`, the same on every attempt. */
  message_id: Generated<string>;
  attempts: Generated<number>;
  next_attempt_at: Generated<Date>;
  locked_until: NullableTimestamp;
  delivered_at: NullableTimestamp;
  /** Given up after the last retry. */
  failed_at: NullableTimestamp;
  last_status: number | null;
  last_error: string | null;
  created_at: Generated<Date>;
}

export interface Database {
  organizations: OrganizationsTable;
  users: UsersTable;
  jobs: JobsTable;
  candidates: CandidatesTable;
  applications: ApplicationsTable;
  interviews: InterviewsTable;
  interview_status_changes: InterviewStatusChangesTable;
  interview_questions: InterviewQuestionsTable;
  transcript_turns: TranscriptTurnsTable;
  evaluations: EvaluationsTable;
  text_sessions: TextSessionsTable;
  text_responses: TextResponsesTable;
  audit_log: AuditLogTable;
  rate_limits: RateLimitsTable;
  leases: LeasesTable;
  livekit_events: LivekitEventsTable;
  candidate_demographics: CandidateDemographicsTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
}

export type Job = Selectable<JobsTable>;
export type Candidate = Selectable<CandidatesTable>;
export type Application = Selectable<ApplicationsTable>;
export type Interview = Selectable<InterviewsTable>;
export type NewInterview = Insertable<InterviewsTable>;
export type Question = Selectable<InterviewQuestionsTable>;
export type TranscriptTurn = Selectable<TranscriptTurnsTable>;
export type Evaluation = Selectable<EvaluationsTable>;
export type TextSession = Selectable<TextSessionsTable>;
export type WebhookEndpoint = Selectable<WebhookEndpointsTable>;
export type WebhookDelivery = Selectable<WebhookDeliveriesTable>;
/** An evaluation to store: its version is the query's to choose (first, or next). */
export type NewEvaluation = Omit<Insertable<EvaluationsTable>, 'version'>;
