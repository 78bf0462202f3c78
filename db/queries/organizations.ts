import { sql } from 'kysely';
import type { Db } from '../connect.js';

/** Creates the first HR user (and its organization) when no user has that email yet. */
export async function ensureAdminUser(
  db: Db,
  admin: { email: string; passwordHash: () => Promise<string>; organization: string },
): Promise<boolean> {
  const existing = await db
    .selectFrom('users')
    .select('id')
    .where((eb) => eb(eb.fn('lower', ['email']), '=', admin.email.toLowerCase()))
    .executeTakeFirst();
  if (existing) return false;
  const passwordHash = await admin.passwordHash();
  return db.transaction().execute(async (tx) => {
    const org = await tx.insertInto('organizations').values({ name: admin.organization }).returning('id').executeTakeFirstOrThrow();
    const inserted = await tx
      .insertInto('users')
      .values({ organization_id: org.id, email: admin.email, password_hash: passwordHash })
      .onConflict((oc) => oc.expression(sql`lower(email)`).doNothing())
      .returning('id')
      .executeTakeFirst();
    return inserted !== undefined;
  });
}

export async function createOrganizationWithUser(db: Db, input: { name: string; email: string; passwordHash: string }) {
  return db.transaction().execute(async (tx) => {
    const org = await tx.insertInto('organizations').values({ name: input.name }).returning('id').executeTakeFirstOrThrow();
    const user = await tx
      .insertInto('users')
      .values({ organization_id: org.id, email: input.email, password_hash: input.passwordHash })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { organizationId: org.id, userId: user.id };
  });
}

export function findUserByEmail(db: Db, email: string) {
  return db
    .selectFrom('users')
    .select(['id', 'organization_id', 'password_hash'])
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
    .executeTakeFirst();
}
