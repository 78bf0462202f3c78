// For files that call the public endpoints many times: one database for the whole file (its
// harnesses share it; each test makes its own organization, so they do not see each other's rows),
// and a client address per test, since public endpoints are rate-limited per address.
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { hrUser, json, startHarness, type Harness } from '../../../testkit/api.js';
import { interviewerScript, startFakeLlm, type FakeLlm } from '../../../testkit/fake-llm.js';
import { freshDatabase, type TestDatabase } from '../../../testkit/postgres.js';

/** The file's database: made before its tests (and its harnesses), closed after. */
export function useFileDatabase() {
  const file = {} as { database: TestDatabase };
  beforeAll(async () => {
    file.database = await freshDatabase();
  });
  afterAll(() => file.database?.close());
  return file;
}

let address = '';

/** Each test of the file speaks from its own address: `${prefix}.${first}`, then the next one. */
export function useAddressPerTest(prefix: string, first = 1) {
  let next = first;
  beforeEach(() => {
    address = `${prefix}.${next}`;
    next += 1;
  });
}

/** The current test's address. */
export const currentAddress = () => address;

/** A request from the current test's address. */
export const call = (h: Harness, path: string, init: RequestInit & { json?: unknown } = {}) => h.request(path, { ...init, ip: address });

/** A JSON POST from the current test's address. */
export const post = (h: Harness, path: string, body: unknown) => call(h, path, { method: 'POST', json: body });

/**
 * A harness on the file's database that plans and evaluates with the scripted LLM, and an HR user
 * of its own. The script is put back after each test (a test may swap the handler).
 */
export function useLlmHarness(file: { database: TestDatabase }) {
  const s = {} as { fake: FakeLlm; h: Harness; hr: Awaited<ReturnType<typeof hrUser>> };
  beforeAll(async () => {
    s.fake = await startFakeLlm();
    s.h = await startHarness({ LLM_BASE_URL: s.fake.baseUrl, LLM_API_KEY: 'test' }, file.database);
    s.hr = await hrUser(s.h);
  });
  afterAll(() => s.fake?.close());
  afterEach(() => {
    s.fake.setHandler(interviewerScript);
  });
  return s;
}

/** A 200 answer with exactly the documented fields. */
export async function documented<T extends object>(res: Response, fields: string[]): Promise<T> {
  expect(res.status).toBe(200);
  const body = await json<T>(res);
  expect(Object.keys(body).sort()).toEqual(fields);
  return body;
}
