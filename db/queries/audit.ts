import type { Kysely } from 'kysely';
import type { Actor, AuditAction } from '../../core/domain.js';
import type { Database } from '../schema.js';

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
