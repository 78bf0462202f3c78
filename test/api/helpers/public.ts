// For files that call the public endpoints many times: one database for the whole file (its
// harnesses share it; each test makes its own organization, so they do not see each other's rows),
// and a client address per test, since public endpoints are rate-limited per address.
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { Harness } from '../../../testkit/api.js';
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
