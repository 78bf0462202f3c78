// What the HR API files share: one harness, the calls as the console makes them, and a walk over
// every page of a list.
import { afterAll, beforeAll, expect } from 'vitest';
import type { Database } from '../../../db/schema.js';
import { json, startHarness, type Harness } from '../../../testkit/api.js';

export let h: Harness;

/** Starts the file's harness before its tests and closes it after. */
export function useHrHarness() {
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h?.close());
}

export type Body = Record<string, unknown>;
export type Auth = Record<string, string>;
export type Page = { items: Body[]; nextCursor: string | null };

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const post = (path: string, auth: Auth, body: unknown) => h.request(path, { method: 'POST', headers: auth, json: body });
export const get = (path: string, auth: Auth) => h.request(path, { headers: auth });

export async function created(path: string, auth: Auth, body: unknown) {
  const res = await post(path, auth, body);
  if (res.status !== 201) throw new Error(`${path} → ${res.status} ${await res.text()}`);
  return json(res);
}

export const count = async (table: keyof Database) =>
  Number(
    (
      await h.deps.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

export const job = (auth: Auth, title = 'Backend Engineer') =>
  created('/api/jobs', auth, { title, description: 'Node.js and Postgres.', companyName: 'MENA Bank' });

let emails = 0;
/** A number no other address of this file has used. */
export const nextEmail = () => ++emails;
export const candidate = (auth: Auth, over: Body = {}) =>
  created('/api/candidates', auth, {
    firstName: 'Sara',
    lastName: 'Ali',
    email: `sara${++emails}@example.com`,
    phoneNumber: '+971501112233',
    ...over,
  });

/** Follows nextCursor from the first page to the last; fails on a page larger than `limit`. */
export async function walk(path: string, auth: Auth, limit: number) {
  const ids: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const res = await get(`${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, auth);
    expect(res.status).toBe(200);
    const page = await json<Page>(res);
    expect(page.items.length).toBeLessThanOrEqual(limit);
    if (page.nextCursor) expect(page.items).toHaveLength(limit);
    ids.push(...page.items.map((i) => i.id as string));
    cursor = page.nextCursor;
    pages += 1;
    if (pages > 100) throw new Error('pagination does not end');
  } while (cursor);
  return { ids, pages };
}
