// The HR API's JSON, as the console reads it (api/views.ts and the routes are the source).
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface RubricCriterion {
  name: string;
  description: string;
  weight: number;
  mustHave: boolean;
}

export interface Job {
  id: string;
  title: string;
  companyName: string;
  rubric: RubricCriterion[];
  rubricIsDefault: boolean;
}

export interface Candidate {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
}

export interface Application {
  id: string;
  jobId: string;
  candidateId: string;
}

export interface InterviewRow {
  id: string;
  interviewType: string;
  status: string;
  scheduledAt: string | null;
  maxDuration: number;
  roomCode: string | null;
  linkGeneratedAt: string | null;
  startedAt: string | null;
  endedAt: string | null;
  endReason: string | null;
  createdAt: string;
  candidateName?: string;
  jobTitle?: string;
}

export interface Turn {
  seq: number;
  speaker: 'agent' | 'candidate';
  text: string;
  startedAtMs: number | null;
}

export interface CriterionScore extends RubricCriterion {
  score: number;
  assessed: boolean;
  met: boolean | null;
  evidence: { ref: number; quote: string }[];
}

export interface Evaluation {
  version: number;
  requestedBy: string;
  model: string | null;
  promptVersion: string;
  createdAt: string;
  mustHavesUnmet: string[];
  scored: boolean;
  notScoredReason: string | null;
  score: number | null;
  recommendation: string | null;
  strengths: string[];
  areasForImprovement: string[];
  evaluation: string;
  criteria: CriterionScore[];
}

export interface InterviewDetail extends InterviewRow {
  instructions: string;
  candidate: { firstName: string; lastName: string; email: string };
  job: { title: string; companyName: string };
  transcript: Turn[];
  evaluation: Evaluation | null;
  /** Every version, newest (current) first. */
  evaluations: Evaluation[];
  statusHistory: { from: string | null; to: string; reason: string | null; at: string }[];
}

export interface RoomInfo {
  roomCode: string;
  joinUrl: string;
}

export interface LinkInfo {
  public_interview_url: string;
  expires_at: string;
}

export const STATUSES = ['SCHEDULED', 'READY', 'IN_PROGRESS', 'COMPLETED', 'TIMED_OUT', 'ABANDONED', 'CANCELLED', 'FAILED'] as const;
export const OPEN_STATUSES = ['SCHEDULED', 'READY', 'IN_PROGRESS'];
export const INTERVIEW_TYPES = ['TECHNICAL', 'BEHAVIORAL', 'AI_SCREENING', 'FINAL', 'CUSTOM'] as const;
