import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

export const AUDIT_ACTIONS = [
  'room.created',
  'link.generated',
  'link.regenerated',
  'link.used',
  'candidate.joined',
  'interview.started',
  'interview.ended',
  'interview.completed',
  'evaluation.reevaluated',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** hr:<userId> | candidate | agent | system */
export type Actor = `hr:${string}` | 'candidate' | 'agent' | 'system';

export interface AuditEntry {
  organizationId: string;
  interviewId: string | null;
  action: AuditAction;
  actor: Actor;
  /** No personal data: ids, versions, reasons. */
  details?: Record<string, unknown>;
}

export async function recordAudit(db: Kysely<Database>, e: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      organization_id: e.organizationId,
      interview_id: e.interviewId,
      action: e.action,
      actor: e.actor,
      details: JSON.stringify(e.details ?? {}),
    })
    .execute();
}

export const listAudit = (db: Kysely<Database>, interviewId: string) =>
  db
    .selectFrom('audit_log')
    .select(['action', 'actor', 'details', 'created_at'])
    .where('interview_id', '=', interviewId)
    .orderBy('id')
    .execute();
